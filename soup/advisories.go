package soup

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/baseline-cm/baseline/internal/yamledit"
)

// This file holds the register's record of the advisories of a SOUP
// item's published anomaly list (7.1.3): anomaly_evaluation.advisories.

// Evidence is how far a product's code gets to the code an advisory
// names, as govulncheck reports it (package anomaly looks it up). It
// informs a conclusion; it never is one.
type Evidence string

// The evidence levels, strongest first.
const (
	// SymbolReached: a vulnerable symbol is reachable from the product's
	// code (govulncheck found a call path).
	SymbolReached Evidence = "symbol-reached"
	// PackageImported: the vulnerable package is built into the product,
	// but no vulnerable symbol is reachable.
	PackageImported Evidence = "package-imported"
	// ModuleRequired: the module is used at an affected version, but no
	// vulnerable package of it is built into the product.
	ModuleRequired Evidence = "module-required"
)

var evidenceLevels = [...]Evidence{SymbolReached, PackageImported, ModuleRequired}

// EvidenceLevels returns the evidence levels, strongest first.
func EvidenceLevels() []Evidence { return slices.Clone(evidenceLevels[:]) }

// Rank orders evidence by strength: 3 for SymbolReached, 2 for
// PackageImported, 1 for ModuleRequired, 0 for anything else (none).
func (e Evidence) Rank() int {
	if i := slices.Index(evidenceLevels[:], e); i >= 0 {
		return len(evidenceLevels) - i
	}
	return 0
}

// Conclusion is the evaluator's conclusion on one advisory.
type Conclusion string

// The conclusions.
const (
	// NotRelevant: the advisory does not apply to the product; the
	// Justification says why.
	NotRelevant Conclusion = "not-relevant"
	// Relevant: the advisory applies; Assessment is the hazard assessment
	// and Action what is done about it.
	Relevant Conclusion = "relevant"
)

// Justification is why an advisory is not relevant. The set is fixed and
// maps one to one onto OpenVEX's justification and CycloneDX's
// analysis.justification (package anomaly writes both):
//
//	justification                       OpenVEX                                             CycloneDX
//	component-not-present               component_not_present                               requires_dependency
//	vulnerable-code-not-present         vulnerable_code_not_present                         code_not_present
//	vulnerable-code-not-in-execute-path vulnerable_code_not_in_execute_path                 code_not_reachable
//	vulnerable-code-cannot-be-controlled-by-adversary  vulnerable_code_cannot_be_controlled_by_adversary  requires_environment
//	inline-mitigations-already-exist    inline_mitigations_already_exist                    protected_by_mitigating_control
type Justification string

// The justifications.
const (
	ComponentNotPresent                         Justification = "component-not-present"
	VulnerableCodeNotPresent                    Justification = "vulnerable-code-not-present"
	VulnerableCodeNotInExecutePath              Justification = "vulnerable-code-not-in-execute-path"
	VulnerableCodeCannotBeControlledByAdversary Justification = "vulnerable-code-cannot-be-controlled-by-adversary"
	InlineMitigationsAlreadyExist               Justification = "inline-mitigations-already-exist"
)

var justifications = [...]Justification{
	ComponentNotPresent, VulnerableCodeNotPresent, VulnerableCodeNotInExecutePath,
	VulnerableCodeCannotBeControlledByAdversary, InlineMitigationsAlreadyExist,
}

// Justifications returns the justifications.
func Justifications() []Justification { return slices.Clone(justifications[:]) }

// Advisory is the evaluation of one advisory of an item's published
// anomaly list (anomaly_evaluation.advisories).
type Advisory struct {
	// ID is the advisory's identifier in the database ("GO-2024-1234").
	ID string `json:"id"`
	// Evidence is govulncheck's evidence when the advisory was added or
	// last confirmed.
	Evidence Evidence `json:"evidence,omitempty"`
	// Conclusion is the evaluator's: relevant or not-relevant (or a TODO
	// marker while unevaluated).
	Conclusion Conclusion `json:"conclusion"`
	// Justification says why a not-relevant advisory does not apply.
	Justification Justification `json:"justification,omitempty"`
	// Assessment is the hazard assessment: for a relevant advisory, how it
	// could contribute to a hazardous situation; for a not-relevant one,
	// optionally the reasoning behind the justification.
	Assessment string `json:"assessment,omitempty"`
	// Action is what is done about a relevant advisory (upgrade, change
	// request, mitigation).
	Action string `json:"action,omitempty"`
	// Line is the advisory's line in the register.
	Line int `json:"-"`
}

// Evaluated reports whether the advisory has a complete conclusion: one
// of the two, with what it needs (a justification for not-relevant; an
// assessment and an action for relevant), none left blank or a TODO
// marker. An entry that is not (soup check reports it incomplete)
// concludes nothing: VEX and release notes give it as in triage.
func (a *Advisory) Evaluated() bool {
	given := func(s string) bool { return strings.TrimSpace(s) != "" && !IsTODO(s) }
	switch a.Conclusion {
	case NotRelevant:
		return given(string(a.Justification)) && (a.Assessment == "" || !IsTODO(a.Assessment))
	case Relevant:
		return given(a.Assessment) && given(a.Action) && !IsTODO(string(a.Justification))
	}
	return false
}

// KnownAdvisory is an advisory of the vulnerability database that affects
// a SOUP item's module at the version the build uses, as package anomaly
// looks it up: what check and sync compare the register with.
type KnownAdvisory struct {
	ID      string
	Module  string
	Version string
	// Evidence is govulncheck's evidence for the product.
	Evidence     Evidence
	Summary      string
	FixedVersion string
}

// UnevaluatedAnomaly: an advisory of the vulnerability database affects
// the version of the item the build uses, and the item's
// anomaly_evaluation.advisories does not list it (7.1.3).
const UnevaluatedAnomaly FindingKind = "unevaluated-anomaly"

// AdvisoryAdded: sync listed an advisory in an item's
// anomaly_evaluation.advisories, with a TODO conclusion.
const AdvisoryAdded ChangeKind = "advisory-added"

// advisoryField is the field path of one advisory's key.
func advisoryField(id, key string) string {
	return "anomaly_evaluation.advisories[" + id + "]." + key
}

var advisoryKeys = []string{"id", "evidence", "conclusion", "justification", "assessment", "action"}

// advisories reads anomaly_evaluation.advisories: a list of mappings.
func (p *parser) advisories(it *Item, f map[string]entry) []Advisory {
	const field = "anomaly_evaluation.advisories"
	e, ok := f[field]
	if !ok || !e.present() {
		return nil
	}
	if e.val.Kind != yaml.SequenceNode {
		p.errorf(e.val.Line, field, "want a list of advisories ({id, evidence, conclusion, ...}), found %s", describe(e.val))
		return nil
	}
	out := []Advisory{}
	seen := map[string]int{}
	for i, n := range e.val.Content {
		at := fmt.Sprintf("%s[%d]", field, i)
		g, ok := p.fields(n, at, advisoryKeys...)
		if !ok {
			continue
		}
		a := Advisory{Line: n.Line}
		id, ok := g["id"]
		if !ok || !id.present() {
			p.errorf(n.Line, at+".id", "missing: the advisory's identifier in the vulnerability database (GO-YYYY-NNNN)")
			continue
		}
		if a.ID, ok = p.scalar(id, at+".id"); !ok {
			continue
		}
		if strings.ContainsAny(a.ID, " \t\n[]") || IsTODO(a.ID) {
			p.errorf(id.val.Line, at+".id", "%q is not an advisory identifier (GO-YYYY-NNNN)", a.ID)
			continue
		}
		if first, dup := seen[a.ID]; dup {
			p.errorf(n.Line, field, "%s is listed twice (first at line %d)", a.ID, first)
			continue
		}
		seen[a.ID] = n.Line
		sub := map[string]entry{}
		for k, v := range g {
			path := advisoryField(a.ID, k)
			sub[path] = v
			if v.present() {
				it.Lines[path] = v.key.Line
			}
		}
		var evidence []string
		for _, ev := range evidenceLevels {
			evidence = append(evidence, string(ev))
		}
		var justs []string
		for _, j := range justifications {
			justs = append(justs, string(j))
		}
		a.Evidence = Evidence(p.enum(it, sub, advisoryField(a.ID, "evidence"), evidence...))
		a.Conclusion = Conclusion(p.enum(it, sub, advisoryField(a.ID, "conclusion"), string(Relevant), string(NotRelevant)))
		a.Justification = Justification(p.enum(it, sub, advisoryField(a.ID, "justification"), justs...))
		a.Assessment = p.text(it, sub, advisoryField(a.ID, "assessment"))
		a.Action = p.text(it, sub, advisoryField(a.ID, "action"))
		if a.Conclusion == Relevant && a.Justification != "" && !IsTODO(string(a.Justification)) {
			p.errorf(it.FieldLine(advisoryField(a.ID, "justification")), advisoryField(a.ID, "justification"),
				"a relevant advisory has no justification (that says why one is not relevant); give assessment and action")
		}
		out = append(out, a)
	}
	return out
}

// advisoryFindings are the findings about an item's advisories: every
// known advisory affecting the version used must be listed, and every
// listed one concluded completely.
func advisoryFindings(it *Item, usedVersion string, known []KnownAdvisory) []Finding {
	var out []Finding
	add := func(kind FindingKind, field string, line int, format string, args ...any) {
		out = append(out, Finding{
			Kind: kind, ID: it.ID, Title: it.Title, Module: it.Module, Version: usedVersion,
			Field: field, Line: line, Reason: fmt.Sprintf(format, args...),
		})
	}
	listed := map[string]bool{}
	if ae := it.AnomalyEvaluation; ae != nil {
		for _, a := range ae.Advisories {
			listed[a.ID] = true
			need := func(key, value, what string) {
				if strings.TrimSpace(value) == "" {
					f := advisoryField(a.ID, key)
					line, ok := it.Lines[f]
					if !ok {
						line = a.Line
					}
					add(Incomplete, f, line, "missing: %s", what)
				}
			}
			switch a.Conclusion {
			case "":
				need("conclusion", "", "the conclusion: relevant or not-relevant (7.1.3)")
			case NotRelevant:
				need("justification", string(a.Justification), "why the advisory is not relevant: "+joinJustifications())
			case Relevant:
				need("assessment", a.Assessment, "the hazard assessment of a relevant advisory (7.1.3, 5.8.3)")
				need("action", a.Action, "what is done about a relevant advisory (upgrade, change request, mitigation)")
			}
		}
	}
	if !it.IsGo() || usedVersion == "" || IsTODO(usedVersion) {
		return out
	}
	line := it.FieldLine("anomaly_evaluation.advisories")
	for _, k := range known {
		if k.Module != it.Module || k.Version != usedVersion || listed[k.ID] {
			continue
		}
		listed[k.ID] = true
		detail := string(k.Evidence)
		if k.FixedVersion != "" {
			detail += ", fixed in " + k.FixedVersion
		}
		add(UnevaluatedAnomaly, "anomaly_evaluation.advisories", line,
			"%s (%s) affects %s and is not evaluated: %s (baseline soup sync --vulndb adds it)", k.ID, detail, usedVersion, oneLine(k.Summary))
	}
	return out
}

func joinJustifications() string {
	s := make([]string, len(justifications))
	for i, j := range justifications {
		s[i] = string(j)
	}
	return strings.Join(s, ", ")
}

// advisoryNode is the register entry sync writes for a known advisory:
// the evidence pre-filled, the conclusion to do.
func advisoryNode(k KnownAdvisory) *yaml.Node {
	id := yamledit.Str(k.ID)
	note := oneLine(k.Summary)
	if k.FixedVersion != "" {
		note += " (fixed in " + k.FixedVersion + ")"
	}
	if note != "" {
		id.LineComment = "# " + note
	}
	concl := yamledit.Str("TODO")
	concl.LineComment = "# relevant (assessment, action) or not-relevant (justification)"
	return yamledit.Map(yamledit.Str("id"), id, yamledit.Str("evidence"), yamledit.Str(string(k.Evidence)), yamledit.Str("conclusion"), concl)
}

// missingAdvisories returns the known advisories affecting module at
// version that the item does not list, in the order given.
func missingAdvisories(it *Item, module, version string, known []KnownAdvisory) []KnownAdvisory {
	listed := map[string]bool{}
	if it != nil && it.AnomalyEvaluation != nil {
		for _, a := range it.AnomalyEvaluation.Advisories {
			listed[a.ID] = true
		}
	}
	var out []KnownAdvisory
	for _, k := range known {
		if k.Module == module && k.Version == version && !listed[k.ID] {
			listed[k.ID] = true
			out = append(out, k)
		}
	}
	return out
}

// syncAdvisories lists in the item at node (whose region ends before line
// end) the known advisories it lacks.
func syncAdvisories(ed *yamledit.Editor, it *Item, node *yaml.Node, end int, version string, known []KnownAdvisory) Changes {
	miss := missingAdvisories(it, it.Module, version, known)
	if len(miss) == 0 {
		return nil
	}
	var nodes []*yaml.Node
	var changes Changes
	for _, k := range miss {
		nodes = append(nodes, advisoryNode(k))
		changes = append(changes, Change{Kind: AdvisoryAdded, ID: it.ID, Title: it.Title, Module: it.Module, To: k.ID})
	}
	seq := func() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: nodes} }
	ai, _, ae := yamledit.Lookup(node, "anomaly_evaluation")
	switch {
	case ae == nil:
		ed.AppendKey(node, end, "anomaly_evaluation", yamledit.Map(yamledit.Str("advisories"), seq()))
	case ae.Kind != yaml.MappingNode:
		*ae = *yamledit.Map(yamledit.Str("advisories"), seq())
		ed.Fail("anomaly_evaluation at line %d is not a mapping", it.Line)
	default:
		aeEnd := ed.ValueEnd(node, ai, end)
		if i, _, _ := yamledit.Lookup(ae, "advisories"); i >= 0 {
			ed.AppendItems(ae, i, ed.ValueEnd(ae, i, aeEnd), nodes)
		} else {
			ed.AppendKey(ae, aeEnd, "advisories", seq())
		}
	}
	return changes
}

// withAdvisories adds the known advisories of a new item (from newItem)
// to its anomaly evaluation.
func withAdvisories(n *yaml.Node, module, version string, known []KnownAdvisory) *yaml.Node {
	miss := missingAdvisories(nil, module, version, known)
	if len(miss) == 0 {
		return n
	}
	var nodes []*yaml.Node
	for _, k := range miss {
		nodes = append(nodes, advisoryNode(k))
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: nodes}
	if _, _, ae := yamledit.Lookup(n, "anomaly_evaluation"); ae != nil && ae.Kind == yaml.MappingNode {
		ae.Content = append(ae.Content, yamledit.Str("advisories"), seq)
	} else {
		n.Content = append(n.Content, yamledit.Str("anomaly_evaluation"), yamledit.Map(yamledit.Str("advisories"), seq))
	}
	return n
}

// itemEnd returns the line after the region of the i-th item: the start of
// the next item, or itemsEnd.
func itemEnd(ed *yamledit.Editor, doc *document, i, itemsEnd int) int {
	if i+1 < len(doc.items) {
		n := doc.items[i+1]
		return ed.StartWithComments(n.Line, n.Column)
	}
	return itemsEnd
}
