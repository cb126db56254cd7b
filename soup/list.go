package soup

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
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
	{"configurations", "", func(it *Item) string { return strings.Join(it.Configurations, "; ") }, false},
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
	{"hazards", "", func(it *Item) string { return strings.Join(it.Hazards, "; ") }, false},
	{"risk_controls", "", func(it *Item) string { return strings.Join(it.RiskControls, "; ") }, false},
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

// ListOptions say what the SOUP list document says about the product it
// is the list of; every field may be empty ("not given").
type ListOptions struct {
	// Product is the product's name; Version its version; Commit the
	// revision of the sources the register was read from.
	Product, Version, Commit string
	// Date is the date of generation (SOURCE_DATE_EPOCH in the command);
	// it is also the date evaluation ages are measured at. Today when zero.
	Date time.Time
}

// Status is the state of an item's record, for the SOUP list.
type Status string

// The statuses.
const (
	// Complete: every field the item's class requires is there, no TODO
	// marker is left, and the anomaly evaluation is current.
	Complete Status = "complete"
	// ToDo: a required field is missing or a TODO marker is left.
	ToDo Status = "to do"
	// OutOfDate: the record is complete but its anomaly evaluation names
	// another version, or is older than policy.evaluation_max_age.
	OutOfDate Status = "evaluation out of date"
)

// ItemStatus returns the status of item it of the register at date now:
// the register alone decides it (the version the item records is the one
// its evaluation must name), so a list can be written without a build.
func (r *Register) ItemStatus(it *Item, now time.Time) Status {
	if len(it.TODOs()) > 0 || len(missingFields(it, r.Policy)) > 0 {
		return ToDo
	}
	if outOfDate(it, r.Policy, now) != "" {
		return OutOfDate
	}
	return Complete
}

// outOfDate says why an item's evaluation is out of date, or "".
func outOfDate(it *Item, pol Policy, now time.Time) string {
	a := it.AnomalyEvaluation
	if a == nil {
		return ""
	}
	if a.VersionEvaluated != "" && !IsTODO(a.VersionEvaluated) && it.Version != "" && !IsTODO(it.Version) && a.VersionEvaluated != it.Version {
		return fmt.Sprintf("evaluated for %s, the version is %s", a.VersionEvaluated, it.Version)
	}
	if t, ok := a.Date.Time(); ok && pol.EvaluationMaxAge > 0 {
		if days := int(now.Sub(t).Hours() / 24); days > pol.EvaluationMaxAge {
			return fmt.Sprintf("evaluated on %s, %d days before this list; policy.evaluation_max_age is %d days", a.Date, days, pol.EvaluationMaxAge)
		}
	}
	return ""
}

// WriteMarkdown writes the SOUP list an auditor reads and signs, as a
// Markdown document: a header (product, version, commit, date of
// generation, register), a summary table (ID, title, version, class or
// risk, manufacturer, status), one section per item with every field of
// the register (TODO markers, missing required fields and out-of-date
// evaluations marked in bold), then the retired identifiers with their
// last version and evaluation. Items are in identifier order. The same
// register and options give the same bytes.
func (r *Register) WriteMarkdown(w io.Writer, opts ListOptions) error {
	now := opts.Date
	if now.IsZero() {
		now = time.Now()
	}
	or := func(s string) string { return cmpOr(strings.TrimSpace(s), "(not given)") }
	var b strings.Builder
	title := "SOUP list"
	if opts.Product != "" {
		title += ": " + opts.Product
	}
	fmt.Fprintf(&b, "# %s\n\n", mdText(title))
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Product | %s |\n| Version | %s |\n| Commit | %s |\n", mdCell(or(opts.Product)), mdCell(or(opts.Version)), mdCell(or(opts.Commit)))
	fmt.Fprintf(&b, "| Generated | %s |\n| Register | `%s` (format version %d, identifiers %s) |\n\n", now.UTC().Format(time.DateOnly), r.File, r.Version, r.IDs.Scheme().Format(1))
	fmt.Fprintf(&b, "The software of unknown provenance (SOUP) and off-the-shelf items the product uses, as IEC 62304 8.1.2 asks (with 5.3.3, 5.3.4, 7.1.2 and 7.1.3), and their level of support (FDA premarket cybersecurity).\n\n")

	items := r.sorted()
	counts := map[Status]int{}
	fmt.Fprintf(&b, "## Summary\n\n| ID | Title | Version | Class / risk | Manufacturer | Status |\n|---|---|---|---|---|---|\n")
	for _, it := range items {
		st := r.ItemStatus(it, now)
		counts[st]++
		stText := string(st)
		if st != Complete {
			stText = "**" + stText + "**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdCell(cmpOr(it.ID, "(none)")), mdCell(it.Title), mdCell(cmpOr(it.Version, localDir(it))),
			mdCell(classText(it)), mdCell(it.Manufacturer), stText)
	}
	fmt.Fprintf(&b, "\n%d items: %d complete, %d to do, %d with an evaluation out of date; %d identifiers retired.\n", len(items), counts[Complete], counts[ToDo], counts[OutOfDate], len(r.IDs.Retired))

	for _, it := range items {
		fmt.Fprintf(&b, "\n## %s %s\n\n", mdText(cmpOr(it.ID, "(no identifier)")), mdText(it.Title))
		todo := map[string]string{}
		for _, t := range it.TODOs() {
			todo[t.Field] = t.Text
		}
		miss := map[string]string{}
		for _, m := range missingFields(it, r.Policy) {
			miss[m.field] = m.reason
		}
		fmt.Fprintf(&b, "| Field | Value |\n|---|---|\n")
		for _, row := range itemRows(it) {
			v := mdCell(row.value)
			switch {
			case miss[row.field] != "":
				v = "**MISSING**: " + mdCell(strings.TrimPrefix(miss[row.field], "missing: "))
			case todo[row.field] != "" || hasTODOUnder(todo, row.field):
				v = "**TODO** " + v
			case row.value == "":
				continue
			}
			if row.field == "anomaly_evaluation.version_evaluated" {
				if why := outOfDate(it, r.Policy, now); why != "" {
					v += " **OUT OF DATE**: " + mdCell(why)
				}
			}
			fmt.Fprintf(&b, "| %s | %s |\n", row.label, v)
		}
	}
	if len(r.IDs.Retired) > 0 {
		fmt.Fprintf(&b, "\n## Retired identifiers\n\nNever issued again.\n\n| ID | Title | Last version | Last evaluation | Date | Reason |\n|---|---|---|---|---|---|\n")
		for _, x := range r.IDs.Retired {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdCell(x.ID), mdCell(x.Title), mdCell(x.LastVersion), mdCell(x.LastEvaluation), mdCell(string(x.Date)), mdCell(x.Reason))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func hasTODOUnder(todo map[string]string, field string) bool {
	for f := range todo {
		if strings.HasPrefix(f, field+"[") || strings.HasPrefix(f, field+".") {
			return true
		}
	}
	return false
}

func localDir(it *Item) string {
	if it.Directory != "" {
		return "local directory " + it.Directory
	}
	return ""
}

func classText(it *Item) string {
	switch {
	case it.SafetyClass != "" && it.Risk != "":
		return fmt.Sprintf("%s (risk %s)", it.SafetyClass, it.Risk)
	case it.Risk != "":
		return "risk " + string(it.Risk)
	}
	return string(it.SafetyClass)
}

type itemRow struct{ field, label, value string }

// itemRows are the fields of an item for its section of the list, with
// the clause asking for each.
func itemRows(it *Item) []itemRow {
	a, s, v, q := eval(it), support(it), verification(it), requirements(it)
	join := func(l []string) string { return strings.Join(l, "; ") }
	none := func(l []string) string {
		if l != nil && len(l) == 0 {
			return "none"
		}
		return join(l)
	}
	rows := []itemRow{
		{"id", "ID (8.1.1)", it.ID},
		{"title", "Title (8.1.2 a)", it.Title},
		{"kind", "Kind", string(it.Kind)},
		{"module", "Go module", it.Module},
		{"version", "Version (8.1.2 c)", cmpOr(it.Version, localDir(it))},
		{"purl", "Package URL", it.PackageURL()},
		{"manufacturer", "Manufacturer (8.1.2 b)", it.Manufacturer},
		{"manufacturer_justification", "Manufacturer justification", text(it.ManufacturerJustification)},
		{"website", "Website", it.Website},
		{"license", "Licence (concluded)", it.License},
		{"configurations", "Build configurations", join(it.Configurations)},
		{"used_by", "Used by (8.1.3)", join(it.UsedBy)},
		{"safety_class", "Safety class / risk (4.3)", classText(it)},
		{"requirements.functional", "Functional requirements (5.3.3)", text(q.Functional)},
		{"requirements.performance", "Performance requirements (5.3.3)", text(q.Performance)},
		{"required_hw_sw", "Required hardware and software (5.3.4)", join(it.RequiredHWSW)},
		{"hazards", "Hazardous situations (7.1.2)", none(it.Hazards)},
		{"risk_controls", "Risk controls (7.1.2)", none(it.RiskControls)},
		{"anomaly_evaluation.anomaly_list", "Anomaly list (7.1.3)", a.AnomalyList},
		{"anomaly_evaluation.version_evaluated", "Version evaluated", a.VersionEvaluated},
		{"anomaly_evaluation.date", "Evaluated on", string(a.Date)},
		{"anomaly_evaluation.evaluator", "Evaluator", a.Evaluator},
		{"anomaly_evaluation.relevant_anomalies", "Relevant anomalies", none(a.RelevantAnomalies)},
		{"anomaly_evaluation.conclusion", "Conclusion", text(a.Conclusion)},
	}
	for _, ad := range a.Advisories {
		val := string(ad.Conclusion)
		for _, x := range []string{string(ad.Evidence), string(ad.Justification), ad.Assessment, ad.Action} {
			if strings.TrimSpace(x) != "" {
				val += "; " + strings.TrimSpace(x)
			}
		}
		rows = append(rows, itemRow{advisoryField(ad.ID, "conclusion"), "Advisory " + ad.ID, val})
	}
	rows = append(rows,
		itemRow{"support.level", "Level of support (FDA)", string(s.Level)},
		itemRow{"support.assessed", "Support assessed", string(s.Assessed)},
		itemRow{"support.end_of_support", "End of support", string(s.EndOfSupport)},
		itemRow{"support.end_of_support_justification", "End of support justification", text(s.EndOfSupportJustification)},
		itemRow{"verification.reasoning", "Verification reasoning", text(v.Reasoning)},
		itemRow{"verification.last_verified", "Last verified", string(v.LastVerified)},
		itemRow{"notes", "Notes", text(it.Notes)},
	)
	return rows
}

// mdText escapes text for a Markdown heading or paragraph.
func mdText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "#", `\#`, "<", "&lt;", "\n", " ").Replace(strings.TrimSpace(s))
}

// WriteCSV writes the SOUP list as CSV (RFC 4180): a header row of the
// register's keys and a status column, then one row per item in
// identifier order with every field in its own column (lists joined with
// "; "), then one row per retired identifier (status "retired", with its
// title, last version, last evaluation, date and reason). A cell that a
// spreadsheet would read as a formula (starting with =, +, -, @, a tab or
// a carriage return) is prefixed with a single quote.
func (r *Register) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	var head []string
	for _, c := range columns {
		if c.key != "" {
			head = append(head, c.key)
		}
	}
	head = append(head, "status", "retired_date", "retired_reason")
	if err := cw.Write(head); err != nil {
		return err
	}
	now := time.Now()
	for _, it := range r.sorted() {
		var row []string
		for _, c := range columns {
			if c.key == "manufacturer" {
				row = append(row, csvCell(it.Manufacturer)) // the justification has its own column
			} else if c.key != "" {
				row = append(row, csvCell(c.value(it)))
			}
		}
		row = append(row, string(r.ItemStatus(it, now)), "", "")
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	for _, x := range r.IDs.Retired {
		row := make([]string, len(head))
		for i, h := range head {
			switch h {
			case "id":
				row[i] = csvCell(x.ID)
			case "title":
				row[i] = csvCell(x.Title)
			case "version":
				row[i] = csvCell(x.LastVersion)
			case "anomaly_evaluation.conclusion":
				row[i] = csvCell(x.LastEvaluation)
			case "status":
				row[i] = "retired"
			case "retired_date":
				row[i] = string(x.Date)
			case "retired_reason":
				row[i] = csvCell(x.Reason)
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell neutralises a cell a spreadsheet would evaluate as a formula
// (OWASP CSV injection).
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
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

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("\\", "\\\\", "|", "\\|", "\r\n", "<br>", "\n", "<br>").Replace(s)
	return s
}
