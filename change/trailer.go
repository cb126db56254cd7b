package change

import (
	"strings"
)

// DefaultTrailer is the commit trailer key that names the change request
// a commit implements.
const DefaultTrailer = "Change-Request"

// Trailers returns the values of the trailers with key (compared without
// regard to case, as git does) in a commit message: the lines "Key: value"
// of the message's last paragraph, when every line of that paragraph is a
// trailer (or a continuation line starting with white space) and the
// paragraph is not the subject. A value may list several change requests
// separated by commas or spaces ("Change-Request: CR-012, CR-013").
func Trailers(message, key string) []string {
	paras := strings.Split(strings.ReplaceAll(strings.TrimSpace(message), "\r\n", "\n"), "\n\n")
	if len(paras) < 2 {
		return nil
	}
	last := strings.Trim(paras[len(paras)-1], "\n")
	var out []string
	for _, line := range strings.Split(last, "\n") {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // a continuation of the previous trailer
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil // not a trailer paragraph
		}
		if !strings.EqualFold(k, key) {
			continue
		}
		for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			out = append(out, f)
		}
	}
	return out
}
