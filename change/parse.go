package change

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	sy "github.com/baseline-cm/baseline/internal/strictyaml"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/product"
)

// Error is a problem at one place of a record. Its text is
// "FILE:LINE: FIELD: what is wrong". The parsers return every Error they
// find, joined with errors.Join; use errors.As, or the Unwrap() []error
// method of the joined error, to get them one by one.
type Error struct {
	File string
	// Line is 0 when the problem has no line (an empty file).
	Line int
	// Field is the key ("history.at"), or "syntax" for YAML syntax
	// errors, or "file" for problems of the file itself.
	Field string
	Msg   string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, oneLine(e.Field), oneLine(e.Msg))
	}
	return fmt.Sprintf("%s: %s: %s", e.File, oneLine(e.Field), oneLine(e.Msg))
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// IsTODO reports whether a value is a TODO marker left for a person to
// fill in: it starts with "TODO".
func IsTODO(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "TODO") }

type todo struct {
	field string
	line  int
}

func todoStrings(file string, ts []todo) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%s:%d: %s", file, t.line, t.field)
	}
	return out
}

// requestKeys are the keys of a change request, in the order New writes
// them.
var requestKeys = []string{"id", "title", "rationale", "scope", "impact", "activities", "verification", "resolves", "items", "history"}

var problemKeys = []string{"id", "title", "description", "reporter", "date", "classification", "state", "resolved_by", "no_change_reason"}

var anomalyKeys = []string{"id", "title", "description", "evaluation", "affects", "problem"}

// ParseRequest parses a change request record; name is the file name
// used in errors, and scheme the identifier scheme of change requests.
// It reports every problem, each as an *Error, and returns no request
// when there is any.
func ParseRequest(name string, data []byte, scheme ident.Scheme) (*Request, error) {
	p := newParser(name)
	top := p.document(data, "change request")
	if top == nil {
		return nil, p.err()
	}
	f, ok := p.Fields(top, "", requestKeys...)
	if !ok {
		return nil, p.err()
	}
	r := &Request{File: name, Line: top.Line}
	r.ID = p.id(top, f, scheme)
	r.Title = p.required(top, f, "title", &r.todos)
	r.Rationale = p.required(top, f, "rationale", &r.todos)
	r.Scope = p.required(top, f, "scope", &r.todos)
	r.Impact = p.required(top, f, "impact", &r.todos)
	r.Activities = p.list(f, "activities", &r.todos)
	if f["activities"].Key == nil {
		p.errorf(top.Line, "activities", "missing (the activities planned, verification included; \"activities: []\" for none)")
	}
	r.Verification = p.text(f, "verification", &r.todos)
	r.Resolves = p.list(f, "resolves", &r.todos)
	seen := map[string]int{}
	for i, id := range r.Resolves {
		line := itemLine(f["resolves"], i)
		if l, dup := seen[id]; dup {
			p.errorf(line, "resolves", "%s is listed twice (first at line %d)", id, l)
		}
		seen[id] = line
	}
	r.Items = p.items(f)
	r.History = p.history(top, f)
	if err := p.err(); err != nil {
		return nil, err
	}
	return r, nil
}

// ParseProblem parses a problem report record; see ParseRequest.
func ParseProblem(name string, data []byte, scheme ident.Scheme) (*Problem, error) {
	p := newParser(name)
	top := p.document(data, "problem report")
	if top == nil {
		return nil, p.err()
	}
	f, ok := p.Fields(top, "", problemKeys...)
	if !ok {
		return nil, p.err()
	}
	pr := &Problem{File: name, Line: top.Line}
	pr.ID = p.id(top, f, scheme)
	pr.Title = p.required(top, f, "title", &pr.todos)
	pr.Description = p.required(top, f, "description", &pr.todos)
	pr.Reporter = p.required(top, f, "reporter", &pr.todos)
	if e := f["date"]; e.Present() {
		pr.Date, _ = p.time(e, "date")
	} else {
		p.errorf(top.Line, "date", "missing (when the problem was reported, an RFC 3339 date-time such as 2026-03-14T09:30:00Z)")
	}
	if e := f["classification"]; e.Present() {
		if g, ok := p.Fields(e.Val, "classification", "type", "scope", "criticality"); ok {
			pr.Classification.Type = p.enum(g, "classification.type", "type", ProblemTypes, &pr.todos)
			pr.Classification.Scope = p.text(g, "scope", &pr.todos)
			pr.Classification.Criticality = p.enum(g, "classification.criticality", "criticality", Criticalities, &pr.todos)
			if pr.Classification.Type == "" {
				p.errorf(e.Val.Line, "classification.type", "missing (want %s)", strings.Join(ProblemTypes, ", "))
			}
			if pr.Classification.Criticality == "" {
				p.errorf(e.Val.Line, "classification.criticality", "missing (want %s)", strings.Join(Criticalities, ", "))
			}
		}
	} else {
		p.errorf(top.Line, "classification", "missing (type, scope and criticality, IEC 62304 9.1)")
	}
	states := make([]string, len(ProblemStates))
	for i, s := range ProblemStates {
		states[i] = string(s)
	}
	pr.State = ProblemState(p.enum(f, "state", "state", states, &pr.todos))
	if pr.State == "" {
		p.errorf(top.Line, "state", "missing (want %s)", strings.Join(states, ", "))
	}
	pr.ResolvedBy = p.text(f, "resolved_by", &pr.todos)
	pr.NoChangeReason = p.text(f, "no_change_reason", &pr.todos)
	switch {
	case pr.ResolvedBy != "" && pr.NoChangeReason != "":
		p.errorf(f["no_change_reason"].Key.Line, "no_change_reason", "a problem report names either the change request that resolves it (resolved_by) or the reason none is needed, not both")
	case pr.State == Resolved && pr.ResolvedBy == "":
		p.errorf(f["state"].Val.Line, "resolved_by", "missing: a resolved problem report names the change request that resolves it")
	case pr.State == Closed && pr.NoChangeReason == "":
		p.errorf(f["state"].Val.Line, "no_change_reason", "missing: a problem report closed without a change says why none is needed")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return pr, nil
}

// ParseAnomaly parses a residual anomaly record; see ParseRequest.
func ParseAnomaly(name string, data []byte, scheme ident.Scheme) (*Anomaly, error) {
	p := newParser(name)
	top := p.document(data, "residual anomaly")
	if top == nil {
		return nil, p.err()
	}
	f, ok := p.Fields(top, "", anomalyKeys...)
	if !ok {
		return nil, p.err()
	}
	a := &Anomaly{File: name, Line: top.Line}
	a.ID = p.id(top, f, scheme)
	a.Title = p.text(f, "title", &a.todos)
	a.Description = p.required(top, f, "description", &a.todos)
	a.Evaluation = p.required(top, f, "evaluation", &a.todos)
	a.Affects = p.list(f, "affects", &a.todos)
	if len(a.Affects) == 0 {
		p.errorf(top.Line, "affects", "missing (the versions the anomaly affects, such as [v1.2.0], or [\"*\"])")
	}
	a.Problem = p.text(f, "problem", &a.todos)
	if err := p.err(); err != nil {
		return nil, err
	}
	return a, nil
}

type parser struct {
	sy.Parser
	file string
}

func newParser(file string) *parser { return &parser{Parser: sy.Parser{Root: "record"}, file: file} }

func (p *parser) errorf(line int, field, format string, args ...any) {
	p.Errorf(line, field, format, args...)
}

// err returns the problems found, sorted by line, as *Error values
// joined.
func (p *parser) err() error {
	probs := p.Problems()
	if len(probs) == 0 {
		return nil
	}
	errs := make([]error, len(probs))
	for i, pr := range probs {
		errs[i] = &Error{File: p.file, Line: pr.Line, Field: pr.Field, Msg: pr.Msg}
	}
	return errors.Join(errs...)
}

// document decodes the one YAML document of a record and returns its
// top-level mapping, or nil (with the problem recorded).
func (p *parser) document(data []byte, what string) *yaml.Node {
	top := p.Decode(data)
	if p.Count() > 0 {
		return nil
	}
	if top == nil {
		p.errorf(0, "id", "empty file (want a %s: id, title, ...)", what)
		return nil
	}
	if top.Kind != yaml.MappingNode {
		p.errorf(top.Line, "record", "want a %s (a mapping of key: value lines), found %s", what, sy.Describe(top))
		return nil
	}
	return top
}

// itemLine is the line of the i-th element of a list value.
func itemLine(e sy.Entry, i int) int {
	if e.Val != nil && e.Val.Kind == yaml.SequenceNode && i < len(e.Val.Content) {
		return e.Val.Content[i].Line
	}
	return e.Line()
}

// scalar returns a scalar's text ("" for null), recording a problem for
// anything else.
func (p *parser) scalar(e sy.Entry, field string) (string, bool) { return p.String(e, field) }

// text reads an optional text field under key of f; field is its name in
// messages.
func (p *parser) textAt(f map[string]sy.Entry, key, field string, todos *[]todo) string {
	e := f[key]
	if !e.Present() {
		return ""
	}
	s, ok := p.scalar(e, field)
	if !ok {
		return ""
	}
	if IsTODO(s) {
		*todos = append(*todos, todo{field, e.Val.Line})
	}
	return s
}

func (p *parser) text(f map[string]sy.Entry, key string, todos *[]todo) string {
	return p.textAt(f, key, key, todos)
}

// required reads a text field that must be present (a TODO marker counts
// as present: it is reported by TODOs, for the commands that need the
// field filled in).
func (p *parser) required(top *yaml.Node, f map[string]sy.Entry, key string, todos *[]todo) string {
	s := p.text(f, key, todos)
	if s == "" && f[key].Val == nil || f[key].Val != nil && f[key].Val.Kind == yaml.ScalarNode && strings.TrimSpace(s) == "" {
		line := top.Line
		if f[key].Key != nil {
			line = f[key].Key.Line
		}
		p.errorf(line, key, "missing (or write TODO to fill it in later)")
	}
	return s
}

func (p *parser) enum(f map[string]sy.Entry, field, key string, allowed []string, todos *[]todo) string {
	s := p.textAt(f, key, field, todos)
	if s != "" && !slices.Contains(allowed, s) {
		p.errorf(f[key].Val.Line, field, "%q is not allowed (want %s)", s, strings.Join(allowed, ", "))
		return ""
	}
	return s
}

// list reads a list of texts; a single text is a list of one.
func (p *parser) list(f map[string]sy.Entry, key string, todos *[]todo) []string {
	e := f[key]
	if !e.Present() {
		return nil
	}
	if e.Val.Kind == yaml.ScalarNode {
		s := p.text(f, key, todos)
		if s == "" {
			return nil
		}
		return []string{s}
	}
	if e.Val.Kind != yaml.SequenceNode {
		p.errorf(e.Val.Line, key, "want a list of texts, found %s", sy.Describe(e.Val))
		return nil
	}
	out := []string{}
	for _, n := range e.Val.Content {
		if n.Kind != yaml.ScalarNode || sy.IsNull(n) || strings.TrimSpace(n.Value) == "" {
			p.errorf(n.Line, key, "want a list of texts, found %s", sy.Describe(n))
			continue
		}
		if IsTODO(n.Value) {
			*todos = append(*todos, todo{key, n.Line})
		}
		out = append(out, n.Value)
	}
	return out
}

// id reads and checks the record's identifier.
func (p *parser) id(top *yaml.Node, f map[string]sy.Entry, scheme ident.Scheme) string {
	e := f["id"]
	if !e.Present() {
		p.errorf(top.Line, "id", "missing (the record's identifier, such as %s)", scheme.Format(1))
		return ""
	}
	s, ok := p.scalar(e, "id")
	if !ok {
		return ""
	}
	if _, err := scheme.Parse(s); err != nil {
		p.errorf(e.Val.Line, "id", "%v", err)
		return ""
	}
	return s
}

// time reads an RFC 3339 date-time; it is returned in UTC.
func (p *parser) time(e sy.Entry, field string) (time.Time, bool) {
	s, ok := p.scalar(e, field)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.errorf(e.Val.Line, field, "%q is not an RFC 3339 date-time (want such as 2026-03-14T09:30:00Z)", s)
		return time.Time{}, false
	}
	return t.UTC(), true
}

// items reads a change request's item references.
func (p *parser) items(f map[string]sy.Entry) []ItemRef {
	e := f["items"]
	if e.Key == nil {
		return nil
	}
	if sy.IsNull(e.Val) {
		return nil
	}
	if e.Val.Kind != yaml.SequenceNode {
		p.errorf(e.Val.Line, "items", "want a list of items (- item: CI-001, - module: example.com/m, - path: \"docs/**\"), found %s", sy.Describe(e.Val))
		return nil
	}
	var out []ItemRef
	seen := map[ItemRef]int{}
	for _, n := range e.Val.Content {
		g, ok := p.Fields(n, "items", string(ItemID), string(ItemModule), string(ItemPath))
		if !ok {
			continue
		}
		if len(g) != 1 {
			if len(g) > 1 {
				p.errorf(n.Line, "items", "one of item, module or path per entry")
			} else {
				p.errorf(n.Line, "items", "an empty entry: want one of item, module or path")
			}
			continue
		}
		for k, v := range g {
			s, ok := p.scalar(v, "items."+k)
			if !ok {
				continue
			}
			if strings.TrimSpace(s) == "" {
				p.errorf(v.Key.Line, "items."+k, "empty")
				continue
			}
			ref := ItemRef{Kind: ItemKind(k), Value: s, Line: v.Key.Line}
			if ref.Kind == ItemPath {
				if err := checkGlob(s); err != nil {
					p.errorf(v.Val.Line, "items.path", "%v", err)
					continue
				}
			}
			key := ItemRef{Kind: ref.Kind, Value: ref.Value}
			if l, dup := seen[key]; dup {
				p.errorf(ref.Line, "items."+k, "%s is listed twice (first at line %d)", s, l)
				continue
			}
			seen[key] = ref.Line
			out = append(out, ref)
		}
	}
	return out
}

// history reads a change request's state history and checks that it is
// a valid sequence of states in time order.
func (p *parser) history(top *yaml.Node, f map[string]sy.Entry) []Event {
	e := f["history"]
	if !e.Present() {
		p.errorf(top.Line, "history", "missing (the state history, starting with \"- state: initiated\")")
		return nil
	}
	if e.Val.Kind != yaml.SequenceNode || len(e.Val.Content) == 0 {
		p.errorf(e.Val.Line, "history", "want a list of state events, found %s", sy.Describe(e.Val))
		return nil
	}
	var out []Event
	for _, n := range e.Val.Content {
		g, ok := p.Fields(n, "history", "state", "by", "at", "evidence", "commits", "note")
		if !ok {
			continue
		}
		ev := Event{Line: n.Line}
		var todos []todo
		var states []string
		for _, s := range States {
			states = append(states, string(s))
		}
		st := p.enum(g, "history.state", "state", states, &todos)
		if g["state"].Present() && g["state"].Val.Value == "released" {
			p.errorf(g["state"].Val.Line, "history.state", "\"released\" is not written into a record: a change request is released when an archived release manifest lists it")
			continue
		}
		if st == "" {
			if !g["state"].Present() {
				p.errorf(n.Line, "history.state", "missing (want %s)", strings.Join(states, ", "))
			}
			continue
		}
		ev.State = State(st)
		if ev.By = p.textAt(g, "by", "history.by", &todos); ev.By == "" {
			p.errorf(n.Line, "history.by", "missing (who moved the request to %s)", st)
		}
		if a := g["at"]; a.Present() {
			ev.At, _ = p.time(a, "history.at")
		} else {
			p.errorf(n.Line, "history.at", "missing (when, an RFC 3339 date-time in UTC such as 2026-03-14T09:30:00Z)")
		}
		ev.Evidence = p.textAt(g, "evidence", "history.evidence", &todos)
		switch {
		case ev.State == Verified && ev.Evidence == "":
			p.errorf(n.Line, "history.evidence", "missing: verification names its evidence (a test report, a CI run)")
		case ev.State != Verified && ev.Evidence != "":
			p.errorf(g["evidence"].Key.Line, "history.evidence", "only a verified event names evidence")
		}
		ev.Commits = p.list(g, "commits", &todos)
		if ev.State != Implemented && len(ev.Commits) > 0 {
			p.errorf(g["commits"].Key.Line, "history.commits", "only an implemented event names commits")
		}
		ev.Note = p.textAt(g, "note", "history.note", &todos)
		out = append(out, ev)
	}
	// The sequence of states.
	for i, ev := range out {
		var prev *Event
		if i > 0 {
			prev = &out[i-1]
		}
		if msg := transition(prev, ev); msg != "" {
			p.errorf(ev.Line, "history.state", "%s", msg)
		}
		if prev != nil && !prev.At.IsZero() && !ev.At.IsZero() && ev.At.Before(prev.At) {
			p.errorf(ev.Line, "history.at", "%s is before the previous event (%s, line %d)", ev.At.Format(time.RFC3339), prev.At.Format(time.RFC3339), prev.Line)
		}
	}
	return out
}

// next lists the states each state may move to.
var next = map[State][]State{
	Initiated:   {Approved, Rejected},
	Approved:    {Implemented, Verified, Rejected},
	Implemented: {Implemented, Verified, Rejected},
	Verified:    {},
	Rejected:    {},
}

// transition returns what is wrong with moving from prev to ev, or "".
func transition(prev *Event, ev Event) string {
	if prev == nil {
		if ev.State != Initiated {
			return fmt.Sprintf("the history starts with initiated, not %s", ev.State)
		}
		return ""
	}
	if slices.Contains(next[prev.State], ev.State) {
		return ""
	}
	switch prev.State {
	case Rejected:
		return fmt.Sprintf("%s after rejected (line %d): a rejected change request is final; write a new one", ev.State, prev.Line)
	case Verified:
		return fmt.Sprintf("%s after verified (line %d): a further change needs a new change request", ev.State, prev.Line)
	}
	return fmt.Sprintf("%s after %s (line %d): want %s", ev.State, prev.State, prev.Line, joinStates(next[prev.State]))
}

func joinStates(ss []State) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, " or ")
}

// checkGlob checks a path glob of a change request's items. TEMPORARY:
// product's glob rules once product lands.
func checkGlob(glob string) error {
	if err := product.CheckGlob(glob); err != nil {
		return fmt.Errorf("%q: %w", glob, err)
	}
	return nil
}
