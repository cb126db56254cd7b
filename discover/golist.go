package discover

import (
	"time"

	"github.com/baseline-cm/baseline/inventory"
)

// listModule is a module as "go list" prints it.
type listModule struct {
	Path      string
	Version   string
	Time      *time.Time
	Replace   *listModule
	Main      bool
	Indirect  bool
	Dir       string
	GoMod     string
	GoVersion string
	Sum       string
	GoModSum  string
	Error     *struct{ Err string }
}

// listPackage is a package as "go list -json=..." prints the fields we ask.
type listPackage struct {
	ImportPath string
	Module     *listModule
	Imports    []string
	Standard   bool
	DepOnly    bool
}

// packageFields are the only fields packages mode asks go list for.
const packageFields = "-json=ImportPath,Module,Imports,Standard,DepOnly"

// newComponent makes the component for a module go list printed. Main
// modules are FirstParty until the product is chosen.
func newComponent(m *listModule) inventory.Component {
	c := inventory.Component{
		ID:        m.Path,
		Kind:      inventory.Module,
		Path:      m.Path,
		Version:   m.Version,
		Sum:       m.Sum,
		GoModSum:  m.GoModSum,
		GoVersion: m.GoVersion,
		Dir:       m.Dir,
		Scope:     inventory.Required,
	}
	if m.Main {
		c.Kind = inventory.FirstParty
	}
	c.Semantic = semantic(c.Path, c.Version)
	if m.Time != nil {
		c.Time = m.Time.UTC()
	}
	if r := m.Replace; r != nil {
		c.Replace = &inventory.Replacement{Path: r.Path, Version: r.Version, Sum: r.Sum, Local: r.Version == ""}
		if r.GoVersion != "" {
			c.GoVersion = r.GoVersion
		}
		if r.Time != nil {
			c.Time = r.Time.UTC()
		}
		if !c.Replace.Local {
			// The code built is the replacement's: its hash is the one
			// that matters (go list puts it on the replacement).
			c.Sum, c.GoModSum = r.Sum, r.GoModSum
		} else {
			c.Sum, c.GoModSum = "", ""
			c.Time = time.Time{}
		}
		if r.Dir != "" {
			c.Dir = r.Dir
		}
	}
	if c.Time.IsZero() && c.Semantic != nil && c.Semantic.Pseudo && c.Replace == nil {
		c.Time = c.Semantic.Time
	}
	c.PURL = componentPURL(&c)
	return c
}

// stdlibComponent is the Go standard library at toolchain version gover.
func stdlibComponent(gover string) inventory.Component {
	c := inventory.Component{
		ID:      inventory.StdlibID,
		Kind:    inventory.Stdlib,
		Path:    inventory.StdlibID,
		Version: goVersionSemver(gover),
		Scope:   inventory.Required,
	}
	c.Semantic = semantic("", c.Version)
	c.PURL = componentPURL(&c)
	return c
}
