package anomaly

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// Statement is what is known about one advisory for one SOUP component of
// the product: the database's facts, govulncheck's evidence, and the
// register's conclusion. A VEX document asserts only what a statement
// holds; an advisory nobody has concluded on is in triage.
type Statement struct {
	// Advisory is the advisory; with a scan, as the database and
	// govulncheck give it; without, only its ID and the evidence the
	// register records.
	Advisory Advisory
	// Component is the inventory component the advisory affects.
	Component *inventory.Component
	// Item is the component's register item, nil when it has none.
	Item *soup.Item
	// Evaluation is the item's entry for the advisory, nil when the
	// advisory is not evaluated for the version used (the item's version
	// and its anomaly_evaluation.version_evaluated). Concluded says
	// whether the entry is complete.
	Evaluation *soup.Advisory
	// Note says why an entry of the register does not count (it was
	// made for another version), empty otherwise.
	Note string
}

// Concluded reports whether the register concludes on the advisory.
func (s *Statement) Concluded() bool { return s.Evaluation != nil && s.Evaluation.Evaluated() }

// Statements joins a scan's advisories with the register's conclusions,
// for the SOUP components of inv (both may be nil):
//
//   - with a result, one statement per advisory that affects a version
//     the build uses, with the register's entry for it when the item is
//     at that version and its anomaly evaluation was made for it
//     (anomaly_evaluation.version_evaluated; else Note says why not);
//   - without one, one statement per advisory the register lists for an
//     item the build uses, with the evidence the register records.
//
// Statements are sorted by module and advisory ID.
func Statements(reg *soup.Register, inv *inventory.Inventory, res *Result) []Statement {
	items := map[string]*soup.Item{}
	if reg != nil {
		for i := range reg.Items {
			if it := &reg.Items[i]; it.IsGo() {
				if _, dup := items[it.Module]; !dup {
					items[it.Module] = it
				}
			}
		}
	}
	comps := map[string]*inventory.Component{}
	if inv != nil {
		for i := range inv.Components {
			c := &inv.Components[i]
			if c.Kind == inventory.Module || c.Kind == inventory.Stdlib {
				m, _ := c.Built()
				comps[m] = c
			}
		}
	}
	entry := func(it *soup.Item, id string) *soup.Advisory {
		if it == nil || it.AnomalyEvaluation == nil {
			return nil
		}
		for i := range it.AnomalyEvaluation.Advisories {
			if a := &it.AnomalyEvaluation.Advisories[i]; a.ID == id {
				return a
			}
		}
		return nil
	}
	var out []Statement
	add := func(a Advisory, c *inventory.Component) {
		s := Statement{Advisory: a, Component: c, Item: items[a.Module]}
		if e := entry(s.Item, a.ID); e != nil {
			// The conclusion is of the version the anomaly list was
			// evaluated for, when the register names it (soup check
			// compares it with the version used): soup sync moves the
			// item's version to the one used on an upgrade, and leaves
			// version_evaluated to the evaluator.
			switch evaluated := s.Item.AnomalyEvaluation.VersionEvaluated; {
			case s.Item.Version != a.Version:
				s.Note = fmt.Sprintf("the register's conclusion was made for %s, not %s", s.Item.Version, a.Version)
			case soup.IsTODO(evaluated):
				s.Note = fmt.Sprintf("the register's anomaly_evaluation.version_evaluated is %q, so its conclusion is not known to be of %s", evaluated, a.Version)
			case evaluated != "" && evaluated != a.Version:
				s.Note = fmt.Sprintf("the register's conclusion was made for %s (version_evaluated), not %s", evaluated, a.Version)
			default:
				s.Evaluation = e
			}
		}
		out = append(out, s)
	}
	if res != nil {
		for _, a := range res.Advisories {
			c := comps[a.Module]
			if c == nil {
				continue // outside the inventory's components
			}
			add(a, c)
		}
	} else {
		for mod, c := range comps {
			it := items[mod]
			if it == nil || it.AnomalyEvaluation == nil {
				continue
			}
			_, v := c.Built()
			for _, e := range it.AnomalyEvaluation.Advisories {
				add(Advisory{ID: e.ID, Module: mod, Version: v, Evidence: e.Evidence}, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b Statement) int {
		return cmp.Or(cmp.Compare(a.Advisory.Module, b.Advisory.Module), cmp.Compare(a.Advisory.ID, b.Advisory.ID))
	})
	return out
}

// CycloneDXJustification maps a register justification onto CycloneDX's
// analysis.justification (one to one; see soup.Justification).
func CycloneDXJustification(j soup.Justification) cdx.ImpactAnalysisJustification {
	switch j {
	case soup.ComponentNotPresent:
		return cdx.IAJRequiresDependency
	case soup.VulnerableCodeNotPresent:
		return cdx.IAJCodeNotPresent
	case soup.VulnerableCodeNotInExecutePath:
		return cdx.IAJCodeNotReachable
	case soup.VulnerableCodeCannotBeControlledByAdversary:
		return cdx.IAJRequiresEnvironment
	case soup.InlineMitigationsAlreadyExist:
		return cdx.IAJProtectedByMitigatingControl
	}
	return ""
}

// OpenVEXJustification maps a register justification onto OpenVEX's
// justification (one to one; see soup.Justification).
func OpenVEXJustification(j soup.Justification) string {
	if slices.Contains(soup.Justifications(), j) {
		return strings.ReplaceAll(string(j), "-", "_")
	}
	return ""
}

// EvidenceText describes govulncheck's evidence in a sentence:
// "govulncheck: symbol reached: main.main -> parse.Parse".
func (a *Advisory) EvidenceText() string {
	switch a.Evidence {
	case soup.SymbolReached:
		var path []string
		for _, f := range a.CallPath {
			path = append(path, f.Symbol())
		}
		if len(path) == 0 {
			return "govulncheck: a vulnerable symbol is reached"
		}
		return "govulncheck: symbol reached: " + strings.Join(path, " -> ")
	case soup.PackageImported:
		return "govulncheck: package " + cmp.Or(a.Package, "?") + " imported, no vulnerable symbol reached"
	case soup.ModuleRequired:
		return "govulncheck: module required, no vulnerable package imported"
	}
	return ""
}

// detail is the statement's account: the conclusion's reasoning and the
// evidence it rests on.
func (s *Statement) detail() string {
	var parts []string
	if e := s.Evaluation; e != nil && s.Concluded() {
		if e.Assessment != "" {
			parts = append(parts, "Assessment: "+e.Assessment)
		}
		if e.Action != "" {
			parts = append(parts, "Action: "+e.Action)
		}
	} else {
		why := "Not evaluated yet (in triage)"
		if s.Note != "" {
			why += ": " + s.Note
		}
		parts = append(parts, why+".")
	}
	if ev := s.Advisory.EvidenceText(); ev != "" {
		parts = append(parts, ev+".")
	}
	if s.Item != nil && s.Item.ID != "" {
		parts = append(parts, "Register: "+s.Item.ID+" anomaly_evaluation.advisories.")
	}
	return strings.Join(parts, " ")
}

// Property names of the CycloneDX vulnerabilities and metadata.
const (
	EvidenceProperty       = "baseline:govulncheck:evidence"
	CallPathProperty       = "baseline:govulncheck:call-path"
	VulnDBURLProperty      = "baseline:vulndb:url"
	VulnDBModifiedProperty = "baseline:vulndb:last-modified"
	RegisterItemProperty   = "baseline:soup:id"
)

// DatabaseProperties are the CycloneDX properties recording the database
// (for the BOM's metadata): its URL when it is not local, and always its
// last-modified time.
func DatabaseProperties(db Database) []cdx.Property {
	var p []cdx.Property
	if db.URL != "" {
		p = append(p, cdx.Property{Name: VulnDBURLProperty, Value: db.URL})
	}
	mod := "unknown"
	if !db.LastModified.IsZero() {
		mod = db.LastModified.UTC().Format(time.RFC3339)
	}
	return append(p, cdx.Property{Name: VulnDBModifiedProperty, Value: mod})
}

func aliasReference(id string) cdx.VulnerabilityReference {
	switch {
	case strings.HasPrefix(id, "CVE-"):
		return cdx.VulnerabilityReference{ID: id, Source: &cdx.Source{Name: "NVD", URL: "https://nvd.nist.gov/vuln/detail/" + id}}
	case strings.HasPrefix(id, "GHSA-"):
		return cdx.VulnerabilityReference{ID: id, Source: &cdx.Source{Name: "GitHub Advisory Database", URL: "https://github.com/advisories/" + id}}
	}
	return cdx.VulnerabilityReference{ID: id}
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// CycloneDXVulnerabilities returns the statements as CycloneDX
// vulnerabilities, each affecting the bom-ref ref returns for its
// component (sbom.BOMRef gives the one baseline's SBOMs use):
// analysis.state not_affected (with the justification) or exploitable
// from the register's conclusion, in_triage for an advisory not
// concluded; analysis.detail carries the assessment, action and
// govulncheck's evidence.
func CycloneDXVulnerabilities(stmts []Statement, ref func(*inventory.Component) string) []cdx.Vulnerability {
	out := make([]cdx.Vulnerability, 0, len(stmts))
	for i := range stmts {
		s := &stmts[i]
		a := &s.Advisory
		v := cdx.Vulnerability{
			ID:          a.ID,
			Source:      &cdx.Source{Name: "Go Vulnerability Database", URL: cmp.Or(a.URL, "https://pkg.go.dev/vuln/"+a.ID)},
			Description: a.Summary,
			Published:   rfc3339(a.Published),
			Updated:     rfc3339(a.Modified),
			Affects:     &[]cdx.Affects{{Ref: ref(s.Component)}},
		}
		if len(a.Aliases) > 0 {
			refs := make([]cdx.VulnerabilityReference, len(a.Aliases))
			for i, al := range a.Aliases {
				refs[i] = aliasReference(al)
			}
			v.References = &refs
		}
		if a.FixedVersion != "" {
			v.Recommendation = "Fixed in " + a.Module + " " + a.FixedVersion + "."
		}
		an := &cdx.VulnerabilityAnalysis{State: cdx.IASInTriage, Detail: s.detail()}
		if s.Concluded() {
			switch s.Evaluation.Conclusion {
			case soup.NotRelevant:
				an.State = cdx.IASNotAffected
				an.Justification = CycloneDXJustification(s.Evaluation.Justification)
			case soup.Relevant:
				an.State = cdx.IASExploitable
			}
		}
		v.Analysis = an
		var props []cdx.Property
		if a.Evidence != "" {
			props = append(props, cdx.Property{Name: EvidenceProperty, Value: string(a.Evidence)})
		}
		if len(a.CallPath) > 0 {
			var path []string
			for _, f := range a.CallPath {
				path = append(path, f.Symbol())
			}
			props = append(props, cdx.Property{Name: CallPathProperty, Value: strings.Join(path, " -> ")})
		}
		if s.Item != nil && s.Item.ID != "" {
			props = append(props, cdx.Property{Name: RegisterItemProperty, Value: s.Item.ID})
		}
		if len(props) > 0 {
			v.Properties = &props
		}
		out = append(out, v)
	}
	return out
}

// The OpenVEX document (specification v0.2.0, https://openvex.dev),
// encoded from its documented JSON: github.com/openvex/go-vex would
// bring protobuf, in-toto attestations and a second YAML library into the
// product for these few fields (govulncheck's own OpenVEX output is
// plain structs too).

// OpenVEXContext is the JSON-LD context of the documents written.
const OpenVEXContext = "https://openvex.dev/ns/v0.2.0"

// The OpenVEX statuses.
const (
	OpenVEXNotAffected        = "not_affected"
	OpenVEXAffected           = "affected"
	OpenVEXFixed              = "fixed"
	OpenVEXUnderInvestigation = "under_investigation"
)

// OpenVEXDocument is an OpenVEX document.
type OpenVEXDocument struct {
	Context    string             `json:"@context"`
	ID         string             `json:"@id"`
	Author     string             `json:"author"`
	Role       string             `json:"role,omitempty"`
	Timestamp  string             `json:"timestamp"`
	Version    int                `json:"version"`
	Tooling    string             `json:"tooling,omitempty"`
	Statements []OpenVEXStatement `json:"statements"`
}

// OpenVEXStatement is one statement of an OpenVEX document.
type OpenVEXStatement struct {
	Vulnerability   OpenVEXVulnerability `json:"vulnerability"`
	Timestamp       string               `json:"timestamp,omitempty"`
	Products        []OpenVEXProduct     `json:"products"`
	Status          string               `json:"status"`
	StatusNotes     string               `json:"status_notes,omitempty"`
	Justification   string               `json:"justification,omitempty"`
	ImpactStatement string               `json:"impact_statement,omitempty"`
	ActionStatement string               `json:"action_statement,omitempty"`
}

// OpenVEXVulnerability names a vulnerability.
type OpenVEXVulnerability struct {
	ID          string   `json:"@id,omitempty"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
}

// OpenVEXProduct is a product and the subcomponents a statement is about.
type OpenVEXProduct struct {
	ID            string                `json:"@id"`
	Subcomponents []OpenVEXSubcomponent `json:"subcomponents,omitempty"`
}

// OpenVEXSubcomponent is a subcomponent of a product.
type OpenVEXSubcomponent struct {
	ID string `json:"@id"`
}

// OpenVEXOptions describe the OpenVEX document.
type OpenVEXOptions struct {
	// Product is the product's package URL (the statements' product;
	// the SOUP components are its subcomponents).
	Product string
	// Author is the document's author (OpenVEX requires one).
	Author string
	// Timestamp is the document's time (required: with SOURCE_DATE_EPOCH
	// the same inputs give the same bytes).
	Timestamp time.Time
	// Tooling names the tools that made the document.
	Tooling string
	// Database is the database the advisories come from, recorded in the
	// document's tooling; nil when none was used.
	Database *Database
}

// OpenVEX returns the statements as an OpenVEX document: status
// not_affected (with the justification, and the assessment as impact
// statement) or affected (with the action as action statement) from the
// register's conclusion, under_investigation for an advisory not
// concluded; the status notes carry govulncheck's evidence. A statement's
// timestamp is the date of its item's anomaly evaluation when it has one.
// The document's @id is derived from its content, so the same statements
// give the same document.
func OpenVEX(stmts []Statement, opts OpenVEXOptions) (*OpenVEXDocument, error) {
	if opts.Timestamp.IsZero() {
		return nil, fmt.Errorf("OpenVEX: no timestamp")
	}
	if opts.Product == "" {
		return nil, fmt.Errorf("OpenVEX: no product")
	}
	if opts.Author == "" {
		return nil, fmt.Errorf("OpenVEX: no author")
	}
	tooling := opts.Tooling
	if opts.Database != nil {
		if tooling != "" {
			tooling += "; "
		}
		tooling += "vulnerability database " + opts.Database.String()
	}
	doc := &OpenVEXDocument{
		Context:    OpenVEXContext,
		Author:     opts.Author,
		Timestamp:  opts.Timestamp.UTC().Format(time.RFC3339),
		Version:    1,
		Tooling:    tooling,
		Statements: []OpenVEXStatement{},
	}
	for i := range stmts {
		s := &stmts[i]
		a := &s.Advisory
		st := OpenVEXStatement{
			Vulnerability: OpenVEXVulnerability{
				ID:          cmp.Or(a.URL, "https://pkg.go.dev/vuln/"+a.ID),
				Name:        a.ID,
				Description: a.Summary,
				Aliases:     a.Aliases,
			},
			Products: []OpenVEXProduct{{
				ID:            opts.Product,
				Subcomponents: []OpenVEXSubcomponent{{ID: s.Component.PURL}},
			}},
			Status: OpenVEXUnderInvestigation,
		}
		notes := a.EvidenceText()
		if s.Concluded() {
			e := s.Evaluation
			if t, ok := s.Item.AnomalyEvaluation.Date.Time(); ok {
				st.Timestamp = t.UTC().Format(time.RFC3339)
			}
			switch e.Conclusion {
			case soup.NotRelevant:
				st.Status = OpenVEXNotAffected
				st.Justification = OpenVEXJustification(e.Justification)
				st.ImpactStatement = e.Assessment
			case soup.Relevant:
				st.Status = OpenVEXAffected
				st.ActionStatement = e.Action
				notes = strings.TrimSpace("Assessment: " + e.Assessment + " " + notes)
			}
		} else if s.Note != "" {
			notes = strings.TrimSpace("Not evaluated: " + s.Note + ". " + notes)
		}
		st.StatusNotes = notes
		doc.Statements = append(doc.Statements, st)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	doc.ID = "https://openvex.dev/docs/public/vex-" + hex.EncodeToString(sum[:])
	return doc, nil
}

// EncodeOpenVEX writes an OpenVEX document as indented JSON.
func EncodeOpenVEX(w io.Writer, doc *OpenVEXDocument) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
