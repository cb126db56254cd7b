package change

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"
	"go.yaml.in/yaml/v3"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/atomicfile"
)

// NewRequest is what New writes into a new change request.
type NewRequest struct {
	Title    string
	Resolves []string
	Items    []ItemRef
	// By and At are who initiates the request and when (At is written in
	// UTC, to the second).
	By string
	At time.Time
	// Reserved are identifiers known to be taken that are not in the
	// directory (IDs named in the repository's history: commit trailers,
	// deleted records), so that they are never issued again.
	Reserved []string
}

// New writes a new change request into dir (the change requests'
// directory, created if missing) and returns its identifier and file.
// The identifier is the one after the highest ever taken in the scheme:
// by a record file in dir (its name starts with the identifier), or in
// req.Reserved. The request is written as dir/ID.yaml with TODO markers
// for its rationale, scope, impact, activities and verification, in
// state initiated. The file is created atomically and exclusively:
// concurrent calls, from any number of processes, each get their own
// identifier.
func New(dir string, scheme ident.Scheme, req NewRequest) (id, file string, err error) {
	if err := scheme.Validate(); err != nil {
		return "", "", err
	}
	if err := oneLineText("title", req.Title); err != nil {
		return "", "", err
	}
	if err := oneLineText("by", req.By); err != nil {
		return "", "", err
	}
	if req.At.IsZero() {
		return "", "", errors.New("new change request: no time given")
	}
	for _, pr := range req.Resolves {
		if err := oneLineText("resolves", pr); err != nil {
			return "", "", err
		}
	}
	for _, it := range req.Items {
		if err := oneLineText("items", it.Value); err != nil {
			return "", "", err
		}
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", "", fmt.Errorf("new change request: %w", err)
	}
	for attempt := 0; ; attempt++ {
		a, err := ident.New(scheme)
		if err != nil {
			return "", "", err
		}
		for _, r := range req.Reserved {
			if n, err := scheme.Parse(r); err == nil {
				a.Reserve(n)
			}
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			return "", "", fmt.Errorf("new change request: %w", err)
		}
		for _, e := range ents {
			if n, ok := fileID(scheme, e.Name()); ok {
				a.Reserve(n)
			}
		}
		id = a.Next()
		data := renderRequest(id, req)
		// A check of what is written, so that New never writes a record
		// that does not load.
		if _, err := ParseRequest(id+".yaml", data, scheme); err != nil {
			return "", "", fmt.Errorf("new change request: %w", err)
		}
		file = filepath.Join(dir, id+".yaml")
		err = atomicfile.CreateNew(file, data, 0o666)
		if errors.Is(err, fs.ErrExist) && attempt < 1000 {
			continue // another process took the identifier: take the next
		}
		if err != nil {
			return "", "", fmt.Errorf("new change request: %w", err)
		}
		return id, file, nil
	}
}

// fileID returns the number of the identifier a record file's name
// starts with.
func fileID(scheme ident.Scheme, name string) (int, bool) {
	if strings.HasPrefix(name, ".") {
		return 0, false
	}
	rest, ok := strings.CutPrefix(name, scheme.Prefix)
	if !ok {
		return 0, false
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i == 0 || i < len(rest) && rest[i] != '.' && rest[i] != '-' {
		return 0, false
	}
	n, err := scheme.Parse(scheme.Prefix + rest[:i])
	return n, err == nil
}

func oneLineText(field, s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("%s: empty", field)
	}
	if strings.ContainsAny(s, "\r\n") {
		return fmt.Errorf("%s: %q is more than one line", field, s)
	}
	return nil
}

// scalar returns s as a YAML scalar on one line: plain when it reads as
// the same text, quoted otherwise.
func scalar(s string) string {
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
	if err != nil || bytes.Count(out, []byte("\n")) > 1 {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

const requestHeader = `# Change request (IEC 62304 8.2; ISO 13485 7.3.9): the plan for a change.
# Replace the TODOs before approval; the format is described by
# "go doc github.com/baseline-cm/baseline/change".
`

func renderRequest(id string, req NewRequest) []byte {
	var b strings.Builder
	b.WriteString(requestHeader)
	fmt.Fprintf(&b, "id: %s\n", id)
	fmt.Fprintf(&b, "title: %s\n", scalar(req.Title))
	b.WriteString("rationale: TODO why the change is needed\n")
	b.WriteString("scope: TODO what is changed, and what is not\n")
	b.WriteString("impact: TODO the analysis of the change's effects (safety and risk controls, other items, SOUP, documentation)\n")
	b.WriteString("activities:\n  - TODO the activities the change needs, verification included\n")
	b.WriteString("verification: TODO the verification needed (tests, review)\n")
	if len(req.Resolves) == 0 {
		b.WriteString("resolves: []\n")
	} else {
		b.WriteString("resolves:\n")
		for _, pr := range req.Resolves {
			fmt.Fprintf(&b, "  - %s\n", scalar(pr))
		}
	}
	if len(req.Items) == 0 {
		b.WriteString("items: []\n")
	} else {
		b.WriteString("items:\n")
		for _, it := range req.Items {
			fmt.Fprintf(&b, "  - %s: %s\n", it.Kind, scalar(it.Value))
		}
	}
	b.WriteString("history:\n")
	writeEvent(&b, "  ", Event{State: Initiated, By: req.By, At: req.At})
	return []byte(b.String())
}

func writeEvent(b *strings.Builder, indent string, ev Event) {
	fmt.Fprintf(b, "%s- state: %s\n", indent, ev.State)
	fmt.Fprintf(b, "%s  by: %s\n", indent, scalar(ev.By))
	fmt.Fprintf(b, "%s  at: %s\n", indent, ev.At.UTC().Truncate(time.Second).Format(time.RFC3339))
	if ev.Evidence != "" {
		fmt.Fprintf(b, "%s  evidence: %s\n", indent, scalar(ev.Evidence))
	}
	if ev.Note != "" {
		fmt.Fprintf(b, "%s  note: %s\n", indent, scalar(ev.Note))
	}
}

// Transition is a state change Record appends to a change request.
type Transition struct {
	// State is Approved, Rejected, Implemented or Verified.
	State    State
	By       string
	At       time.Time
	Evidence string // for Verified
	Note     string
}

// ErrNotReady is returned (wrapped) by Record when a change request still
// has TODO markers in the fields approval needs: a change request is a
// plan, approved once its rationale, scope, impact and activities are
// written.
var ErrNotReady = errors.New("the change request is not ready for approval")

// Record appends a state change to the change request in file and
// returns the updated request. The change must follow the request's
// current state (approved or rejected after initiated; verified after
// approved or implemented); approval needs a request without TODO
// markers. The file is replaced atomically under a lock, so concurrent
// writers of one record each see the other's change; comments and the
// rest of the file are kept.
func Record(file string, scheme ident.Scheme, t Transition) (*Request, error) {
	if err := oneLineText("by", t.By); err != nil {
		return nil, err
	}
	if t.State == Verified {
		if err := oneLineText("evidence", t.Evidence); err != nil {
			return nil, err
		}
	} else if t.Evidence != "" {
		return nil, errors.New("evidence: only a verification names evidence")
	}
	if t.Note != "" {
		if err := oneLineText("note", t.Note); err != nil {
			return nil, err
		}
	}
	if t.At.IsZero() {
		return nil, errors.New("no time given")
	}
	if !slices.Contains([]State{Approved, Rejected, Implemented, Verified}, t.State) {
		return nil, fmt.Errorf("cannot record state %q", t.State)
	}
	var out *Request
	err := editLocked(file, func(data []byte) ([]byte, error) {
		r, err := ParseRequest(file, data, scheme)
		if err != nil {
			return nil, err
		}
		cur := r.State()
		if cur == t.State && t.State != Implemented {
			return nil, fmt.Errorf("%s: %s is already %s", file, r.ID, cur)
		}
		if !slices.Contains(next[cur], t.State) {
			prev := r.History[len(r.History)-1]
			return nil, fmt.Errorf("%s: %s", file, transition(&prev, Event{State: t.State}))
		}
		if t.State == Approved && len(r.todos) > 0 {
			var fields []string
			for _, t := range r.todos {
				fields = append(fields, fmt.Sprintf("%s (line %d)", t.field, t.line))
			}
			return nil, fmt.Errorf("%s: %w: replace the TODO in %s", file, ErrNotReady, strings.Join(fields, ", "))
		}
		ev := Event{State: t.State, By: t.By, At: t.At, Evidence: t.Evidence, Note: t.Note}
		if last := r.History[len(r.History)-1]; ev.At.Truncate(time.Second).Before(last.At) {
			return nil, fmt.Errorf("%s: %s is before the request's last event (%s)", file, ev.At.UTC().Format(time.RFC3339), last.At.Format(time.RFC3339))
		}
		updated, err := appendEvent(data, ev)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		out, err = ParseRequest(file, updated, scheme)
		if err != nil {
			return nil, fmt.Errorf("%s: the edited record does not parse (edit it by hand): %w", file, err)
		}
		return updated, nil
	})
	return out, err
}

// appendEvent adds ev at the end of the history list of a record. When
// the history is the last key, in block style (as New writes it), the
// event is added as text at the end, keeping the file byte for byte;
// otherwise the document is re-encoded from its YAML tree, which keeps
// comments but may change layout.
func appendEvent(data []byte, ev Event) ([]byte, error) {
	var doc yaml.Node
	err := yaml.Unmarshal(data, &doc)
	root := &doc
	if err != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a change request")
	}
	top := root.Content[0]
	var hist *yaml.Node
	last := false
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "history" {
			hist = top.Content[i+1]
			last = i+2 == len(top.Content)
		}
	}
	if hist == nil || hist.Kind != yaml.SequenceNode || len(hist.Content) == 0 {
		return nil, errors.New("history: want a list of state events")
	}
	// "- state: ..." lines: the dash two columns before the event's keys.
	if col := hist.Content[0].Column; last && col >= 3 && hist.Style&yaml.FlowStyle == 0 && hist.Content[0].Style&yaml.FlowStyle == 0 {
		var b strings.Builder
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
		writeEvent(&b, strings.Repeat(" ", col-3), ev)
		return []byte(b.String()), nil
	}
	var b strings.Builder
	writeEvent(&b, "", ev)
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(b.String()), &n); err != nil {
		return nil, err
	}
	hist.Content = append(hist.Content, n.Content[0].Content[0])
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// editLocked replaces file with edit's result of its content, under an
// exclusive lock on the file, atomically. A writer that waited for the
// lock while another replaced the file starts again on the new file.
func editLocked(file string, edit func([]byte) ([]byte, error)) error {
	target, err := atomicfile.Resolve(file)
	if err != nil {
		return err
	}
	for range 100 {
		f, err := lockedfile.OpenFile(target, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		fi, err1 := f.Stat()
		cur, err2 := os.Stat(target)
		if err1 != nil || err2 != nil || !os.SameFile(fi, cur) {
			f.Close()
			if err2 != nil {
				return err2
			}
			continue // replaced while we waited
		}
		data, err := io.ReadAll(io.LimitReader(f, maxRecordSize+1))
		if err != nil {
			f.Close()
			return err
		}
		if len(data) > maxRecordSize {
			f.Close()
			return fmt.Errorf("%s: larger than %d MiB", file, maxRecordSize>>20)
		}
		out, err := edit(data)
		if err == nil {
			err = atomicfile.WriteFile(target, out, 0o666)
		}
		f.Close()
		return err
	}
	return fmt.Errorf("%s: replaced by other writers too often", file)
}
