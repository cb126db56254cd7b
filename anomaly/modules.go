package anomaly

import (
	"cmp"
	"context"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// LookupModules looks the module versions mods up in the database
// opts.DB at module level: it returns the advisories that affect each at
// its version, all with the evidence soup.ModuleRequired, since no code
// of the product is looked at. It is for the modules a product lists
// beyond its package graph, which Scan does not see: modules mode's
// required modules that the build does not link (inventory.Optional).
// Union joins its result with Scan's. Of opts, only DB, Download and
// Progress are used: govulncheck runs in query mode, which loads no
// packages.
//
// govulncheck's query mode (golang.org/x/vuln v1.9.0) returns every
// entry of a module as soon as one of them affects the version asked
// for, so the entries are filtered here by their affected version
// ranges, as the database's OSV format defines them.
func LookupModules(ctx context.Context, opts Options, mods []module.Version) (*Result, error) {
	if err := CheckDB(opts.DB); err != nil {
		return nil, err
	}
	args := []string{"-mode", "query", "-format", "json", "-db", opts.DB}
	var asked []module.Version
	for _, m := range mods {
		// The query takes released and pseudo-versions only: a
		// directory replacement or a main module has none to look up.
		if semver.IsValid(m.Version) && module.CheckPath(m.Path) == nil {
			args = append(args, m.Path+"@"+m.Version)
			asked = append(asked, m)
		}
	}
	if len(asked) == 0 {
		return &Result{Scanner: scanner(), Advisories: []Advisory{}}, nil
	}
	env := os.Environ()
	if !opts.Download {
		env = append(env, "GOPROXY=off")
	}
	return runWith(ctx, opts, env, args, func(r io.Reader, progress func(string)) (*Result, error) {
		return decodeQuery(r, progress, asked)
	})
}

// osvAffected is an OSV entry's affected module, the fields read here.
type osvAffected struct {
	Package struct {
		Name string `json:"name"`
	} `json:"package"`
	Ranges []osvRange `json:"ranges"`
}

type osvRange struct {
	Type   string `json:"type"`
	Events []struct {
		Introduced string `json:"introduced"`
		Fixed      string `json:"fixed"`
	} `json:"events"`
}

// decodeQuery reads govulncheck's query-mode output: the entries of the
// modules of mods, kept for each module version they affect.
func decodeQuery(r io.Reader, progress func(string), mods []module.Version) (*Result, error) {
	res := &Result{Scanner: scanner(), Advisories: []Advisory{}}
	seen := map[[3]string]bool{}
	err := readMessages(r, res, progress, func(m *message) {
		o := m.OSV
		if o == nil {
			return
		}
		for _, mv := range mods {
			fixed, ok := affects(o.Affected, mv)
			k := [3]string{mv.Path, mv.Version, o.ID}
			if !ok || seen[k] {
				continue
			}
			seen[k] = true
			a := o.advisory()
			a.Module, a.Version, a.FixedVersion, a.Evidence = mv.Path, mv.Version, fixed, soup.ModuleRequired
			res.Advisories = append(res.Advisories, a)
		}
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(res.Advisories, func(a, b Advisory) int {
		return cmp.Or(cmp.Compare(a.Module, b.Module), cmp.Compare(a.Version, b.Version), cmp.Compare(a.ID, b.ID))
	})
	return res, nil
}

// affects reports whether an entry whose affected modules are affected
// affects mv, and returns the version that fixes it ("" when none does),
// as the OSV format defines it: an affected module with no ranges, or
// with no SEMVER range, affects every version; a SEMVER range affects a
// version from an "introduced" event ("0": the first) to the next
// "fixed" event, the events taken in version order.
func affects(affected []osvAffected, mv module.Version) (fixed string, ok bool) {
	for _, a := range affected {
		if a.Package.Name != mv.Path {
			continue
		}
		semverRange := false
		for _, r := range a.Ranges {
			if r.Type != "SEMVER" {
				continue
			}
			semverRange = true
			if f, in := inRange(r, mv.Version); in {
				return f, true
			}
		}
		if !semverRange {
			return "", true
		}
	}
	return "", false
}

// inRange reports whether version v is in the SEMVER range r, and the
// version of the event that ends it there ("" when none does).
func inRange(r osvRange, v string) (fixed string, ok bool) {
	type event struct {
		version    string // canonical, "" for introduced "0"
		introduced bool
	}
	var events []event
	for _, e := range r.Events {
		switch {
		case e.Introduced != "":
			iv := ""
			if e.Introduced != "0" {
				iv = canonical(e.Introduced)
			}
			events = append(events, event{iv, true})
		case e.Fixed != "":
			events = append(events, event{canonical(e.Fixed), false})
		}
	}
	if len(events) == 0 {
		return "", true
	}
	slices.SortStableFunc(events, func(a, b event) int {
		switch {
		case a.version == "" && b.version == "":
			return 0
		case a.version == "":
			return -1
		case b.version == "":
			return 1
		}
		return semver.Compare(a.version, b.version)
	})
	in := false
	for _, e := range events {
		switch {
		case !in && e.introduced:
			in = e.version == "" || semver.Compare(v, e.version) >= 0
		case in && !e.introduced && semver.Compare(v, e.version) < 0:
			return e.version, true
		case in && !e.introduced:
			in = false
		}
	}
	return "", in
}

// canonical is an OSV version (the Go database writes "1.2.3") as a
// module version ("v1.2.3").
func canonical(v string) string {
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return v
}

// UnlinkedModules returns the module versions inv lists that its build
// does not link (modules mode's inventory.Optional ones), which Scan,
// reading the package graph, does not see: LookupModules looks them up.
// Directory replacements, which have no version to look up, are left
// out.
func UnlinkedModules(inv *inventory.Inventory) []module.Version {
	var out []module.Version
	for i := range inv.Components {
		c := &inv.Components[i]
		if p, v, ok := c.ModuleZip(); ok && c.Scope == inventory.Optional {
			out = append(out, module.Version{Path: p, Version: v})
		}
	}
	return out
}
