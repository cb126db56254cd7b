package soup

import (
	"slices"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/modpath"
)

// FormatVersion is the register format version this package reads and
// writes (the top-level "version:" key).
const FormatVersion = 1

// DefaultFile is the register's file name when none is given.
const DefaultFile = "soup.yaml"

// Register is a parsed SOUP register: the record of every SOUP item the
// product uses (IEC 62304 8.1.2) with what clauses 5.3.3, 5.3.4 and 7.1.3
// ask about each, and the identifier scheme its items are numbered in
// (8.1.1).
type Register struct {
	// File is the file name the register was read from, as given; errors
	// and findings are reported against it.
	File    string `json:"-"`
	Version int    `json:"version"`
	IDs     IDs    `json:"ids"`
	Policy  Policy `json:"policy"`
	Items   []Item `json:"items"`
}

// IDs is the identifier scheme of the register's items (8.1.1) and the
// record of the identifiers no longer in use.
type IDs struct {
	// Prefix and Width define the form of an identifier: Prefix followed
	// by the number zero-padded to Width digits ("SOUP-001").
	Prefix string `json:"prefix"`
	Width  int    `json:"width"`
	// LastIssued is the highest number ever issued (a high-water mark
	// kept by sync); no number up to it is issued again. Zero when absent.
	LastIssued int `json:"last_issued,omitempty"`
	// Retired lists identifiers of items that left the product; they are
	// never issued again.
	Retired []RetiredID `json:"retired,omitempty"`
}

// Scheme returns the identifier scheme.
func (ids *IDs) Scheme() ident.Scheme { return ident.Scheme{Prefix: ids.Prefix, Width: ids.Width} }

// RetiredID records an identifier whose item left the product.
type RetiredID struct {
	ID string `json:"id"`
	// Title is what the item was, so that the identifier stays traceable.
	Title string `json:"title,omitempty"`
	// LastVersion and LastEvaluation are the item's last version (or
	// local directory) and the conclusion of its last anomaly evaluation,
	// so that the history reads without version control.
	LastVersion    string `json:"last_version,omitempty"`
	LastEvaluation string `json:"last_evaluation,omitempty"`
	Date           Date   `json:"date"`
	Reason         string `json:"reason"`
	// Line is the entry's line in the register, for messages only.
	Line int `json:"-"`
}

// Policy holds the register-wide rules that reconciliation applies.
type Policy struct {
	// RequireFDA makes the FDA premarket cybersecurity fields required for
	// every item: level of support, date assessed, and end-of-support date
	// or a justification for its absence.
	RequireFDA bool `json:"require_fda"`
	// EvaluationMaxAge is how many days an anomaly evaluation (7.1.3)
	// stays current; zero for no limit.
	EvaluationMaxAge int `json:"evaluation_max_age,omitempty"`
	// Required replaces, for the classes it names, the fields items of
	// that class must have (see DefaultRequired); field names are the
	// register's keys, sections standing for all their fields.
	Required map[SafetyClass][]string `json:"required,omitempty"`
	// TestDependencies makes modules needed only by tests (inventory
	// scope optional, in modules mode) SOUP items to declare too.
	TestDependencies bool `json:"test_dependencies,omitempty"`
}

// Kind is the kind of a SOUP item.
type Kind string

// The kinds of SOUP items. Items of kind GoModule are reconciled with the
// Go modules discovery finds; so is the Go standard library, declared as a
// Runtime item with module "stdlib". Every other item is declared by hand
// and never reported stale by reconciliation.
const (
	GoModule Kind = "go-module"
	Library  Kind = "library"
	OS       Kind = "os"
	Runtime  Kind = "runtime"
	Database Kind = "database"
	Service  Kind = "service"
	Tool     Kind = "tool"
	Other    Kind = "other"
)

// kinds are the valid kinds.
var kinds = [...]Kind{GoModule, Library, OS, Runtime, Database, Service, Tool, Other}

// Kinds returns the valid kinds, in the order the documentation lists them.
func Kinds() []Kind { return slices.Clone(kinds[:]) }

// SafetyClass is an IEC 62304 software safety class (4.3) of the software
// items that use a SOUP item.
type SafetyClass string

// The safety classes.
const (
	ClassA SafetyClass = "A"
	ClassB SafetyClass = "B"
	ClassC SafetyClass = "C"
)

// Risk is a risk level, for registers that rate SOUP by risk rather than
// by safety class. Low is held to class A's rules, medium to B's, high to
// C's.
type Risk string

// The risk levels.
const (
	RiskLow    Risk = "low"
	RiskMedium Risk = "medium"
	RiskHigh   Risk = "high"
)

// SupportLevel is the level of support of a SOUP item, as FDA premarket
// cybersecurity guidance asks for it.
type SupportLevel string

// The support levels.
const (
	ActivelyMaintained SupportLevel = "actively-maintained"
	NoLongerMaintained SupportLevel = "no-longer-maintained"
	Abandoned          SupportLevel = "abandoned"
	SupportUnknown     SupportLevel = "unknown"
)

// Date is a calendar date written YYYY-MM-DD (ISO 8601), or a TODO
// marker; empty when absent.
type Date string

// Time returns the date at 00:00 UTC; ok is false when d is empty or a
// TODO marker.
func (d Date) Time() (t time.Time, ok bool) {
	t, err := time.Parse(time.DateOnly, string(d))
	return t, err == nil
}

// Item is one SOUP item of the register.
type Item struct {
	// ID is the item's internal configuration-item identifier (8.1.1),
	// kept for life. Empty when the item has not been given one yet (sync
	// allocates it).
	ID string `json:"id"`
	// Title, Manufacturer and Version are the 8.1.2 a, b, c designation.
	Title string `json:"title"`
	Kind  Kind   `json:"kind"`
	// Module is the Go module path the item is matched with in the
	// inventory (go-module items; "stdlib" for the Go runtime).
	Module  string `json:"module,omitempty"`
	Version string `json:"version"`
	// Directory is, for a Go module replaced by a local directory
	// ("replace a => ../a"), the directory; such an item has no version
	// (the directory's contents are not any version of the module), and
	// reconciliation matches it without comparing versions.
	Directory string `json:"directory,omitempty"`
	// Manufacturer is the supplier, or "community" or "unknown" with
	// ManufacturerJustification saying why.
	Manufacturer              string `json:"manufacturer"`
	ManufacturerJustification string `json:"manufacturer_justification,omitempty"`
	Website                   string `json:"website,omitempty"`
	// PURL is the package URL as declared; see PackageURL for the one
	// derived for Go items.
	PURL string `json:"purl,omitempty"`
	// License is the declared licence, an SPDX licence expression.
	License string `json:"license,omitempty"`
	// Configurations names the build configurations of the product
	// (baseline.yaml) that use a Go item; sync keeps it.
	Configurations []string `json:"configurations,omitempty"`
	// UsedBy names the software items that use this SOUP item (8.1.3).
	UsedBy []string `json:"used_by,omitempty"`
	// SafetyClass is the class of the software items using it (4.3); Risk
	// is the alternative rating. See Class.
	SafetyClass SafetyClass `json:"safety_class,omitempty"`
	Risk        Risk        `json:"risk,omitempty"`
	// Requirements are the functional and performance requirements the
	// product relies on (5.3.3).
	Requirements *Requirements `json:"requirements,omitempty"`
	// RequiredHWSW is the hardware and software the item needs (5.3.4).
	RequiredHWSW []string `json:"required_hw_sw,omitempty"`
	// Hazards are the hazardous situations the item can contribute to,
	// and RiskControls the risk controls covering them, as references
	// into the risk management file (7.1.2, ISO 14971). A non-nil empty
	// list says none; nil says nothing was stated.
	Hazards           []string           `json:"hazards,omitempty"`
	RiskControls      []string           `json:"risk_controls,omitempty"`
	AnomalyEvaluation *AnomalyEvaluation `json:"anomaly_evaluation,omitempty"`
	Support           *Support           `json:"support,omitempty"`
	Verification      *Verification      `json:"verification,omitempty"`
	// Notes is free text: anything else the record should say.
	Notes string `json:"notes,omitempty"`

	// Line is the line of the item in the register, and Lines maps the
	// path of every field present ("version", "anomaly_evaluation.date")
	// to its line; both are set by the parser and used for messages only:
	// no rule depends on them, so an item built in Go (without lines) is
	// checked exactly as the same item read from a file.
	Line  int            `json:"-"`
	Lines map[string]int `json:"-"`
}

// Requirements are what the product relies on a SOUP item for (5.3.3).
type Requirements struct {
	Functional  string `json:"functional,omitempty"`
	Performance string `json:"performance,omitempty"`
}

// AnomalyEvaluation is the evaluation of a SOUP item's published anomaly
// list for the version used (7.1.3).
type AnomalyEvaluation struct {
	// AnomalyList is where the anomalies are published (a URL).
	AnomalyList      string `json:"anomaly_list,omitempty"`
	VersionEvaluated string `json:"version_evaluated,omitempty"`
	Date             Date   `json:"date,omitempty"`
	Evaluator        string `json:"evaluator,omitempty"`
	// RelevantAnomalies lists the anomalies relevant to the product. A
	// non-nil empty list ("relevant_anomalies: []", []string{} in Go)
	// says there are none; nil says nothing was stated, which
	// reconciliation reports as missing.
	RelevantAnomalies []string `json:"relevant_anomalies"`
	Conclusion        string   `json:"conclusion,omitempty"`
	// Advisories are the advisories of the vulnerability database
	// considered, each with its conclusion (see Advisory).
	Advisories []Advisory `json:"advisories,omitempty"`
}

// Support is the level of support of a SOUP item and its end of support,
// as FDA premarket cybersecurity guidance asks.
type Support struct {
	Level    SupportLevel `json:"level,omitempty"`
	Assessed Date         `json:"assessed,omitempty"`
	// EndOfSupport is the end-of-support date; when it is not known,
	// EndOfSupportJustification says why.
	EndOfSupport              Date   `json:"end_of_support,omitempty"`
	EndOfSupportJustification string `json:"end_of_support_justification,omitempty"`
}

// Verification records why the item is fit for its use and when that was
// last verified.
type Verification struct {
	Reasoning    string `json:"reasoning,omitempty"`
	LastVerified Date   `json:"last_verified,omitempty"`
}

// IsTODO reports whether a value is a TODO marker: a placeholder that a
// person must replace ("TODO", "TODO: confirm: The Go Authors"). Markers
// are accepted wherever a text, date or enumerated value is expected, and
// reconciliation reports every one left as an incomplete item.
func IsTODO(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "TODO") }

// Class returns the safety class whose rules apply to the item: its
// safety class, or the class its risk level maps to (low A, medium B,
// high C), the stricter when both are given, and C when neither is (an
// unclassified item is held to the strictest rules).
func (it *Item) Class() SafetyClass {
	c := it.SafetyClass
	if c != ClassA && c != ClassB && c != ClassC {
		c = ""
	}
	var r SafetyClass
	switch it.Risk {
	case RiskLow:
		r = ClassA
	case RiskMedium:
		r = ClassB
	case RiskHigh:
		r = ClassC
	}
	switch {
	case c == "" && r == "":
		return ClassC
	case c == "":
		return r
	case r == "":
		return c
	}
	return max(c, r)
}

// IsGo reports whether the item is matched with a Go component of the
// inventory: a go-module item, or the Go runtime (module "stdlib").
func (it *Item) IsGo() bool { return it.Module != "" }

// PackageURL returns the item's package URL: the declared one, else for Go
// items the one derived from the module and version (as discovery derives
// it), else "".
func (it *Item) PackageURL() string {
	if it.PURL != "" && !IsTODO(it.PURL) {
		return it.PURL
	}
	if it.IsGo() && it.Version != "" && !IsTODO(it.Version) {
		return modpath.PackageURL(it.Module, it.Version)
	}
	return ""
}

// FieldLine returns the line of a field of the item ("version",
// "anomaly_evaluation.date") in the register it was read from; for an
// absent field, the line of the section it belongs in, or else of the
// item; 0 for an item built in Go.
func (it *Item) FieldLine(field string) int {
	for f := field; ; {
		if l, ok := it.Lines[f]; ok {
			return l
		}
		i := strings.LastIndexByte(f, '.')
		if i < 0 {
			return it.Line
		}
		f = f[:i]
	}
}

// TODO is a TODO marker left in a field of an item.
type TODO struct {
	Field string // the field's path: "manufacturer", "anomaly_evaluation.date"
	Text  string // the marker: "TODO", "TODO: confirm: Google LLC"
}

// TODOs returns the TODO markers left in the item's fields (see IsTODO),
// in the order the format lists the fields. They are found in the values
// themselves, so an item built in Go has the same markers as the same
// item read from a file.
func (it *Item) TODOs() []TODO {
	var out []TODO
	add := func(field, v string) {
		if IsTODO(v) {
			out = append(out, TODO{field, v})
		}
	}
	list := func(field string, vs []string) {
		for _, v := range vs {
			add(field, v)
		}
	}
	add("id", it.ID)
	add("title", it.Title)
	add("kind", string(it.Kind))
	add("module", it.Module)
	add("version", it.Version)
	add("directory", it.Directory)
	add("purl", it.PURL)
	add("manufacturer", it.Manufacturer)
	add("manufacturer_justification", it.ManufacturerJustification)
	add("website", it.Website)
	add("license", it.License)
	list("used_by", it.UsedBy)
	add("safety_class", string(it.SafetyClass))
	add("risk", string(it.Risk))
	if r := it.Requirements; r != nil {
		add("requirements.functional", r.Functional)
		add("requirements.performance", r.Performance)
	}
	list("required_hw_sw", it.RequiredHWSW)
	list("hazards", it.Hazards)
	list("risk_controls", it.RiskControls)
	if a := it.AnomalyEvaluation; a != nil {
		add("anomaly_evaluation.anomaly_list", a.AnomalyList)
		add("anomaly_evaluation.version_evaluated", a.VersionEvaluated)
		add("anomaly_evaluation.date", string(a.Date))
		add("anomaly_evaluation.evaluator", a.Evaluator)
		list("anomaly_evaluation.relevant_anomalies", a.RelevantAnomalies)
		add("anomaly_evaluation.conclusion", a.Conclusion)
		for _, ad := range a.Advisories {
			add(advisoryField(ad.ID, "evidence"), string(ad.Evidence))
			add(advisoryField(ad.ID, "conclusion"), string(ad.Conclusion))
			add(advisoryField(ad.ID, "justification"), string(ad.Justification))
			add(advisoryField(ad.ID, "assessment"), ad.Assessment)
			add(advisoryField(ad.ID, "action"), ad.Action)
		}
	}
	if s := it.Support; s != nil {
		add("support.level", string(s.Level))
		add("support.assessed", string(s.Assessed))
		add("support.end_of_support", string(s.EndOfSupport))
		add("support.end_of_support_justification", s.EndOfSupportJustification)
	}
	if v := it.Verification; v != nil {
		add("verification.reasoning", v.Reasoning)
		add("verification.last_verified", string(v.LastVerified))
	}
	add("notes", it.Notes)
	return out
}
