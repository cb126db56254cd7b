package sbom

import (
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/baseline-cm/baseline/internal/spdxexpr"
	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/soup"
)

// DeclaredLicenseProperty holds a component's declared licence where the
// CycloneDX version written has no place for it beside the concluded one
// (before 1.7 a component holds either licences or one expression): the
// expression its licence files state or, when they state none, the
// licences found, comma-separated.
const DeclaredLicenseProperty = PropertyPrefix + "license:declared"

// licensing is what is known of a component's licence.
//
// Declared is what its authors state in its licence files: an expression
// (one licence, or the combination the texts state), or only the
// licences found when the texts do not say how they combine. Concluded is
// the licence the manufacturer concludes for its use: the SOUP register's
// license where there is one, else the declared expression when it is
// unambiguous, else none (NOASSERTION).
type licensing struct {
	declared  string   // the declared expression; "" when none is stated
	found     []string // the licences found, when no expression is stated
	files     []string // the licence files read
	concluded string   // "" for NOASSERTION
}

func licensingOf(c *inventory.Component, it *soup.Item) licensing {
	var l licensing
	if c != nil {
		l.files = c.LicenseFiles
		switch {
		case c.LicenseExpression != "" && spdxexpr.Validate(c.LicenseExpression) == nil:
			l.declared = c.LicenseExpression
		case len(c.Licenses) == 1 && spdxexpr.Validate(c.Licenses[0]) == nil:
			l.declared = c.Licenses[0]
		default:
			l.found = c.Licenses
		}
	}
	l.concluded = l.declared
	if r := registerLicense(it); r != "" && r != NoAssertion {
		l.concluded = r // a register's NOASSERTION concludes nothing
	}
	return l
}

// compound reports whether e is a compound expression (more than one
// identifier, or a WITH exception).
func compound(e string) bool { return strings.ContainsAny(e, " ()") }

// cdxLicense is a licence entry with its acknowledgement.
func cdxLicense(e string, ack cdx.LicenseAcknowledgement) cdx.LicenseChoice {
	if compound(e) {
		return cdx.LicenseChoice{Expression: e, Acknowledgement: &ack}
	}
	l := &cdx.License{ID: e, Acknowledgement: ack}
	if strings.HasPrefix(e, "LicenseRef-") || strings.HasSuffix(e, "+") || spdxexpr.Validate(e) != nil || spdxexpr.IsSpecial(e) {
		l.ID, l.Name = "", e
	}
	return cdx.LicenseChoice{License: l}
}

// cdx returns the component's CycloneDX licences at spec, and the
// property that keeps the declared licence when spec has no place for
// it. From 1.6 each entry says whether it is declared or concluded; 1.7
// holds expressions and licences side by side; before that a component
// holds a list of licences or exactly one expression. Where both cannot
// be written, the concluded licence is (BSI's distribution licence), and
// the declared one goes into DeclaredLicenseProperty. Before 1.6, with no
// acknowledgements, only one of the two is written.
func (l licensing) cdx(spec cdx.SpecVersion) (*cdx.Licenses, []property) {
	lics := make(cdx.Licenses, 0, len(l.found)+2) // at most
	var props []property
	declared := l.declared
	if declared == "" && len(l.found) > 0 {
		declared = strings.Join(l.found, ", ")
	}
	keep := func() {
		if declared != "" && declared != l.concluded {
			props = append(props, property{DeclaredLicenseProperty, declared})
		}
	}
	switch {
	case spec < cdx.SpecVersion1_6:
		switch {
		case l.concluded != "":
			lics = append(lics, cdxLicense(l.concluded, cdx.LicenseAcknowledgementConcluded))
			keep()
		case l.declared != "":
			lics = append(lics, cdxLicense(l.declared, cdx.LicenseAcknowledgementDeclared))
		default:
			for _, id := range l.found {
				lics = append(lics, cdxLicense(id, cdx.LicenseAcknowledgementDeclared))
			}
		}
	case spec >= cdx.SpecVersion1_7 || (!compound(l.declared) && !compound(l.concluded)):
		if l.declared != "" {
			lics = append(lics, cdxLicense(l.declared, cdx.LicenseAcknowledgementDeclared))
		}
		for _, id := range l.found {
			lics = append(lics, cdxLicense(id, cdx.LicenseAcknowledgementDeclared))
		}
		if l.concluded != "" {
			lics = append(lics, cdxLicense(l.concluded, cdx.LicenseAcknowledgementConcluded))
		}
	case l.concluded != "":
		// 1.6 with a compound expression on either side: one entry.
		lics = append(lics, cdxLicense(l.concluded, cdx.LicenseAcknowledgementConcluded))
		keep()
	default:
		lics = append(lics, cdxLicense(l.declared, cdx.LicenseAcknowledgementDeclared))
	}
	if len(lics) == 0 {
		return nil, props
	}
	return &lics, props
}

// spdxFields returns the SPDX licenseDeclared, licenseConcluded and
// licenseComments of l.
func (l licensing) spdxFields() (declared, concluded, comment string) {
	declared, concluded = NoAssertion, NoAssertion
	if l.declared != "" {
		declared = l.declared
	}
	if l.concluded != "" {
		concluded = l.concluded
	}
	if l.declared == "" && len(l.found) > 0 {
		comment = "The licence files"
		if len(l.files) > 0 {
			comment += " (" + strings.Join(l.files, ", ") + ")"
		}
		comment += " name " + strings.Join(l.found, ", ") + "; their texts do not say how these licences combine, so no licence is declared."
	}
	return declared, concluded, comment
}
