package soup

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

// EvidenceLevels lists the evidence levels, strongest first.
var EvidenceLevels = []Evidence{SymbolReached, PackageImported, ModuleRequired}

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

// Justifications lists the justifications.
var Justifications = []Justification{
	ComponentNotPresent, VulnerableCodeNotPresent, VulnerableCodeNotInExecutePath,
	VulnerableCodeCannotBeControlledByAdversary, InlineMitigationsAlreadyExist,
}

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

// Evaluated reports whether the advisory has a conclusion (not a TODO
// marker).
func (a *Advisory) Evaluated() bool {
	return (a.Conclusion == Relevant || a.Conclusion == NotRelevant) && !IsTODO(string(a.Justification))
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
