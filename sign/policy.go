package sign

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Policy is what a release's signatures must satisfy: the trusted keys,
// each with its owner, and the meanings a release needs. See the package
// documentation for its YAML form.
type Policy struct {
	// Keys are the trusted keys. A signature by any other key is rejected.
	Keys []TrustedKey
	// Meanings are the project-defined meanings accepted besides
	// StandardMeanings. A policy without owners (KeysPolicy) accepts any
	// well-formed meaning.
	Meanings []string
	// Require lists the meanings a release needs.
	Require []Requirement

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

type policyParser struct {
	file string
	errs []error
}

func (p *policyParser) errorf(n *yaml.Node, field, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		p.errs = append(p.errs, fmt.Errorf("%s:%d: %s: %s", p.file, line, field, msg))
	} else {
		p.errs = append(p.errs, fmt.Errorf("%s: %s: %s", p.file, field, msg))
	}
}

// mapping returns the values of the keys of mapping node n, reporting
// unknown and duplicate keys.
func (p *policyParser) mapping(n *yaml.Node, field string, known ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, field, "want a mapping")
		return nil
	}
	m := map[string]*yaml.Node{}
	keyLine := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f := k.Value
		if field != "" {
			f = field + "." + k.Value
		}
		if k.Kind != yaml.ScalarNode || !slices.Contains(known, k.Value) {
			p.errorf(k, f, "unknown key (known: %s)", strings.Join(known, ", "))
			continue
		}
		if l, dup := keyLine[k.Value]; dup {
			p.errorf(k, f, "duplicate key (first at line %d)", l)
			continue
		}
		keyLine[k.Value] = k.Line
		m[k.Value] = v
	}
	return m
}

func (p *policyParser) str(n *yaml.Node, field string) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float" {
		p.errorf(n, field, "want a string")
		return ""
	}
	return n.Value
}

func (p *policyParser) seq(n *yaml.Node, field string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, field, "want a list")
		return nil
	}
	return n.Content
}

func parsePolicy(name string, data []byte, readFile func(string) ([]byte, error)) (pol *Policy, err error) {
	defer func() {
		if r := recover(); r != nil {
			pol, err = nil, fmt.Errorf("%s: yaml: internal error: %v", name, r)
		}
	}()
	p := &policyParser{file: name}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty policy (want version, keys and require)", name)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fmt.Errorf("%s:%d: a policy is one YAML document; another starts here", name, extra.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty policy (want version, keys and require)", name)
	}
	if hasAlias(&doc) {
		return nil, fmt.Errorf("%s: YAML aliases are not allowed in a policy", name)
	}
	top := p.mapping(doc.Content[0], "", "version", "keys", "meanings", "require")
	if top == nil {
		return nil, errors.Join(p.errs...)
	}
	pol = &Policy{}
	switch v := top["version"]; {
	case v == nil:
		p.errorf(doc.Content[0], "version", "missing (want version: 1)")
	case v.Value != "1" || v.Tag != "!!int":
		p.errorf(v, "version", "%q: only version 1 is known", v.Value)
	}
	for _, n := range p.seq(top["meanings"], "meanings") {
		m := p.str(n, "meanings")
		switch {
		case m == "":
		case !validMeaning(m):
			p.errorf(n, "meanings", "%q: want lower-case letters, digits and '-'", m)
		case slices.Contains(StandardMeanings, m) || slices.Contains(pol.Meanings, m):
			p.errorf(n, "meanings", "%q listed twice or a standard meaning", m)
		default:
			pol.Meanings = append(pol.Meanings, m)
		}
	}
	keyNodes := p.seq(top["keys"], "keys")
	if top["keys"] == nil {
		p.errorf(doc.Content[0], "keys", "missing: a policy trusts at least one key")
	}
	for i, n := range keyNodes {
		field := "keys[" + strconv.Itoa(i) + "]"
		m := p.mapping(n, field, "name", "user_id", "public_key", "public_key_file", "fingerprint")
		if m == nil {
			continue
		}
		k := TrustedKey{Name: p.str(m["name"], field+".name"), UserID: p.str(m["user_id"], field+".user_id")}
		if strings.TrimSpace(k.Name) == "" {
			p.errorf(n, field+".name", "missing: the key owner's printed name")
		}
		if strings.TrimSpace(k.UserID) == "" {
			p.errorf(n, field+".user_id", "missing: the key owner's user ID")
		}
		var pemData []byte
		var pemName string
		switch inline, file := m["public_key"], m["public_key_file"]; {
		case inline != nil && file != nil:
			p.errorf(file, field, "public_key and public_key_file both given")
			continue
		case inline != nil:
			pemData, pemName = []byte(p.str(inline, field+".public_key")), field+".public_key"
		case file != nil:
			f := p.str(file, field+".public_key_file")
			if readFile == nil {
				p.errorf(file, field+".public_key_file", "key files need LoadPolicy")
				continue
			}
			var err error
			if pemData, err = readFile(f); err != nil {
				p.errorf(file, field+".public_key_file", "%v", err)
				continue
			}
			pemName = f
		default:
			p.errorf(n, field, "missing public_key or public_key_file")
			continue
		}
		key, err := ParsePublicKey(pemName, pemData)
		if err != nil {
			p.errorf(n, field, "%v", err)
			continue
		}
		k.Key = key
		if fp := m["fingerprint"]; fp != nil && p.str(fp, field+".fingerprint") != key.Fingerprint() {
			p.errorf(fp, field+".fingerprint", "%q, but the key's fingerprint is %s", fp.Value, key.Fingerprint())
			continue
		}
		for j, o := range pol.Keys {
			if o.Key.Fingerprint() == key.Fingerprint() {
				p.errorf(n, field, "the key of keys[%d] again", j)
			}
		}
		pol.Keys = append(pol.Keys, k)
	}
	for i, n := range p.seq(top["require"], "require") {
		field := "require[" + strconv.Itoa(i) + "]"
		m := p.mapping(n, field, "meaning", "count", "not_by")
		if m == nil {
			continue
		}
		r := Requirement{Meaning: p.str(m["meaning"], field+".meaning"), Count: 1}
		if !pol.knows(r.Meaning) {
			p.errorf(n, field+".meaning", "%q is neither a standard meaning (%s) nor listed in meanings", r.Meaning, strings.Join(StandardMeanings, ", "))
		}
		if c := m["count"]; c != nil {
			v, err := strconv.Atoi(c.Value)
			if err != nil || c.Tag != "!!int" || v < 1 || v > 100 {
				p.errorf(c, field+".count", "%q: want a number from 1 to 100", c.Value)
			}
			r.Count = v
		}
		for _, nb := range p.seq(m["not_by"], field+".not_by") {
			s := p.str(nb, field+".not_by")
			if !pol.knows(s) {
				p.errorf(nb, field+".not_by", "%q is not a known meaning", s)
			}
			if s == r.Meaning {
				p.errorf(nb, field+".not_by", "%q: a meaning cannot exclude itself", s)
			}
			r.NotBy = append(r.NotBy, s)
		}
		pol.Require = append(pol.Require, r)
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return pol, nil
}

// knows reports whether m is a meaning the policy accepts.
func (p *Policy) knows(m string) bool {
	if p.anyMeaning {
		return validMeaning(m)
	}
	return slices.Contains(StandardMeanings, m) || slices.Contains(p.Meanings, m)
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}
