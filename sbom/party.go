package sbom

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/spdx/v2/common"
)

// Party is a person or an organisation: an author of the SBOM data, or
// the product's manufacturer or supplier.
type Party struct {
	Name  string
	Email string
	URL   string
	// Person is true for a person, false for an organisation.
	Person bool
}

// ParseParty parses a party as the command's --author, --supplier and
// --manufacturer flags take it:
//
//	Name <email>               a person
//	Name <email>, https://url  an organisation (a URL makes it one)
//	Org, https://url           an organisation
//	Org                        an organisation
//
// A leading "Person:" or "Organization:" (as SPDX writes creators) says
// which it is explicitly. The email must be an address (net/mail), the
// URL an absolute http or https URL.
func ParseParty(s string) (Party, error) {
	orig := s
	s = strings.TrimSpace(s)
	var p Party
	explicit := false
	for prefix, person := range map[string]bool{"Person:": true, "Organization:": false, "Organisation:": false} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			s, p.Person, explicit = strings.TrimSpace(rest), person, true
		}
	}
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		if u := strings.TrimSpace(s[i+1:]); strings.Contains(u, "://") {
			pu, err := url.Parse(u)
			if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
				return Party{}, fmt.Errorf("%q: %q is not an http(s) URL", orig, u)
			}
			p.URL = u
			s = strings.TrimSpace(s[:i])
		}
	}
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if !strings.HasSuffix(s, ">") {
			return Party{}, fmt.Errorf("%q: want \"Name <email>\"", orig)
		}
		addr, err := mail.ParseAddress(s[i:])
		if err != nil {
			return Party{}, fmt.Errorf("%q: %q is not an email address", orig, s[i+1:len(s)-1])
		}
		p.Email = addr.Address
		s = strings.TrimSpace(s[:i])
	}
	if s == "" || strings.ContainsAny(s, "<>()\n") {
		return Party{}, fmt.Errorf("%q: want \"Name <email>\", \"Organisation, https://url\" or both", orig)
	}
	p.Name = s
	if !explicit {
		p.Person = p.Email != "" && p.URL == ""
	}
	return p, nil
}

// String formats p as ParseParty reads it.
func (p Party) String() string {
	s := p.Name
	if p.Email != "" {
		s += " <" + p.Email + ">"
	}
	if p.URL != "" {
		s += ", " + p.URL
	}
	return s
}

func (p Party) spdxType() string {
	if p.Person {
		return "Person"
	}
	return "Organization"
}

// spdxName is the party as SPDX writes a creator, supplier or originator
// after its type: "Name (email)", or "Name" without an email.
func (p Party) spdxName() string {
	if p.Email != "" {
		return p.Name + " (" + p.Email + ")"
	}
	return p.Name
}

func (p Party) spdxCreator() common.Creator {
	return common.Creator{CreatorType: p.spdxType(), Creator: p.spdxName()}
}

func (p Party) cdxContact() cdx.OrganizationalContact {
	return cdx.OrganizationalContact{Name: p.Name, Email: p.Email}
}

// cdxEntity is the party as a CycloneDX organisational entity; a person
// is an entity named after them with themselves as its contact.
func (p Party) cdxEntity() *cdx.OrganizationalEntity {
	e := &cdx.OrganizationalEntity{Name: p.Name}
	if p.URL != "" {
		e.URL = &[]string{p.URL}
	}
	if p.Email != "" {
		c := cdx.OrganizationalContact{Email: p.Email}
		if p.Person {
			c.Name = p.Name
		}
		e.Contact = &[]cdx.OrganizationalContact{c}
	}
	return e
}

// DataLicense is the licence of the SBOM data itself: CC0-1.0, the data
// licence SPDX requires, written also as CycloneDX metadata.licenses.
const DataLicense = "CC0-1.0"

// firstOrganisation returns the first organisation among ps, or nil.
func firstOrganisation(ps []Party) *Party {
	for i := range ps {
		if !ps[i].Person {
			return &ps[i]
		}
	}
	return nil
}

// Unwritten names the contacts in opts that the SBOM in format f (at
// opts.Spec for CycloneDX) has no place for, one message each, so that a
// caller can say so rather than drop them silently. CycloneDX contacts
// (metadata.authors) hold a name and an email but no URL; from 1.6 the
// first organisation among the authors is also the BOM's manufacturer,
// which holds its URL. SPDX creators hold a name and an email: their
// URLs go into the creator comment, the product supplier's and
// manufacturer's into the primary package's comment, so nothing is
// unwritten there.
func Unwritten(f Format, opts Options) []string {
	if f != CycloneDXJSON && f != CycloneDXXML {
		return nil
	}
	spec, err := opts.cycloneDXSpec()
	if err != nil {
		return nil
	}
	var msgs []string
	org := firstOrganisation(opts.Authors)
	for i := range opts.Authors {
		a := &opts.Authors[i]
		if a.URL == "" || (a == org && spec >= cdx.SpecVersion1_6) {
			continue
		}
		why := "CycloneDX " + spec.String() + " authors have no URL"
		if spec >= cdx.SpecVersion1_6 {
			why += " and only the first organisation among them is the BOM's manufacturer"
		} else {
			why += " (from 1.6 an organisation's goes into metadata.manufacturer)"
		}
		msgs = append(msgs, fmt.Sprintf("author %q: URL %s not written: %s", a.Name, a.URL, why))
	}
	return msgs
}
