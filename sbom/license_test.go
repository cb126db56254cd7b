package sbom

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

func licenseStrings(l *cdx.Licenses) []string {
	if l == nil {
		return nil
	}
	var s []string
	for _, c := range *l {
		switch {
		case c.License != nil:
			s = append(s, cmpOr(c.License.ID, c.License.Name)+"/"+string(c.License.Acknowledgement))
		case c.Acknowledgement != nil:
			s = append(s, "("+c.Expression+")/"+string(*c.Acknowledgement))
		default:
			s = append(s, "("+c.Expression+")")
		}
	}
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestLicensing: declared is what the licence files state, concluded the
// register's licence, else the declared expression when unambiguous; each
// CycloneDX version gets what it can hold, the rest in a property; SPDX
// never joins licences the texts do not join.
func TestLicensing(t *testing.T) {
	comp := func(expr string, ids ...string) *inventory.Component {
		return &inventory.Component{Licenses: ids, LicenseExpression: expr, LicenseFiles: []string{"LICENSE", "LICENSE.docs"}}
	}
	reg := func(l string) *soup.Item { return &soup.Item{License: l} }
	for _, tc := range []struct {
		name string
		c    *inventory.Component
		it   *soup.Item
		spec cdx.SpecVersion
		want []string
		prop string
		spdx [3]string // declared, concluded, comment substring
	}{
		{"one licence", comp("", "MIT"), nil, cdx.SpecVersion1_6,
			[]string{"MIT/declared", "MIT/concluded"}, "", [3]string{"MIT", "MIT", ""}},
		{"one licence 1.5", comp("", "MIT"), nil, cdx.SpecVersion1_5,
			[]string{"MIT/concluded"}, "", [3]string{"MIT", "MIT", ""}},
		{"stated OR", comp("Apache-2.0 OR GPL-2.0-or-later", "Apache-2.0", "GPL-2.0-or-later"), nil, cdx.SpecVersion1_6,
			[]string{"(Apache-2.0 OR GPL-2.0-or-later)/concluded"}, "", [3]string{"Apache-2.0 OR GPL-2.0-or-later", "Apache-2.0 OR GPL-2.0-or-later", ""}},
		{"stated OR 1.7", comp("Apache-2.0 OR GPL-2.0-or-later", "Apache-2.0", "GPL-2.0-or-later"), nil, cdx.SpecVersion1_7,
			[]string{"(Apache-2.0 OR GPL-2.0-or-later)/declared", "(Apache-2.0 OR GPL-2.0-or-later)/concluded"}, "", [3]string{"Apache-2.0 OR GPL-2.0-or-later", "Apache-2.0 OR GPL-2.0-or-later", ""}},
		{"nothing stated", comp("", "Apache-2.0", "CC-BY-4.0", "GPL-2.0-or-later"), nil, cdx.SpecVersion1_6,
			[]string{"Apache-2.0/declared", "CC-BY-4.0/declared", "GPL-2.0-or-later/declared"}, "", [3]string{"NOASSERTION", "NOASSERTION", "name Apache-2.0, CC-BY-4.0, GPL-2.0-or-later"}},
		{"nothing stated, register concludes an expression", comp("", "Apache-2.0", "MIT"), reg("Apache-2.0 OR MIT"), cdx.SpecVersion1_6,
			[]string{"(Apache-2.0 OR MIT)/concluded"}, "Apache-2.0, MIT", [3]string{"NOASSERTION", "Apache-2.0 OR MIT", "LICENSE, LICENSE.docs"}},
		{"nothing stated, register concludes an expression, 1.7", comp("", "Apache-2.0", "MIT"), reg("Apache-2.0 OR MIT"), cdx.SpecVersion1_7,
			[]string{"Apache-2.0/declared", "MIT/declared", "(Apache-2.0 OR MIT)/concluded"}, "", [3]string{"NOASSERTION", "Apache-2.0 OR MIT", ""}},
		{"register differs", comp("", "MIT"), reg("LicenseRef-Commercial"), cdx.SpecVersion1_6,
			[]string{"MIT/declared", "LicenseRef-Commercial/concluded"}, "", [3]string{"MIT", "LicenseRef-Commercial", ""}},
		{"register differs 1.4", comp("", "MIT"), reg("LicenseRef-Commercial"), cdx.SpecVersion1_4,
			[]string{"LicenseRef-Commercial/concluded"}, "MIT", [3]string{"MIT", "LicenseRef-Commercial", ""}},
		{"register NOASSERTION", comp("", "MIT"), reg("NOASSERTION"), cdx.SpecVersion1_6,
			[]string{"MIT/declared", "MIT/concluded"}, "", [3]string{"MIT", "MIT", ""}},
		{"none found", comp(""), nil, cdx.SpecVersion1_6, nil, "", [3]string{"NOASSERTION", "NOASSERTION", ""}},
	} {
		l := licensingOf(tc.c, tc.it)
		lics, props := l.cdx(tc.spec)
		if got := licenseStrings(lics); !slices.Equal(got, tc.want) {
			t.Errorf("%s: CycloneDX %v licences %v, want %v", tc.name, tc.spec, got, tc.want)
		}
		prop := ""
		for _, p := range props {
			if p.name == DeclaredLicenseProperty {
				prop = p.value
			}
		}
		if prop != tc.prop {
			t.Errorf("%s: CycloneDX %v %s = %q, want %q", tc.name, tc.spec, DeclaredLicenseProperty, prop, tc.prop)
		}
		d, c, comment := l.spdxFields()
		if d != tc.spdx[0] || c != tc.spdx[1] || !strings.Contains(comment, tc.spdx[2]) || (tc.spdx[2] == "" && comment != "" && tc.c.LicenseExpression != "") {
			t.Errorf("%s: SPDX declared %q concluded %q comment %q, want %v", tc.name, d, c, comment, tc.spdx)
		}
		if strings.Contains(fmt.Sprint(d, c), " AND ") {
			t.Errorf("%s: an AND no text states", tc.name)
		}
	}
}
