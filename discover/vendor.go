package discover

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// vendoredModule is one module entry of vendor/modules.txt.
type vendoredModule struct {
	Path, Version string
	Replace       *module.Version
	Explicit      bool
	GoVersion     string
	Packages      []string
}

// parseModulesTxt parses vendor/modules.txt. Its format is the go
// command's: "# path version [=> path [version]]" opens a module,
// "## explicit; go 1.22" annotates it, and other lines are its packages.
func parseModulesTxt(file string, data []byte) ([]vendoredModule, error) {
	var mods []vendoredModule
	cur := -1 // the module that annotations and packages belong to
	lineno := 0
	for line := range strings.Lines(string(data)) {
		lineno++
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "## "):
			if cur < 0 {
				continue // workspace annotations before the first module
			}
			m := &mods[cur]
			for ann := range strings.SplitSeq(strings.TrimPrefix(line, "## "), ";") {
				ann = strings.TrimSpace(ann)
				if ann == "explicit" {
					m.Explicit = true
				} else if v, ok := strings.CutPrefix(ann, "go "); ok {
					m.GoVersion = v
				}
			}
		case strings.HasPrefix(line, "# "):
			f := strings.Fields(strings.TrimPrefix(line, "# "))
			var m vendoredModule
			if i := slices.Index(f, "=>"); i >= 0 {
				left, right := f[:i], f[i+1:]
				if len(left) < 1 || len(left) > 2 || len(right) < 1 || len(right) > 2 {
					return nil, fmt.Errorf("%s:%d: malformed module line", file, lineno)
				}
				m.Path = left[0]
				if len(left) == 2 {
					m.Version = left[1]
				}
				m.Replace = &module.Version{Path: right[0]}
				if len(right) == 2 {
					m.Replace.Version = right[1]
				}
			} else {
				if len(f) != 2 {
					return nil, fmt.Errorf("%s:%d: malformed module line", file, lineno)
				}
				m.Path, m.Version = f[0], f[1]
			}
			if m.Version == "" {
				// "# path => replacement": a wildcard replacement of
				// go.mod, not a module of the build.
				cur = -1
				continue
			}
			mods = append(mods, m)
			cur = len(mods) - 1
		case strings.HasPrefix(line, "#"):
			// Other comments are ignored, as by the go command.
		default:
			if cur >= 0 {
				mods[cur].Packages = append(mods[cur].Packages, line)
			}
		}
	}
	// A module line with neither packages nor "## explicit" only records
	// a replacement of a version the build does not use.
	mods = slices.DeleteFunc(mods, func(m vendoredModule) bool { return len(m.Packages) == 0 && !m.Explicit })
	return mods, nil
}

// readGoMod reads the module path of a go.mod file and its requirements,
// each true when direct (without an "// indirect" comment).
func readGoMod(gomod string) (path string, requires map[string]bool, err error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", nil, err
	}
	f, err := modfile.ParseLax(gomod, data, nil)
	if err != nil {
		return "", nil, err
	}
	if f.Module == nil || f.Module.Mod.Path == "" {
		return "", nil, fmt.Errorf("%s: no module directive", gomod)
	}
	requires = map[string]bool{}
	for _, r := range f.Require {
		requires[r.Mod.Path] = requires[r.Mod.Path] || !r.Indirect
	}
	return f.Module.Mod.Path, requires, nil
}
