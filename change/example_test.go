package change_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/baseline-cm/baseline/change"
	"github.com/baseline-cm/baseline/ident"
)

// A change request is a YAML file; ParseRequest reads one and reports
// every problem with its file, line and field.
func ExampleParseRequest() {
	r, err := change.ParseRequest("changes/requests/CR-012.yaml", []byte(`id: CR-012
title: Reject malformed go.sum lines
rationale: A malformed go.sum line was silently ignored (PR-004).
scope: soup/parse.go; no other package.
impact: None on safety; the SOUP register check gets stricter.
activities:
  - unit tests for every malformed form
verification: go test ./soup
resolves: [PR-004]
items:
  - item: CI-007
  - path: "soup/**"
history:
  - state: initiated
    by: Ada Lovelace <ada@example.com>
    at: 2026-03-14T09:30:00Z
  - state: approved
    by: Grace Hopper <grace@example.com>
    at: 2026-03-14T11:00:00Z
`), change.DefaultRequestIDs)
	if err != nil {
		fmt.Println(err)
		return
	}
	ev, _ := r.Event(change.Approved)
	fmt.Println(r.ID, r.State(), "by", ev.By, "at", ev.At.Format(time.RFC3339))
	fmt.Println("resolves", r.Resolves, "items", len(r.Items))
	// Output:
	// CR-012 approved by Grace Hopper <grace@example.com> at 2026-03-14T11:00:00Z
	// resolves [PR-004] items 2
}

// Every problem is reported, as FILE:LINE: field: what is wrong.
func ExampleParseRequest_errors() {
	_, err := change.ParseRequest("CR-003.yaml", []byte(`id: CR-3
title: Faster hashing
rationale: TODO
scope: TODO
impact: TODO
activities: []
history:
  - state: approved
    by: Grace Hopper
    at: 2026-03-14
`), change.DefaultRequestIDs)
	fmt.Println(err)
	// Output:
	// CR-003.yaml:1: id: identifier "CR-3" is not in the scheme's form (want "CR-003")
	// CR-003.yaml:8: history.state: the history starts with initiated, not approved
	// CR-003.yaml:10: history.at: "2026-03-14" is not an RFC 3339 date-time (want such as 2026-03-14T09:30:00Z)
}

// New allocates the next identifier and writes the request; Record moves
// it through its states.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "change")
	defer os.RemoveAll(dir)
	requests := filepath.Join(dir, "changes", "requests")
	at := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	id, file, err := change.New(requests, change.DefaultRequestIDs, change.NewRequest{
		Title:    "Reject malformed go.sum lines",
		Resolves: []string{"PR-004"},
		Items:    []change.ItemRef{{Kind: change.ItemPath, Value: "soup/**"}},
		By:       "Ada Lovelace <ada@example.com>",
		At:       at,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id, filepath.Base(file))
	approve := change.Transition{State: change.Approved, By: "Grace Hopper", At: at.Add(time.Hour)}
	_, err = change.Record(file, change.DefaultRequestIDs, approve)
	fmt.Println(errors.Is(err, change.ErrNotReady))

	// A person writes the plan (here: a text replacement).
	data, _ := os.ReadFile(file)
	data = regexp.MustCompile(`TODO[^\n]*`).ReplaceAll(data, []byte("written"))
	os.WriteFile(file, data, 0o666)

	r, err := change.Record(file, change.DefaultRequestIDs, approve)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.ID, r.State())
	r, err = change.Record(file, change.DefaultRequestIDs, change.Transition{
		State: change.Verified, By: "Alan Turing", At: at.Add(48 * time.Hour), Evidence: "CI run 4711",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.ID, r.State())
	data, _ = os.ReadFile(file)
	fmt.Printf("%s", data[bytes.Index(data, []byte("history:")):])
	// Output:
	// CR-001 CR-001.yaml
	// true
	// CR-001 approved
	// CR-001 verified
	// history:
	//   - state: initiated
	//     by: Ada Lovelace <ada@example.com>
	//     at: 2026-03-14T09:30:00Z
	//   - state: approved
	//     by: Grace Hopper
	//     at: 2026-03-14T10:30:00Z
	//   - state: verified
	//     by: Alan Turing
	//     at: 2026-03-16T09:30:00Z
	//     evidence: CI run 4711
}

// The trailer of a commit message names the change request it implements.
func ExampleTrailers() {
	msg := "soup: reject malformed go.sum lines\n\nA line with two hashes was read as one.\n\nChange-Request: CR-012\nSigned-off-by: Ada <ada@example.com>\n"
	fmt.Println(change.Trailers(msg, change.DefaultTrailer))
	// Output:
	// [CR-012]
}

// Check joins the records with the commits since the last baseline (here
// written by hand; Commits reads them from git) and reports every change
// that is not traced to an approved, verified change request.
func ExampleCheck() {
	r, _ := change.ParseRequest("changes/requests/CR-001.yaml", []byte(`id: CR-001
title: Faster start
rationale: Start-up takes 3 s.
scope: cmd/app
impact: none
activities: [benchmark]
items: [{path: "cmd/app/**"}]
history:
  - {state: initiated, by: Ada, at: 2026-03-01T09:00:00Z}
  - {state: approved, by: Grace, at: 2026-03-01T10:00:00Z}
`), change.DefaultRequestIDs)
	commits := []change.Commit{
		{Hash: "2222222222222222", Subject: "docs: typo", Time: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
			Items: []change.ItemChange{{ID: "CI-004", Name: "README.md", Path: "README.md", Files: []string{"README.md"}}}},
		{Hash: "1111111111111111", Subject: "app: cache", Time: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Requests: []string{"CR-001"},
			Items: []change.ItemChange{
				{ID: "CI-001", Name: "example.com/app/cmd/app", Path: "cmd/app", Files: []string{"cmd/app/main.go"}},
				{ID: "SOUP-003", Name: "golang.org/x/sync", Module: "golang.org/x/sync", Old: "v0.7.0", New: "v0.8.0"},
			}},
	}
	for _, f := range change.Check(change.CheckInput{Records: &change.Records{Requests: []*change.Request{r}}, Commits: commits}) {
		fmt.Println(f)
	}
	// Output:
	// unauthorised: commit 222222222222 "docs: typo" changes CI-004 README.md but names no change request
	// changes/requests/CR-001.yaml:1: out-of-scope: commit 111111111111 "app: cache" changes SOUP-003 golang.org/x/sync, which CR-001 does not list in its items
	// changes/requests/CR-001.yaml:1: unverified: CR-001 "Faster start" is in the release but approved, not verified
}

// Classify is how "baseline change new --items" reads its arguments.
func ExampleClassify() {
	schemes := []ident.Scheme{{Prefix: "CI-", Width: 3}, {Prefix: "SOUP-", Width: 3}}
	modules := []string{"golang.org/x/mod"}
	for _, arg := range []string{"CI-007", "golang.org/x/mod", "docs/**"} {
		ref, _ := change.Classify(arg, schemes, modules)
		fmt.Println(ref.Kind, ref.Value)
	}
	// Output:
	// item CI-007
	// module golang.org/x/mod
	// path docs/**
}

// Load reads every record of a product; records sharing an identifier
// are reported by Duplicates.
func ExampleLoad() {
	root, _ := os.MkdirTemp("", "records")
	defer os.RemoveAll(root)
	dir := filepath.Join(root, "changes", "problems")
	os.MkdirAll(dir, 0o777)
	os.WriteFile(filepath.Join(dir, "PR-001.yaml"), []byte(`id: PR-001
title: Crash on empty go.sum
description: soup check panics when go.sum is empty.
reporter: Grace Hopper <grace@example.com>
date: 2026-03-13T15:20:00Z
classification: {type: corrective, scope: soup check, criticality: high}
state: open
`), 0o666)
	rs, err := change.Load(root, change.DefaultDirs, change.DefaultSchemes)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := rs.Problem("PR-001")
	fmt.Println(p.ID, p.State, p.Classification.Criticality, p.Date.Format(time.RFC3339))
	// Output:
	// PR-001 open high 2026-03-13T15:20:00Z
}
