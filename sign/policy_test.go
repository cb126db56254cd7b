package sign

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadPolicy(t *testing.T) {
	ann, rob := newPerson(t, "Ann Author", "ann@example.com"), newPerson(t, "Rob Reviewer", "rob@example.com")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "keys/ann.pub.pem"), string(ann.key.Public().MarshalPEM()))
	indented := "      " + strings.ReplaceAll(strings.TrimSpace(string(rob.key.Public().MarshalPEM())), "\n", "\n      ")
	policy := `# who may sign
version: 1
keys:
  - name: Ann Author
    user_id: ann@example.com
    public_key_file: keys/ann.pub.pem
    fingerprint: ` + ann.key.Public().Fingerprint() + `
  - name: Rob Reviewer
    user_id: rob@example.com
    public_key: |
` + indented + `
meanings: [qa-approved]
release_signed: true
require:
  - meaning: authored
  - meaning: reviewed
    not_by: [authored]
  - meaning: qa-approved
    count: 2
`
	file := filepath.Join(dir, "policy.yaml")
	writeFile(t, file, policy)
	p, err := LoadPolicy(file)
	if err != nil {
		t.Fatal(err)
	}
	if !p.ReleaseSigned {
		t.Error("release_signed not read")
	}
	if len(p.Keys) != 2 || p.Keys[0].Name != "Ann Author" || p.Keys[1].UserID != "rob@example.com" || p.Keys[1].Key.Fingerprint() != rob.key.Public().Fingerprint() {
		t.Errorf("keys: %+v", p.Keys)
	}
	var reqs []string
	for _, r := range p.Require {
		reqs = append(reqs, r.String())
	}
	if got := strings.Join(reqs, "; "); got != "1 authored; 1 reviewed by someone other than the authored signer; 2 qa-approved" {
		t.Errorf("require: %s", got)
	}
	if _, err := ParsePolicy("p.yaml", []byte(policy)); err == nil || !strings.Contains(err.Error(), "p.yaml:6: keys[0].public_key_file: key files need LoadPolicy") {
		t.Errorf("ParsePolicy with a key file: %v", err)
	}
	os.Remove(filepath.Join(dir, "keys/ann.pub.pem"))
	if _, err := LoadPolicy(file); err == nil || !strings.Contains(err.Error(), "policy.yaml:6: keys[0].public_key_file: open") {
		t.Errorf("missing key file: %v", err)
	}
}

func TestParsePolicyErrors(t *testing.T) {
	ann := newPerson(t, "Ann", "ann@example.com")
	pemLine := strings.ReplaceAll(string(ann.key.Public().MarshalPEM()), "\n", `\n`)
	key := "  - {name: Ann, user_id: ann@example.com, public_key: \"" + pemLine + "\"}\n"
	for _, tc := range []struct{ policy, want string }{
		{"", "p.yaml: policy: empty policy"},
		{"version: 1\nkeys: [\n", "p.yaml:2: syntax: "},
		{"version: 2\nkeys:\n" + key, `p.yaml:1: version: 2: only version 1 is known`},
		{"keys:\n" + key, "p.yaml:1: version: missing"},
		{"version: 1\n", "p.yaml:1: keys: missing"},
		{"version: 1\nkeys:\n" + key + "colour: red\n", "p.yaml:4: colour: unknown key"},
		{"version: 1\nversion: 1\nkeys:\n" + key, "p.yaml:2: version: given twice (first at line 1)"},
		{"version: 1\nkeys:\n" + key + key, "p.yaml:4: keys[1]: the key of keys[0] again"},
		{"version: 1\nkeys:\n  - {name: Ann, user_id: a}\n", "p.yaml:3: keys[0]: missing public_key or public_key_file"},
		{"version: 1\nkeys:\n  - {user_id: a, public_key: x}\n", "p.yaml:3: keys[0].name: missing"},
		{"version: 1\nkeys:\n  - {name: A, public_key: x}\n", "p.yaml:3: keys[0].user_id: missing"},
		{"version: 1\nkeys:\n  - {name: A, user_id: a, public_key: x}\n", "p.yaml:3: keys[0]: keys[0].public_key: not a PEM public key"},
		{"version: 1\nkeys:\n  - {name: Ann, user_id: ann@example.com, fingerprint: abc, public_key: \"" + pemLine + "\"}\n", `keys[0].fingerprint: "abc", but the key's fingerprint is ` + ann.key.Public().Fingerprint()},
		{"version: 1\nkeys:\n" + key + "require:\n  - meaning: blessed\n", `p.yaml:5: require[0].meaning: "blessed" is neither a standard meaning`},
		{"version: 1\nkeys:\n" + key + "require:\n  - {meaning: approved, count: 0}\n", `p.yaml:5: require[0].count: 0: want a number from 1 to 100`},
		{"version: 1\nkeys:\n" + key + "require:\n  - {meaning: approved, not_by: [approved]}\n", `require[0].not_by: "approved": a meaning cannot exclude itself`},
		{"version: 1\nkeys:\n" + key + "meanings: [Approved!]\n", `p.yaml:4: meanings: "Approved!": want lower-case`},
		{"version: 1\nkeys:\n" + key + "meanings: [approved]\n", `meanings: "approved" listed twice or a standard meaning`},
		{"version: 1\nkeys: &k\n" + key + "require: *k\n", "p.yaml:2: syntax: anchors and aliases"},
		{"version: 1\nkeys:\n" + key + "---\nversion: 1\n", "p.yaml:4: syntax: the file is a single YAML document"},
		{"version: 1\nkeys: {a: b}\n", "p.yaml:2: keys: want a list"},
		{"version: 1\nkeys:\n" + key + "release_signed: yes please\n", "p.yaml:4: release_signed: want true or false"},
		{"- a\n", "p.yaml:1: policy: want a mapping"},
	} {
		_, err := ParsePolicy("p.yaml", []byte(tc.policy))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q:\n got %v\nwant %q", tc.policy, err, tc.want)
		}
	}
}

func FuzzParsePolicy(f *testing.F) {
	k, _ := GenerateKey()
	pemLine := strings.ReplaceAll(string(k.Public().MarshalPEM()), "\n", `\n`)
	f.Add([]byte("version: 1\nkeys:\n  - {name: Ann, user_id: a, public_key: \"" + pemLine + "\"}\nrequire:\n  - {meaning: reviewed, not_by: [authored], count: 2}\nmeanings: [x]\n"))
	f.Add([]byte("version: 1\nkeys: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy("p.yaml", data)
		if err != nil {
			if p != nil {
				t.Error("policy and error")
			}
			return
		}
		for _, k := range p.Keys {
			if k.Key == nil || k.Name == "" || k.UserID == "" {
				t.Errorf("incomplete key %+v", k)
			}
		}
		for _, r := range p.Require {
			if r.Count < 1 || !p.knows(r.Meaning) {
				t.Errorf("bad requirement %+v", r)
			}
		}
	})
}
