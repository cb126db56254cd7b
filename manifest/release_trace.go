package manifest

import (
	"context"

	"github.com/baseline-cm/baseline/product"
)

// traceRelease runs the change-control check of a release (Trace, from
// the previous baseline to the release's commit, with the release type's
// policy) and records its change requests and problem reports in m.
// Findings refuse the release, one reason each, unless AllowFindings;
// then they are recorded in m.
func traceRelease(ctx context.Context, root string, cfg *product.Config, opts Options, m *Manifest) error {
	rep, err := Trace(ctx, TraceOptions{
		Dir: root, Config: cfg, Until: m.VCS.Commit, Previous: opts.Previous, First: opts.Previous == nil,
		ReleaseType: m.ReleaseType, Changes: m.Changes,
	})
	if err != nil {
		return err
	}
	m.ChangeRequests, m.ProblemReports = rep.Requests, rep.Problems
	if len(rep.Findings) == 0 {
		return nil
	}
	if !opts.AllowFindings {
		r := &Refused{}
		for _, f := range rep.Findings {
			r.Reasons = append(r.Reasons, "change control: "+f.String())
		}
		r.Reasons = append(r.Reasons, "(baseline change check lists these; --allow-findings releases anyway, recording them in the manifest)")
		return r
	}
	m.Findings = rep.Findings
	return nil
}
