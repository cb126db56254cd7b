// Package spdxexpr is baseline's one home for SPDX licence expressions
// (SPDX 2.3 Annex D), on top of github.com/github/go-spdx/v2: the
// licence a SOUP register item concludes (soup), the licences an SBOM
// declares and concludes (sbom), and the comparison of the two.
//
// An expression is valid when go-spdx parses it and every identifier is
// on the current SPDX licence list: deprecated identifiers ("GPL-2.0",
// "GPL-2.0+", "LGPL-2.1") are rejected with the identifiers that replace
// them ("GPL-2.0-only or GPL-2.0-or-later"), and near misses ("GPL2",
// "BSD-3", "Apache2.0") with the closest identifiers. Operators are upper
// case (AND, OR, WITH); identifiers match in any case and are normalised
// to the list's spelling. LicenseRef- and DocumentRef- references are
// valid. NONE and NOASSERTION are valid only on their own, and mean no
// licence and no assertion made.
package spdxexpr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
)

// The two special values of SPDX licence fields.
const (
	None        = "NONE"        // the package has no licence
	NoAssertion = "NOASSERTION" // no assertion is made
)

// IsSpecial reports whether expr is NONE or NOASSERTION.
func IsSpecial(expr string) bool {
	e := strings.TrimSpace(expr)
	return e == None || e == NoAssertion
}

// Validate reports whether expr is a valid SPDX licence expression (or
// NONE or NOASSERTION), with an error saying what is wrong and, for a
// deprecated or unknown identifier, what to write instead.
func Validate(expr string) error {
	_, err := Normalize(expr)
	return err
}

// Normalize returns expr in canonical form (identifiers spelled as the
// SPDX licence list spells them, single spaces), or the error Validate
// reports.
//
// The answer is a function of expr alone (the licence list is compiled
// in), and an SBOM asks for the same few expressions once per component:
// the answers for up to maxMemo expressions are remembered.
func Normalize(expr string) (string, error) {
	if r, ok := memo.Load(expr); ok {
		r := r.(normalized)
		return r.norm, r.err
	}
	norm, err := normalize(expr)
	if memoSize.Add(1) <= maxMemo {
		memo.Store(expr, normalized{norm, err})
	}
	return norm, err
}

// maxMemo bounds the expressions Normalize remembers.
const maxMemo = 4096

var (
	memo     sync.Map // expression -> normalized
	memoSize atomic.Int64
)

// normalized is what Normalize answered for an expression.
type normalized struct {
	norm string
	err  error
}

func normalize(expr string) (string, error) {
	e := strings.TrimSpace(expr)
	if e == "" {
		return "", errors.New("empty licence expression")
	}
	if IsSpecial(e) {
		return e, nil
	}
	toks := tokens(e)
	for i, t := range toks {
		switch {
		case t == "(" || t == ")" || t == "AND" || t == "OR" || t == "WITH":
			continue
		case strings.EqualFold(t, "and") || strings.EqualFold(t, "or") || strings.EqualFold(t, "with"):
			return "", fmt.Errorf("licence expression %q: operator %q must be upper case", e, t)
		case t == None || t == NoAssertion:
			return "", fmt.Errorf("licence expression %q: %s stands only on its own", e, t)
		case i > 0 && toks[i-1] == "WITH":
			if ok, _ := spdxlicenses.IsException(t); !ok {
				return "", fmt.Errorf("licence expression %q: %q is not an SPDX licence exception", e, t)
			}
			continue
		}
		if err := checkID(t); err != nil {
			return "", fmt.Errorf("licence expression %q: %w", e, err)
		}
	}
	norm, invalid := spdxexp.ValidateAndNormalizeLicensesWithOptions([]string{e},
		spdxexp.ValidateLicensesOptions{FailDeprecatedLicenses: true})
	if len(invalid) > 0 || len(norm) != 1 {
		// The identifiers are fine: the structure is not. go-spdx says
		// what is wrong.
		_, err := spdxexp.ExtractLicenses(e)
		if err == nil {
			err = errors.New("not a valid expression")
		}
		return "", fmt.Errorf("licence expression %q: %w", e, err)
	}
	return norm[0], nil
}

// tokens splits an expression into parentheses, operators and
// identifiers, to name the identifier a problem is with.
func tokens(e string) []string { return strings.Fields(parens.Replace(e)) }

// parens spaces out parentheses; built once (a Replacer builds its
// tables on first use, about 18 KB).
var parens = strings.NewReplacer("(", " ( ", ")", " ) ")

// checkID checks one licence identifier (with an optional "+").
func checkID(t string) error {
	if strings.HasPrefix(t, "LicenseRef-") || strings.HasPrefix(t, "DocumentRef-") {
		return nil
	}
	if ok, _ := spdxlicenses.IsActiveLicense(t); ok {
		return nil
	}
	base, plus := strings.CutSuffix(t, "+")
	if ok, _ := spdxlicenses.IsActiveLicense(base); ok && plus {
		return nil
	}
	if ok, _ := spdxlicenses.IsDeprecatedLicense(t); ok {
		return fmt.Errorf("%q is a deprecated SPDX identifier%s", t, replacement(base, plus))
	}
	if ok, _ := spdxlicenses.IsDeprecatedLicense(base); ok && plus {
		return fmt.Errorf("%q is a deprecated SPDX identifier%s", t, replacement(base, plus))
	}
	if s := suggest(t); len(s) > 0 {
		return fmt.Errorf("%q is not an SPDX licence identifier (did you mean %s?)", t, strings.Join(s, " or "))
	}
	return fmt.Errorf("%q is not an SPDX licence identifier (see https://spdx.org/licenses/, or write LicenseRef-...)", t)
}

// replacement names the identifiers that replace a deprecated one.
func replacement(base string, plus bool) string {
	only, later := base+"-only", base+"-or-later"
	_, ok1 := active(only)
	_, ok2 := active(later)
	switch {
	case plus && ok2:
		return ": write " + later
	case ok1 && ok2:
		return ": write " + only + " or " + later
	}
	return ""
}

func active(id string) (string, bool) {
	ok, n := spdxlicenses.IsActiveLicense(id)
	return n, ok
}

// suggest returns up to three active identifiers that t is probably a
// misspelling of: those equal to it, or starting with it, once case and
// punctuation are ignored ("Apache2.0" Apache-2.0, "BSD-3"
// BSD-3-Clause, "GPL2" GPL-2.0-only).
func suggest(t string) []string {
	key := squash(t)
	if key == "" {
		return nil
	}
	var exact, prefix []string
	for _, id := range spdxlicenses.GetLicenses() {
		s := squash(id)
		switch {
		case s == key:
			exact = append(exact, id)
		case strings.HasPrefix(s, key):
			prefix = append(prefix, id)
		}
	}
	slices.SortFunc(prefix, func(a, b string) int {
		if d := len(a) - len(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	out := append(exact, prefix...)
	return out[:min(len(out), 3)]
}

func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Licenses returns the licences an expression names (with exceptions
// attached: "GPL-2.0-or-later WITH Classpath-exception-2.0"), each once,
// in order; none for NONE and NOASSERTION.
func Licenses(expr string) ([]string, error) {
	if IsSpecial(expr) {
		return nil, nil
	}
	if err := Validate(expr); err != nil {
		return nil, err
	}
	return spdxexp.ExtractLicenses(strings.TrimSpace(expr))
}

// Chosen reports whether concluded is a licence the user of a package
// declared under declared may conclude: the same expression, or one
// reached by choosing branches of declared's OR expressions ("MIT" for
// "MIT OR Apache-2.0"), including a later version that an "-or-later"
// licence allows. Concluding licences that declared does not name, or
// dropping one that declared requires with AND, is not a choice. Both
// must be valid expressions other than NONE and NOASSERTION, which
// compare equal only to themselves.
func Chosen(concluded, declared string) (bool, error) {
	if IsSpecial(concluded) || IsSpecial(declared) {
		return strings.TrimSpace(concluded) == strings.TrimSpace(declared), nil
	}
	cl, err := Licenses(concluded)
	if err != nil {
		return false, err
	}
	dl, err := Licenses(declared)
	if err != nil {
		return false, err
	}
	// Choosing the concluded licences satisfies the declared expression...
	ok, err := spdxexp.Satisfies(strings.TrimSpace(declared), cl)
	if err != nil || !ok {
		return false, err
	}
	// ... and each concluded licence is one the declared ones allow.
	for _, l := range cl {
		ok, err := spdxexp.Satisfies(l, dl)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// Join returns the expression of several licences that all apply (AND),
// parenthesising compound ones; "" for none.
func Join(ids []string) string {
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		if len(ids) > 1 && strings.ContainsAny(strings.TrimSpace(id), " ") && !strings.Contains(id, " WITH ") {
			id = "(" + id + ")"
		}
		parts = append(parts, id)
	}
	return strings.Join(parts, " AND ")
}
