package discover

import (
	"fmt"
	"strings"
)

// GOFLAGS is read as the go command reads it: fields separated by spaces,
// where a field may be quoted with ' or " to hold spaces
// (GOFLAGS="'-tags=a b' -mod=readonly"); there is no escaping inside the
// quotes (cmd/internal/quoted.Split). Each field is one flag, -name=value
// or --name=value, and when a flag is given twice the last one wins.

// splitGOFLAGS splits GOFLAGS into its fields.
func splitGOFLAGS(s string) ([]string, error) {
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
	fields, err := splitGOFLAGS(goflags)
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

// goflagsTags returns the tags of the -tags flag in GOFLAGS, split as the
// go command splits a -tags value: on commas, or, for compatibility with
// Go 1.12 and earlier, as quoted fields when it holds a space or a quote.
func goflagsTags(goflags string) []string {
	v, ok := goflag(goflags, "tags")
	if !ok {
		return nil
	}
	return splitTags(v)
}

func splitTags(v string) []string {
	var tags []string
	if strings.ContainsAny(v, " '") {
		tags, _ = splitGOFLAGS(v)
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

// safeGOFLAGS returns an environment override that turns -mod=mod in
// GOFLAGS into -mod=readonly, so that no go command discovery runs can
// rewrite go.mod or go.sum; nil when GOFLAGS needs no change. Fields
// keep their quoting.
func safeGOFLAGS(goflags string) []string {
	if modFlag(goflags) != "mod" {
		return nil
	}
	fields, _ := splitGOFLAGS(goflags)
	out := make([]string, len(fields))
	for i, f := range fields {
		if strings.TrimLeft(f, "-") == "mod=mod" {
			f = "-mod=readonly"
		}
		switch {
		case !strings.ContainsAny(f, " \t\n\r'\""):
		case !strings.Contains(f, "'"):
			f = "'" + f + "'"
		default:
			f = `"` + f + `"`
		}
		out[i] = f
	}
	return []string{"GOFLAGS=" + strings.Join(out, " ")}
}
