package change

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/baseline-cm/baseline/ident"
)

// Default identifier schemes, used when baseline.yaml names none.
var (
	DefaultRequestIDs = ident.Scheme{Prefix: "CR-", Width: 3}
	DefaultProblemIDs = ident.Scheme{Prefix: "PR-", Width: 3}
	DefaultAnomalyIDs = ident.Scheme{Prefix: "RA-", Width: 3}
)

// Default record directories, relative to the product's root, used when
// baseline.yaml names none.
var DefaultDirs = Dirs{
	Requests:  "changes/requests",
	Problems:  "changes/problems",
	Anomalies: "changes/anomalies",
}

// Dirs are the directories holding the three kinds of record. An empty
// directory name means the kind is not recorded.
type Dirs struct {
	Requests, Problems, Anomalies string
}

// Schemes are the identifier schemes of the three kinds of record.
type Schemes struct {
	Requests, Problems, Anomalies ident.Scheme
}

// DefaultSchemes are DefaultRequestIDs, DefaultProblemIDs and
// DefaultAnomalyIDs.
var DefaultSchemes = Schemes{DefaultRequestIDs, DefaultProblemIDs, DefaultAnomalyIDs}

// State is a change request's state (IEC 62304 8.2; ISO 13485 7.3.9).
// "Released" is not a state of the record: a change request is released
// when an archived release manifest lists it.
type State string

// The states of a change request, in the order they are reached.
const (
	Initiated   State = "initiated"   // the request is written down
	Approved    State = "approved"    // approved for implementation (8.2.1)
	Rejected    State = "rejected"    // not approved; final
	Implemented State = "implemented" // the change is made (8.2.2); commits name the request
	Verified    State = "verified"    // the change is verified (8.2.3), with evidence
)

// States lists the states in order.
var States = []State{Initiated, Approved, Rejected, Implemented, Verified}

// Event is one entry of a change request's state history.
type Event struct {
	State State
	// By names who moved the request into State ("Name <email>").
	By string
	// At is when, an RFC 3339 date-time in UTC.
	At time.Time
	// Evidence references the verification record (a test report, a CI
	// run); required for Verified, not allowed otherwise.
	Evidence string
	// Commits are the commits of the implementation; optional for
	// Implemented (commit trailers are the primary link), not allowed
	// otherwise.
	Commits []string
	// Note is an optional comment (a reason for a rejection).
	Note string
	// Line is the event's line in the record's file.
	Line int
}

// ItemKind says how a change request names a configuration item it may
// change.
type ItemKind string

// The kinds of item reference, in the order the command classifies its
// --items arguments.
const (
	ItemID     ItemKind = "item"   // an identifier of items.yaml or soup.yaml: CI-003, SOUP-012
	ItemModule ItemKind = "module" // a Go module path: SOUP items of that module
	ItemPath   ItemKind = "path"   // a path glob relative to the repository root: docs/**, *.md
)

// ItemRef is one configuration item (or set of items) a change request
// may change.
type ItemRef struct {
	Kind  ItemKind
	Value string
	Line  int
}

// Request is a change request (IEC 62304 8.2.1, 8.2.4; ISO 13485 7.3.9):
// a plan for a change, with its scope, impact analysis and activities,
// the problem reports it resolves and the configuration items it may
// change, and its state history.
type Request struct {
	// File is the record's file name as loaded; Line is the line of the
	// document (1).
	File string
	Line int

	ID        string
	Title     string
	Rationale string
	// Scope describes what is changed; Impact the analysis of the
	// change's effects (on safety, other items, documentation, risk
	// controls).
	Scope  string
	Impact string
	// Activities are the activities planned, verification included.
	Activities []string
	// Verification is the verification planned (tests, review).
	Verification string
	// Resolves lists the problem reports the change resolves.
	Resolves []string
	// Items lists the configuration items the change may change.
	Items []ItemRef
	// History is the state history, oldest first; it starts with
	// Initiated.
	History []Event

	todos []todo
}

// State returns the request's current state: the state of its last event.
func (r *Request) State() State {
	if len(r.History) == 0 {
		return ""
	}
	return r.History[len(r.History)-1].State
}

// Event returns the last event in state s and whether there is one.
func (r *Request) Event(s State) (Event, bool) {
	for i := len(r.History) - 1; i >= 0; i-- {
		if r.History[i].State == s {
			return r.History[i], true
		}
	}
	return Event{}, false
}

// IsApproved reports whether the request was approved and not rejected
// since.
func (r *Request) IsApproved() bool {
	switch r.State() {
	case Approved, Implemented, Verified:
		return true
	}
	return false
}

// IsVerified reports whether the request's last state is Verified.
func (r *Request) IsVerified() bool { return r.State() == Verified }

// TODOs returns the fields that still hold a TODO marker, as
// "FILE:LINE: field" strings.
func (r *Request) TODOs() []string { return todoStrings(r.File, r.todos) }

// ProblemState is a problem report's state (IEC 62304 9.1-9.8).
type ProblemState string

// The states of a problem report.
const (
	Open          ProblemState = "open"          // reported, not yet investigated
	Investigating ProblemState = "investigating" // being investigated (9.2)
	Resolved      ProblemState = "resolved"      // resolved by a change request (9.4, 9.7)
	Closed        ProblemState = "closed"        // closed without a change, for a reason (9.4)
)

// ProblemStates lists the problem report states.
var ProblemStates = []ProblemState{Open, Investigating, Resolved, Closed}

// ProblemTypes are the types of a problem report's classification
// (IEC 62304 9.1: type; the maintenance categories of IEC/ISO 14764).
var ProblemTypes = []string{"corrective", "preventive", "adaptive", "perfective"}

// Criticalities are the criticalities of a problem report's
// classification (IEC 62304 9.1).
var Criticalities = []string{"low", "medium", "high", "critical"}

// Classification is a problem report's type, scope and criticality
// (IEC 62304 9.1).
type Classification struct {
	Type        string
	Scope       string
	Criticality string
}

// Problem is a problem report (IEC 62304 9.1-9.8).
type Problem struct {
	File string
	Line int

	ID          string
	Title       string
	Description string
	Reporter    string
	// Date is when the problem was reported, an RFC 3339 date-time.
	Date           time.Time
	Classification Classification
	State          ProblemState
	// ResolvedBy is the change request that resolves the problem; for a
	// Resolved problem it is required.
	ResolvedBy string
	// NoChangeReason says why no change is needed; required for Closed.
	NoChangeReason string

	todos []todo
}

// Anomaly is a residual anomaly: a known problem a release ships with,
// and the evaluation that it does not contribute to an unacceptable risk
// (IEC 62304 5.8.2-5.8.4). Release manifests list the anomalies that
// affect their version.
type Anomaly struct {
	File string
	Line int

	ID          string
	Title       string
	Description string
	// Evaluation is the evaluation that the anomaly does not contribute
	// to an unacceptable risk (5.8.3).
	Evaluation string
	// Affects lists the versions the anomaly affects (exact versions such
	// as v1.2.0, or "*" for every version until the record is removed or
	// changed).
	Affects []string
	// Problem is the problem report the anomaly comes from, if any.
	Problem string

	todos []todo
}

// AffectsVersion reports whether the anomaly affects version v.
func (a *Anomaly) AffectsVersion(v string) bool {
	for _, s := range a.Affects {
		if s == "*" || s == v || "v"+s == v || s == "v"+v {
			return true
		}
	}
	return false
}

// Classify says how a change request names the configuration item arg
// (a "baseline change new --items" argument), in this order: an item
// identifier when arg starts with the prefix of one of schemes (the
// identifier must then be in that scheme's form); a module path when arg
// is one of modules (the modules the build uses); else a path glob.
func Classify(arg string, schemes []ident.Scheme, modules []string) (ItemRef, error) {
	if strings.TrimSpace(arg) == "" || strings.ContainsAny(arg, "\r\n") {
		return ItemRef{}, fmt.Errorf("item %q: want an item identifier, a module path or a path glob", arg)
	}
	for _, s := range schemes {
		if s.Prefix != "" && strings.HasPrefix(arg, s.Prefix) {
			if _, err := s.Parse(arg); err != nil {
				return ItemRef{}, fmt.Errorf("item %q: %v", arg, err)
			}
			return ItemRef{Kind: ItemID, Value: arg}, nil
		}
	}
	if slices.Contains(modules, arg) {
		return ItemRef{Kind: ItemModule, Value: arg}, nil
	}
	if err := checkGlob(arg); err != nil {
		return ItemRef{}, fmt.Errorf("item %q: not an item identifier or a module the build uses, and %v", arg, err)
	}
	return ItemRef{Kind: ItemPath, Value: arg}, nil
}
