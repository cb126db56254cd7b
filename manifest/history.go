package manifest

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/baseline-cm/baseline/items"
)

// ChainProblem is a break in the chain of archived baselines.
type ChainProblem struct {
	// Release is the release directory at fault.
	Release string `json:"release"`
	// Kind is unreadable, gap, fork, edited or file.
	Kind string `json:"kind"`
	Msg  string `json:"message"`
}

func (p ChainProblem) String() string { return fmt.Sprintf("%s: %s: %s", p.Release, p.Kind, p.Msg) }

// CheckChain checks archived releases (Archive's order) as a chain
// (IEC 62304 8.3: a retrievable history): the lowest version is a first
// release; every other one names the release just below it as previous,
// with the SHA-256 of that release's manifest.json as it is now. It
// reports a manifest that does not parse, a gap (a previous baseline that
// is not archived, or a release without previous after the first), a
// fork (two releases naming the same previous, or one version twice), an
// edited manifest (its digest is not what its successor recorded), and a
// release file (SBOM, artifact) missing or not matching its recorded
// SHA-256.
func CheckChain(rels []Archived) []ChainProblem {
	var out []ChainProblem
	add := func(dir, kind, format string, args ...any) {
		out = append(out, ChainProblem{Release: dir, Kind: kind, Msg: fmt.Sprintf(format, args...)})
	}
	var good []Archived
	for _, r := range rels {
		if r.Err != nil {
			add(r.Dir, "unreadable", "%v", r.Err)
			continue
		}
		good = append(good, r)
	}
	followers := map[string]string{} // previous version -> the release naming it
	for i, r := range good {
		m := r.Manifest
		for _, p := range checkFiles(r.Dir, m) {
			add(r.Dir, "file", "%s", p)
		}
		if i > 0 && good[i-1].Manifest.Version == m.Version {
			add(r.Dir, "fork", "version %s is archived twice (also %s)", m.Version, good[i-1].Dir)
			continue
		}
		if m.Previous == nil {
			if i > 0 {
				add(r.Dir, "gap", "%s is a first release, but %s (%s) is archived before it", m.BaselineID, good[i-1].Manifest.BaselineID, good[i-1].Manifest.Version)
			}
			continue
		}
		if other, dup := followers[m.Previous.Version]; dup {
			add(r.Dir, "fork", "%s and %s both follow %s", m.BaselineID, other, m.Previous.BaselineID)
		}
		followers[m.Previous.Version] = m.BaselineID
		if i == 0 {
			add(r.Dir, "gap", "the previous baseline %s (%s) is not in the archive", m.Previous.BaselineID, m.Previous.Version)
			continue
		}
		prev := good[i-1]
		if m.Previous.Version != prev.Manifest.Version {
			found := false
			for _, g := range good[:i] {
				if g.Manifest.Version == m.Previous.Version {
					found = true
				}
			}
			if found {
				add(r.Dir, "fork", "%s follows %s, not %s (%s) archived just before it", m.BaselineID, m.Previous.BaselineID, prev.Manifest.BaselineID, prev.Manifest.Version)
			} else {
				add(r.Dir, "gap", "the previous baseline %s (%s) is not in the archive (the one before is %s)", m.Previous.BaselineID, m.Previous.Version, prev.Manifest.BaselineID)
			}
			continue
		}
		if m.Previous.SHA256 != prev.SHA256 {
			add(prev.Dir, "edited", "%s is not the manifest %s was released after: its SHA-256 is %s, %s recorded %s",
				FileName, m.BaselineID, prev.SHA256, m.BaselineID, m.Previous.SHA256)
		}
	}
	return out
}

// checkFiles checks the release's SBOM and artifact files against the
// manifest.
func checkFiles(dir string, m *Manifest) []string {
	var out []string
	for _, it := range m.Items {
		if it.Class != ClassSBOM && it.Class != ClassArtifact {
			continue
		}
		if !safePath(it.Path) {
			out = append(out, fmt.Sprintf("%s: path %q is outside the release", it.ID, it.Path))
			continue
		}
		d, err := items.FileDigest(filepath.Join(dir, filepath.FromSlash(it.Path)))
		switch {
		case os.IsNotExist(err):
			out = append(out, fmt.Sprintf("%s is missing", it.Path))
		case err != nil:
			out = append(out, err.Error())
		case d.SHA256 != it.SHA256:
			out = append(out, fmt.Sprintf("%s has SHA-256 %s, the manifest records %s", it.Path, d.SHA256, it.SHA256))
		}
	}
	return out
}

// ItemEvent is a release in which an item was added, changed or removed.
type ItemEvent struct {
	BaselineID string `json:"baselineId"`
	Version    string `json:"version"`
	// Event is added, changed or removed.
	Event string `json:"event"`
	// Item is the item in this release (in the previous one, for
	// removed); Old the item in the previous release, for changed.
	Item *Item `json:"item"`
	Old  *Item `json:"old,omitempty"`
	// Requests are the change requests of the release whose commits
	// changed the item (8.3: why it changed).
	Requests []string `json:"changeRequests,omitempty"`
}

// ItemHistory returns, for item id, each archived release (in order) in
// which it was added, changed (version, digest or name) or removed.
func ItemHistory(rels []Archived, id string) []ItemEvent {
	var out []ItemEvent
	var last *Item
	for _, r := range rels {
		if r.Manifest == nil {
			continue
		}
		it := r.Manifest.Item(id)
		switch {
		case it != nil && last == nil:
			out = append(out, ItemEvent{BaselineID: r.Manifest.BaselineID, Version: r.Manifest.Version, Event: "added", Item: it, Requests: requestsFor(r.Manifest, id)})
		case it == nil && last != nil:
			out = append(out, ItemEvent{BaselineID: r.Manifest.BaselineID, Version: r.Manifest.Version, Event: "removed", Item: last, Requests: requestsFor(r.Manifest, id)})
		case it != nil && (it.Version != last.Version || it.digest() != last.digest() || it.Name != last.Name):
			out = append(out, ItemEvent{BaselineID: r.Manifest.BaselineID, Version: r.Manifest.Version, Event: "changed", Item: it, Old: last, Requests: requestsFor(r.Manifest, id)})
		}
		last = it
	}
	return out
}
