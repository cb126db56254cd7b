package spdxexpr_test

import (
	"strings"
	"testing"

	"github.com/baseline-cm/baseline/internal/spdxexpr"
)

func TestValid(t *testing.T) {
	for _, tc := range []struct{ in, norm string }{
		{"MIT", "MIT"},
		{"mit", "MIT"},
		{"Apache-2.0", "Apache-2.0"},
		{"MIT  OR  ISC", "MIT OR ISC"},
		{"(MIT OR Apache-2.0) AND BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"},
		{"GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0"},
		{"GPL-2.0-only", "GPL-2.0-only"},
		{"LicenseRef-Proprietary", "LicenseRef-Proprietary"},
		{"DocumentRef-spdx-tool:LicenseRef-MIT-Style", "DocumentRef-spdx-tool:LicenseRef-MIT-Style"},
		{"NONE", "NONE"},
		{"NOASSERTION", "NOASSERTION"},
	} {
		got, err := spdxexpr.Normalize(tc.in)
		if err != nil || got != tc.norm {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.norm)
		}
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"GPL-2.0", `"GPL-2.0" is a deprecated SPDX identifier: write GPL-2.0-only or GPL-2.0-or-later`},
		{"GPL-2.0+", `deprecated SPDX identifier: write GPL-2.0-or-later`},
		{"MIT AND LGPL-2.1", `"LGPL-2.1" is a deprecated SPDX identifier: write LGPL-2.1-only or LGPL-2.1-or-later`},
		{"GPL2", `"GPL2" is not an SPDX licence identifier (did you mean GPL-2.0-only or GPL-2.0-or-later`},
		{"BSD-3", `did you mean BSD-3-Clause`},
		{"Apache2.0", `did you mean Apache-2.0?`},
		{"MIT and Apache-2.0", `operator "and" must be upper case`},
		{"MIT OR", `expected expression following OR`},
		{"((MIT)", `parenthesis`},
		{"Apache-2.0 WITH nothing", `"nothing" is not an SPDX licence exception`},
		{"MIT OR NONE", `NONE stands only on its own`},
		{"Frobnicate-License", `is not an SPDX licence identifier (see https://spdx.org/licenses/`},
	} {
		// Twice: a remembered answer is the same error.
		for range 2 {
			err := spdxexpr.Validate(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate(%q) = %v, want an error containing %q", tc.in, err, tc.want)
			}
		}
	}
}

func TestChosen(t *testing.T) {
	for _, tc := range []struct {
		concluded, declared string
		want                bool
	}{
		{"MIT", "MIT", true},
		{"mit", "MIT", true},
		{"MIT", "MIT OR Apache-2.0", true},
		{"Apache-2.0", "MIT OR Apache-2.0", true},
		{"MIT AND Apache-2.0", "MIT OR Apache-2.0", true},
		{"MIT OR Apache-2.0", "MIT OR Apache-2.0", true},
		{"BSD-3-Clause AND MIT", "MIT AND BSD-3-Clause", true},
		{"BSD-3-Clause", "(MIT OR BSD-3-Clause) AND ISC", false},
		{"BSD-3-Clause AND ISC", "(MIT OR BSD-3-Clause) AND ISC", true},
		{"GPL-3.0-only", "GPL-2.0-or-later", true},
		{"MIT", "MIT AND BSD-3-Clause", false},
		{"MIT OR Apache-2.0", "MIT", false},
		{"Apache-2.0", "MIT", false},
		{"GPL-2.0-only", "GPL-3.0-or-later", false},
		{"NOASSERTION", "NOASSERTION", true},
		{"MIT", "NOASSERTION", false},
	} {
		got, err := spdxexpr.Chosen(tc.concluded, tc.declared)
		if err != nil || got != tc.want {
			t.Errorf("Chosen(%q, %q) = %v, %v; want %v", tc.concluded, tc.declared, got, err, tc.want)
		}
	}
	if _, err := spdxexpr.Chosen("GPL2", "MIT"); err == nil {
		t.Errorf("Chosen with an invalid expression: no error")
	}
}

func TestJoin(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"MIT"}, "MIT"},
		{[]string{"MIT", "Apache-2.0"}, "MIT AND Apache-2.0"},
		{[]string{"MIT OR ISC", "GPL-2.0-only WITH Classpath-exception-2.0"}, "(MIT OR ISC) AND GPL-2.0-only WITH Classpath-exception-2.0"},
	} {
		got := spdxexpr.Join(tc.in)
		if got != tc.want {
			t.Errorf("Join(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got != "" {
			if err := spdxexpr.Validate(got); err != nil {
				t.Errorf("Join(%q) = %q: %v", tc.in, got, err)
			}
		}
	}
}
