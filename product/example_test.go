package product_test

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/baseline-cm/baseline/product"
)

func ExampleParse() {
	cfg, err := product.Parse("baseline.yaml", []byte(`version: 1
product:
  name: Infusion Pump Controller
  supplier: Acme Medical GmbH, https://acme.example
configurations:
  - {name: linux-arm64, goos: linux, goarch: arm64, cgo_enabled: false}
items:
  classes:
    - {name: source, kind: go-package, paths: [./...]}
    - {name: assets, paths: ["assets/**"]}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Product.Name)
	for _, c := range cfg.Configurations {
		fmt.Println(c.Name, c.Env(), c.Patterns, c.Mode)
	}
	for _, cl := range cfg.Items.Classes {
		fmt.Println(cl.Name, cl.Kind, cl.Match("assets/img/logo.png"))
	}
	fmt.Println(cfg.Archive, cfg.BaselineIDFor("1.2.0"), cfg.Items.IDs.Format(7))
	// Output:
	// Infusion Pump Controller
	// linux-arm64 [GOOS=linux GOARCH=arm64 CGO_ENABLED=0] [./...] packages
	// source go-package true
	// assets files true
	// releases BL-1.2.0 CI-007
}

func ExampleParse_error() {
	_, err := product.Parse("baseline.yaml", []byte(`version: 1
product:
  name: Pump
versioning:
  scheme: calver
archiv: releases
`))
	fmt.Println(err)
	// Output:
	// baseline.yaml:5: versioning.scheme: "calver" is not a supported scheme (want semver: semantic versioning, major.minor.patch)
	// baseline.yaml:6: archiv: unknown key (did you mean "archive"?)
}

func ExampleLoad() {
	_, err := product.Load("testdata/no-such-file.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Println("no baseline.yaml: using defaults")
	}
	// Output:
	// no baseline.yaml: using defaults
}

func ExampleCheckGlob() {
	for _, g := range []string{"docs/**", "**/*.png", "/etc/passwd", "a/**b", "["} {
		fmt.Printf("%s: %v\n", g, product.CheckGlob(g))
	}
	fmt.Println(product.Match("docs/**", "docs/design/arch.md"))
	// Output:
	// docs/**: <nil>
	// **/*.png: <nil>
	// /etc/passwd: a glob is a slash-separated path relative to the repository root
	// a/**b: "**" must be a whole path element ("docs/**", "**/*.png")
	// [: malformed glob element [
	// true
}
