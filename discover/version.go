package discover

// Module and toolchain versions, broken down as records need them.

import (
	"strings"

	"github.com/baseline-cm/baseline/inventory"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// zeroPseudo is the placeholder version go.mod files use to require a
// module that only a directory replacement provides. It names no code.
var zeroPseudo = module.ZeroPseudoVersion("v0")

// semantic breaks a module version down. path is the module path (for the
// major version suffix); it returns nil for an empty or invalid version.
func semantic(path, version string) *inventory.Version {
	if version == "" || !semver.IsValid(version) {
		return nil
	}
	v := &inventory.Version{
		Base:         strings.TrimSuffix(semver.Canonical(version), semver.Build(version)),
		Prerelease:   semver.Prerelease(version) != "",
		Incompatible: semver.Build(version) == "+incompatible",
	}
	if _, major, ok := module.SplitPathVersion(path); ok && major != "" {
		v.Major = strings.TrimLeft(major, "/.")
	}
	if module.IsPseudoVersion(version) {
		v.Pseudo = true
		v.Revision, _ = module.PseudoVersionRev(version)
		v.Time, _ = module.PseudoVersionTime(version)
		base, _ := module.PseudoVersionBase(version)
		if base == "" {
			base = "v0.0.0"
		}
		v.Base = strings.TrimSuffix(base, "+incompatible")
	}
	return v
}

// goVersionSemver turns a toolchain version ("go1.26.8", "go1.27rc1",
// "go1.21") into the semantic version the Go vulnerability database uses
// for stdlib ("v1.26.8", "v1.27.0-rc.1", "v1.21.0"). Anything else (a devel
// toolchain) is returned unchanged.
func goVersionSemver(gover string) string {
	gover, _, _ = strings.Cut(gover, " ") // "go1.26.8 X:nocoverageredesign"
	v, ok := strings.CutPrefix(gover, "go")
	if !ok || v == "" {
		return gover
	}
	pre := ""
	for _, kind := range []string{"rc", "beta"} {
		if i := strings.Index(v, kind); i > 0 {
			pre = "-" + kind + "." + v[i+len(kind):]
			v = v[:i]
			break
		}
	}
	switch strings.Count(v, ".") {
	case 0:
		v += ".0.0"
	case 1:
		v += ".0"
	}
	s := "v" + v + pre
	if !semver.IsValid(s) {
		return gover
	}
	return s
}
