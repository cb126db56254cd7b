package soup

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/internal/spdxexpr"
	"github.com/baseline-cm/baseline/inventory"
)

// FindingKind classifies a difference between the register and the build.
type FindingKind string

// The kinds of findings.
const (
	// Undeclared: a SOUP component the build uses is not in the register
	// (8.1.2: every SOUP item is identified).
	Undeclared FindingKind = "undeclared"
	// Stale: a Go item of the register is no longer used by the build.
	Stale FindingKind = "stale"
	// VersionDrift: the register's version (or package URL) of a Go item
	// differs from the one the build resolves (8.1.2 c).
	VersionDrift FindingKind = "version-drift"
	// Incomplete: a field the item's safety class (or the FDA policy)
	// requires is missing, or a TODO marker is left.
	Incomplete FindingKind = "incomplete"
	// EvaluationOutOfDate: the anomaly evaluation (7.1.3) names another
	// version than the one used, or is older than the policy allows.
	EvaluationOutOfDate FindingKind = "evaluation-out-of-date"
	// LicenseMismatch: the licence the register concludes for a Go item
	// is not the one its module's licence files declare, nor a choice of
	// branches of it (spdx OR).
	LicenseMismatch FindingKind = "license-mismatch"
	// ConfigurationDrift: the build configurations an item records
	// (configurations) are not those that use it.
	ConfigurationDrift FindingKind = "configuration-drift"
)

// Finding is one difference between the register and the build.
type Finding struct {
	Kind FindingKind `json:"kind"`
	// ID, Title and Module identify the item (ID and Title are empty for
	// undeclared components).
	ID     string `json:"id,omitempty"`
	Title  string `json:"title,omitempty"`
	Module string `json:"module,omitempty"`
	// Version is the version the build uses, when the build uses the item.
	Version string `json:"version,omitempty"`
	// Field is the register field at fault ("version",
	// "anomaly_evaluation.date"), if any.
	Field string `json:"field,omitempty"`
	// Line is the line of the field (or item) in the register; 0 for
	// undeclared components.
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

// Report is the result of reconciling a register with an inventory.
type Report struct {
	// Register is the register's file name.
	Register string `json:"register"`
	// Items is the number of items in the register; Components the number
	// of SOUP components (Go modules and the standard library) the build uses.
	Items      int `json:"items"`
	Components int `json:"components"`
	// Findings are in register order, then undeclared components by
	// module path. Empty (not nil) when the register matches the build.
	Findings []Finding `json:"findings"`
	// VulnDB describes the vulnerability database the advisories were
	// looked up in, when they were (set by the caller).
	VulnDB string `json:"vulndb,omitempty"`
}

// OK reports whether the register matches the build.
func (r *Report) OK() bool { return len(r.Findings) == 0 }

// Counts returns the number of findings of each kind.
func (r *Report) Counts() map[FindingKind]int {
	m := map[FindingKind]int{}
	for _, f := range r.Findings {
		m[f.Kind]++
	}
	return m
}

// Summary is a one-line account of the findings: "3 findings (1
// undeclared, 2 incomplete)".
func (r *Report) Summary() string {
	if r.OK() {
		return fmt.Sprintf("%d items match the build's %d SOUP components", r.Items, r.Components)
	}
	counts := r.Counts()
	var parts []string
	for _, k := range []FindingKind{Undeclared, Stale, VersionDrift, ConfigurationDrift, LicenseMismatch, Incomplete, EvaluationOutOfDate, UnevaluatedAnomaly} {
		if n := counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	s := "s"
	if len(r.Findings) == 1 {
		s = ""
	}
	return fmt.Sprintf("%d finding%s (%s)", len(r.Findings), s, strings.Join(parts, ", "))
}

// String formats a finding as one line, against the register file name:
//
//	soup.yaml:12: SOUP-001 baseline.test/greet: version-drift: version: the register says v1.0.0, the build uses v1.1.0
func (f *Finding) String(file string) string {
	var b strings.Builder
	b.WriteString(file)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
	}
	b.WriteString(": ")
	subject := strings.TrimSpace(f.ID + " " + cmpOr(f.Module, f.Title))
	if subject == "" {
		subject = "item"
	}
	fmt.Fprintf(&b, "%s: %s: ", subject, f.Kind)
	if f.Field != "" {
		fmt.Fprintf(&b, "%s: ", f.Field)
	}
	b.WriteString(f.Reason)
	return oneLine(b.String())
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// WriteText writes the report as text: one line per finding, then the
// summary.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for i := range r.Findings {
		b.WriteString(r.Findings[i].String(r.Register))
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%s: %s\n", r.Register, r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// ReconcileOptions control reconciliation.
type ReconcileOptions struct {
	// Now is the time evaluation ages are measured at; time.Now() when zero.
	Now time.Time
	// Builds, when given, are the inventories of every build
	// configuration the product is released for; the register is
	// reconciled with their union (an item is stale only when no
	// configuration uses it) and the inventory argument is not used.
	// Each Go item must list the configurations using it.
	Builds []Build
	// Advisories are the advisories of the vulnerability database that
	// affect the versions the build uses (package anomaly looks them up);
	// each must be listed in its item's anomaly_evaluation.advisories.
	Advisories []KnownAdvisory
}

// used is a SOUP component of the build, by the module an item must name.
type used struct {
	c       *inventory.Component
	version string
	dir     string   // the directory of a local-directory replacement
	configs []string // the named configurations using it, sorted
}

// Build is the inventory of one build configuration the product is
// released for (the configurations of baseline.yaml, package product):
// check and sync work over the union of a product's builds.
type Build struct {
	// Name names the configuration ("linux-amd64"); items record the
	// names of the configurations that use them.
	Name      string
	Inventory *inventory.Inventory
}

// builds returns the builds to reconcile with: opts' builds, or the one
// inventory given.
func builds(inv *inventory.Inventory, bs []Build) []Build {
	if len(bs) > 0 {
		return bs
	}
	return []Build{{Inventory: inv}}
}

// named reports whether the builds are named configurations, whose use
// items record.
func named(bs []Build) bool {
	return slices.ContainsFunc(bs, func(b Build) bool { return b.Name != "" })
}

// soupComponents returns the SOUP components of the builds (third-party
// modules and the standard library; never first-party modules) by
// module, each with the configurations using it. In modules mode,
// modules only tests need (scope optional) count only with
// policy.test_dependencies. A module built at different versions by
// different configurations is recorded at the first configuration's.
func soupComponents(bs []Build, pol Policy) map[string]used {
	m := map[string]used{}
	for _, b := range bs {
		inv := b.Inventory
		if inv == nil {
			continue
		}
		for i := range inv.Components {
			c := &inv.Components[i]
			if c.Kind != inventory.Module && c.Kind != inventory.Stdlib {
				continue
			}
			if inv.Mode == inventory.Modules && c.Scope == inventory.Optional && !pol.TestDependencies {
				continue
			}
			mod, v := c.Built()
			u, seen := m[mod]
			if !seen {
				u = used{c: c, version: v}
				if c.Replace != nil && c.Replace.Local {
					u.dir = c.Replace.Path
				}
			}
			if b.Name != "" && !slices.Contains(u.configs, b.Name) {
				u.configs = append(u.configs, b.Name)
			}
			m[mod] = u
		}
	}
	for k, u := range m {
		slices.Sort(u.configs)
		m[k] = u
	}
	return m
}

// Reconcile compares a register with the inventory of a build and reports
// every difference (see FindingKind):
//
//   - every SOUP component of the inventory (third-party Go modules and
//     the standard library; first-party modules are not SOUP) must be
//     declared by an item naming the module built (see
//     inventory.Component.Built: for "replace a => b v1.2.3" the
//     replacement b, for a local-directory replacement the path a with no
//     version);
//   - every Go item must be used by the build, at the declared version
//     (non-Go items, such as an operating system, are declared by hand and
//     never stale);
//   - every item must have the IEC 62304 8.1.2 fields (title,
//     manufacturer, version), an identifier and a safety class or risk
//     level; items of class B or C (or risk medium or high, or without a
//     class) also the 5.3.3 requirements (functional, performance), the
//     5.3.4 required hardware and software, and the 7.1.3 anomaly
//     evaluation (anomaly list, version evaluated, date, evaluator,
//     relevant anomalies, conclusion); with policy.require_fda, every item
//     also its level of support, the date it was assessed, and an
//     end-of-support date or a justification;
//   - no TODO marker may be left in any field;
//   - an anomaly evaluation, when present, must be for the version used
//     and, with policy.evaluation_max_age, no older than that many days.
func Reconcile(reg *Register, inv *inventory.Inventory, opts ReconcileOptions) Report {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)

	bs := builds(inv, opts.Builds)
	comps := soupComponents(bs, reg.Policy)
	rep := Report{Register: reg.File, Items: len(reg.Items), Components: len(comps), Findings: []Finding{}}
	declared := map[string]bool{}
	for i := range reg.Items {
		it := &reg.Items[i]
		// An item's findings are in line order.
		first := len(rep.Findings)
		add := func(kind FindingKind, field, version, format string, args ...any) {
			rep.Findings = append(rep.Findings, Finding{
				Kind: kind, ID: it.ID, Title: it.Title, Module: it.Module, Version: version,
				Field: field, Line: it.FieldLine(field), Reason: fmt.Sprintf(format, args...),
			})
		}
		usedVersion := it.Version
		var u used
		var ok bool
		if it.IsGo() {
			declared[it.Module] = true
			u, ok = comps[it.Module]
			if !ok {
				add(Stale, "module", "", "declared, but the build no longer uses %s (baseline soup sync retires the item)", it.Module)
				continue
			}
			switch {
			case u.dir != "" && it.Directory != "" && it.Directory != u.dir:
				add(VersionDrift, "directory", "", "the register says local directory %s, the build uses %s", it.Directory, u.dir)
			case u.dir == "" && it.Directory != "":
				add(VersionDrift, "directory", u.version, "the register says local directory %s, the build uses %s (8.1.2 c)", it.Directory, u.version)
			}
			if u.version != "" {
				usedVersion = u.version
				if it.Version != "" && !IsTODO(it.Version) && it.Version != u.version {
					add(VersionDrift, "version", u.version, "the register says %s, the build uses %s (8.1.2 c)", it.Version, u.version)
				}
				if it.PURL != "" && !IsTODO(it.PURL) && u.c.PURL != "" && it.PURL != u.c.PURL {
					add(VersionDrift, "purl", u.version, "the register says %s, the build uses %s", it.PURL, u.c.PURL)
				}
			}
		}
		if ok && named(bs) && !slices.Equal(sortedCopy(it.Configurations), u.configs) {
			add(ConfigurationDrift, "configurations", "", "the register says %s, the configurations using it are %s (baseline soup sync records them)",
				listOrNone(it.Configurations), listOrNone(u.configs))
		}
		if ok && it.License != "" && !IsTODO(it.License) {
			if declared, ok := declaredLicense(u.c); ok {
				chosen, err := spdxexpr.Chosen(it.License, declared)
				if err == nil && !chosen && len(u.c.Licenses) > 1 {
					// Several licences detected may be alternatives.
					chosen, err = spdxexpr.Chosen(it.License, strings.Join(u.c.Licenses, " OR "))
				}
				if err == nil && !chosen {
					add(LicenseMismatch, "license", "", "the register concludes %s, the module's licence files declare %s: correct the licence, or record why the conclusion differs in notes and a LicenseRef- (a choice of one branch of an OR is not a mismatch)", it.License, declared)
				}
			}
		}
		for _, m := range missingFields(it, reg.Policy) {
			add(Incomplete, m.field, "", "%s", m.reason)
		}
		for _, t := range it.TODOs() {
			add(Incomplete, t.Field, "", "TODO marker left: %q", t.Text)
		}
		if a := it.AnomalyEvaluation; a != nil {
			if a.VersionEvaluated != "" && !IsTODO(a.VersionEvaluated) && usedVersion != "" && !IsTODO(usedVersion) && a.VersionEvaluated != usedVersion {
				add(EvaluationOutOfDate, "anomaly_evaluation.version_evaluated", usedVersion,
					"the anomaly list was evaluated for %s, the version used is %s: evaluate it again (7.1.3)", a.VersionEvaluated, usedVersion)
			}
			if t, ok := a.Date.Time(); ok {
				days := int(today.Sub(t).Hours() / 24)
				switch {
				case days < 0:
					add(Incomplete, "anomaly_evaluation.date", "", "%s is in the future", a.Date)
				case reg.Policy.EvaluationMaxAge > 0 && days > reg.Policy.EvaluationMaxAge:
					add(EvaluationOutOfDate, "anomaly_evaluation.date", "",
						"evaluated on %s, %d days ago; policy.evaluation_max_age is %d days: evaluate the anomaly list again (7.1.3)",
						a.Date, days, reg.Policy.EvaluationMaxAge)
				}
			}
		}
		rep.Findings = append(rep.Findings, advisoryFindings(it, usedVersion, opts.Advisories)...)
		// In the order of the format's fields, not of lines: an item built
		// in Go has none, and gets the same findings in the same order.
		slices.SortStableFunc(rep.Findings[first:], func(a, b Finding) int { return cmp.Compare(fieldRank(a.Field), fieldRank(b.Field)) })
	}
	for _, mod := range slices.Sorted(maps.Keys(comps)) {
		if declared[mod] {
			continue
		}
		u := comps[mod]
		what := "the build uses it"
		if u.version != "" {
			what = "the build uses " + u.version
		}
		rep.Findings = append(rep.Findings, Finding{
			Kind: Undeclared, Module: mod, Version: u.version,
			Reason: what + ", but no item of the register declares it (baseline soup sync adds it)",
		})
	}
	return rep
}

type missing struct{ field, reason string }

// missingFields returns the required fields an item lacks, for its class
// and the register's policy. TODO markers count as present here: they are
// reported on their own.
func missingFields(it *Item, pol Policy) []missing {
	var out []missing
	need := func(value string, field, what string) {
		if strings.TrimSpace(value) == "" {
			out = append(out, missing{field, "missing: " + what})
		}
	}
	class := it.Class()
	why := fmt.Sprintf(" (required for class %s)", class)
	if it.SafetyClass == "" && it.Risk == "" {
		out = append(out, missing{"safety_class", "missing: the safety class of the software items using it (A, B, C; 4.3) or a risk level (low, medium, high); held to class C rules until given"})
		why = " (required for class C; the item has no class yet)"
	}
	for _, f := range pol.RequiredFields(class) {
		if fieldPresent(it, f) {
			continue
		}
		for _, r := range requirable {
			if r.field == f {
				out = append(out, missing{f, "missing: " + r.what + why})
			}
		}
	}
	if m := strings.ToLower(it.Manufacturer); m == "community" || m == "unknown" {
		need(it.ManufacturerJustification, "manufacturer_justification", fmt.Sprintf("why the manufacturer is %q (8.1.2 b)", it.Manufacturer))
	}
	if pol.RequireFDA {
		var s Support
		if it.Support != nil {
			s = *it.Support
		}
		const fda = " (FDA premarket cybersecurity; policy.require_fda)"
		need(string(s.Level), "support.level", "the level of support: actively-maintained, no-longer-maintained, abandoned or unknown"+fda)
		need(string(s.Assessed), "support.assessed", "the date the level of support was assessed"+fda)
		if strings.TrimSpace(string(s.EndOfSupport)) == "" && strings.TrimSpace(s.EndOfSupportJustification) == "" {
			out = append(out, missing{"support.end_of_support", "missing: the end-of-support date, or end_of_support_justification saying why there is none" + fda})
		}
	}
	return out
}

// subKeys are the keys of an item's sections, in the format's order.
var subKeys = map[string][]string{
	"requirements":       {"functional", "performance"},
	"anomaly_evaluation": {"anomaly_list", "version_evaluated", "date", "evaluator", "relevant_anomalies", "conclusion", "advisories"},
	"support":            {"level", "assessed", "end_of_support", "end_of_support_justification"},
	"verification":       {"reasoning", "last_verified"},
}

// fieldRank orders field paths as the format lists them.
func fieldRank(field string) int {
	top, sub, _ := strings.Cut(field, ".")
	r := slices.Index(itemKeys, top) * 100
	if sub != "" {
		if i := strings.IndexAny(sub, ".["); i >= 0 {
			sub = sub[:i]
		}
		r += 1 + slices.Index(subKeys[top], sub)
	}
	return r
}

// declaredLicense is the licence a module's files declare: the one
// detected, or with several the AND of them (the files alone do not say
// whether they are alternatives: a person who knows they are writes the
// OR, which is then the declared expression's reading too, see below);
// ok is false when nothing usable was detected.
func declaredLicense(c *inventory.Component) (string, bool) {
	if c == nil || len(c.Licenses) == 0 {
		return "", false
	}
	expr := spdxexpr.Join(c.Licenses)
	if spdxexpr.Validate(expr) != nil {
		return "", false
	}
	return expr, true
}

func sortedCopy(s []string) []string { return slices.Sorted(slices.Values(s)) }

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return "[" + strings.Join(s, ", ") + "]"
}
