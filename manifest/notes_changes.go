package manifest

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// writeChangeRecords renders the change requests of the release, the
// problem reports they resolve and the change-control findings recorded
// with --allow-findings, as subsections of the notes' changes section
// (IEC 62304 8.2.4: each change traced to its request, approval and
// verification).
func writeChangeRecords(b *bytes.Buffer, m *Manifest) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("### Change requests\n\n")
	if len(m.ChangeRequests) == 0 {
		p("No change request since the previous baseline.\n\n")
	} else {
		p("| ID | Title | State | Approved | Verified | Resolves | Items |\n|---|---|---|---|---|---|---|\n")
		for _, cr := range m.ChangeRequests {
			p("| %s | %s | %s | %s | %s | %s | %s |\n", mdCell(cr.ID), mdCell(cr.Title), mdCell(cr.State),
				eventCell(cr.Approved), eventCell(cr.Verified), mdCell(orDash(strings.Join(cr.Resolves, ", "))), mdCell(orDash(strings.Join(cr.Items, ", "))))
		}
		p("\nApprovals and verifications are the change-control records' workflow entries; the release's electronic signatures are in the Signatures section.\n\n")
	}
	if len(m.ProblemReports) > 0 {
		p("### Problem reports\n\n| ID | Title | State | Resolved by |\n|---|---|---|---|\n")
		for _, pr := range m.ProblemReports {
			p("| %s | %s | %s | %s |\n", mdCell(pr.ID), mdCell(pr.Title), mdCell(pr.State), mdCell(orDash(pr.ResolvedBy)))
		}
		p("\n")
	}
	if len(m.Findings) > 0 {
		p("### Change-control findings\n\nReleased with these findings (`--allow-findings`):\n\n")
		for _, f := range m.Findings {
			p("- %s\n", mdText(f.String()))
		}
		p("\n")
	}
}

// eventCell renders who and when, and the evidence of a verification.
func eventCell(e *Event) string {
	if e == nil {
		return "–"
	}
	s := e.By + ", " + e.At.UTC().Format(time.DateTime)
	if e.Evidence != "" {
		s += " (" + e.Evidence + ")"
	}
	return mdCell(s)
}
