package soup

import (
	"slices"
	"strings"
)

// The fields reconciliation requires of an item depend on its safety
// class (IEC 62304 4.3: the class of the software items using it; a risk
// level maps low to A, medium to B, high to C; no class at all to C).
// The defaults, which policy.required replaces class by class:
//
//	class  required fields
//	A      id, title, manufacturer, version                       (8.1.1, 8.1.2)
//	B      A's, and requirements (functional, performance)        (5.3.3)
//	       required_hw_sw                                         (5.3.4)
//	       hazards, risk_controls                                 (7.1.2; ISO 14971)
//	       anomaly_evaluation (list, version, date, evaluator,
//	       relevant anomalies, conclusion)                        (7.1.3)
//	C      B's, and used_by (the software items using it)         (8.1.3)
//	       verification (reasoning, last_verified), license
//
// A section name (requirements, anomaly_evaluation, verification) stands
// for all its fields. The safety class (or risk level) itself and, with
// policy.require_fda, the FDA support fields are required of every item
// whatever the table says.

// requirable describes each field a class may require, in the format's
// order.
var requirable = []struct{ field, what string }{
	{"id", "the item's identifier (8.1.1; baseline soup sync allocates one)"},
	{"title", "the title (8.1.2 a)"},
	{"version", "the exact version (8.1.2 c: unique SOUP designator)"},
	{"manufacturer", "the manufacturer (8.1.2 b), or \"community\" or \"unknown\" with manufacturer_justification"},
	{"website", "the item's website"},
	{"license", "the licence concluded for its use (an SPDX expression)"},
	{"used_by", "the software items that use it (8.1.3)"},
	{"requirements.functional", "the functional requirements relied on (5.3.3)"},
	{"requirements.performance", "the performance requirements relied on (5.3.3; write \"none\" if none)"},
	{"required_hw_sw", "the hardware and software the item requires (5.3.4)"},
	{"hazards", "the hazardous situations the item can contribute to, as references into the risk management file (7.1.2; ISO 14971); [] if none"},
	{"risk_controls", "the risk controls covering those hazardous situations, as references into the risk management file (7.1.2)"},
	{"anomaly_evaluation.anomaly_list", "where the item's anomalies are published (7.1.3)"},
	{"anomaly_evaluation.version_evaluated", "the version whose anomaly list was evaluated (7.1.3)"},
	{"anomaly_evaluation.date", "the date of the anomaly evaluation (7.1.3)"},
	{"anomaly_evaluation.evaluator", "who evaluated the anomaly list (7.1.3)"},
	{"anomaly_evaluation.relevant_anomalies", "the anomalies relevant to the product, \"[]\" for none (7.1.3)"},
	{"anomaly_evaluation.conclusion", "the conclusion of the anomaly evaluation (7.1.3)"},
	{"verification.reasoning", "why the item is fit for its use (verification reasoning)"},
	{"verification.last_verified", "the date the item was last verified"},
}

var (
	classA = []string{"id", "title", "version", "manufacturer"}
	classB = append(slices.Clip(classA), "requirements", "required_hw_sw", "hazards", "risk_controls", "anomaly_evaluation")
	classC = append(slices.Clip(classB), "used_by", "verification", "license")
)

// DefaultRequired returns the fields items of class c must have when the
// policy does not say otherwise (see the table above).
func DefaultRequired(c SafetyClass) []string {
	switch c {
	case ClassA:
		return expandFields(classA)
	case ClassB:
		return expandFields(classB)
	}
	return expandFields(classC)
}

// Required returns the fields items of class c must have under the
// policy: policy.required for c if given, else DefaultRequired(c).
func (p *Policy) RequiredFields(c SafetyClass) []string {
	if f, ok := p.Required[c]; ok {
		return expandFields(f)
	}
	return DefaultRequired(c)
}

// expandFields replaces section names by their fields, in the format's
// order, each once.
func expandFields(fields []string) []string {
	var out []string
	for _, r := range requirable {
		for _, f := range fields {
			if r.field == f || strings.HasPrefix(r.field, f+".") {
				out = append(out, r.field)
				break
			}
		}
	}
	return out
}

// isRequirable reports whether a policy may name field.
func isRequirable(field string) bool {
	return slices.ContainsFunc(requirable, func(r struct{ field, what string }) bool {
		return r.field == field || strings.HasPrefix(r.field, field+".")
	})
}

// requirableNames lists the names policy.required accepts.
func requirableNames() string {
	var out []string
	for _, r := range requirable {
		if s, _, ok := strings.Cut(r.field, "."); ok {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		out = append(out, r.field)
	}
	return strings.Join(out, ", ")
}

// fieldPresent reports whether the item has a value for field (a TODO
// marker counts: it is reported on its own).
func fieldPresent(it *Item, field string) bool {
	t := func(s string) bool { return strings.TrimSpace(s) != "" }
	l := func(s []string) bool { return t(strings.Join(s, "")) }
	var req Requirements
	if it.Requirements != nil {
		req = *it.Requirements
	}
	var a AnomalyEvaluation
	if it.AnomalyEvaluation != nil {
		a = *it.AnomalyEvaluation
	}
	var v Verification
	if it.Verification != nil {
		v = *it.Verification
	}
	switch field {
	case "id":
		return t(it.ID)
	case "title":
		return t(it.Title)
	case "version":
		return t(it.Version) || t(it.Directory)
	case "manufacturer":
		return t(it.Manufacturer)
	case "website":
		return t(it.Website)
	case "license":
		return t(it.License)
	case "used_by":
		return l(it.UsedBy)
	case "requirements.functional":
		return t(req.Functional)
	case "requirements.performance":
		return t(req.Performance)
	case "required_hw_sw":
		return l(it.RequiredHWSW)
	case "hazards":
		return it.Hazards != nil
	case "risk_controls":
		return it.RiskControls != nil
	case "anomaly_evaluation.anomaly_list":
		return t(a.AnomalyList)
	case "anomaly_evaluation.version_evaluated":
		return t(a.VersionEvaluated)
	case "anomaly_evaluation.date":
		return t(string(a.Date))
	case "anomaly_evaluation.evaluator":
		return t(a.Evaluator)
	case "anomaly_evaluation.relevant_anomalies":
		return a.RelevantAnomalies != nil
	case "anomaly_evaluation.conclusion":
		return t(a.Conclusion)
	case "verification.reasoning":
		return t(v.Reasoning)
	case "verification.last_verified":
		return t(string(v.LastVerified))
	}
	return true
}
