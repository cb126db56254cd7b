package product

import (
	"errors"
	"path"
	"strings"
)

// MatchAny reports whether the slash-separated path name matches one of
// the globs. A glob is path.Match syntax applied element by element, with
// "**" as a whole element matching any number (zero included) of
// directories: "docs/**" matches every file under docs, "**/*.png" every
// PNG file, "*.md" the Markdown files at the root only.
func MatchAny(globs []string, name string) bool {
	for _, g := range globs {
		if Match(g, name) {
			return true
		}
	}
	return false
}

// Match reports whether name matches glob (see MatchAny). A malformed
// glob matches nothing; Parse rejects malformed globs.
func Match(glob, name string) bool {
	return match(strings.Split(glob, "/"), strings.Split(name, "/"))
}

func match(g, n []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			rest := g[1:]
			if len(rest) == 0 {
				return len(n) > 0 // "dir/**" matches what is under dir, not dir itself
			}
			for i := 0; i <= len(n); i++ {
				if match(rest, n[i:]) {
					return true
				}
			}
			return false
		}
		if len(n) == 0 {
			return false
		}
		if ok, err := path.Match(g[0], n[0]); err != nil || !ok {
			return false
		}
		g, n = g[1:], n[1:]
	}
	return len(n) == 0
}

// CheckGlob returns what is wrong with a glob (see MatchAny), or nil:
// what baseline.yaml's item classes and change requests' items refuse.
func CheckGlob(glob string) error {
	if msg := checkGlob(glob); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// checkGlob returns what is wrong with a glob, or "".
func checkGlob(glob string) string {
	switch {
	case glob == "":
		return "an empty glob"
	case strings.HasPrefix(glob, "/") || strings.Contains(glob, `\`):
		return "a glob is a slash-separated path relative to the repository root"
	}
	for _, el := range strings.Split(glob, "/") {
		switch {
		case el == "" || el == "." || el == "..":
			return "a glob's elements are names, not empty, \".\" or \"..\""
		case el == "**":
		case strings.Contains(el, "**"):
			return "\"**\" must be a whole path element (\"docs/**\", \"**/*.png\")"
		default:
			if _, err := path.Match(el, ""); err != nil {
				return "malformed glob element " + el
			}
		}
	}
	return ""
}
