// Package modcache knows the layout of the Go module cache and of the
// module proxy protocol it mirrors: where the go command keeps a module
// version's .zip, the "h1:" hash it recorded for it, and the directory it
// extracts it into.
package modcache

import (
	"net/url"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
)

// Zip returns the name of path@version's .zip file in the module cache
// rooted at gomodcache (whether or not it exists).
func Zip(gomodcache, path, version string) (string, error) {
	return download(gomodcache, path, version, ".zip")
}

// ZipHash returns the name of the file in which the go command records the
// "h1:" hash of path@version's zip.
func ZipHash(gomodcache, path, version string) (string, error) {
	return download(gomodcache, path, version, ".ziphash")
}

func download(gomodcache, path, version, ext string) (string, error) {
	rel, err := DownloadPath(path, version, ext)
	if err != nil {
		return "", err
	}
	return filepath.Join(gomodcache, "cache", "download", filepath.FromSlash(rel)), nil
}

// DownloadPath is the slash-separated path of path@version's file with
// extension ext (".zip", ".mod", ".info") in the module proxy protocol,
// which the module cache's download directory mirrors:
// "escaped/path/@v/escaped-version.zip".
func DownloadPath(path, version, ext string) (string, error) {
	ep, err := module.EscapePath(path)
	if err != nil {
		return "", err
	}
	name, err := versionFile(version, ext)
	if err != nil {
		return "", err
	}
	return ep + "/@v/" + name, nil
}

// ZipName is the base name of a version's zip in the module cache and at
// a proxy, what DownloadPath ends in, without the cost of checking and
// escaping the module path.
func ZipName(version string) (string, error) { return versionFile(version, ".zip") }

// versionFile is the name of a version's file with extension ext in a
// module's @v directory: the escaped version and ext.
func versionFile(version, ext string) (string, error) {
	ev, err := module.EscapeVersion(version)
	if err != nil {
		return "", err
	}
	return ev + ext, nil
}

// Dir returns the directory into which the go command extracts path@version.
func Dir(gomodcache, path, version string) (string, error) {
	ep, ev, err := escape(path, version)
	if err != nil {
		return "", err
	}
	return filepath.Join(gomodcache, filepath.FromSlash(ep)+"@"+ev), nil
}

// escape returns path and version in the case-encoded form the module
// cache and proxy use.
func escape(path, version string) (string, string, error) {
	ep, err := module.EscapePath(path)
	if err != nil {
		return "", "", err
	}
	ev, err := module.EscapeVersion(version)
	if err != nil {
		return "", "", err
	}
	return ep, ev, nil
}

// ProxyZipURL is the URL of path@version's zip at the module proxy the go
// command asks first for it, given the go environment's GOPROXY and
// GONOPROXY (as go env reports them: GONOPROXY defaults to GOPRIVATE).
// It is "" when the go command fetches the module directly (GONOPROXY
// matches the path, or the first GOPROXY entry is "direct") or not at
// all ("off", an empty list), and when path@version is not a valid module
// version. Entries are parsed as the go command parses them: separated by
// "," or "|", a word without a scheme is a host name served over https.
// The first proxy is named even where the go command would fall back to
// the next one (a "," list, on a 404 or 410), which it does not record.
func ProxyZipURL(goproxy, gonoproxy, path, version string) string {
	if module.MatchPrefixPatterns(gonoproxy, path) {
		return ""
	}
	first, _, _ := strings.Cut(goproxy, ",")
	first, _, _ = strings.Cut(first, "|")
	first = strings.TrimSpace(first)
	switch {
	case first == "", first == "direct", first == "off":
		return ""
	case !strings.Contains(first, ":/"):
		if filepath.IsAbs(first) {
			return "" // not a URL: the go command rejects it
		}
		first = "https://" + first
	}
	rel, err := DownloadPath(path, version, ".zip")
	if err != nil {
		return ""
	}
	// The URL goes into records others read: never with the proxy's
	// credentials; and a query or fragment leaves no place for the path.
	u, err := url.Parse(first)
	if err != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return ""
	}
	u.User = nil
	return strings.TrimSuffix(u.String(), "/") + "/" + rel
}
