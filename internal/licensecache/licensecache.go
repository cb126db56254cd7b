// Package licensecache remembers licence classifications by the content
// of the licence text, so that a run whose licence texts have all been
// seen before never builds licensecheck's scanner (about a second per
// process). It serves main modules, the standard library and vendored
// modules, which have no immutable zip to key a modinfo entry on.
package licensecache

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/baseline-cm/baseline/internal/store"
)

// shared, when Share has set it, keeps the classifications in place of
// the store a caller passes to Classifier.
var shared string

// Share makes every enabled Classifier of this process keep its
// classifications in dir rather than in the store it is given; a disabled
// store stays disabled. It serves test suites that run many short
// processes, each with a cache directory of its own: what a detector says
// of a text depends on nothing else, so they can share it, and only the
// first process builds licensecheck's scanner. Call it before any
// Classifier.
func Share(dir string) { shared = dir }

// Classifier wraps scan, a licence classifier named detector, in s: what
// scan says of a text is kept under the SHA-256 of the detector and the
// text. With a disabled store it returns scan.
func Classifier[T any](s store.Store, detector string, scan func([]byte) T) func([]byte) T {
	if s.Dir == "" {
		return scan
	}
	if shared != "" {
		s = store.Store{Dir: shared}
	}
	return func(text []byte) T {
		key := "text/" + key(detector, text)
		var v T
		if s.Get(key, &v) {
			return v
		}
		v = scan(text)
		_ = s.Put(key, v)
		return v
	}
}

// key is the entry of what detector says of text: the SHA-256 of both.
func key(detector string, text []byte) string {
	h := sha256.New()
	h.Write([]byte(detector))
	h.Write([]byte{0})
	h.Write(text)
	return hex.EncodeToString(h.Sum(nil))
}
