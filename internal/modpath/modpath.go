// Package modpath is baseline's one home for what a Go module path says
// about a module: its package URL (the NTIA "other unique identifier"),
// its source repository and web page (SBOM external references, the SOUP
// register's website), where its anomalies are published (IEC 62304
// 7.1.3 anomaly list) and who supplies it (NTIA supplier, BSI TR-03183-2
// creator of the component). discover, soup and sbom all ask it, so that
// the SBOM and the register never disagree.
//
// Everything here is derived from the path alone, with a small curated
// table for the well-known vanity domains (golang.org/x is The Go
// Authors', k8s.io The Kubernetes Authors', ...). Nothing is looked up on
// the network; a derivation is a guess that the SOUP register confirms or
// overrides.
package modpath

import (
	"slices"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/baseline-cm/baseline/inventory"
)

// Stdlib is the module path of the Go standard library, as the Go
// vulnerability database and inventory name it.
const Stdlib = "stdlib"

// GoAuthors is the supplier of the standard library and golang.org/x.
const GoAuthors = "The Go Authors"

// PackageURL returns the package URL of a Go module version:
// pkg:golang/namespace/name@version. The version is left out when it
// names no code: empty, or the zero pseudo-version of a directory
// replacement (module.ZeroPseudoVersion).
func PackageURL(path, version string) string {
	namespace, name := "", path
	if i := strings.LastIndex(path, "/"); i >= 0 {
		namespace, name = path[:i], path[i+1:]
	}
	if inventory.Placeholder(version) {
		version = ""
	}
	return packageurl.NewPackageURL(packageurl.TypeGolang, namespace, name, version, nil, "").ToString()
}

// codeHosts are hosts whose paths are host/owner/repository[/...].
var codeHosts = [...]string{"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"}

// vanity maps vanity import path prefixes to their repository's URL
// prefix; a prefix ending in "/" takes the next path element as the
// repository name.
var vanity = [...]struct{ prefix, repo string }{
	{"golang.org/x/", "https://go.googlesource.com/"},
	{"k8s.io/", "https://github.com/kubernetes/"},
	{"sigs.k8s.io/", "https://github.com/kubernetes-sigs/"},
	{"go.uber.org/", "https://github.com/uber-go/"},
	{"modernc.org/", "https://gitlab.com/cznic/"},
	{"go.yaml.in/yaml", "https://github.com/yaml/go-yaml"},
	{"google.golang.org/protobuf", "https://github.com/protocolbuffers/protobuf-go"},
	{"google.golang.org/grpc", "https://github.com/grpc/grpc-go"},
	{"google.golang.org/api", "https://github.com/googleapis/google-api-go-client"},
	{"google.golang.org/genproto", "https://github.com/googleapis/go-genproto"},
	{"cloud.google.com/go", "https://github.com/googleapis/google-cloud-go"},
	{"go.opentelemetry.io/otel", "https://github.com/open-telemetry/opentelemetry-go"},
	{"go.etcd.io/etcd", "https://github.com/etcd-io/etcd"},
	{"go.etcd.io/bbolt", "https://github.com/etcd-io/bbolt"},
}

// Repository returns the URL of a module's source repository when its
// path says where it is (a code host, gopkg.in, or a vanity path of the
// curated table), else "".
func Repository(path string) string {
	if path == Stdlib {
		return "https://go.googlesource.com/go"
	}
	parts, count := elements(path)
	for _, h := range codeHosts {
		if parts[0] == h && count >= 3 {
			return "https://" + parts[0] + "/" + parts[1] + "/" + parts[2]
		}
	}
	if parts[0] == "gopkg.in" {
		switch count {
		case 2: // gopkg.in/pkg.vN is github.com/go-pkg/pkg
			if n, _, ok := strings.Cut(parts[1], ".v"); ok && n != "" {
				return "https://github.com/go-" + n + "/" + n
			}
		case 3: // gopkg.in/user/pkg.vN is github.com/user/pkg
			if n, _, ok := strings.Cut(parts[2], ".v"); ok && n != "" {
				return "https://github.com/" + parts[1] + "/" + n
			}
		}
		return ""
	}
	for _, v := range vanity {
		if strings.HasSuffix(v.prefix, "/") {
			if rest, ok := strings.CutPrefix(path, v.prefix); ok {
				name, _, _ := strings.Cut(rest, "/")
				if name != "" {
					return v.repo + name
				}
			}
		} else if hasPathPrefix(path, v.prefix) {
			return v.repo
		}
	}
	return ""
}

// elements returns the first three "/"-separated elements of path and
// their number, 4 when there are more: strings.SplitN(path, "/", 4)
// without allocating, for the functions here, which run per component.
func elements(path string) (parts [3]string, n int) {
	rest := path
	for n < 3 {
		before, after, found := strings.Cut(rest, "/")
		parts[n] = before
		n++
		if !found {
			return parts, n
		}
		rest = after
	}
	return parts, 4
}

// Website returns a module's web page: go.dev for the standard library,
// its repository when that is on a code host people browse (github.com,
// gitlab.com, ...), else its page on pkg.go.dev.
func Website(path string) string {
	if path == Stdlib {
		return "https://go.dev"
	}
	if r := Repository(path); r != "" && !strings.HasPrefix(r, "https://go.googlesource.com/") {
		return r
	}
	return "https://pkg.go.dev/" + path
}

// IssueTracker returns where a module's anomalies are reported, when its
// path says so: the Go issue tracker for the standard library and
// golang.org/x, a GitHub repository's issues; else "".
func IssueTracker(path string) string {
	if path == Stdlib || strings.HasPrefix(path, "golang.org/x/") {
		return "https://go.dev/issue"
	}
	if r := Repository(path); strings.HasPrefix(r, "https://github.com/") {
		return r + "/issues"
	}
	return ""
}

// Basis says what a derived supplier rests on.
type Basis int

const (
	// Unknown: the path says nothing about the supplier.
	Unknown Basis = iota
	// Curated: an organisation of the curated table.
	Curated
	// Owner: the owner of the repository on a code host.
	Owner
	// Host: a path on any other host. A host name names no one: the
	// supplier is known only by a URL (the module's repository or web
	// page) and has no name.
	Host
)

// A Supplier is who supplies a module, as its path tells.
type Supplier struct {
	// Name is the organisation or the repository owner; "" when the path
	// tells no one (Basis Host or Unknown).
	Name string
	// URL is a way to reach them: the organisation's site for a curated
	// supplier, else the module's repository or web page.
	URL string
	// Basis says how Name was derived.
	Basis Basis
}

// suppliers is the curated table: module paths (a prefix of whole path
// elements) whose supplier is a known organisation, named as its
// projects' copyright notices commonly name it (a SOUP register's
// manufacturer overrides it). The first match wins: a longer prefix must
// come before a shorter one it extends.
var suppliers = [...]struct{ prefix, name, url string }{
	{"golang.org/x", GoAuthors, "https://go.dev"},
	{"google.golang.org", "Google LLC", "https://opensource.google"},
	{"cloud.google.com", "Google LLC", "https://opensource.google"},
	{"k8s.io", "The Kubernetes Authors", "https://kubernetes.io"},
	{"sigs.k8s.io", "The Kubernetes Authors", "https://kubernetes.io"},
	{"go.opentelemetry.io", "The OpenTelemetry Authors", "https://opentelemetry.io"},
	{"go.opencensus.io", "The OpenCensus Authors", "https://opencensus.io"},
	{"go.etcd.io", "The etcd Authors", "https://etcd.io"},
	{"go.uber.org", "Uber Technologies, Inc.", "https://github.com/uber-go"},
	{"go.yaml.in", "The YAML Project", "https://github.com/yaml"},
	{"go.mongodb.org", "MongoDB, Inc.", "https://www.mongodb.com"},
	{"go.starlark.net", "The Bazel Authors", "https://bazel.build"},
	{"gonum.org", "The Gonum Authors", "https://www.gonum.org"},
	{"helm.sh", "The Helm Authors", "https://helm.sh"},
	{"cuelang.org", "The CUE Authors", "https://cuelang.org"},
	{"gocloud.dev", "The Go Cloud Development Kit Authors", "https://gocloud.dev"},
	{"github.com/golang", GoAuthors, "https://go.dev"},
	{"github.com/google", "Google LLC", "https://opensource.google"},
	{"github.com/googleapis", "Google LLC", "https://opensource.google"},
	{"github.com/GoogleCloudPlatform", "Google LLC", "https://opensource.google"},
	{"github.com/kubernetes", "The Kubernetes Authors", "https://kubernetes.io"},
	{"github.com/kubernetes-sigs", "The Kubernetes Authors", "https://kubernetes.io"},
	{"github.com/open-telemetry", "The OpenTelemetry Authors", "https://opentelemetry.io"},
	{"github.com/etcd-io", "The etcd Authors", "https://etcd.io"},
	{"github.com/uber-go", "Uber Technologies, Inc.", "https://github.com/uber-go"},
	{"github.com/prometheus", "The Prometheus Authors", "https://prometheus.io"},
	{"github.com/containerd", "The containerd Authors", "https://containerd.io"},
	{"github.com/sigstore", "The Sigstore Authors", "https://sigstore.dev"},
	{"github.com/hashicorp", "HashiCorp, Inc.", "https://www.hashicorp.com"},
	{"github.com/Azure", "Microsoft Corporation", "https://opensource.microsoft.com"},
	{"github.com/microsoft", "Microsoft Corporation", "https://opensource.microsoft.com"},
	{"github.com/aws", "Amazon.com, Inc.", "https://aws.amazon.com"},
}

// hasPathPrefix reports whether path is prefix or starts with prefix and
// a slash: a prefix of whole elements.
func hasPathPrefix(path, prefix string) bool {
	rest, ok := strings.CutPrefix(path, prefix)
	return ok && (rest == "" || rest[0] == '/')
}

// SupplierOf derives a module's supplier from its path: the curated
// table's organisation (the standard library and golang.org/x are The Go
// Authors'), else the owner of a code-host repository (github.com/OWNER/...,
// gopkg.in/OWNER/..., or a vanity path whose repository the path tells
// is on a code host). The URL is the organisation's site, else the
// module's repository or web page. A path on any other host gets the URL
// alone: a host name is no supplier's name.
func SupplierOf(path string) Supplier {
	if path == Stdlib {
		return Supplier{GoAuthors, "https://go.dev", Curated}
	}
	for _, s := range suppliers {
		if hasPathPrefix(path, s.prefix) {
			return Supplier{s.name, s.url, Curated}
		}
	}
	url := Repository(path)
	if rest, ok := strings.CutPrefix(url, "https://"); ok {
		host, rest, _ := strings.Cut(rest, "/")
		if owner, _, _ := strings.Cut(rest, "/"); owner != "" && slices.Contains(codeHosts[:], host) {
			return Supplier{owner, url, Owner}
		}
	}
	if url == "" {
		url = Website(path)
	}
	if parts, _ := elements(path); parts[0] == "" || !strings.Contains(parts[0], ".") {
		return Supplier{}
	}
	return Supplier{"", url, Host}
}
