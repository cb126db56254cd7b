package product

import (
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/spdxexpr"
	sy "github.com/baseline-cm/baseline/internal/strictyaml"
)

// maxSize bounds the size of a baseline.yaml.
const maxSize = 4 << 20

// Load reads and parses the product configuration in file. A missing file
// is an error matching errors.Is(err, fs.ErrNotExist), so that callers can
// fall back to defaults. Errors name the file as given.
func Load(file string) (*Config, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("reading product configuration: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading product configuration: %w", err)
	}
	if len(data) > maxSize {
		return nil, fmt.Errorf("reading product configuration %s: larger than %d MiB", file, maxSize>>20)
	}
	c, err := Parse(file, data)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parse parses a product configuration; filename names it in errors, and
// its directory becomes Config.Dir. It checks the whole file and reports
// every problem, each as an *Error joined with errors.Join: YAML syntax,
// unknown or duplicate keys, values of the wrong type or outside their
// set, malformed identifiers schemes, globs, URLs and versioning schemes.
// A configuration with any problem is not returned.
func Parse(filename string, data []byte) (*Config, error) {
	p := &parser{Parser: sy.Parser{Root: "baseline.yaml"}, lines: map[string]int{}}
	c := &Config{File: filename, Dir: filepath.Dir(filename)}
	top := p.Decode(data)
	if top == nil {
		if p.Count() == 0 {
			p.Errorf(0, "version", "empty file (want at least \"version: %d\" and \"product: {name: ...}\")", FormatVersion)
		}
		return nil, p.err(filename)
	}
	f, ok := p.Fields(top, "", "version", "product", "versioning", "configurations", "items",
		"records", "change_control", "archive", "baseline_id", "signing", "vulndb")
	if !ok {
		return nil, p.err(filename)
	}
	p.version(top, f["version"], c)
	p.product(top, f["product"], &c.Product)
	p.versioning(f["versioning"], &c.Versioning)
	p.configurations(f["configurations"], c)
	p.items(f["items"], &c.Items)
	p.records(f["records"], &c.Records)
	p.changeControl(f["change_control"], &c.ChangeControl)
	c.Archive = p.relPath(f["archive"], "archive", DefaultArchive)
	c.BaselineID = DefaultBaselineID
	if e := f["baseline_id"]; e.Present() {
		if s, ok := p.text(e, "baseline_id"); ok {
			switch {
			case !strings.Contains(s, "{version}"):
				p.Errorf(e.Line(), "baseline_id", "%q does not contain {version} (such as \"BL-{version}\")", s)
			case strings.ContainsFunc(strings.ReplaceAll(s, "{version}", ""), func(r rune) bool {
				return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.+", r))
			}):
				p.Errorf(e.Line(), "baseline_id", "%q: besides {version}, use letters, digits, '-', '_', '.' and '+'", s)
			default:
				c.BaselineID = s
			}
		}
	}
	p.signing(f["signing"], &c.Signing)
	if e := f["vulndb"]; e.Present() {
		if s, ok := p.text(e, "vulndb"); ok {
			u, err := url.Parse(s)
			switch {
			case err != nil || strings.ContainsAny(s, " \t"):
				p.Errorf(e.Line(), "vulndb", "%q is not a URL", s)
			case u.Scheme == "file":
				if u.Host != "" && u.Host != "localhost" || u.Path == "" || !path.IsAbs(u.Path) {
					p.Errorf(e.Line(), "vulndb", "%q: a local database is file:///absolute/path", s)
				}
			case u.Scheme == "https" || u.Scheme == "http":
				if u.Host == "" {
					p.Errorf(e.Line(), "vulndb", "%q has no host", s)
				}
			default:
				p.Errorf(e.Line(), "vulndb", "%q: want an https:// URL or file:///path, as govulncheck -db takes it", s)
			}
			c.VulnDB = s
		}
	}
	if err := p.err(filename); err != nil {
		return nil, err
	}
	c.lines, c.todos = p.lines, p.todos
	return c, nil
}

type parser struct {
	sy.Parser
	lines map[string]int
	todos []TODO
}

func (p *parser) err(file string) error {
	probs := p.Problems()
	if len(probs) == 0 {
		return nil
	}
	errs := make([]error, len(probs))
	for i, pr := range probs {
		errs[i] = &Error{File: file, Line: pr.Line, Field: pr.Field, Msg: pr.Msg}
	}
	return errors.Join(errs...)
}

// text reads a text value, records its line and any TODO marker.
func (p *parser) text(e sy.Entry, field string) (string, bool) {
	s, ok := p.String(e, field)
	if !ok {
		return "", false
	}
	p.lines[field] = e.Line()
	if IsTODO(s) {
		p.todos = append(p.todos, TODO{Field: field, Line: e.Line(), Text: s})
	}
	return s, true
}

// oneLine reads a text that must be one line.
func (p *parser) oneLine(e sy.Entry, field string) string {
	s, ok := p.text(e, field)
	if ok && strings.ContainsAny(s, "\r\n") {
		p.Errorf(e.Line(), field, "want one line of text")
	}
	return s
}

func (p *parser) version(top *yaml.Node, e sy.Entry, c *Config) {
	if !e.Present() {
		p.Errorf(top.Line, "version", "missing (want \"version: %d\")", FormatVersion)
		return
	}
	n, ok := p.Int(e, "version")
	if !ok {
		return
	}
	if n != FormatVersion {
		p.Errorf(e.Line(), "version", "unsupported format version %d (this baseline reads version %d)", n, FormatVersion)
		return
	}
	c.Version = n
}

func (p *parser) product(top *yaml.Node, e sy.Entry, pr *Product) {
	if !e.Present() {
		p.Errorf(top.Line, "product", "missing (want at least \"product: {name: ...}\")")
		return
	}
	f, ok := p.Fields(e.Val, "product", "name", "manufacturer", "supplier", "authors", "website", "license")
	if !ok {
		return
	}
	if n := f["name"]; n.Present() {
		pr.Name = p.oneLine(n, "product.name")
	} else {
		p.Errorf(e.Line(), "product.name", "missing (the product's name)")
	}
	if v := f["manufacturer"]; v.Present() {
		pr.Manufacturer = p.party(v, "product.manufacturer")
	}
	if v := f["supplier"]; v.Present() {
		pr.Supplier = p.party(v, "product.supplier")
	}
	if v := f["authors"]; v.Present() {
		if v.Val.Kind == yaml.SequenceNode {
			for i, n := range v.Val.Content {
				field := fmt.Sprintf("product.authors.%d", i)
				pr.Authors = append(pr.Authors, p.party(sy.Entry{Key: v.Key, Val: n}, field))
			}
			p.lines["product.authors"] = v.Line()
		} else {
			pr.Authors = []string{p.party(v, "product.authors")}
		}
	}
	if v := f["website"]; v.Present() {
		pr.Website = p.url(v, "product.website")
	}
	if v := f["license"]; v.Present() {
		pr.License = p.oneLine(v, "product.license")
		if pr.License != "" && !IsTODO(pr.License) {
			if err := spdxexpr.Validate(pr.License); err != nil {
				p.Errorf(v.Line(), "product.license", "%v", err)
			}
		}
	}
}

// party checks the shape of a party: one line, a name, an email in angle
// brackets that is an address, a URL after the last comma that is http(s).
// Package sbom's ParseParty reads it; this catches what can be caught
// without it, with the line.
func (p *parser) party(e sy.Entry, field string) string {
	s := p.oneLine(e, field)
	if s == "" || IsTODO(s) {
		return s
	}
	rest := s
	if i := strings.LastIndexByte(rest, ','); i >= 0 && strings.Contains(rest[i+1:], "://") {
		u, err := url.Parse(strings.TrimSpace(rest[i+1:]))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			p.Errorf(e.Line(), field, "%q: %q is not an http(s) URL", s, strings.TrimSpace(rest[i+1:]))
			return s
		}
		rest = strings.TrimSpace(rest[:i])
	}
	if i := strings.IndexByte(rest, '<'); i >= 0 {
		if !strings.HasSuffix(rest, ">") {
			p.Errorf(e.Line(), field, "%q: want \"Name <email>\"", s)
			return s
		}
		if _, err := mail.ParseAddress(rest[i:]); err != nil {
			p.Errorf(e.Line(), field, "%q: %q is not an email address", s, rest[i+1:len(rest)-1])
			return s
		}
		rest = strings.TrimSpace(rest[:i])
	}
	if rest == "" || strings.ContainsAny(rest, "<>()") {
		p.Errorf(e.Line(), field, "%q: want \"Name <email>\", \"Organisation, https://url\" or both", s)
	}
	return s
}

func (p *parser) url(e sy.Entry, field string) string {
	s := p.oneLine(e, field)
	if s == "" || IsTODO(s) {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" || strings.ContainsAny(s, " \t") {
		p.Errorf(e.Line(), field, "%q is not an absolute URL (such as https://example.com/project)", s)
	}
	return s
}

func (p *parser) versioning(e sy.Entry, v *Versioning) {
	v.Scheme, v.Submission = SemVer, ReleaseMajor
	if !e.Present() {
		return
	}
	f, ok := p.Fields(e.Val, "versioning", "scheme", "major", "minor", "patch", "submission")
	if !ok {
		return
	}
	if s := f["scheme"]; s.Present() {
		if t, ok := p.text(s, "versioning.scheme"); ok && t != SemVer {
			p.Errorf(s.Line(), "versioning.scheme", "%q is not a supported scheme (want semver: semantic versioning, major.minor.patch)", t)
		}
	}
	for _, k := range []struct {
		key string
		dst *string
	}{{"major", &v.Major}, {"minor", &v.Minor}, {"patch", &v.Patch}} {
		if s := f[k.key]; s.Present() {
			*k.dst, _ = p.text(s, "versioning."+k.key)
		}
	}
	if s := f["submission"]; s.Present() {
		if t, ok := p.text(s, "versioning.submission"); ok {
			if !slices.Contains([]string{ReleaseMajor, ReleaseMinor, ReleasePatch, "none"}, t) {
				p.Errorf(s.Line(), "versioning.submission", "%q is not allowed (want major, minor, patch or none: the release type that needs a new regulatory submission)", t)
			} else {
				v.Submission = t
			}
		}
	}
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
var goEnvRE = regexp.MustCompile(`^[a-z0-9]+$`)
var tagRE = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)

func (p *parser) configurations(e sy.Entry, c *Config) {
	if !e.Present() {
		return
	}
	nodes, ok := p.Seq(e, "configurations")
	if !ok {
		return
	}
	seen := map[string]int{}
	for i, n := range nodes {
		path := fmt.Sprintf("configurations.%d", i)
		f, ok := p.Fields(n, "configurations", "name", "goos", "goarch", "cgo_enabled", "tags", "patterns", "mode", "flags")
		if !ok {
			continue
		}
		cf := Configuration{Line: n.Line, Patterns: []string{"./..."}, Mode: "packages"}
		p.lines[path] = n.Line
		if v := f["name"]; v.Present() {
			cf.Name, _ = p.text(v, path+".name")
			switch {
			case !nameRE.MatchString(cf.Name):
				p.Errorf(v.Line(), "configurations.name", "%q: a configuration name is letters, digits, '-', '_' and '.' (it names files: sbom/NAME.cdx.json)", cf.Name)
			case seen[cf.Name] > 0:
				p.Errorf(v.Line(), "configurations.name", "%q is already the name of the configuration at line %d", cf.Name, seen[cf.Name])
			default:
				seen[cf.Name] = n.Line
			}
		} else {
			p.Errorf(n.Line, "configurations.name", "missing (such as \"name: linux-amd64\")")
		}
		for _, k := range []struct {
			key string
			dst *string
		}{{"goos", &cf.GOOS}, {"goarch", &cf.GOARCH}} {
			if v := f[k.key]; v.Present() {
				*k.dst, _ = p.text(v, path+"."+k.key)
				if !goEnvRE.MatchString(*k.dst) {
					p.Errorf(v.Line(), "configurations."+k.key, "%q is not a %s value (such as linux, amd64: see go tool dist list)", *k.dst, strings.ToUpper(k.key))
				}
			}
		}
		if v := f["cgo_enabled"]; v.Present() {
			if b, ok := p.Bool(v, "configurations.cgo_enabled"); ok {
				cf.CGOEnabled = &b
			}
		}
		if v := f["tags"]; v.Present() {
			cf.Tags, _ = p.Strings(v, "configurations.tags", false)
			for _, t := range cf.Tags {
				if !tagRE.MatchString(t) {
					p.Errorf(v.Line(), "configurations.tags", "%q is not a build tag", t)
				}
			}
		}
		if v := f["patterns"]; v.Present() {
			if pats, ok := p.Strings(v, "configurations.patterns", false); ok {
				if len(pats) == 0 {
					p.Errorf(v.Line(), "configurations.patterns", "an empty list (leave the key out for ./...)")
				}
				for _, s := range pats {
					if s == "" || strings.HasPrefix(s, "-") {
						p.Errorf(v.Line(), "configurations.patterns", "%q is not a package pattern", s)
					}
				}
				cf.Patterns = pats
			}
		}
		if v := f["mode"]; v.Present() {
			if s, ok := p.text(v, path+".mode"); ok {
				if s != "packages" && s != "modules" {
					p.Errorf(v.Line(), "configurations.mode", "%q is not a mode (want packages or modules)", s)
				} else {
					cf.Mode = s
				}
			}
		}
		if v := f["flags"]; v.Present() {
			cf.Flags, _ = p.Strings(v, "configurations.flags", false)
			for _, s := range cf.Flags {
				if !strings.HasPrefix(s, "-") {
					p.Errorf(v.Line(), "configurations.flags", "%q is not a go build flag (such as -trimpath)", s)
				}
			}
		}
		c.Configurations = append(c.Configurations, cf)
	}
}

// scheme reads an identifier scheme {prefix, width}.
func (p *parser) scheme(e sy.Entry, field string, def ident.Scheme) ident.Scheme {
	if !e.Present() {
		return def
	}
	f, ok := p.Fields(e.Val, field, "prefix", "width")
	if !ok {
		return def
	}
	s := def
	if v := f["prefix"]; v.Present() {
		s.Prefix, _ = p.text(v, field+".prefix")
	}
	if v := f["width"]; v.Present() {
		if n, ok := p.Int(v, field+".width"); ok {
			s.Width = n
		}
	}
	if err := s.Validate(); err != nil {
		p.Errorf(e.Line(), field, "%v", err)
		return def
	}
	return s
}

var classRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

func (p *parser) items(e sy.Entry, it *Items) {
	it.IDs = DefaultItemIDs
	it.Classes = []Class{{Name: "source", Kind: GoPackage, Paths: []string{"./..."}}}
	if !e.Present() {
		return
	}
	f, ok := p.Fields(e.Val, "items", "ids", "classes")
	if !ok {
		return
	}
	it.IDs = p.scheme(f["ids"], "items.ids", DefaultItemIDs)
	v := f["classes"]
	if !v.Present() {
		return
	}
	nodes, ok := p.Seq(v, "items.classes")
	if !ok {
		return
	}
	it.Classes = nil
	seen := map[string]int{}
	for i, n := range nodes {
		path := fmt.Sprintf("items.classes.%d", i)
		g, ok := p.Fields(n, "items.classes", "name", "kind", "paths", "exclude", "owner", "controlled_from", "description")
		if !ok {
			continue
		}
		cl := Class{Line: n.Line, Kind: Files}
		p.lines[path] = n.Line
		if v := g["name"]; v.Present() {
			cl.Name, _ = p.text(v, path+".name")
			switch {
			case !classRE.MatchString(cl.Name):
				p.Errorf(v.Line(), "items.classes.name", "%q: a class name is a letter, then letters, digits, '-' and '_'", cl.Name)
			case seen[cl.Name] > 0:
				p.Errorf(v.Line(), "items.classes.name", "%q is already the name of the class at line %d", cl.Name, seen[cl.Name])
			default:
				seen[cl.Name] = n.Line
			}
		} else {
			p.Errorf(n.Line, "items.classes.name", "missing (such as source, object, control-data, assets, documentation)")
		}
		if v := g["kind"]; v.Present() {
			if s, ok := p.text(v, path+".kind"); ok {
				if s != GoPackage && s != Files {
					p.Errorf(v.Line(), "items.classes.kind", "%q is not a kind (want go-package or files)", s)
				} else {
					cl.Kind = s
				}
			}
		}
		if v := g["paths"]; v.Present() {
			cl.Paths, _ = p.Strings(v, "items.classes.paths", true)
			for _, s := range cl.Paths {
				if cl.Kind == GoPackage {
					if !strings.HasPrefix(s, "./") && s != "." || strings.Contains(s, "..") && !strings.HasSuffix(s, "/...") {
						p.Errorf(v.Line(), "items.classes.paths", "%q: a go-package class lists package patterns of the main modules, relative (./..., ./cmd/...)", s)
					}
				} else if msg := checkGlob(s); msg != "" {
					p.Errorf(v.Line(), "items.classes.paths", "%q: %s", s, msg)
				}
			}
		} else {
			p.Errorf(n.Line, "items.classes.paths", "missing (package patterns for go-package, path globs for files)")
		}
		if v := g["exclude"]; v.Present() {
			cl.Exclude, _ = p.Strings(v, "items.classes.exclude", true)
			for _, s := range cl.Exclude {
				if msg := checkGlob(s); msg != "" {
					p.Errorf(v.Line(), "items.classes.exclude", "%q: %s", s, msg)
				}
			}
		}
		if v := g["owner"]; v.Present() {
			cl.Owner = p.oneLine(v, path+".owner")
		}
		if v := g["controlled_from"]; v.Present() {
			cl.ControlledFrom, _ = p.text(v, path+".controlled_from")
		}
		if v := g["description"]; v.Present() {
			cl.Description, _ = p.text(v, path+".description")
		}
		it.Classes = append(it.Classes, cl)
	}
	if len(it.Classes) == 0 && len(nodes) == 0 {
		p.Errorf(v.Line(), "items.classes", "an empty list: the product has at least its source (leave the key out for the default source class)")
	}
}

// relPath reads a directory relative to the repository root.
func (p *parser) relPath(e sy.Entry, field, def string) string {
	if !e.Present() {
		return def
	}
	s, ok := p.text(e, field)
	if !ok {
		return def
	}
	clean := path.Clean(s)
	if s == "" || path.IsAbs(s) || strings.Contains(s, `\`) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || strings.ContainsAny(s, "\r\n") {
		p.Errorf(e.Line(), field, "%q: want a directory inside the repository, relative to its root (such as %s)", s, def)
		return def
	}
	return clean
}

func (p *parser) records(e sy.Entry, r *Records) {
	*r = Records{DefaultChangeRequests, DefaultProblemReports, DefaultAnomalies}
	if !e.Present() {
		return
	}
	f, ok := p.Fields(e.Val, "records", "change_requests", "problem_reports", "anomalies")
	if !ok {
		return
	}
	r.ChangeRequests = p.relPath(f["change_requests"], "records.change_requests", DefaultChangeRequests)
	r.ProblemReports = p.relPath(f["problem_reports"], "records.problem_reports", DefaultProblemReports)
	r.Anomalies = p.relPath(f["anomalies"], "records.anomalies", DefaultAnomalies)
}

var trailerRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

func (p *parser) changeControl(e sy.Entry, cc *ChangeControl) {
	cc.Trailer = DefaultTrailer
	cc.IDs, cc.ProblemIDs, cc.AnomalyIDs = DefaultChangeIDs, DefaultProblemIDs, DefaultAnomalyIDs
	cc.ReleasePolicy = DefaultReleasePolicy()
	if !e.Present() {
		return
	}
	f, ok := p.Fields(e.Val, "change_control", "start", "trailer", "ids", "problem_ids", "anomaly_ids", "release_policy")
	if !ok {
		return
	}
	if v := f["start"]; v.Present() {
		cc.Start, _ = p.text(v, "change_control.start")
		if _, isDate := cc.StartTime(); !isDate {
			if looksLikeDate(cc.Start) {
				p.Errorf(v.Line(), "change_control.start", "%q is not a date (want YYYY-MM-DD or an RFC 3339 time)", cc.Start)
			} else if cc.Start == "" || strings.ContainsAny(cc.Start, " \t\r\n~^:?*[\\") || strings.HasPrefix(cc.Start, "-") {
				p.Errorf(v.Line(), "change_control.start", "%q is neither a date (YYYY-MM-DD) nor a git ref (a tag, branch or commit)", cc.Start)
			}
		}
	}
	if v := f["trailer"]; v.Present() {
		if s, ok := p.text(v, "change_control.trailer"); ok {
			if !trailerRE.MatchString(s) {
				p.Errorf(v.Line(), "change_control.trailer", "%q is not a commit trailer key (letters, digits and '-', such as Change-Request)", s)
			} else {
				cc.Trailer = s
			}
		}
	}
	cc.IDs = p.scheme(f["ids"], "change_control.ids", DefaultChangeIDs)
	cc.ProblemIDs = p.scheme(f["problem_ids"], "change_control.problem_ids", DefaultProblemIDs)
	cc.AnomalyIDs = p.scheme(f["anomaly_ids"], "change_control.anomaly_ids", DefaultAnomalyIDs)
	if cc.IDs.Prefix == cc.ProblemIDs.Prefix {
		p.Errorf(f["problem_ids"].Line(), "change_control.problem_ids", "prefix %q is also the change requests' prefix", cc.IDs.Prefix)
	}
	if cc.AnomalyIDs.Prefix == cc.IDs.Prefix || cc.AnomalyIDs.Prefix == cc.ProblemIDs.Prefix {
		p.Errorf(f["anomaly_ids"].Line(), "change_control.anomaly_ids", "prefix %q is also the prefix of change requests or problem reports", cc.AnomalyIDs.Prefix)
	}
	if v := f["release_policy"]; v.Present() {
		g, ok := p.Fields(v.Val, "change_control.release_policy", ReleaseMajor, ReleaseMinor, ReleasePatch)
		if !ok {
			return
		}
		for _, k := range []struct {
			key string
			dst *[]string
		}{{ReleaseMajor, &cc.ReleasePolicy.Major}, {ReleaseMinor, &cc.ReleasePolicy.Minor}, {ReleasePatch, &cc.ReleasePolicy.Patch}} {
			e, ok := g[k.key]
			if !ok {
				continue
			}
			field := "change_control.release_policy." + k.key
			if !e.Present() {
				*k.dst = []string{}
				continue
			}
			list, ok := p.Strings(e, field, false)
			if !ok {
				continue
			}
			for _, s := range list {
				if s != ChangeAll && !slices.Contains(ChangeKinds, s) {
					p.Errorf(e.Line(), field, "%q is not a change kind (want all, %s)", s, strings.Join(ChangeKinds, ", "))
				}
			}
			*k.dst = list
		}
	}
}

func looksLikeDate(s string) bool {
	return len(s) >= 8 && s[0] >= '0' && s[0] <= '9' && strings.Count(s, "-") >= 2 && !strings.ContainsAny(s, "/")
}

var meaningRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

func (p *parser) signing(e sy.Entry, s *Signing) {
	if !e.Present() {
		return
	}
	f, ok := p.Fields(e.Val, "signing", "meanings")
	if !ok {
		return
	}
	v := f["meanings"]
	if !v.Present() {
		return
	}
	list, ok := p.Strings(v, "signing.meanings", false)
	if !ok {
		return
	}
	for _, m := range list {
		switch {
		case !meaningRE.MatchString(m):
			p.Errorf(v.Line(), "signing.meanings", "%q: a meaning is a lower-case word (letters, digits, '-'), such as verified", m)
		case slices.Contains(BuiltinMeanings, m):
			p.Errorf(v.Line(), "signing.meanings", "%q is built in (authored, reviewed and approved need not be listed)", m)
		case slices.Contains(s.Meanings, m):
			p.Errorf(v.Line(), "signing.meanings", "%q is listed twice", m)
		default:
			s.Meanings = append(s.Meanings, m)
		}
	}
}

// Default returns the configuration of a repository without
// baseline.yaml: every setting at its default, no product name, Dir dir.
func Default(dir string) *Config {
	p := &parser{lines: map[string]int{}}
	c := &Config{File: filepath.Join(dir, DefaultFile), Dir: dir, Version: FormatVersion,
		Archive: DefaultArchive, BaselineID: DefaultBaselineID}
	p.versioning(sy.Entry{}, &c.Versioning)
	p.items(sy.Entry{}, &c.Items)
	p.records(sy.Entry{}, &c.Records)
	p.changeControl(sy.Entry{}, &c.ChangeControl)
	c.lines = p.lines
	return c
}
