package sign

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestParseEnvelopesErrors(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{"", "e.jsonl: empty"},
		{`{"payloadType":"x","payload":"eA==","signatures":[]}`, "e.jsonl: last line is not terminated"},
		{"\n", "e.jsonl:1: an empty line (the file holds one envelope a line)"},
		{`{"payloadType":"x","payload":"eA==","signatures":[]}` + "\n\n", "e.jsonl:2: an empty line (the file holds one envelope a line)"},
		{`{"payloadType":"x","payload":"eA==","signatures":[],"extra":1}` + "\n", `e.jsonl:1: envelope: json: unknown field "extra"`},
		{`{"payloadType":"","payload":"eA==","signatures":[]}` + "\n", "e.jsonl:1: envelope: empty payloadType"},
		{`{"payloadType":"x","payload":"e_A-","signatures":[]}` + "\n", "e.jsonl:1: envelope: payload is not standard base64"},
		{`{"payloadType":"x","payload":"eA==","signatures":[{"keyid":"","sig":"!"}]}` + "\n", "e.jsonl:1: envelope: signatures[0]: sig is not standard base64"},
		{`{"payloadType":"x","payload":"eA==","signatures":[]} {}` + "\n", "e.jsonl:1: envelope: data after the JSON value"},
	} {
		_, err := ParseEnvelopes("e.jsonl", []byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.data, err, tc.want)
		}
	}
}

func TestParseStatementErrors(t *testing.T) {
	d := strings.Repeat("a", 64)
	for _, tc := range []struct{ data, want string }{
		{`{"_type":"https://in-toto.io/Statement/v0.1","subject":[],"predicateType":"p","predicate":{}}`, "_type"},
		{`{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p","predicate":{}}`, "no subject"},
		{`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"","digest":{"sha256":"` + d + `"}}],"predicateType":"p","predicate":{}}`, "empty name"},
		{`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha512":"` + d + `"}}],"predicateType":"p","predicate":{}}`, "sha256 digest"},
		{`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + d + `"}}],"predicateType":"","predicate":{}}`, "empty predicateType"},
		{`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + d + `"}}],"predicateType":"p"}`, "no predicate"},
		{`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"` + d + `"}}],"predicateType":"p","predicate":{},"x":1}`, "unknown field"},
	} {
		if _, err := ParseStatement([]byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.data, err, tc.want)
		}
	}
	for _, tc := range []struct{ data, want string }{
		{`{"name":"A","meaning":"approved","time":"2026-01-01T10:00:00+02:00","keyFingerprint":"` + d + `"}`, "not UTC"},
		{`{"name":"A","meaning":"approved","time":"2026-01-01T10:00:00Z","keyFingerprint":"AB"}`, "keyFingerprint"},
		{`{"name":"A","meaning":"approved","time":"2026-01-01T10:00:00Z","keyFingerprint":"` + d + `","role":"x"}`, "unknown field"},
		{`{"name":"","meaning":"approved","time":"2026-01-01T10:00:00Z","keyFingerprint":"` + d + `"}`, "printed name is empty"},
	} {
		if _, err := ParseApproval([]byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.data, err, tc.want)
		}
	}
}

func FuzzParseEnvelopes(f *testing.F) {
	key, err := GenerateKey()
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	rel, err := NewReleaseStatement([]byte(`{"format":1}`), nil)
	if err != nil {
		f.Fatal(err)
	}
	relEnv, _ := SignStatement(ctx, rel, key)
	relLine, _ := MarshalEnvelope(relEnv)
	payload, _ := Payload(relEnv)
	ap, _ := NewApprovalStatement(payload, Approval{Name: "Zoë", Meaning: Approved, Time: t0, KeyFingerprint: key.Public().Fingerprint()})
	apEnv, _ := SignStatement(ctx, ap, key)
	apLine, _ := MarshalEnvelope(apEnv)
	f.Add([]byte(string(relLine) + "\n" + string(apLine) + "\n"))
	f.Add(append(relLine, '\n'))
	f.Add([]byte(`{"payloadType":"x","payload":"","signatures":null}` + "\n"))
	pub := key.Public()
	f.Fuzz(func(t *testing.T, data []byte) {
		envs, err := ParseEnvelopes("e.jsonl", data)
		if err != nil {
			return
		}
		for _, e := range envs {
			// What parses re-encodes to a line that parses to the same envelope.
			b, err := MarshalEnvelope(e)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte("\n")) {
				t.Fatalf("envelope encodes to more than one line: %s", b)
			}
			e2, err := ParseEnvelope(b)
			if err != nil {
				t.Fatalf("re-encoded envelope does not parse: %v", err)
			}
			if e2.Payload != e.Payload || e2.PayloadType != e.PayloadType || len(e2.Signatures) != len(e.Signatures) {
				t.Fatal("round trip changed the envelope")
			}
			if p, err := Payload(e); err == nil {
				ParseStatement(p)
			}
			for _, s := range e.Signatures {
				VerifyEnvelope(context.Background(), e, s, pub)
			}
		}
		Approvals(envs)
	})
}
