package modpath

import (
	"strings"
	"testing"
)

func TestPackageURL(t *testing.T) {
	for _, tc := range []struct{ path, version, want string }{
		{"github.com/google/uuid", "v1.6.0", "pkg:golang/github.com/google/uuid@v1.6.0"},
		{"stdlib", "v1.26.8", "pkg:golang/stdlib@v1.26.8"},
		{"example.com/m", "", "pkg:golang/example.com/m"},
		{"example.com/m", "v0.0.0-00010101000000-000000000000", "pkg:golang/example.com/m"},
		{"example.com/m/v2", "v2.0.0-00010101000000-000000000000", "pkg:golang/example.com/m/v2"},
		{"example.com/m", "v0.0.0-20240102030405-abcdefabcdef", "pkg:golang/example.com/m@v0.0.0-20240102030405-abcdefabcdef"},
		{"example.com/inc", "v2.0.0+incompatible", "pkg:golang/example.com/inc@v2.0.0%2Bincompatible"},
	} {
		if got := PackageURL(tc.path, tc.version); got != tc.want {
			t.Errorf("PackageURL(%q, %q) = %q, want %q", tc.path, tc.version, got, tc.want)
		}
	}
}

func TestRepositoryWebsiteIssues(t *testing.T) {
	for _, tc := range []struct{ path, repo, web, issues string }{
		{"stdlib", "https://go.googlesource.com/go", "https://go.dev", "https://go.dev/issue"},
		{"golang.org/x/mod", "https://go.googlesource.com/mod", "https://pkg.go.dev/golang.org/x/mod", "https://go.dev/issue"},
		{"github.com/a/b/v3", "https://github.com/a/b", "https://github.com/a/b", "https://github.com/a/b/issues"},
		{"gitlab.com/a/b", "https://gitlab.com/a/b", "https://gitlab.com/a/b", ""},
		{"gopkg.in/yaml.v3", "https://github.com/go-yaml/yaml", "https://github.com/go-yaml/yaml", "https://github.com/go-yaml/yaml/issues"},
		{"gopkg.in/o/r.v1", "https://github.com/o/r", "https://github.com/o/r", "https://github.com/o/r/issues"},
		{"go.yaml.in/yaml/v3", "https://github.com/yaml/go-yaml", "https://github.com/yaml/go-yaml", "https://github.com/yaml/go-yaml/issues"},
		{"k8s.io/api", "https://github.com/kubernetes/api", "https://github.com/kubernetes/api", "https://github.com/kubernetes/api/issues"},
		{"google.golang.org/grpcx", "", "https://pkg.go.dev/google.golang.org/grpcx", ""},
		{"example.com/m", "", "https://pkg.go.dev/example.com/m", ""},
		{"github.com/short", "", "https://pkg.go.dev/github.com/short", ""},
	} {
		if got := Repository(tc.path); got != tc.repo {
			t.Errorf("Repository(%q) = %q, want %q", tc.path, got, tc.repo)
		}
		if got := Website(tc.path); got != tc.web {
			t.Errorf("Website(%q) = %q, want %q", tc.path, got, tc.web)
		}
		if got := IssueTracker(tc.path); got != tc.issues {
			t.Errorf("IssueTracker(%q) = %q, want %q", tc.path, got, tc.issues)
		}
	}
}

func TestSupplierOf(t *testing.T) {
	for _, tc := range []struct {
		path string
		want Supplier
	}{
		{"stdlib", Supplier{GoAuthors, "https://go.dev", Curated}},
		{"golang.org/x/sync", Supplier{GoAuthors, "https://go.dev", Curated}},
		{"google.golang.org/protobuf", Supplier{"Google LLC", "https://opensource.google", Curated}},
		{"cloud.google.com/go/storage", Supplier{"Google LLC", "https://opensource.google", Curated}},
		{"k8s.io/client-go", Supplier{"The Kubernetes Authors", "https://kubernetes.io", Curated}},
		{"sigs.k8s.io/yaml", Supplier{"The Kubernetes Authors", "https://kubernetes.io", Curated}},
		{"github.com/spf13/cobra", Supplier{"spf13", "https://github.com/spf13/cobra", Owner}},
		{"gopkg.in/yaml.v3", Supplier{"go-yaml", "https://github.com/go-yaml/yaml", Owner}},
		// a host name names no one: the URL alone
		{"example.com/m", Supplier{"", "https://pkg.go.dev/example.com/m", Host}},
		// a vanity path whose repository is on a code host: its owner
		{"modernc.org/sqlite", Supplier{"cznic", "https://gitlab.com/cznic/sqlite", Owner}},
		{"honnef.co/go/tools", Supplier{"", "https://pkg.go.dev/honnef.co/go/tools", Host}},
		// the table matches whole path elements
		{"gocloud.dev", Supplier{"The Go Cloud Development Kit Authors", "https://gocloud.dev", Curated}},
		{"gocloud.dev/blob", Supplier{"The Go Cloud Development Kit Authors", "https://gocloud.dev", Curated}},
		{"gocloud.devx/m", Supplier{"", "https://pkg.go.dev/gocloud.devx/m", Host}},
		{"github.com/googleapis/gax-go/v2", Supplier{"Google LLC", "https://opensource.google", Curated}},
		{"github.com/googlex/m", Supplier{"googlex", "https://github.com/googlex/m", Owner}},
		{"github.com/Azure/azure-sdk-for-go/sdk/azcore", Supplier{"Microsoft Corporation", "https://opensource.microsoft.com", Curated}},
		{"localmod", Supplier{}},
	} {
		if got := SupplierOf(tc.path); got != tc.want {
			t.Errorf("SupplierOf(%q) = %+v, want %+v", tc.path, got, tc.want)
		}
	}
}

// TestElements: elements is strings.SplitN(path, "/", 4) cut to three
// elements and a count.
func TestElements(t *testing.T) {
	for _, path := range []string{"", "/", "a", "a/", "/a", "a/b", "a//b", "a/b/c", "a/b/c/", "a/b/c/d", "a/b/c/d/e/f", "github.com/x/y/v2", "gopkg.in/yaml.v3"} {
		want := strings.SplitN(path, "/", 4)
		parts, n := elements(path)
		if n != len(want) {
			t.Errorf("elements(%q): %d elements, want %d", path, n, len(want))
		}
		for i := range min(n, 3) {
			if parts[i] != want[i] {
				t.Errorf("elements(%q)[%d] = %q, want %q", path, i, parts[i], want[i])
			}
		}
	}
}
