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

// Classifier wraps scan, a licence classifier named detector, in s: what
// scan says of a text is kept under the SHA-256 of the detector and the
// text. With a disabled store it returns scan.
func Classifier[T any](s store.Store, detector string, scan func([]byte) T) func([]byte) T {
	if s.Dir == "" {
		return scan
	}
	return func(text []byte) T {
		h := sha256.New()
		h.Write([]byte(detector))
		h.Write([]byte{0})
		h.Write(text)
		key := "text/" + hex.EncodeToString(h.Sum(nil))
		var v T
		if s.Get(key, &v) {
			return v
		}
		v = scan(text)
		_ = s.Put(key, v)
		return v
	}
}
