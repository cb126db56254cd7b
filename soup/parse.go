package soup

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/package-url/packageurl-go"
	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/module"

	"github.com/baseline-cm/baseline/ident"
	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/internal/spdxexpr"
	"github.com/baseline-cm/baseline/internal/strictyaml"
	"github.com/baseline-cm/baseline/internal/yamledit"
	"github.com/baseline-cm/baseline/inventory"
)

// Error is a problem at one place of a register. Its text is
// "FILE:LINE: FIELD: what is wrong". ParseRegister and LoadRegister return
// every Error found, joined with errors.Join; use errors.As, or the
// Unwrap() []error method of the joined error, to get them one by one.
type Error struct {
	File string
	// Line is 0 when the problem has no line (an empty file).
	Line int
	// Field is the key path ("ids.width", "anomaly_evaluation.date";
	// item fields without the "items" prefix), or "syntax" for YAML
	// syntax errors.
	Field string
	Msg   string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, oneLine(e.Field), oneLine(e.Msg))
	}
	return fmt.Sprintf("%s: %s: %s", e.File, oneLine(e.Field), oneLine(e.Msg))
}

// oneLine escapes line breaks, so that every problem is one line of text.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// maxRegisterSize bounds the size of a register file.
const maxRegisterSize = 32 << 20

// LoadRegister reads and parses the register in file. Errors name the file
// as given.
func LoadRegister(file string) (*Register, error) {
	data, err := readRegister(file)
	if err != nil {
		return nil, err
	}
	return ParseRegister(file, data)
}

func readRegister(file string) ([]byte, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: there is no SOUP register here (baseline soup sync creates one from the build): %w", file, err)
	}
	if err != nil {
		return nil, fmt.Errorf("reading SOUP register: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRegisterSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading SOUP register: %w", err)
	}
	if len(data) > maxRegisterSize {
		return nil, fmt.Errorf("reading SOUP register %s: larger than %d MiB", file, maxRegisterSize>>20)
	}
	return data, nil
}

// ParseRegister parses a register; name is the file name used in errors.
// It checks the whole file and reports every problem, each as an *Error:
// YAML syntax, unknown or duplicate keys, values of the wrong type, dates
// that are not YYYY-MM-DD, values outside an enumeration, identifiers
// outside the scheme, duplicate identifiers, retired identifiers in use,
// and items declared twice (the same module, or the same kind and title).
// A register with any problem is not returned.
func ParseRegister(name string, data []byte) (*Register, error) {
	reg, _, err := parse(name, data)
	return reg, err
}

// document is a parsed register's YAML tree, kept by sync to edit it.
type document struct {
	data []byte
	root *yaml.Node // the document node
	top  *yaml.Node // its mapping
	// items holds the mapping node of each item, parallel to Register.Items.
	items []*yaml.Node
}

// parse parses a register and also returns its YAML tree.
func parse(name string, data []byte) (*Register, *document, error) {
	p := &parser{file: name}
	root, err := strictyaml.Decode(data)
	if err != nil {
		if line, msg, ok := encodingError(data); ok {
			p.errorf(line, "syntax", "%s", msg)
		} else {
			p.syntax(err, data)
		}
		return nil, nil, p.err()
	}
	if root == nil || len(root.Content) == 0 {
		p.errorf(0, "version", "empty register (want at least \"version: %d\", \"ids:\" and \"items:\")", FormatVersion)
		return nil, nil, p.err()
	}
	p.noAliases(root)
	doc := &document{data: data, root: root, top: root.Content[0]}
	reg := &Register{File: name}
	top, ok := p.fields(doc.top, "", "version", "ids", "policy", "items")
	if !ok {
		return nil, nil, p.err()
	}
	p.version(doc.top, top["version"], reg)
	scheme := p.ids(doc.top, top["ids"], &reg.IDs)
	p.policy(top["policy"], &reg.Policy)
	p.items(top["items"], reg, doc, scheme)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	return reg, doc, nil
}

type parser struct {
	file string
	errs []*Error
}

func (p *parser) errorf(line int, field, format string, args ...any) {
	if field == "" {
		field = "register"
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems found, sorted by line, joined.
func (p *parser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (?s)(.*)$`)

// syntax records a YAML syntax error with its line. yaml.v3 reports the
// line where the enclosing block starts, not the line at fault; the line
// at fault is found as the shortest prefix of the file that fails to
// parse with the same message.
func (p *parser) syntax(err error, data []byte) {
	// One error, one line.
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		p.errorf(faultLine(data, n, m[2]), "syntax", "%s", m[2])
		return
	}
	p.errorf(0, "syntax", "%s", strings.TrimPrefix(msg, "yaml: "))
}

// faultLine returns the first line from line on such that the file up to
// it fails to parse with message msg (a binary search: prefixes of a
// register that parse up to line n almost always parse up to any earlier
// line too), or line.
func faultLine(data []byte, line int, msg string) int {
	var starts []int // offset of the end of each line
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		starts = append(starts, len(data))
	}
	fails := func(n int) bool {
		_, err := strictyaml.Decode(data[:starts[n-1]])
		if err == nil {
			return false
		}
		m := yamlLine.FindStringSubmatch(err.Error())
		return m != nil && strings.Join(strings.Fields(m[2]), " ") == msg
	}
	lo, hi := max(line, 1), len(starts)
	if lo > hi || !fails(hi) {
		return line
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// noAliases rejects anchors, aliases and merge keys: a register is read by
// people, and every value must be where it appears.
func (p *parser) noAliases(n *yaml.Node) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		p.errorf(n.Line, "syntax", "anchors and aliases (&, *) are not allowed in a register")
		return
	}
	for _, c := range n.Content {
		p.noAliases(c)
	}
}

// entry is a key and its value.
type entry struct{ key, val *yaml.Node }

func (e entry) present() bool { return e.val != nil && !isNull(e.val) }

func isNull(n *yaml.Node) bool { return yamledit.IsNull(n) }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describe names what a node is, for messages.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case isNull(n):
		return "nothing"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}

// fields reads the mapping m at path, reporting anything that is not a
// mapping, keys that are not allowed and keys given twice.
func (p *parser) fields(m *yaml.Node, path string, allowed ...string) (map[string]entry, bool) {
	if m.Kind != yaml.MappingNode {
		p.errorf(m.Line, path, "want a mapping (key: value lines), found %s", describe(m))
		return nil, false
	}
	out := map[string]entry{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k.Line, path, "keys must be plain names, found %s", describe(k))
			continue
		}
		field := join(path, k.Value)
		if !slices.Contains(allowed, k.Value) {
			if strings.ContainsFunc(k.Value, func(r rune) bool { return r <= ' ' || r == '"' }) {
				field = join(path, strconv.Quote(k.Value))
			}
			if k.Value == "<<" {
				p.errorf(k.Line, join(path, `"<<"`), "merge keys (<<) are not allowed in a register: write every key where it applies")
				continue
			}
			msg := "unknown key"
			if s := strictyaml.Suggest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (want " + strings.Join(allowed, ", ") + ")"
			}
			p.errorf(k.Line, field, "%s", msg)
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.errorf(k.Line, field, "given twice (first at line %d)", prev.key.Line)
			continue
		}
		out[k.Value] = entry{k, v}
	}
	return out, true
}

// scalar returns the text of a scalar value; ok is false (and a problem
// recorded) when the value is not a scalar. Null is "".
func (p *parser) scalar(e entry, field string) (string, bool) {
	if e.val.Kind != yaml.ScalarNode {
		p.errorf(e.val.Line, field, "want a single value, found %s", describe(e.val))
		return "", false
	}
	if isNull(e.val) {
		return "", true
	}
	return e.val.Value, true
}

func (p *parser) integer(e entry, field string) (int, bool) {
	s, ok := p.scalar(e, field)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || e.val.ShortTag() != "!!int" {
		p.errorf(e.val.Line, field, "want a whole number, found %s", describe(e.val))
		return 0, false
	}
	return n, true
}

func (p *parser) version(top *yaml.Node, e entry, reg *Register) {
	if !e.present() {
		p.errorf(top.Line, "version", "missing (want \"version: %d\")", FormatVersion)
		return
	}
	n, ok := p.integer(e, "version")
	if !ok {
		return
	}
	if n != FormatVersion {
		p.errorf(e.val.Line, "version", "unsupported register format version %d (this baseline reads version %d)", n, FormatVersion)
		return
	}
	reg.Version = n
}

// ids reads the ids section; it returns the scheme, or nil when unusable.
func (p *parser) ids(top *yaml.Node, e entry, ids *IDs) *ident.Scheme {
	if !e.present() {
		p.errorf(top.Line, "ids", "missing (want the identifier scheme: prefix, width)")
		return nil
	}
	f, ok := p.fields(e.val, "ids", "prefix", "width", "last_issued", "retired")
	if !ok {
		return nil
	}
	valid := true
	if pe := f["prefix"]; pe.present() {
		ids.Prefix, ok = p.scalar(pe, "ids.prefix")
		valid = valid && ok
	} else {
		p.errorf(e.val.Line, "ids.prefix", "missing (such as \"prefix: SOUP-\")")
		valid = false
	}
	if we := f["width"]; we.present() {
		ids.Width, ok = p.integer(we, "ids.width")
		valid = valid && ok
	} else {
		p.errorf(e.val.Line, "ids.width", "missing (the zero-padded width of the number, such as \"width: 3\")")
		valid = false
	}
	var scheme *ident.Scheme
	if valid {
		s := ids.Scheme()
		if err := s.Validate(); err != nil {
			line := f["prefix"].val.Line
			if strings.Contains(err.Error(), "width") {
				line = f["width"].val.Line
			}
			p.errorf(line, "ids", "%v", err)
		} else {
			scheme = &s
		}
	}
	if le := f["last_issued"]; le.present() {
		if n, ok := p.integer(le, "ids.last_issued"); ok {
			if n < 0 {
				p.errorf(le.val.Line, "ids.last_issued", "must not be negative")
			}
			ids.LastIssued = n
		}
	}
	if re := f["retired"]; re.present() {
		if re.val.Kind != yaml.SequenceNode {
			p.errorf(re.val.Line, "ids.retired", "want a list of retired identifiers, found %s", describe(re.val))
			return scheme
		}
		seen := map[string]int{}
		for _, n := range re.val.Content {
			r, ok := p.retired(n, scheme)
			if !ok {
				continue
			}
			if prev, dup := seen[r.ID]; dup {
				p.errorf(n.Line, "ids.retired.id", "%s is retired twice (first at line %d)", r.ID, prev)
				continue
			}
			seen[r.ID] = n.Line
			ids.Retired = append(ids.Retired, r)
		}
	}
	return scheme
}

func (p *parser) retired(n *yaml.Node, scheme *ident.Scheme) (RetiredID, bool) {
	r := RetiredID{Line: n.Line}
	f, ok := p.fields(n, "ids.retired", "id", "title", "last_version", "last_evaluation", "date", "reason")
	if !ok {
		return r, false
	}
	ok = true
	if e := f["id"]; e.present() {
		r.ID, _ = p.scalar(e, "ids.retired.id")
		if scheme != nil {
			if _, err := scheme.Parse(r.ID); err != nil {
				p.errorf(e.val.Line, "ids.retired.id", "%v", err)
				ok = false
			}
		}
	} else {
		p.errorf(n.Line, "ids.retired.id", "missing")
		ok = false
	}
	if e := f["title"]; e.present() {
		r.Title, _ = p.scalar(e, "ids.retired.title")
	}
	if e := f["last_version"]; e.present() {
		r.LastVersion, _ = p.scalar(e, "ids.retired.last_version")
	}
	if e := f["last_evaluation"]; e.present() {
		r.LastEvaluation, _ = p.scalar(e, "ids.retired.last_evaluation")
	}
	if e := f["date"]; e.present() {
		s, _ := p.scalar(e, "ids.retired.date")
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			p.errorf(e.val.Line, "ids.retired.date", "%q is not a date (want YYYY-MM-DD)", s)
		}
		r.Date = Date(s)
	} else {
		p.errorf(n.Line, "ids.retired.date", "missing (the date the item left the product, YYYY-MM-DD)")
	}
	if e := f["reason"]; e.present() {
		r.Reason, _ = p.scalar(e, "ids.retired.reason")
	} else {
		p.errorf(n.Line, "ids.retired.reason", "missing (why the item left the product)")
	}
	return r, ok
}

func (p *parser) policy(e entry, pol *Policy) {
	if !e.present() {
		return
	}
	f, ok := p.fields(e.val, "policy", "require_fda", "evaluation_max_age", "required", "test_dependencies")
	if !ok {
		return
	}
	if e := f["test_dependencies"]; e.present() {
		s, ok := p.scalar(e, "policy.test_dependencies")
		if ok && e.val.ShortTag() != "!!bool" {
			p.errorf(e.val.Line, "policy.test_dependencies", "want true or false, found %q", s)
		} else if ok {
			pol.TestDependencies = s == "true" || s == "True" || s == "TRUE"
		}
	}
	if e := f["required"]; e.present() {
		if g, ok := p.fields(e.val, "policy.required", "A", "B", "C"); ok {
			pol.Required = map[SafetyClass][]string{}
			for _, c := range []SafetyClass{ClassA, ClassB, ClassC} {
				ce, ok := g[string(c)]
				if !ok {
					continue
				}
				field := "policy.required." + string(c)
				if ce.val.Kind != yaml.SequenceNode {
					p.errorf(ce.val.Line, field, "want a list of field names, found %s", describe(ce.val))
					continue
				}
				list := []string{}
				for _, n := range ce.val.Content {
					if n.Kind != yaml.ScalarNode || !isRequirable(n.Value) {
						p.errorf(n.Line, field, "%s is not a field a class may require (want %s)", describe(n), requirableNames())
						continue
					}
					list = append(list, n.Value)
				}
				pol.Required[c] = list
			}
		}
	}
	if e := f["require_fda"]; e.present() {
		s, ok := p.scalar(e, "policy.require_fda")
		if ok && e.val.ShortTag() != "!!bool" {
			p.errorf(e.val.Line, "policy.require_fda", "want true or false, found %q", s)
		} else if ok {
			pol.RequireFDA = s == "true" || s == "True" || s == "TRUE"
		}
	}
	if e := f["evaluation_max_age"]; e.present() {
		if n, ok := p.integer(e, "policy.evaluation_max_age"); ok {
			if n < 1 {
				p.errorf(e.val.Line, "policy.evaluation_max_age", "want a number of days of at least 1 (leave the key out for no limit)")
			}
			pol.EvaluationMaxAge = n
		}
	}
}

// itemKeys are the keys of an item, in the order sync writes them.
var itemKeys = []string{
	"id", "title", "kind", "module", "version", "directory", "purl", "manufacturer", "manufacturer_justification",
	"website", "license", "configurations", "used_by", "safety_class", "risk", "requirements", "required_hw_sw",
	"hazards", "risk_controls", "anomaly_evaluation", "support", "verification", "notes",
}

func (p *parser) items(e entry, reg *Register, doc *document, scheme *ident.Scheme) {
	if e.key == nil {
		p.errorf(doc.top.Line, "items", "missing (want \"items:\", a list of SOUP items; \"items: []\" for none)")
		return
	}
	if isNull(e.val) {
		return
	}
	if e.val.Kind != yaml.SequenceNode {
		p.errorf(e.val.Line, "items", "want a list of SOUP items, found %s", describe(e.val))
		return
	}
	retired := map[string]int{}
	for _, r := range reg.IDs.Retired {
		retired[r.ID] = r.Line
	}
	ids := map[string]int{}
	modules := map[string]int{}
	titles := map[string]int{}
	for _, n := range e.val.Content {
		it, ok := p.item(n, scheme)
		if it.ID != "" {
			if l, dup := ids[it.ID]; dup {
				p.errorf(it.FieldLine("id"), "id", "%s is already the identifier of the item at line %d", it.ID, l)
				ok = false
			} else if l, ret := retired[it.ID]; ret {
				p.errorf(it.FieldLine("id"), "id", "%s is retired (line %d) and may not be used again", it.ID, l)
				ok = false
			} else {
				ids[it.ID] = it.Line
			}
		}
		if it.Module != "" {
			if l, dup := modules[it.Module]; dup {
				p.errorf(it.FieldLine("module"), "module", "%s is already declared by the item at line %d", it.Module, l)
				ok = false
			} else {
				modules[it.Module] = it.Line
			}
		}
		if it.Title != "" && !IsTODO(it.Title) && it.Kind != "" {
			key := string(it.Kind) + "\x00" + it.Title
			if l, dup := titles[key]; dup {
				p.errorf(it.FieldLine("title"), "title", "%s %q is already declared by the item at line %d", it.Kind, it.Title, l)
				ok = false
			} else {
				titles[key] = it.Line
			}
		}
		if ok {
			reg.Items = append(reg.Items, it)
			doc.items = append(doc.items, n)
		}
	}
}

// item reads one item.
func (p *parser) item(n *yaml.Node, scheme *ident.Scheme) (Item, bool) {
	it := Item{Line: n.Line, Lines: map[string]int{}}
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "items", "want an item (a mapping of key: value lines), found %s", describe(n))
		return it, false
	}
	f, ok := p.fields(n, "", itemKeys...)
	if !ok {
		return it, false
	}
	before := len(p.errs)
	for _, k := range itemKeys {
		if e := f[k]; e.present() {
			it.Lines[k] = e.key.Line
		}
	}
	if e := f["id"]; e.present() {
		it.ID, _ = p.scalar(e, "id")
		if scheme != nil && it.ID != "" {
			if _, err := scheme.Parse(it.ID); err != nil {
				p.errorf(e.val.Line, "id", "%v", err)
			}
		}
	}
	it.Title = p.text(&it, f, "title")
	if e := f["kind"]; e.present() {
		s, _ := p.scalar(e, "kind")
		if !slices.Contains(kinds[:], Kind(s)) {
			p.errorf(e.val.Line, "kind", "%q is not a kind (want %s)", s, joinKinds())
		}
		it.Kind = Kind(s)
	} else {
		p.errorf(n.Line, "kind", "missing (want %s)", joinKinds())
	}
	if e := f["module"]; e.present() {
		it.Module, _ = p.scalar(e, "module")
		switch {
		case it.Kind == Runtime && it.Module != inventory.StdlibID:
			p.errorf(e.val.Line, "module", "a runtime item names module %q (the Go standard library) or none", inventory.StdlibID)
		case it.Kind != GoModule && it.Kind != Runtime && it.Kind != "":
			p.errorf(e.val.Line, "module", "only go-module items (and the Go runtime, module %q) name a Go module", inventory.StdlibID)
		case it.Kind == GoModule && it.Module == inventory.StdlibID:
			p.errorf(e.val.Line, "module", "the Go standard library is declared as kind runtime")
		case it.Kind == GoModule:
			if err := module.CheckImportPath(it.Module); err != nil {
				p.errorf(e.val.Line, "module", "%q is not a Go module path", it.Module)
			}
		}
	} else if it.Kind == GoModule {
		p.errorf(n.Line, "module", "missing (a go-module item names its module path)")
	}
	it.Version = p.text(&it, f, "version")
	if it.IsGo() && !IsTODO(it.Version) && strings.ContainsAny(it.Version, " \t\n") {
		p.errorf(it.FieldLine("version"), "version", "%q: a Go module version has no spaces", it.Version)
	}
	it.Directory = p.text(&it, f, "directory")
	switch {
	case it.Directory != "" && it.Kind != GoModule:
		p.errorf(it.FieldLine("directory"), "directory", "only go-module items are replaced by a local directory")
	case it.Directory != "" && it.Version != "":
		p.errorf(it.FieldLine("directory"), "directory", "an item replaced by a local directory has no version (remove version, or directory)")
	}
	it.PURL = p.text(&it, f, "purl")
	if it.PURL != "" && !IsTODO(it.PURL) {
		p.purl(&it)
	}
	it.Manufacturer = p.text(&it, f, "manufacturer")
	it.ManufacturerJustification = p.text(&it, f, "manufacturer_justification")
	it.Website = p.url(&it, f, "website")
	it.License = p.text(&it, f, "license")
	if it.License != "" && !IsTODO(it.License) {
		if err := spdxexpr.Validate(it.License); err != nil {
			p.errorf(it.FieldLine("license"), "license", "%v", err)
		}
	}
	it.Configurations = p.list(&it, f, "configurations")
	it.UsedBy = p.list(&it, f, "used_by")
	it.SafetyClass = SafetyClass(p.enum(&it, f, "safety_class", "A", "B", "C"))
	it.Risk = Risk(p.enum(&it, f, "risk", string(RiskLow), string(RiskMedium), string(RiskHigh)))
	if e := f["requirements"]; e.present() {
		if g, ok := p.section(&it, e, "requirements", "functional", "performance"); ok {
			it.Requirements = &Requirements{
				Functional:  p.text(&it, g, "requirements.functional"),
				Performance: p.text(&it, g, "requirements.performance"),
			}
		}
	}
	it.RequiredHWSW = p.list(&it, f, "required_hw_sw")
	it.Hazards = p.list(&it, f, "hazards")
	if e := f["hazards"]; it.Hazards == nil && e.key != nil && !isNull(e.val) {
		it.Hazards = []string{}
	}
	it.RiskControls = p.list(&it, f, "risk_controls")
	if e := f["risk_controls"]; it.RiskControls == nil && e.key != nil && !isNull(e.val) {
		it.RiskControls = []string{}
	}
	if e := f["anomaly_evaluation"]; e.present() {
		if g, ok := p.section(&it, e, "anomaly_evaluation", "anomaly_list", "version_evaluated", "date", "evaluator", "relevant_anomalies", "conclusion", "advisories"); ok {
			a := &AnomalyEvaluation{
				AnomalyList:       p.url(&it, g, "anomaly_evaluation.anomaly_list"),
				VersionEvaluated:  p.text(&it, g, "anomaly_evaluation.version_evaluated"),
				Date:              p.date(&it, g, "anomaly_evaluation.date"),
				Evaluator:         p.text(&it, g, "anomaly_evaluation.evaluator"),
				RelevantAnomalies: p.list(&it, g, "anomaly_evaluation.relevant_anomalies"),
				Conclusion:        p.text(&it, g, "anomaly_evaluation.conclusion"),
				Advisories:        p.advisories(&it, g),
			}
			if e := g["anomaly_evaluation.relevant_anomalies"]; a.RelevantAnomalies == nil && e.key != nil {
				// Present but empty ("relevant_anomalies: []" or nothing
				// after the colon): none, not unknown.
				a.RelevantAnomalies = []string{}
			}
			it.AnomalyEvaluation = a
		}
	}
	if e := f["support"]; e.present() {
		if g, ok := p.section(&it, e, "support", "level", "assessed", "end_of_support", "end_of_support_justification"); ok {
			it.Support = &Support{
				Level: SupportLevel(p.enum(&it, g, "support.level",
					string(ActivelyMaintained), string(NoLongerMaintained), string(Abandoned), string(SupportUnknown))),
				Assessed:                  p.date(&it, g, "support.assessed"),
				EndOfSupport:              p.date(&it, g, "support.end_of_support"),
				EndOfSupportJustification: p.text(&it, g, "support.end_of_support_justification"),
			}
		}
	}
	if e := f["verification"]; e.present() {
		if g, ok := p.section(&it, e, "verification", "reasoning", "last_verified"); ok {
			it.Verification = &Verification{
				Reasoning:    p.text(&it, g, "verification.reasoning"),
				LastVerified: p.date(&it, g, "verification.last_verified"),
			}
		}
	}
	it.Notes = p.text(&it, f, "notes")
	return it, len(p.errs) == before
}

func joinKinds() string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// leaf returns the last element of a field path.
func leaf(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[i+1:]
	}
	return field
}

// section reads a nested mapping of an item and records its fields' lines.
func (p *parser) section(it *Item, e entry, field string, allowed ...string) (map[string]entry, bool) {
	g, ok := p.fields(e.val, field, allowed...)
	if !ok {
		return nil, false
	}
	out := make(map[string]entry, len(g))
	for k, v := range g {
		out[field+"."+k] = v
		if v.present() {
			it.Lines[field+"."+k] = v.key.Line
		}
	}
	return out, true
}

// text reads a text field.
func (p *parser) text(it *Item, f map[string]entry, field string) string {
	e, ok := f[leafKey(f, field)]
	if !ok || !e.present() {
		return ""
	}
	s, _ := p.scalar(e, field)
	return s
}

// leafKey returns the key under which field is in f: item fields are keyed
// by name, section fields by their full path.
func leafKey(f map[string]entry, field string) string {
	if _, ok := f[field]; ok {
		return field
	}
	return leaf(field)
}

func (p *parser) enum(it *Item, f map[string]entry, field string, allowed ...string) string {
	s := p.text(it, f, field)
	if s != "" && !IsTODO(s) && !slices.Contains(allowed, s) {
		p.errorf(it.FieldLine(field), field, "%q is not allowed (want %s)", s, strings.Join(allowed, ", "))
	}
	return s
}

func (p *parser) date(it *Item, f map[string]entry, field string) Date {
	s := p.text(it, f, field)
	if s != "" && !IsTODO(s) {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			p.errorf(it.FieldLine(field), field, "%q is not a date (want YYYY-MM-DD)", s)
		}
	}
	return Date(s)
}

func (p *parser) url(it *Item, f map[string]entry, field string) string {
	s := p.text(it, f, field)
	if s != "" && !IsTODO(s) {
		u, err := url.Parse(s)
		if err != nil || !u.IsAbs() || u.Host == "" || strings.ContainsAny(s, " \t\n") {
			p.errorf(it.FieldLine(field), field, "%q is not an absolute URL (such as https://example.com/project)", s)
		}
	}
	return s
}

// list reads a list of texts; a single text is a list of one.
func (p *parser) list(it *Item, f map[string]entry, field string) []string {
	e, ok := f[leafKey(f, field)]
	if !ok || !e.present() {
		return nil
	}
	if e.val.Kind == yaml.ScalarNode {
		s := p.text(it, f, field)
		if s == "" {
			return nil
		}
		return []string{s}
	}
	if e.val.Kind != yaml.SequenceNode {
		p.errorf(e.val.Line, field, "want a list or a text, found %s", describe(e.val))
		return nil
	}
	out := []string{}
	for _, n := range e.val.Content {
		if n.Kind != yaml.ScalarNode || isNull(n) {
			p.errorf(n.Line, field, "want a list of texts, found %s", describe(n))
			continue
		}
		out = append(out, n.Value)
	}
	return out
}

// purl checks a declared package URL; a Go item's must name its module.
func (p *parser) purl(it *Item) {
	line := it.FieldLine("purl")
	u, err := packageurl.FromString(it.PURL)
	if err != nil {
		p.errorf(line, "purl", "%q is not a package URL: %v", it.PURL, err)
		return
	}
	if !it.IsGo() {
		return
	}
	name := u.Name
	if u.Namespace != "" {
		name = u.Namespace + "/" + u.Name
	}
	if u.Type != packageurl.TypeGolang || !strings.EqualFold(name, it.Module) { // packageurl-go lower-cases golang names
		p.errorf(line, "purl", "%q does not name module %s (want %s)", it.PURL, it.Module, modpath.PackageURL(it.Module, it.Version))
	}
}

// encodingError finds the first byte of data YAML does not allow: a
// register is UTF-8 text (a byte-order mark allowed) without control
// characters other than tab, line feed and carriage return. yaml.v3
// reports these without a line.
func encodingError(data []byte) (line int, msg string, ok bool) {
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		data = data[3:]
	} else if bytes.HasPrefix(data, []byte("\xFE\xFF")) || bytes.HasPrefix(data, []byte("\xFF\xFE")) {
		return 0, "", false // UTF-16, which yaml.v3 decodes itself
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return line, fmt.Sprintf("column %d: byte 0x%02X is not UTF-8 (a register is UTF-8 text; was it saved as Latin-1?)", col, data[i]), true
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r':
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0 && r != 0x85) || r == 0xFFFE || r == 0xFFFF:
			return line, fmt.Sprintf("column %d: control character %U is not allowed in YAML", col, r), true
		}
		i += n
		col++
	}
	return 0, "", false
}
