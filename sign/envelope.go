package sign

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// Envelope is a DSSE envelope, as go-securesystemslib's dsse package
// defines it.
type Envelope = dsse.Envelope

// Signature is one signature of an envelope. baseline leaves its key ID
// empty: some verifiers skip a signature whose key ID they do not
// recognise.
type Signature = dsse.Signature

// SignStatement encodes s as a DSSE payload of type PayloadType and signs
// it with key; with a nil key the envelope has no signature (the release
// statement of an unsigned release, which approvals then sign).
func SignStatement(ctx context.Context, s *Statement, key *PrivateKey) (*Envelope, error) {
	payload, err := marshal(s)
	if err != nil {
		return nil, err
	}
	if key == nil {
		return &Envelope{
			PayloadType: PayloadType,
			Payload:     base64.StdEncoding.EncodeToString(payload),
			Signatures:  []Signature{},
		}, nil
	}
	es, err := dsse.NewEnvelopeSigner(dsseSigner{key})
	if err != nil {
		return nil, err
	}
	return es.SignPayload(ctx, PayloadType, payload)
}

// VerifyEnvelope reports whether sig, one of e's signatures, verifies with
// key over the DSSE pre-authentication encoding of e's payload.
func VerifyEnvelope(ctx context.Context, e *Envelope, sig Signature, key *PublicKey) bool {
	ev, err := dsse.NewEnvelopeVerifier(dsseVerifier{key})
	if err != nil {
		return false
	}
	one := *e
	one.Signatures = []Signature{sig}
	_, err = ev.Verify(ctx, &one)
	return err == nil
}

// MarshalEnvelope encodes e as one line of compact JSON, without the
// trailing newline.
func MarshalEnvelope(e *Envelope) ([]byte, error) {
	if e.Signatures == nil {
		c := *e
		c.Signatures = []Signature{}
		e = &c
	}
	return marshal(e)
}

// ParseEnvelope parses one DSSE envelope, strictly: unknown fields, a
// payload that is not standard base64, or a signature that is not, are
// errors.
func ParseEnvelope(data []byte) (*Envelope, error) {
	var e Envelope
	if err := decodeStrict(data, &e); err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	if e.PayloadType == "" {
		return nil, errors.New("envelope: empty payloadType")
	}
	if _, err := base64.StdEncoding.DecodeString(e.Payload); err != nil || e.Payload == "" {
		return nil, errors.New("envelope: payload is not standard base64")
	}
	for i, s := range e.Signatures {
		if b, err := base64.StdEncoding.DecodeString(s.Sig); err != nil || len(b) == 0 {
			return nil, fmt.Errorf("envelope: signatures[%d]: sig is not standard base64", i)
		}
	}
	return &e, nil
}

// Payload returns e's decoded payload.
func Payload(e *Envelope) ([]byte, error) {
	return base64.StdEncoding.DecodeString(e.Payload)
}

// ParseEnvelopes parses a JSON-lines file of DSSE envelopes, one a line
// (release.intoto.jsonl). name names the file in errors, which give the
// line number. Empty lines are errors too: the file is written only by
// baseline.
func ParseEnvelopes(name string, data []byte) ([]*Envelope, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: empty", name)
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		return nil, fmt.Errorf("%s: last line is not terminated (truncated file?)", name)
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	var envs []*Envelope
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			return nil, fmt.Errorf("%s:%d: an empty line (the file holds one envelope a line)", name, i+1)
		}
		e, err := ParseEnvelope(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		envs = append(envs, e)
	}
	return envs, nil
}
