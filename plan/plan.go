// Package plan renders a product's software configuration management
// plan (IEC 62304 5.1.9) from its baseline.yaml (package product), as a
// Markdown document for the design history file, and checks that
// baseline.yaml says everything the plan needs.
//
// Clause 5.1.9 asks the plan to name:
//
//   - a) the classes, types, categories or lists of items to be
//     controlled, and where each is recorded: the classes of the
//     product's own items (items.yaml), the SOUP items (soup.yaml), the
//     change-control records and the release baselines;
//   - b) the configuration management activities and tasks, with their
//     owners: identification, change control, problem resolution,
//     status accounting, release and archiving;
//   - c) the organisations responsible: the manufacturer, the supplier and
//     the owner of each class;
//   - d) when items are placed under configuration control: each class's
//     controlled_from, and the start of change control;
//   - e) when the problem resolution process is used.
//
// Render writes the plan; Check lists what baseline.yaml leaves out (a
// class without owner, a versioning definition missing, a TODO marker),
// each as a Finding naming the file, line and field. The plan is derived
// from baseline.yaml, so it cannot drift from the settings the tools
// apply: regenerate it ("baseline plan -o docs/cm-plan.md") whenever
// baseline.yaml changes.
package plan

import (
	"fmt"
	"strings"

	"github.com/baseline-cm/baseline/product"
)

// Finding is a field the plan needs that baseline.yaml does not give.
type Finding struct {
	File  string
	Line  int
	Field string
	// Clause is the clause of IEC 62304 asking for it ("5.1.9 c").
	Clause string
	Msg    string
}

func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s (IEC 62304 %s)", f.File, f.Line, f.Field, f.Msg, f.Clause)
	}
	return fmt.Sprintf("%s: %s: %s (IEC 62304 %s)", f.File, f.Field, f.Msg, f.Clause)
}

// Check returns the fields the plan needs that cfg leaves out or leaves
// as a TODO marker, in file order (missing fields at the line of their
// section).
func Check(cfg *product.Config) []Finding {
	var out []Finding
	add := func(field, clause, msg string) {
		line := cfg.Line(field)
		for f := field; line == 0 && f != ""; {
			i := strings.LastIndexByte(f, '.')
			if i < 0 {
				break
			}
			f = f[:i]
			line = cfg.Line(f)
		}
		out = append(out, Finding{File: cfg.File, Line: line, Field: field, Clause: clause, Msg: msg})
	}
	missing := func(s string) bool { return strings.TrimSpace(s) == "" || product.IsTODO(s) }
	if missing(cfg.Product.Manufacturer) {
		add("product.manufacturer", "5.1.9 c", "missing: the organisation responsible for the product")
	}
	if missing(cfg.Versioning.Major) {
		add("versioning.major", "5.1.9 b", "missing: what a major release is")
	}
	if missing(cfg.Versioning.Minor) {
		add("versioning.minor", "5.1.9 b", "missing: what a minor release is")
	}
	if missing(cfg.Versioning.Patch) {
		add("versioning.patch", "5.1.9 b", "missing: what a patch release is")
	}
	if cfg.Line("configurations") == 0 && len(cfg.Configurations) == 0 {
		add("configurations", "5.1.9 a", "missing: the build configurations the product is released for")
	}
	if cfg.Line("items.classes.0") == 0 {
		add("items.classes", "5.1.9 a", "missing: the classes of the product's own configuration items (source, control data, assets, documentation)")
	}
	for i, c := range cfg.Items.Classes {
		field := fmt.Sprintf("items.classes.%d", i)
		if missing(c.Owner) {
			add(field+".owner", "5.1.9 c", fmt.Sprintf("missing: who is responsible for the %s items", c.Name))
		}
		if missing(c.ControlledFrom) {
			add(field+".controlled_from", "5.1.9 d", fmt.Sprintf("missing: when %s items enter configuration control", c.Name))
		}
	}
	if missing(cfg.ChangeControl.Start) {
		add("change_control.start", "5.1.9 d, e", "missing: where change control and the problem resolution process start (a date or a git ref)")
	}
	for _, t := range cfg.TODOs() {
		if !strings.HasPrefix(t.Field, "product.manufacturer") && !strings.HasPrefix(t.Field, "versioning.") &&
			!strings.HasSuffix(t.Field, ".owner") && !strings.HasSuffix(t.Field, ".controlled_from") && t.Field != "change_control.start" {
			out = append(out, Finding{File: cfg.File, Line: t.Line, Field: t.Field, Clause: "5.1.9", Msg: fmt.Sprintf("still a TODO marker (%q)", t.Text)})
		}
	}
	sortFindings(out)
	return out
}

func sortFindings(fs []Finding) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Line < fs[j-1].Line; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// Render returns the plan as Markdown. The same configuration always
// gives the same bytes. Fields baseline.yaml leaves out are rendered as
// "_not defined_" (see Check).
func Render(cfg *product.Config) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	name := or(cfg.Product.Name, "the product")
	w("# Software configuration management plan: %s\n\n", md(name))
	w("This plan (IEC 62304 5.1.9) is generated from `%s` by `baseline plan`; edit that file, not this one, and regenerate the plan when it changes.\n\n", product.DefaultFile)

	w("## 1. Organisations responsible (5.1.9 c)\n\n")
	w("| Role | Organisation |\n|---|---|\n")
	w("| Manufacturer | %s |\n", cell(cfg.Product.Manufacturer))
	w("| Supplier | %s |\n", cell(cfg.Product.Supplier))
	if len(cfg.Product.Authors) > 0 {
		w("| Authors of the SBOM data | %s |\n", cell(strings.Join(cfg.Product.Authors, "; ")))
	}
	for _, c := range cfg.Items.Classes {
		w("| Owner of the %s items | %s |\n", md(c.Name), cell(c.Owner))
	}
	w("\n")

	w("## 2. Configuration items and where they are recorded (5.1.9 a, d)\n\n")
	w("| Class | Kind | What | Recorded in | Owner | Enters configuration control |\n|---|---|---|---|---|---|\n")
	for _, c := range cfg.Items.Classes {
		what := "`" + strings.Join(c.Paths, "`, `") + "`"
		if len(c.Exclude) > 0 {
			what += " except `" + strings.Join(c.Exclude, "`, `") + "`"
		}
		kind := c.Kind
		if kind == "" {
			kind = product.Files
		}
		w("| %s | %s | %s | `items.yaml`; each release's `manifest.json` | %s | %s |\n", md(c.Name), kind, md(what), cell(c.Owner), cell(c.ControlledFrom))
	}
	w("| SOUP | Go modules, the Go runtime, other SOUP and OTS | every SOUP item the build uses | `soup.yaml`; each release's `manifest.json` and SBOMs | as the items using it | when the build first uses it (`baseline soup check` in CI) |\n")
	w("\nEach item has an identifier for life (package ident): identifiers are never reused, and an item that leaves the product is retired. The change-control records (section 4) and the release archive are records, not configuration items.\n\n")
	w("Build configurations released:\n\n")
	if len(cfg.Configurations) == 0 {
		w("- _not defined_ (the go command's defaults)\n")
	}
	for _, c := range cfg.Configurations {
		w("- %s: %s\n", md(c.Name), md(describeConfig(c)))
	}
	w("\n")

	w("## 3. Identification and versioning\n\n")
	w("Versions are %s. Release types:\n\n", scheme(cfg.Versioning.Scheme))
	w("| Release type | Definition | New regulatory submission |\n|---|---|---|\n")
	for _, t := range []struct{ name, def string }{{"major", cfg.Versioning.Major}, {"minor", cfg.Versioning.Minor}, {"patch", cfg.Versioning.Patch}} {
		w("| %s | %s | %s |\n", t.name, cell(t.def), yesNo(submits(cfg.Versioning.Submission, t.name)))
	}
	w("\n| Record | Identifiers | Location |\n|---|---|---|\n")
	w("| Own configuration items | %s | `items.yaml` |\n", cfg.Items.IDs.Format(1))
	w("| SOUP items | the register's scheme | `soup.yaml` |\n")
	w("| Change requests | %s | `%s/` |\n", cfg.ChangeControl.IDs.Format(1), cfg.Records.ChangeRequests)
	w("| Problem reports | %s | `%s/` |\n", cfg.ChangeControl.ProblemIDs.Format(1), cfg.Records.ProblemReports)
	w("| Residual anomalies | %s | `%s/` |\n", cfg.ChangeControl.AnomalyIDs.Format(1), cfg.Records.Anomalies)
	w("| Baselines (releases) | `%s` | `%s/<version>/manifest.json` |\n\n", cfg.BaselineID, cfg.Archive)

	w("## 4. Activities and owners (5.1.9 b)\n\n")
	owner := cell(cfg.Product.Manufacturer)
	classOwners := owner
	if owners := distinctOwners(cfg); owners != "" {
		classOwners = md(owners)
	}
	w("| Activity | How | Records | Owner |\n|---|---|---|---|\n")
	w("| Identification of own items (8.1.1) | `baseline items sync`; `baseline items check` in CI | `items.yaml` | %s |\n", classOwners)
	w("| Identification of SOUP (8.1.2) | `baseline soup sync`; `baseline soup check` in CI | `soup.yaml` | %s |\n", owner)
	w("| Change control (8.2) | change request, approval, implementation, verification, release; `baseline change check` in CI | `%s/` | %s |\n", cfg.Records.ChangeRequests, owner)
	w("| Problem resolution (9) | problem reports, each resolved by a change request or closed with a reason | `%s/` | %s |\n", cfg.Records.ProblemReports, owner)
	w("| Status accounting (8.3) | `baseline release`, `baseline history`, `baseline diff` | `%s/` | %s |\n", cfg.Archive, owner)
	w("| Release and archiving (5.8) | `baseline release`, `baseline sign`; residual anomalies evaluated | `%s/<version>/`, `%s/` | %s |\n\n", cfg.Archive, cfg.Records.Anomalies, owner)

	w("Change control. Every change to a configuration item follows a change request (a plan: rationale, scope, impact analysis, activities, verification) through these states: initiated, approved (or rejected), implemented, verified; it is released when an archived release lists it. ")
	w("A commit names the change request it implements with the trailer `%s: %s`. ", cfg.ChangeControl.Trailer, cfg.ChangeControl.IDs.Format(12))
	w("`baseline change check` reports every change since the last baseline made without an approved change request, outside the request's listed items, or not verified, and `baseline release` refuses a release with such findings. Each release type may hold these kinds of change:\n\n")
	w("| Release type | Changes allowed |\n|---|---|\n")
	w("| major | %s |\n| minor | %s |\n| patch | %s |\n\n", kinds(cfg.ChangeControl.ReleasePolicy.Major), kinds(cfg.ChangeControl.ReleasePolicy.Minor), kinds(cfg.ChangeControl.ReleasePolicy.Patch))

	w("## 5. When control and problem resolution apply (5.1.9 d, e)\n\n")
	if s := cfg.ChangeControl.Start; s != "" && !product.IsTODO(s) {
		w("Change control applies to every commit from %s on; history before it is not checked.\n\n", md(s))
	} else {
		w("Start of change control: _not defined_ (change control starts with the first release).\n\n")
	}
	w("The problem resolution process (IEC 62304 clause 9) is used for every problem found in a configuration item that is under configuration control, from the time the item enters control (section 2) on: in verification, in review, in the field, and in a SOUP item's published anomaly list. Each problem is recorded as a problem report (`%s/`), classified by type, scope and criticality, and resolved by a change request or closed with the reason no change is needed. Known anomalies a release ships with are recorded as residual anomalies (`%s/`) with the evaluation that they do not contribute to an unacceptable risk.\n\n", cfg.Records.ProblemReports, cfg.Records.Anomalies)
	w("Approvals in change requests are workflow records, not electronic signatures. Releases are approved by signatures on the release manifest (`baseline sign`) that carry the signer's printed name, the time and the meaning (%s), as 21 CFR 11.50 asks.\n", strings.Join(cfg.Signing.AllMeanings(), ", "))
	return []byte(b.String())
}

func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// cell is a table cell for a value baseline.yaml may leave out.
func cell(s string) string {
	if strings.TrimSpace(s) == "" || product.IsTODO(s) {
		return "_not defined_"
	}
	return md(s)
}

// md escapes text for a Markdown table cell.
func md(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}

func scheme(s string) string {
	if s == product.SemVer || s == "" {
		return "semantic versions (major.minor.patch)"
	}
	return s
}

func submits(from, typ string) bool {
	order := map[string]int{"major": 3, "minor": 2, "patch": 1}
	if from == "none" {
		return false
	}
	if from == "" {
		from = "major"
	}
	return order[typ] >= order[from]
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func kinds(ks []string) string {
	if len(ks) == 0 {
		return "none"
	}
	return strings.Join(ks, ", ")
}

func distinctOwners(cfg *product.Config) string {
	var out []string
	for _, c := range cfg.Items.Classes {
		o := strings.TrimSpace(c.Owner)
		if o == "" || product.IsTODO(o) {
			continue
		}
		dup := false
		for _, x := range out {
			dup = dup || x == o
		}
		if !dup {
			out = append(out, o)
		}
	}
	return strings.Join(out, "; ")
}

func describeConfig(c product.Configuration) string {
	var parts []string
	if c.GOOS != "" || c.GOARCH != "" {
		parts = append(parts, or(c.GOOS, "default")+"/"+or(c.GOARCH, "default"))
	}
	if c.CGOEnabled != nil {
		if *c.CGOEnabled {
			parts = append(parts, "CGO_ENABLED=1")
		} else {
			parts = append(parts, "CGO_ENABLED=0")
		}
	}
	if len(c.Tags) > 0 {
		parts = append(parts, "tags "+strings.Join(c.Tags, ","))
	}
	if len(c.Patterns) > 0 {
		parts = append(parts, "packages "+strings.Join(c.Patterns, " "))
	}
	if len(c.Flags) > 0 {
		parts = append(parts, "flags "+strings.Join(c.Flags, " "))
	}
	if len(parts) == 0 {
		return "the go command's defaults"
	}
	return strings.Join(parts, "; ")
}
