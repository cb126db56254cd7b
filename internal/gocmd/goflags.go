package gocmd

import (
	"fmt"
	"strings"
)

// GOFLAGS is read as the go command reads it: fields separated by spaces,
// where a field may be quoted with ' or " to hold spaces
// (GOFLAGS="'-tags=a b' -mod=readonly"); there is no escaping inside the
// quotes (cmd/internal/quoted.Split). Each field is one flag, -name=value
// or --name=value, and when a flag is given twice the last one wins.

// SplitGOFLAGS splits GOFLAGS into its fields, as the go command does.
func SplitGOFLAGS(s string) ([]string, error) {
	var fields []string
	for {
		s = strings.TrimLeft(s, " \t\n\r")
		if s == "" {
			return fields, nil
		}
		if q := s[0]; q == '\'' || q == '"' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, fmt.Errorf("GOFLAGS: unterminated %c string", q)
			}
			fields = append(fields, s[1:1+end])
			s = s[2+end:]
			continue
		}
		end := strings.IndexAny(s, " \t\n\r")
		if end < 0 {
			end = len(s)
		}
		fields = append(fields, s[:end])
		s = s[end:]
	}
}

// goflag returns the value of the last -name=value flag in GOFLAGS, and
// whether there is one.
func goflag(goflags, name string) (string, bool) {
	fields, err := SplitGOFLAGS(goflags)
	if err != nil {
		return "", false // the go command reports it
	}
	v, ok := "", false
	for _, f := range fields {
		f = strings.TrimPrefix(strings.TrimPrefix(f, "-"), "-")
		if val, found := strings.CutPrefix(f, name+"="); found {
			v, ok = val, true
		}
	}
	return v, ok
}

// GOFLAGSTags returns the tags of the last -tags flag in GOFLAGS, split as the
// go command splits a -tags value: on commas, or, for compatibility with
// Go 1.12 and earlier, as quoted fields when it holds a space or a quote.
func GOFLAGSTags(goflags string) []string {
	v, ok := goflag(goflags, "tags")
	if !ok {
		return nil
	}
	return splitTags(v)
}

func splitTags(v string) []string {
	var tags []string
	if strings.ContainsAny(v, " '") {
		tags, _ = SplitGOFLAGS(v)
		return tags
	}
	for t := range strings.SplitSeq(v, ",") {
		if t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// modFlag returns the value of a -mod flag in GOFLAGS.
func modFlag(goflags string) string {
	v, _ := goflag(goflags, "mod")
	return v
}

// ReadonlyGOFLAGS returns an environment override that turns -mod=mod in
// GOFLAGS into -mod=readonly, so that no go command baseline runs can
// rewrite go.mod or go.sum; nil when GOFLAGS needs no change. Fields
// keep their quoting.
func ReadonlyGOFLAGS(goflags string) []string {
	if modFlag(goflags) != "mod" {
		return nil
	}
	return []string{"GOFLAGS=" + BuildGOFLAGS(goflags, nil)}
}

// BuildGOFLAGS returns GOFLAGS for a go command that must build as
// "go build -tags" would with tags: every -tags flag of goflags gives way
// to tags when there are any (as the go command lets the last -tags win),
// and -mod=mod becomes -mod=readonly. Fields keep their quoting.
func BuildGOFLAGS(goflags string, tags []string) string {
	fields, err := SplitGOFLAGS(goflags)
	if err != nil {
		return goflags // malformed: left for the go command to report
	}
	var out []string
	for _, f := range fields {
		// -name or --name; a third dash makes a flag the go command
		// rejects, left as it is.
		name := strings.TrimPrefix(strings.TrimPrefix(f, "-"), "-")
		switch {
		case name == "mod=mod":
			f = "-mod=readonly"
		case len(tags) > 0 && (name == "tags" || strings.HasPrefix(name, "tags=")):
			continue
		}
		out = append(out, quoteField(f))
	}
	if len(tags) > 0 {
		out = append(out, quoteField("-tags="+strings.Join(tags, ",")))
	}
	return strings.Join(out, " ")
}

// quoteField quotes a GOFLAGS field that holds a space or a quote.
func quoteField(f string) string {
	switch {
	case !strings.ContainsAny(f, " \t\n\r'\""):
		return f
	case !strings.Contains(f, "'"):
		return "'" + f + "'"
	default:
		return `"` + f + `"`
	}
}
