package soup

import (
	"fmt"
	"strings"
)

// checkSPDX reports whether s is a syntactically valid SPDX licence
// expression (SPDX 2.3 Annex D): licence identifiers (optionally with "+"),
// LicenseRef-/DocumentRef- references, AND, OR, WITH exceptions and
// parentheses; operators are upper case. The identifiers themselves are not
// checked against the SPDX licence list.
func checkSPDX(s string) error {
	toks := spdxTokens(s)
	if len(toks) == 0 {
		return fmt.Errorf("empty licence expression")
	}
	if len(toks) == 1 && (toks[0] == "NONE" || toks[0] == "NOASSERTION") {
		return nil
	}
	p := &spdxParser{toks: toks}
	if err := p.or(); err != nil {
		return err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		if isOperator(t) {
			return fmt.Errorf("licence expression: operator %q must be upper case", t)
		}
		return fmt.Errorf("licence expression: unexpected %q", t)
	}
	return nil
}

func isOperator(t string) bool {
	return strings.EqualFold(t, "and") || strings.EqualFold(t, "or") || strings.EqualFold(t, "with")
}

func spdxTokens(s string) []string {
	var toks []string
	for f := range strings.FieldsSeq(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s)) {
		toks = append(toks, f)
	}
	return toks
}

type spdxParser struct {
	toks  []string
	i     int
	depth int
}

func (p *spdxParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

// or = and { "OR" and }
func (p *spdxParser) or() error {
	if err := p.and(); err != nil {
		return err
	}
	for p.peek() == "OR" {
		p.i++
		if err := p.and(); err != nil {
			return err
		}
	}
	return nil
}

// and = with { "AND" with }
func (p *spdxParser) and() error {
	if err := p.with(); err != nil {
		return err
	}
	for p.peek() == "AND" {
		p.i++
		if err := p.with(); err != nil {
			return err
		}
	}
	return nil
}

// with = primary [ "WITH" exception ]
func (p *spdxParser) with() error {
	if err := p.primary(); err != nil {
		return err
	}
	if p.peek() == "WITH" {
		p.i++
		t := p.peek()
		if !isSPDXID(t) {
			return fmt.Errorf("licence expression: want an exception identifier after WITH, found %q", t)
		}
		p.i++
	}
	return nil
}

// primary = "(" or ")" | licence
func (p *spdxParser) primary() error {
	t := p.peek()
	switch {
	case t == "(":
		p.i++
		if p.depth++; p.depth > 50 {
			return fmt.Errorf("licence expression nested too deeply")
		}
		if err := p.or(); err != nil {
			return err
		}
		p.depth--
		if p.peek() != ")" {
			return fmt.Errorf("licence expression: missing \")\"")
		}
		p.i++
		return nil
	case t == "":
		return fmt.Errorf("licence expression ends early")
	case t == "AND" || t == "OR" || t == "WITH" || t == ")":
		return fmt.Errorf("licence expression: unexpected %q", t)
	case isOperator(t):
		return fmt.Errorf("licence expression: operator %q must be upper case", t)
	}
	id := strings.TrimSuffix(t, "+")
	if ref, ok := strings.CutPrefix(id, "DocumentRef-"); ok {
		doc, lic, found := strings.Cut(ref, ":")
		if !found || !isSPDXID(doc) || !strings.HasPrefix(lic, "LicenseRef-") || !isSPDXID(lic) {
			return fmt.Errorf("licence expression: %q: want DocumentRef-X:LicenseRef-Y", t)
		}
	} else if !isSPDXID(id) {
		return fmt.Errorf("licence expression: %q is not a licence identifier (letters, digits, '.', '-')", t)
	}
	p.i++
	return nil
}

func isSPDXID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// licenseExpression is the SPDX expression for the licences detected in a
// module's licence files, and whether a person must confirm it. One
// licence is the module's licence. With several, the files alone do not
// say whether all apply or the user may choose: AND (all apply) is the
// conservative reading, proposed for confirmation.
func licenseExpression(ids []string) (expr string, confirm bool) {
	switch len(ids) {
	case 0:
		return "", true
	case 1:
		return ids[0], false
	}
	return strings.Join(ids, " AND "), true
}
