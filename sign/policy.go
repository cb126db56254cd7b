package sign

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/baseline-cm/baseline/internal/strictyaml"
	"github.com/baseline-cm/baseline/product"
)

// Policy is what a release's signatures must satisfy: the trusted keys,
// each with its owner, and the meanings a release needs. See the package
// documentation for its YAML form.
type Policy struct {
	// Keys are the trusted keys. A signature by any other key is rejected.
	Keys []TrustedKey
	// Meanings are the project-defined meanings accepted besides
	// product.BuiltinMeanings. A policy without owners (KeysPolicy) accepts any
	// well-formed meaning.
	Meanings []string
	// Require lists the meanings a release needs.
	Require []Requirement
	// ReleaseSigned requires the release envelope itself to be signed by
	// a trusted key (baseline release --key), as cosign
	// verify-blob-attestation needs; without it an unsigned release
	// envelope is accepted when approvals sign it.
	ReleaseSigned bool

	anyMeaning bool
}

// TrustedKey is a trusted public key and its owner. The printed name and
// user ID of every approval the key signs must be its owner's; a key
// without an owner (KeysPolicy) accepts the approval's own.
type TrustedKey struct {
	Name   string
	UserID string
	Key    *PublicKey
}

// Requirement asks for Count approvals of a meaning by distinct signers;
// signers who also signed one of the NotBy meanings do not count (a
// review by someone other than the author).
type Requirement struct {
	Meaning string
	Count   int
	NotBy   []string
}

func (r Requirement) String() string {
	s := fmt.Sprintf("%d %s", r.Count, r.Meaning)
	if len(r.NotBy) > 0 {
		s += " by someone other than the " + strings.Join(r.NotBy, "/") + " signer"
	}
	return s
}

// KeysPolicy trusts keys without owners and requires at least one
// signature: baseline verify --key.
func KeysPolicy(keys ...*PublicKey) *Policy {
	p := &Policy{anyMeaning: true}
	for _, k := range keys {
		p.Keys = append(p.Keys, TrustedKey{Key: k})
	}
	return p
}

// maxPolicySize bounds the size of a policy file.
const maxPolicySize = 1 << 20

// LoadPolicy reads and parses a policy file. Key files are read relative
// to the policy file's directory.
func LoadPolicy(file string) (*Policy, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPolicySize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > maxPolicySize {
		return nil, fmt.Errorf("%s: larger than %d KiB", file, maxPolicySize>>10)
	}
	dir := filepath.Dir(file)
	return parsePolicy(file, data, func(name string) ([]byte, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return os.ReadFile(name)
	})
}

// ParsePolicy parses a policy; name names it in errors, which have the
// form "NAME:LINE: FIELD: what is wrong". Keys must be given inline
// (public_key); public_key_file needs LoadPolicy.
func ParsePolicy(name string, data []byte) (*Policy, error) {
	return parsePolicy(name, data, nil)
}

func parsePolicy(name string, data []byte, readFile func(string) ([]byte, error)) (*Policy, error) {
	p := &strictyaml.Parser{Root: "policy"}
	top := p.Decode(data)
	if top == nil {
		if p.Count() == 0 {
			p.Errorf(0, "policy", "empty policy (want version, keys and require)")
		}
		return nil, policyErr(name, p)
	}
	fields, ok := p.Fields(top, "", "version", "keys", "meanings", "require", "release_signed")
	if !ok {
		return nil, policyErr(name, p)
	}
	pol := &Policy{}
	if e, ok := fields["version"]; !ok {
		p.Errorf(top.Line, "version", "missing (want version: 1)")
	} else if v, ok := p.Int(e, "version"); ok && v != 1 {
		p.Errorf(e.Line(), "version", "%d: only version 1 is known", v)
	}
	if e, ok := fields["release_signed"]; ok {
		pol.ReleaseSigned, _ = p.Bool(e, "release_signed")
	}
	if e, ok := fields["meanings"]; ok {
		ms, _ := p.Strings(e, "meanings", false)
		for _, m := range ms {
			switch {
			case !validMeaning(m):
				p.Errorf(e.Line(), "meanings", "%q: want lower-case letters, digits and '-'", m)
			case slices.Contains(product.BuiltinMeanings, m) || slices.Contains(pol.Meanings, m):
				p.Errorf(e.Line(), "meanings", "%q listed twice or a standard meaning", m)
			default:
				pol.Meanings = append(pol.Meanings, m)
			}
		}
	}
	keys, ok := fields["keys"]
	if !ok {
		p.Errorf(top.Line, "keys", "missing: a policy trusts at least one key")
	} else if nodes, ok := p.Seq(keys, "keys"); ok {
		if len(nodes) == 0 {
			p.Errorf(keys.Line(), "keys", "empty: a policy trusts at least one key")
		}
		for i, n := range nodes {
			field := "keys[" + strconv.Itoa(i) + "]"
			if k, ok := parseTrustedKey(p, n, field, readFile); ok {
				for j, o := range pol.Keys {
					if o.Key.Fingerprint() == k.Key.Fingerprint() {
						p.Errorf(n.Line, field, "the key of keys[%d] again", j)
					}
				}
				pol.Keys = append(pol.Keys, k)
			}
		}
	}
	if e, ok := fields["require"]; ok {
		nodes, _ := p.Seq(e, "require")
		for i, n := range nodes {
			field := "require[" + strconv.Itoa(i) + "]"
			if r, ok := parseRequirement(p, pol, n, field); ok {
				pol.Require = append(pol.Require, r)
			}
		}
	}
	if p.Count() > 0 {
		return nil, policyErr(name, p)
	}
	return pol, nil
}

func parseTrustedKey(p *strictyaml.Parser, n *yaml.Node, field string, readFile func(string) ([]byte, error)) (TrustedKey, bool) {
	m, ok := p.Fields(n, field, "name", "user_id", "public_key", "public_key_file", "fingerprint")
	if !ok {
		return TrustedKey{}, false
	}
	str := func(key string) string {
		e, ok := m[key]
		if !ok {
			return ""
		}
		s, _ := p.String(e, strictyaml.Join(field, key))
		return s
	}
	k := TrustedKey{Name: str("name"), UserID: str("user_id")}
	if strings.TrimSpace(k.Name) == "" {
		p.Errorf(n.Line, field+".name", "missing: the key owner's printed name")
	}
	if strings.TrimSpace(k.UserID) == "" {
		p.Errorf(n.Line, field+".user_id", "missing: the key owner's user ID")
	}
	var pemData []byte
	var pemName string
	_, hasInline := m["public_key"]
	file, hasFile := m["public_key_file"]
	switch {
	case hasInline && hasFile:
		p.Errorf(file.Line(), field, "public_key and public_key_file both given")
		return k, false
	case hasInline:
		pemData, pemName = []byte(str("public_key")), field+".public_key"
	case hasFile:
		f := str("public_key_file")
		if readFile == nil {
			p.Errorf(file.Line(), field+".public_key_file", "key files need LoadPolicy")
			return k, false
		}
		var err error
		if pemData, err = readFile(f); err != nil {
			p.Errorf(file.Line(), field+".public_key_file", "%v", err)
			return k, false
		}
		pemName = f
	default:
		p.Errorf(n.Line, field, "missing public_key or public_key_file")
		return k, false
	}
	key, err := ParsePublicKey(pemName, pemData)
	if err != nil {
		p.Errorf(n.Line, field, "%v", err)
		return k, false
	}
	k.Key = key
	if fp, ok := m["fingerprint"]; ok && str("fingerprint") != key.Fingerprint() {
		p.Errorf(fp.Line(), field+".fingerprint", "%q, but the key's fingerprint is %s", str("fingerprint"), key.Fingerprint())
		return k, false
	}
	return k, k.Name != "" && k.UserID != ""
}

func parseRequirement(p *strictyaml.Parser, pol *Policy, n *yaml.Node, field string) (Requirement, bool) {
	m, ok := p.Fields(n, field, "meaning", "count", "not_by")
	if !ok {
		return Requirement{}, false
	}
	r := Requirement{Count: 1}
	before := p.Count()
	if e, ok := m["meaning"]; !ok {
		p.Errorf(n.Line, field+".meaning", "missing")
	} else if r.Meaning, _ = p.String(e, field+".meaning"); !pol.knows(r.Meaning) {
		p.Errorf(e.Line(), field+".meaning", "%q is neither a standard meaning (%s) nor listed in meanings", r.Meaning, strings.Join(product.BuiltinMeanings, ", "))
	}
	if e, ok := m["count"]; ok {
		if v, ok := p.Int(e, field+".count"); ok {
			if v < 1 || v > 100 {
				p.Errorf(e.Line(), field+".count", "%d: want a number from 1 to 100", v)
			}
			r.Count = v
		}
	}
	if e, ok := m["not_by"]; ok {
		nb, _ := p.Strings(e, field+".not_by", true)
		for _, s := range nb {
			if !pol.knows(s) {
				p.Errorf(e.Line(), field+".not_by", "%q is not a known meaning", s)
			}
			if s == r.Meaning {
				p.Errorf(e.Line(), field+".not_by", "%q: a meaning cannot exclude itself", s)
			}
			r.NotBy = append(r.NotBy, s)
		}
	}
	return r, p.Count() == before
}

// policyErr joins the parser's problems as "FILE:LINE: FIELD: message"
// errors, one a line.
func policyErr(name string, p *strictyaml.Parser) error {
	var errs []error
	for _, pr := range p.Problems() {
		if pr.Line > 0 {
			errs = append(errs, fmt.Errorf("%s:%d: %s: %s", name, pr.Line, pr.Field, oneLine(pr.Msg)))
		} else {
			errs = append(errs, fmt.Errorf("%s: %s: %s", name, pr.Field, oneLine(pr.Msg)))
		}
	}
	return errors.Join(errs...)
}

// knows reports whether m is a meaning the policy accepts.
func (p *Policy) knows(m string) bool {
	if p.anyMeaning {
		return validMeaning(m)
	}
	return slices.Contains(product.BuiltinMeanings, m) || slices.Contains(p.Meanings, m)
}
