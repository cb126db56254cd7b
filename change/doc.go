// Package change keeps the change-control records of a product: change
// requests, problem reports and residual anomalies, one YAML file per
// record in the product's repository, and the commit trailers that link
// each commit to the change request it implements.
//
// What each part implements:
//
//   - change requests (Request, ParseRequest, New, Record): IEC 62304 8.2
//     and ISO 13485 7.3.9. A change request is a plan: its rationale,
//     scope and impact analysis and the activities it needs (8.2.1), the
//     problem reports it resolves and the configuration items it may
//     change (8.2.4), and its state history: initiated -> approved (or
//     rejected) -> implemented -> verified (8.2.1-8.2.3). "Released" is
//     not written into the record: a change request is released when an
//     archived release manifest lists it (package manifest);
//   - problem reports (Problem, ParseProblem): IEC 62304 9.1-9.8, with
//     their classification (type, scope, criticality), state and the
//     change request that resolves them or the reason none is needed;
//   - residual anomalies (Anomaly, ParseAnomaly): the known anomalies a
//     release ships with and the evaluation that each does not contribute
//     to an unacceptable risk (5.8.2-5.8.4); release manifests list those
//     that affect their version;
//   - commit trailers (Trailers): "Change-Request: CR-012" in a commit
//     message names the change request the commit implements, the link
//     from the implementation to the request (8.2.2, 8.2.4);
//   - loading a product's records (Load), with records that share an
//     identifier reported (Records.Duplicates): two branches that each
//     allocated the same number.
//
// The traceability check that joins records, commits and release
// baselines is manifest.Trace.
//
// The approvals recorded here are workflow state: who moved a request
// into which state, and when. They are not electronic signatures under
// 21 CFR Part 11; the signed approval of a release is a signature on its
// manifest (package sign, "baseline sign").
//
// The records and the release archive are not configuration items:
// committing them needs no change request.
//
// # Files
//
// Each record is one YAML document in its directory (baseline.yaml's
// records section; by default changes/requests, changes/problems and
// changes/anomalies). A record's file is named after its identifier:
// ID.yaml, or ID-SLUG.yaml ("CR-012-gosum.yaml"). Files whose names start
// with '.' or do not end in .yaml or .yml are not records. Keys are
// snake_case; a key the format does not define is an error, and so is a
// key given twice. Anchors and aliases are not allowed. Times are
// RFC 3339 date-times ("2026-03-14T09:30:00Z"); the commands write them in
// UTC. A value starting with TODO is a placeholder for a person to fill
// in: it parses, but a change request with one is not approved. Every
// problem is reported with the file, the line and the field:
//
//	changes/requests/CR-012.yaml:17: history.at: "2026-03-14" is not an RFC 3339 date-time (want such as 2026-03-14T09:30:00Z)
//
// Identifiers follow the schemes of baseline.yaml's change_control
// section (package ident): CR-001, PR-001 by default; residual anomalies
// are RA-001. New issues the number after the highest ever taken, so an
// identifier is never issued twice.
//
// # Change request
//
//	id: CR-012                 # the identifier; the file is CR-012.yaml
//	title: Reject malformed go.sum lines
//	rationale: >-              # why the change is needed
//	  A go.sum line with two hashes was read as one (PR-004).
//	scope: soup/parse.go; the register format does not change.
//	impact: >-                 # the impact analysis
//	  No effect on safety; "soup check" reports more malformed input.
//	activities:                # the activities planned, verification included
//	  - unit tests for every malformed go.sum form
//	  - review by a second engineer
//	verification: go test ./soup, reviewed  # the verification needed
//	resolves: [PR-004]         # problem reports the change resolves
//	items:                     # configuration items the change may change:
//	  - item: CI-007           #   an identifier of items.yaml or soup.yaml,
//	  - path: "soup/**"        #   a path glob relative to the repository root,
//	  - module: golang.org/x/mod  # a Go module path (its SOUP item)
//	history:                   # the state history, oldest first
//	  - state: initiated
//	    by: Ada Lovelace <ada@example.com>
//	    at: 2026-03-14T09:30:00Z
//	  - state: approved        # or rejected (final), with an optional note
//	    by: Grace Hopper <grace@example.com>
//	    at: 2026-03-14T11:00:00Z
//	  - state: implemented     # optional: the commits' trailers are the link;
//	    by: Ada Lovelace <ada@example.com>
//	    at: 2026-03-15T16:00:00Z
//	    commits: [4f2a9c1]     # commits may be listed too
//	  - state: verified
//	    by: Alan Turing <alan@example.com>
//	    at: 2026-03-16T10:00:00Z
//	    evidence: CI run 4711  # the verification record: a test report, a CI run
//
// The history starts with initiated; approved or rejected follow it;
// implemented and verified follow approved; rejected and verified are
// final (a further change needs a new request). Events are in time order.
// Every key but verification, resolves and items is required.
//
// # Problem report
//
//	id: PR-004
//	title: A malformed go.sum line is ignored
//	description: >-
//	  soup check passes on a go.sum line that holds two hashes.
//	reporter: Grace Hopper <grace@example.com>
//	date: 2026-03-13T15:20:00Z   # when it was reported
//	classification:              # IEC 62304 9.1
//	  type: corrective           # corrective, preventive, adaptive or perfective
//	  scope: soup register check # what the problem affects
//	  criticality: medium        # low, medium, high or critical
//	state: resolved              # open, investigating, resolved or closed
//	resolved_by: CR-012          # the change request; required when resolved
//	# no_change_reason: ...      # instead of resolved_by: why no change is needed;
//	                             # required when closed
//
// # Residual anomaly
//
//	id: RA-001
//	title: Slow first run without a module cache
//	description: The first discovery downloads every module.
//	evaluation: >-               # why it does not contribute to an unacceptable risk
//	  Affects only the time of a run, not its output.
//	affects: [v1.2.0, v1.2.1]    # the versions it affects; "*" for every version
//	problem: PR-009              # optional: the problem report it comes from
package change
