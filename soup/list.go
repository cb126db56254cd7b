package soup

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// column is one column of the SOUP list.
type column struct {
	key    string // CSV header: the register's key
	header string // Markdown header, with the clause asking for it
	value  func(it *Item) string
	md     bool // in the Markdown table (CSV has every column)
}

func text(s string) string { return strings.TrimSpace(s) }

func eval(it *Item) *AnomalyEvaluation {
	if it.AnomalyEvaluation != nil {
		return it.AnomalyEvaluation
	}
	return &AnomalyEvaluation{}
}

func support(it *Item) *Support {
	if it.Support != nil {
		return it.Support
	}
	return &Support{}
}

func verification(it *Item) *Verification {
	if it.Verification != nil {
		return it.Verification
	}
	return &Verification{}
}

func requirements(it *Item) *Requirements {
	if it.Requirements != nil {
		return it.Requirements
	}
	return &Requirements{}
}

var columns = []column{
	{"id", "ID (8.1.1)", func(it *Item) string { return it.ID }, true},
	{"title", "Title (8.1.2 a)", func(it *Item) string { return it.Title }, true},
	{"kind", "Kind", func(it *Item) string { return string(it.Kind) }, true},
	{"module", "", func(it *Item) string { return it.Module }, false},
	{"version", "Version (8.1.2 c)", func(it *Item) string { return it.Version }, true},
	{"manufacturer", "Manufacturer (8.1.2 b)", func(it *Item) string {
		if it.ManufacturerJustification != "" {
			return it.Manufacturer + " (" + text(it.ManufacturerJustification) + ")"
		}
		return it.Manufacturer
	}, true},
	{"manufacturer_justification", "", func(it *Item) string { return text(it.ManufacturerJustification) }, false},
	{"website", "Website", func(it *Item) string { return it.Website }, true},
	{"purl", "Package URL", func(it *Item) string { return it.PackageURL() }, true},
	{"license", "Licence", func(it *Item) string { return it.License }, true},
	{"used_by", "Used by (8.1.3)", func(it *Item) string { return strings.Join(it.UsedBy, "; ") }, true},
	{"safety_class", "Safety class / risk (4.3)", func(it *Item) string {
		switch {
		case it.SafetyClass != "" && it.Risk != "":
			return fmt.Sprintf("%s (risk %s)", it.SafetyClass, it.Risk)
		case it.Risk != "":
			return "risk " + string(it.Risk)
		}
		return string(it.SafetyClass)
	}, true},
	{"risk", "", func(it *Item) string { return string(it.Risk) }, false},
	{"requirements.functional", "Functional requirements (5.3.3)", func(it *Item) string { return text(requirements(it).Functional) }, true},
	{"requirements.performance", "Performance requirements (5.3.3)", func(it *Item) string { return text(requirements(it).Performance) }, true},
	{"required_hw_sw", "Required hardware and software (5.3.4)", func(it *Item) string { return strings.Join(it.RequiredHWSW, "; ") }, true},
	{"anomaly_evaluation.anomaly_list", "Anomaly list (7.1.3)", func(it *Item) string { return eval(it).AnomalyList }, true},
	{"anomaly_evaluation.version_evaluated", "", func(it *Item) string { return eval(it).VersionEvaluated }, false},
	{"anomaly_evaluation.date", "", func(it *Item) string { return string(eval(it).Date) }, false},
	{"anomaly_evaluation.evaluator", "", func(it *Item) string { return eval(it).Evaluator }, false},
	{"", "Anomaly evaluation (7.1.3): version, date, evaluator", func(it *Item) string {
		a := eval(it)
		var parts []string
		for _, s := range []string{a.VersionEvaluated, string(a.Date), a.Evaluator} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	}, true},
	{"anomaly_evaluation.relevant_anomalies", "Relevant anomalies", func(it *Item) string {
		a := eval(it)
		if a.RelevantAnomalies != nil && len(a.RelevantAnomalies) == 0 {
			return "none"
		}
		return strings.Join(a.RelevantAnomalies, "; ")
	}, true},
	{"anomaly_evaluation.conclusion", "Conclusion", func(it *Item) string { return text(eval(it).Conclusion) }, true},
	{"support.level", "Level of support", func(it *Item) string { return string(support(it).Level) }, true},
	{"support.assessed", "Support assessed", func(it *Item) string { return string(support(it).Assessed) }, true},
	{"support.end_of_support", "", func(it *Item) string { return string(support(it).EndOfSupport) }, false},
	{"support.end_of_support_justification", "", func(it *Item) string { return text(support(it).EndOfSupportJustification) }, false},
	{"", "End of support", func(it *Item) string {
		s := support(it)
		if s.EndOfSupport != "" {
			return string(s.EndOfSupport)
		}
		return text(s.EndOfSupportJustification)
	}, true},
	{"verification.reasoning", "Verification reasoning", func(it *Item) string { return text(verification(it).Reasoning) }, true},
	{"verification.last_verified", "Last verified", func(it *Item) string { return string(verification(it).LastVerified) }, true},
	{"notes", "", func(it *Item) string { return text(it.Notes) }, false},
}

// sorted returns the items in identifier order (items without one last,
// in register order).
func (r *Register) sorted() []*Item {
	scheme := r.IDs.Scheme()
	num := func(it *Item) int {
		n, err := scheme.Parse(it.ID)
		if err != nil {
			return int(^uint(0) >> 1)
		}
		return n
	}
	items := make([]*Item, len(r.Items))
	for i := range r.Items {
		items[i] = &r.Items[i]
	}
	slices.SortStableFunc(items, func(a, b *Item) int { return cmp.Compare(num(a), num(b)) })
	return items
}

// WriteMarkdown writes the SOUP list an auditor reads: one table row per
// item, in identifier order, with the columns IEC 62304 asks for (8.1.2,
// 8.1.3, 4.3, 5.3.3, 5.3.4, 7.1.3) and the FDA support fields, then the
// retired identifiers.
func (r *Register) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# SOUP list\n\n")
	fmt.Fprintf(&b, "Register: `%s` (format version %d); identifiers of the form %s.\n\n", r.File, r.Version, r.IDs.Scheme().Format(1))
	var heads, rule []string
	for _, c := range columns {
		if c.md {
			heads = append(heads, c.header)
			rule = append(rule, "---")
		}
	}
	fmt.Fprintf(&b, "| %s |\n|%s|\n", strings.Join(heads, " | "), strings.Join(rule, "|"))
	for _, it := range r.sorted() {
		var cells []string
		for _, c := range columns {
			if c.md {
				cells = append(cells, mdCell(c.value(it)))
			}
		}
		fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
	}
	if len(r.IDs.Retired) > 0 {
		fmt.Fprintf(&b, "\n## Retired identifiers\n\nNever issued again.\n\n| ID | Title | Date | Reason |\n|---|---|---|---|\n")
		for _, x := range r.IDs.Retired {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCell(x.ID), mdCell(x.Title), mdCell(string(x.Date)), mdCell(x.Reason))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell escapes a value for a Markdown table cell.
func mdCell(s string) string {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("\\", "\\\\", "|", "\\|", "\r\n", "<br>", "\n", "<br>").Replace(s)
	return s
}

// WriteCSV writes the SOUP list as CSV (RFC 4180): a header row of the
// register's keys, then one row per item in identifier order, with every
// field in its own column; lists are joined with "; ".
func (r *Register) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	var head []string
	for _, c := range columns {
		if c.key != "" {
			head = append(head, c.key)
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, it := range r.sorted() {
		var row []string
		for _, c := range columns {
			if c.key != "" {
				row = append(row, c.value(it))
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the register as indented JSON, items in identifier
// order, with the keys of the register file.
func (r *Register) WriteJSON(w io.Writer) error {
	out := *r
	out.Items = nil
	for _, it := range r.sorted() {
		out.Items = append(out.Items, *it)
	}
	if out.Items == nil {
		out.Items = []Item{}
	}
	data, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
