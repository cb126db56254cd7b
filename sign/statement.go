package sign

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The in-toto and DSSE identifiers baseline writes and accepts.
const (
	// PayloadType is the DSSE payload type of an in-toto statement.
	PayloadType = "application/vnd.in-toto+json"
	// StatementType is the in-toto Statement v1 _type.
	StatementType = "https://in-toto.io/Statement/v1"
	// ReleasePredicateType is the predicate type of a release statement,
	// whose predicate is the release's manifest.json.
	ReleasePredicateType = "https://github.com/baseline-cm/baseline/release/v1"
	// ApprovalPredicateType is the predicate type of an approval statement,
	// one person's signature of a release.
	ApprovalPredicateType = "https://github.com/baseline-cm/baseline/approval/v1"
)

// ReleaseSubjectName is the name of an approval statement's one subject:
// the release statement, by the SHA-256 of its DSSE payload bytes.
const ReleaseSubjectName = "release-statement"

// The meanings every project may use (21 CFR 11.50(a)(3)),
// product.BuiltinMeanings; baseline.yaml's signing.meanings adds
// project-defined ones.
const (
	Authored = "authored"
	Reviewed = "reviewed"
	Approved = "approved"
)

// Statement is an in-toto Statement v1.
type Statement struct {
	Type          string          `json:"_type"`
	Subject       []Subject       `json:"subject"`
	PredicateType string          `json:"predicateType"`
	Predicate     json.RawMessage `json:"predicate"`
}

// Subject is an in-toto resource descriptor: a name and its digests.
type Subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// SHA256 returns the subject's sha256 digest, or "".
func (s Subject) SHA256() string { return s.Digest["sha256"] }

// Approval is the predicate of an approval statement: one signer's
// signature manifestation (21 CFR 11.50): printed name, user ID, meaning
// and UTC time, with the fingerprint of the key that signs it.
type Approval struct {
	Name           string    `json:"name"`
	UserID         string    `json:"userId,omitempty"`
	Meaning        string    `json:"meaning"`
	Time           time.Time `json:"time"`
	Comment        string    `json:"comment,omitempty"`
	KeyFingerprint string    `json:"keyFingerprint"`
}

// marshal encodes v as compact JSON without HTML escaping, so that names
// such as "Ann <ann@example.com>" stay readable in the payload.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// NewReleaseStatement returns the release statement of a release: its
// predicate is the manifest JSON itself, its subjects are manifest.json
// and files (the SBOMs and artifacts the manifest lists), each by SHA-256,
// sorted by name.
func NewReleaseStatement(manifestJSON []byte, files []Subject) (*Statement, error) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, manifestJSON); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	subj := []Subject{digestSubject(ManifestFile, manifestJSON)}
	subj = append(subj, files...)
	slices.SortFunc(subj, func(a, b Subject) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(subj); i++ {
		if subj[i].Name == subj[i-1].Name {
			return nil, fmt.Errorf("subject %s listed twice", subj[i].Name)
		}
	}
	return &Statement{
		Type:          StatementType,
		Subject:       subj,
		PredicateType: ReleasePredicateType,
		Predicate:     compact.Bytes(),
	}, nil
}

// NewApprovalStatement returns the approval statement of a for the release
// statement whose DSSE payload bytes are releasePayload.
func NewApprovalStatement(releasePayload []byte, a Approval) (*Statement, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	a.Time = a.Time.UTC().Truncate(time.Second)
	pred, err := marshal(a)
	if err != nil {
		return nil, err
	}
	return &Statement{
		Type:          StatementType,
		Subject:       []Subject{digestSubject(ReleaseSubjectName, releasePayload)},
		PredicateType: ApprovalPredicateType,
		Predicate:     pred,
	}, nil
}

func (a *Approval) check() error {
	switch {
	case strings.TrimSpace(a.Name) == "":
		return errors.New("approval: the signer's printed name is empty")
	case a.Meaning == "":
		return errors.New("approval: the meaning is empty")
	case a.Time.IsZero():
		return errors.New("approval: the time is missing")
	case a.KeyFingerprint == "":
		return errors.New("approval: the key fingerprint is missing")
	}
	if !validMeaning(a.Meaning) {
		return fmt.Errorf("approval: meaning %q: want lower-case letters, digits and '-'", a.Meaning)
	}
	for _, s := range []string{a.Name, a.UserID, a.Comment} {
		if strings.ContainsAny(s, "\r\n") {
			return fmt.Errorf("approval: %q: line breaks are not allowed", s)
		}
	}
	return nil
}

// validMeaning reports whether m is a well-formed meaning: lower-case
// letters, digits and hyphens, starting with a letter, such as "authored"
// or "qa-approved" (as baseline.yaml's signing.meanings).
func validMeaning(m string) bool {
	if m == "" || m[0] < 'a' || m[0] > 'z' {
		return false
	}
	for _, r := range m {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func digestSubject(name string, data []byte) Subject {
	sum := sha256.Sum256(data)
	return Subject{Name: name, Digest: map[string]string{"sha256": hex.EncodeToString(sum[:])}}
}

// ParseStatement parses a DSSE payload as an in-toto Statement v1,
// strictly: unknown fields, a wrong _type, a subject without a name or a
// sha256 digest are errors.
func ParseStatement(payload []byte) (*Statement, error) {
	var s Statement
	if err := decodeStrict(payload, &s); err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	if s.Type != StatementType {
		return nil, fmt.Errorf("statement: _type %q, want %q", s.Type, StatementType)
	}
	if len(s.Subject) == 0 {
		return nil, errors.New("statement: no subject")
	}
	for i, sub := range s.Subject {
		if sub.Name == "" {
			return nil, fmt.Errorf("statement: subject[%d]: empty name", i)
		}
		if !isSHA256(sub.SHA256()) {
			return nil, fmt.Errorf("statement: subject %s: sha256 digest %q is not 64 lower-case hex digits", sub.Name, sub.SHA256())
		}
	}
	if s.PredicateType == "" {
		return nil, errors.New("statement: empty predicateType")
	}
	if len(s.Predicate) == 0 || string(s.Predicate) == "null" {
		return nil, errors.New("statement: no predicate")
	}
	return &s, nil
}

// ParseApproval parses an approval statement's predicate, strictly.
func ParseApproval(predicate []byte) (*Approval, error) {
	var a Approval
	if err := decodeStrict(predicate, &a); err != nil {
		return nil, fmt.Errorf("approval: %w", err)
	}
	if err := a.check(); err != nil {
		return nil, err
	}
	if a.Time.Location() != time.UTC {
		return nil, fmt.Errorf("approval: time %s is not UTC", a.Time.Format(time.RFC3339))
	}
	if !isSHA256(a.KeyFingerprint) {
		return nil, fmt.Errorf("approval: keyFingerprint %q is not 64 lower-case hex digits", a.KeyFingerprint)
	}
	return &a, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
