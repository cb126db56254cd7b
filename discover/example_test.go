package discover_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/inventory"
)

// exampleModule writes a small module that requires example.com/v2mod/v2
// (served, like every fixture, by the test's module proxy) and returns
// its directory.
func exampleModule() string {
	dir, err := os.MkdirTemp("", "discover-example-")
	if err != nil {
		log.Fatal(err)
	}
	for name, data := range map[string]string{
		"go.mod": `module example.com/hello

go 1.22

require example.com/v2mod/v2 v2.1.0

require example.com/incompat v2.0.0+incompatible // indirect
`,
		"go.sum": `example.com/incompat v2.0.0+incompatible h1:uo78q33AvnW49LENRYjwef8goEfJPgcfARZ5RM3+5ss=
example.com/incompat v2.0.0+incompatible/go.mod h1:tupQKLSuyHTzRV+W5U7HQ8m+5JXaqhtfgmWTkbd3U+k=
example.com/v2mod/v2 v2.1.0 h1:XKLmFOykFFXrN21+aBR7xWAFQ1ZR3xa4ayf09FlLUN4=
example.com/v2mod/v2 v2.1.0/go.mod h1:E9qsvyX/0U+lZ3GDxuJtKG+0muZCeIHmxWB2Cxesse8=
`,
		"main.go": "package main\n\nimport \"example.com/v2mod/v2\"\n\nfunc main() { println(v2mod.Major) }\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	return dir
}

// Packages lists what the packages of a module link, for the build
// context in effect (here: linux/arm64), module by module.
func ExamplePackages() {
	dir := exampleModule()
	defer os.RemoveAll(dir)
	inv, err := discover.Packages(context.Background(), discover.Options{
		Dir:      dir,
		Env:      []string{"GOOS=linux", "GOARCH=arm64"},
		Download: true, // fetch missing modules (by default discovery is offline)
		NoCache:  true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("build:", inv.Build.GOOS, inv.Build.GOARCH)
	for _, c := range inv.Components { // sorted by ID
		if c.Kind == inventory.Stdlib {
			fmt.Println(c.Kind, c.ID) // its version is the toolchain's
			continue
		}
		fmt.Println(c.Kind, c.PURL, c.Licenses, inv.Dependencies[c.ID])
	}
	// Output:
	// build: linux arm64
	// main pkg:golang/example.com/hello [] [example.com/v2mod/v2]
	// module pkg:golang/example.com/incompat@v2.0.0%2Bincompatible [BSD-3-Clause] []
	// module pkg:golang/example.com/v2mod/v2@v2.1.0 [MIT] [example.com/incompat]
	// stdlib stdlib
}

// Modules lists the whole module graph; modules no package of the product
// links are optional.
func ExampleModules() {
	dir := exampleModule()
	defer os.RemoveAll(dir)
	inv, err := discover.Modules(context.Background(), discover.Options{Dir: dir, Download: true, NoCache: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range inv.Components {
		fmt.Println(c.ID, c.Version != "", c.Direct, c.Scope)
	}
	// Output:
	// example.com/hello false false required
	// example.com/incompat true false required
	// example.com/v2mod/v2 true true required
	// stdlib true true required
}

// Binary reads what a Go executable records of its build.
func ExampleBinary() {
	dir := exampleModule()
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "hello")
	build := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		log.Fatalf("%v\n%s", err, out)
	}
	inv, err := discover.Binary(context.Background(), bin, discover.Options{Dir: dir, NoCache: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inv.Mode, inv.MainID, "edges known:", inv.EdgesKnown, "trimpath:", inv.Build.Trimpath)
	for _, c := range inv.SOUP() {
		fmt.Println(c.Kind, c.ID, len(c.Hashes) == 2)
	}
	// Output:
	// binary example.com/hello edges known: false trimpath: true
	// module example.com/incompat true
	// module example.com/v2mod/v2 true
	// stdlib stdlib false
}

// ProductVersion is the version records give the product: here a
// binary's recorded version; for source, git's description of the
// module's own tags.
func ExampleProductVersion() {
	inv := &inventory.Inventory{
		Mode:       inventory.Binary,
		MainID:     "example.com/app",
		Components: []inventory.Component{{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app", Version: "v1.4.2"}},
	}
	v, err := discover.ProductVersion(context.Background(), inv, "")
	fmt.Println(v, err)
	// Output: v1.4.2 <nil>
}

// Timestamp honours SOURCE_DATE_EPOCH, so that records are reproducible.
func ExampleTimestamp() {
	os.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	defer os.Unsetenv("SOURCE_DATE_EPOCH")
	t, err := discover.Timestamp()
	fmt.Println(t.Format(time.RFC3339), err)
	// Output: 2023-11-14T22:13:20Z <nil>
}

// The cache directory discovery reads and writes, which is what
// sbom.Options.CacheDir takes so that an SBOM's encoded elements are kept
// beside the digests: the one given, none when the cache is off.
func ExampleOptions_CacheDirInUse() {
	on := discover.Options{CacheDir: "/var/cache/baseline"}
	off := discover.Options{CacheDir: "/var/cache/baseline", NoCache: true}
	fmt.Println(on.CacheDirInUse())
	fmt.Printf("%q\n", off.CacheDirInUse())
	// Output:
	// /var/cache/baseline
	// ""
}
