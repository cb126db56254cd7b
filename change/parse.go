package change

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/baseline-cm/baseline/ident"
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
	p := &parser{file: name}
	top := p.document(data, "change request")
	if top == nil {
		return nil, p.err()
	}
	f, ok := p.fields(top, "", requestKeys...)
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
	if f["activities"].key == nil {
		p.errorf(top.Line, "activities", "missing (the activities planned, verification included; \"activities: []\" for none)")
	}
	r.Verification = p.text(f, "verification", &r.todos)
	r.Resolves = p.list(f, "resolves", &r.todos)
	seen := map[string]int{}
	for i, id := range r.Resolves {
		line := f["resolves"].itemLine(i)
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
	p := &parser{file: name}
	top := p.document(data, "problem report")
	if top == nil {
		return nil, p.err()
	}
	f, ok := p.fields(top, "", problemKeys...)
	if !ok {
		return nil, p.err()
	}
	pr := &Problem{File: name, Line: top.Line}
	pr.ID = p.id(top, f, scheme)
	pr.Title = p.required(top, f, "title", &pr.todos)
	pr.Description = p.required(top, f, "description", &pr.todos)
	pr.Reporter = p.required(top, f, "reporter", &pr.todos)
	if e := f["date"]; e.present() {
		pr.Date, _ = p.time(e, "date")
	} else {
		p.errorf(top.Line, "date", "missing (when the problem was reported, an RFC 3339 date-time such as 2026-03-14T09:30:00Z)")
	}
	if e := f["classification"]; e.present() {
		if g, ok := p.fields(e.val, "classification", "type", "scope", "criticality"); ok {
			pr.Classification.Type = p.enum(g, "classification.type", "type", ProblemTypes, &pr.todos)
			pr.Classification.Scope = p.text(g, "scope", &pr.todos)
			pr.Classification.Criticality = p.enum(g, "classification.criticality", "criticality", Criticalities, &pr.todos)
			if pr.Classification.Type == "" {
				p.errorf(e.val.Line, "classification.type", "missing (want %s)", strings.Join(ProblemTypes, ", "))
			}
			if pr.Classification.Criticality == "" {
				p.errorf(e.val.Line, "classification.criticality", "missing (want %s)", strings.Join(Criticalities, ", "))
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
		p.errorf(f["no_change_reason"].key.Line, "no_change_reason", "a problem report names either the change request that resolves it (resolved_by) or the reason none is needed, not both")
	case pr.State == Resolved && pr.ResolvedBy == "":
		p.errorf(f["state"].val.Line, "resolved_by", "missing: a resolved problem report names the change request that resolves it")
	case pr.State == Closed && pr.NoChangeReason == "":
		p.errorf(f["state"].val.Line, "no_change_reason", "missing: a problem report closed without a change says why none is needed")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return pr, nil
}

// ParseAnomaly parses a residual anomaly record; see ParseRequest.
func ParseAnomaly(name string, data []byte, scheme ident.Scheme) (*Anomaly, error) {
	p := &parser{file: name}
	top := p.document(data, "residual anomaly")
	if top == nil {
		return nil, p.err()
	}
	f, ok := p.fields(top, "", anomalyKeys...)
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
	file string
	errs []*Error
}

func (p *parser) errorf(line int, field, format string, args ...any) {
	if field == "" {
		field = "record"
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (?s)(.*)$`)

// document decodes the one YAML document of a record and returns its
// top-level mapping, or nil (with the problem recorded).
func (p *parser) document(data []byte, what string) *yaml.Node {
	root, err := decodeYAML(data)
	if err != nil {
		msg := strings.Join(strings.Fields(err.Error()), " ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			p.errorf(n, "syntax", "%s", m[2])
		} else {
			p.errorf(0, "syntax", "%s", strings.TrimPrefix(msg, "yaml: "))
		}
		return nil
	}
	if root == nil || len(root.Content) == 0 {
		p.errorf(0, "id", "empty file (want a %s: id, title, ...)", what)
		return nil
	}
	if !p.noAliases(root) {
		return nil
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		p.errorf(top.Line, "record", "want a %s (a mapping of key: value lines), found %s", what, describe(top))
		return nil
	}
	return top
}

// decodeYAML decodes exactly one YAML document; nil for an empty file.
func decodeYAML(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, fmt.Errorf("yaml: line %d: a record is a single YAML document; another one starts here", max(extra.Line, 1))
	case !errors.Is(err, io.EOF):
		return nil, err
	}
	return &n, nil
}

func (p *parser) noAliases(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		p.errorf(n.Line, "syntax", "anchors and aliases (&, *) are not allowed in a record")
		return false
	}
	for _, c := range n.Content {
		if !p.noAliases(c) {
			return false
		}
	}
	return true
}

type entry struct{ key, val *yaml.Node }

func (e entry) present() bool { return e.val != nil && !isNull(e.val) }

// itemLine is the line of the i-th element of a list value.
func (e entry) itemLine(i int) int {
	if e.val != nil && e.val.Kind == yaml.SequenceNode && i < len(e.val.Content) {
		return e.val.Content[i].Line
	}
	if e.val != nil {
		return e.val.Line
	}
	return 0
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case isNull(n):
		return "nothing"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fields reads mapping m at path: keys must be allowed and given once.
func (p *parser) fields(m *yaml.Node, path string, allowed ...string) (map[string]entry, bool) {
	if m.Kind != yaml.MappingNode {
		p.errorf(m.Line, path, "want a mapping (key: value lines), found %s", describe(m))
		return nil, false
	}
	out := map[string]entry{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k.Line, path, "keys must be plain names, found %s", describe(k))
			continue
		}
		field := join(path, k.Value)
		if !slices.Contains(allowed, k.Value) {
			if strings.ContainsFunc(k.Value, func(r rune) bool { return r <= ' ' || r == '"' }) {
				field = join(path, strconv.Quote(k.Value))
			}
			p.errorf(k.Line, field, "unknown key (want %s)", strings.Join(allowed, ", "))
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.errorf(k.Line, field, "given twice (first at line %d)", prev.key.Line)
			continue
		}
		out[k.Value] = entry{k, v}
	}
	return out, true
}

// scalar returns a scalar's text ("" for null), recording a problem for
// anything else.
func (p *parser) scalar(e entry, field string) (string, bool) {
	if e.val.Kind != yaml.ScalarNode {
		p.errorf(e.val.Line, field, "want a single value, found %s", describe(e.val))
		return "", false
	}
	if isNull(e.val) {
		return "", true
	}
	return e.val.Value, true
}

// text reads an optional text field under key of f; field is its name in
// messages.
func (p *parser) textAt(f map[string]entry, key, field string, todos *[]todo) string {
	e := f[key]
	if !e.present() {
		return ""
	}
	s, ok := p.scalar(e, field)
	if !ok {
		return ""
	}
	if IsTODO(s) {
		*todos = append(*todos, todo{field, e.val.Line})
	}
	return s
}

func (p *parser) text(f map[string]entry, key string, todos *[]todo) string {
	return p.textAt(f, key, key, todos)
}

// required reads a text field that must be present (a TODO marker counts
// as present: it is reported by TODOs, for the commands that need the
// field filled in).
func (p *parser) required(top *yaml.Node, f map[string]entry, key string, todos *[]todo) string {
	s := p.text(f, key, todos)
	if s == "" && f[key].val == nil || f[key].val != nil && f[key].val.Kind == yaml.ScalarNode && strings.TrimSpace(s) == "" {
		line := top.Line
		if f[key].key != nil {
			line = f[key].key.Line
		}
		p.errorf(line, key, "missing (or write TODO to fill it in later)")
	}
	return s
}

func (p *parser) enum(f map[string]entry, field, key string, allowed []string, todos *[]todo) string {
	s := p.textAt(f, key, field, todos)
	if s != "" && !slices.Contains(allowed, s) {
		p.errorf(f[key].val.Line, field, "%q is not allowed (want %s)", s, strings.Join(allowed, ", "))
		return ""
	}
	return s
}

// list reads a list of texts; a single text is a list of one.
func (p *parser) list(f map[string]entry, key string, todos *[]todo) []string {
	e := f[key]
	if !e.present() {
		return nil
	}
	if e.val.Kind == yaml.ScalarNode {
		s := p.text(f, key, todos)
		if s == "" {
			return nil
		}
		return []string{s}
	}
	if e.val.Kind != yaml.SequenceNode {
		p.errorf(e.val.Line, key, "want a list of texts, found %s", describe(e.val))
		return nil
	}
	out := []string{}
	for _, n := range e.val.Content {
		if n.Kind != yaml.ScalarNode || isNull(n) || strings.TrimSpace(n.Value) == "" {
			p.errorf(n.Line, key, "want a list of texts, found %s", describe(n))
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
func (p *parser) id(top *yaml.Node, f map[string]entry, scheme ident.Scheme) string {
	e := f["id"]
	if !e.present() {
		p.errorf(top.Line, "id", "missing (the record's identifier, such as %s)", scheme.Format(1))
		return ""
	}
	s, ok := p.scalar(e, "id")
	if !ok {
		return ""
	}
	if _, err := scheme.Parse(s); err != nil {
		p.errorf(e.val.Line, "id", "%v", err)
		return ""
	}
	return s
}

// time reads an RFC 3339 date-time; it is returned in UTC.
func (p *parser) time(e entry, field string) (time.Time, bool) {
	s, ok := p.scalar(e, field)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.errorf(e.val.Line, field, "%q is not an RFC 3339 date-time (want such as 2026-03-14T09:30:00Z)", s)
		return time.Time{}, false
	}
	return t.UTC(), true
}

// items reads a change request's item references.
func (p *parser) items(f map[string]entry) []ItemRef {
	e := f["items"]
	if e.key == nil {
		return nil
	}
	if isNull(e.val) {
		return nil
	}
	if e.val.Kind != yaml.SequenceNode {
		p.errorf(e.val.Line, "items", "want a list of items (- item: CI-001, - module: example.com/m, - path: \"docs/**\"), found %s", describe(e.val))
		return nil
	}
	var out []ItemRef
	seen := map[ItemRef]int{}
	for _, n := range e.val.Content {
		g, ok := p.fields(n, "items", string(ItemID), string(ItemModule), string(ItemPath))
		if !ok {
			continue
		}
		if len(g) != 1 {
			if len(g) > 1 {
				p.errorf(n.Line, "items", "one of item, module or path per entry")
			}
			continue
		}
		for k, v := range g {
			s, ok := p.scalar(v, "items."+k)
			if !ok {
				continue
			}
			if strings.TrimSpace(s) == "" {
				p.errorf(v.key.Line, "items."+k, "empty")
				continue
			}
			ref := ItemRef{Kind: ItemKind(k), Value: s, Line: v.key.Line}
			if ref.Kind == ItemPath {
				if err := checkGlob(s); err != nil {
					p.errorf(v.val.Line, "items.path", "%v", err)
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
func (p *parser) history(top *yaml.Node, f map[string]entry) []Event {
	e := f["history"]
	if !e.present() {
		p.errorf(top.Line, "history", "missing (the state history, starting with \"- state: initiated\")")
		return nil
	}
	if e.val.Kind != yaml.SequenceNode || len(e.val.Content) == 0 {
		p.errorf(e.val.Line, "history", "want a list of state events, found %s", describe(e.val))
		return nil
	}
	var out []Event
	for _, n := range e.val.Content {
		g, ok := p.fields(n, "history", "state", "by", "at", "evidence", "commits", "note")
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
		if g["state"].present() && g["state"].val.Value == "released" {
			p.errorf(g["state"].val.Line, "history.state", "\"released\" is not written into a record: a change request is released when an archived release manifest lists it")
			continue
		}
		if st == "" {
			if !g["state"].present() {
				p.errorf(n.Line, "history.state", "missing (want %s)", strings.Join(states, ", "))
			}
			continue
		}
		ev.State = State(st)
		if ev.By = p.textAt(g, "by", "history.by", &todos); ev.By == "" {
			p.errorf(n.Line, "history.by", "missing (who moved the request to %s)", st)
		}
		if a := g["at"]; a.present() {
			ev.At, _ = p.time(a, "history.at")
		} else {
			p.errorf(n.Line, "history.at", "missing (when, an RFC 3339 date-time in UTC such as 2026-03-14T09:30:00Z)")
		}
		ev.Evidence = p.textAt(g, "evidence", "history.evidence", &todos)
		switch {
		case ev.State == Verified && ev.Evidence == "":
			p.errorf(n.Line, "history.evidence", "missing: verification names its evidence (a test report, a CI run)")
		case ev.State != Verified && ev.Evidence != "":
			p.errorf(g["evidence"].key.Line, "history.evidence", "only a verified event names evidence")
		}
		ev.Commits = p.list(g, "commits", &todos)
		if ev.State != Implemented && len(ev.Commits) > 0 {
			p.errorf(g["commits"].key.Line, "history.commits", "only an implemented event names commits")
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
	if strings.HasPrefix(glob, "/") || strings.Contains(glob, `\`) {
		return fmt.Errorf("%q: a glob is a slash-separated path relative to the repository root", glob)
	}
	return nil
}
