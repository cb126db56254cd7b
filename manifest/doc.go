// Package manifest makes and reads release baselines: for each release
// of a product, the set of configuration items it is made of, each at one
// version with its digests (IEC 62304 8.1.3), the released version, the
// build environment (5.8.5), the known residual anomalies (5.8.2-5.8.4),
// the delivered files and where the release is archived (5.8.7, 5.8.8),
// and a link to the previous baseline, so that the archived releases form
// a retrievable, tamper-evident history of the configuration (8.3).
//
// A release is a directory, <archive>/<version>/ by default:
//
//	manifest.json               the baseline (below): what is signed
//	RELEASE-NOTES.md            rendered from manifest.json (RenderNotes)
//	sbom/<configuration>.cdx.json   CycloneDX JSON SBOM, one per build configuration
//	sbom/<configuration>.spdx.json  SPDX 2.3 JSON SBOM, one per build configuration
//	artifacts/<file>            delivered files (binaries), as given
//
// Signing (a separate step) adds release.intoto.jsonl and
// release.dsse.json, and re-renders the notes with the signatures.
//
// The steps, each a function a Go program can call as the baseline
// command does: Prepare (or Build, for the manifest alone) gathers a
// release from the repository and its records, never writing to the
// repository; WriteRelease writes the directory atomically, with a hook
// for signing inside the atomic write; LoadRelease and Archive read
// releases back; Diff compares two baselines; CheckChain checks the
// archive's chain of baselines; ItemHistory traces one item through it.
//
// # What Prepare checks
//
// A release is refused (Refused, one reason a line) when the work tree
// has uncommitted changes (unless Options.AllowDirty, then recorded as
// dirty), when items.yaml does not list exactly the product's own items
// (package items), or when the SOUP register soup.yaml does not match
// every build configuration (package soup: undeclared, version-drift,
// incomplete and out-of-date findings of any configuration; stale only
// for an item no configuration uses). The version must be a semantic
// version above the previous baseline's; the release type is the highest
// part that changed (major, minor, patch; first without a previous
// baseline).
//
// # manifest.json
//
// One JSON object, members in this order, written with two-space
// indentation and a final newline (Marshal); the same inputs and
// SOURCE_DATE_EPOCH give the same bytes. Parse is strict: unknown or
// duplicate members, wrong types, a format version it does not read, and
// malformed values are errors naming the file, line and member.
//
//	format               1, the format version
//	baselineId           the baseline identifier (baseline.yaml's baseline_id, default BL-{version})
//	product              {name, manufacturer, supplier, authors, website, license}, from baseline.yaml
//	version              the release version, as given
//	releaseType          first, major, minor or patch
//	submission           true when the release type needs a new regulatory submission
//	                     (baseline.yaml's versioning.submission)
//	created              creation time, RFC 3339 UTC (SOURCE_DATE_EPOCH)
//	tool                 {name: baseline, version}
//	vcs                  {system: git, repository, commit, tag, dirty}
//	archive              the release directory, relative to the repository root
//	buildEnvironments    per configuration: {configuration, goVersion, goos, goarch,
//	                     cgoEnabled, tags, flags, patterns, mode}
//	items                every configuration item (below)
//	residualAnomalies    [{id, title, description, evaluation, problem}]; [] for none
//	previous             {baselineId, version, sha256}: the previous baseline and the
//	                     SHA-256 of its manifest.json bytes; absent for a first release
//	changesSincePrevious Diff(previous, this): {old, new, added, removed, changed,
//	                     soupUpgrades}; absent for a first release
//
// Each item has id, class, kind and name, and as it applies: version,
// path, purl, h1, sha256, sha512, size, configurations, serial,
// configuration. The classes, in this order:
//
//   - the product's own classes from baseline.yaml (source, assets,
//     documentation...), ids from items.yaml, kind go-package (h1: the
//     dirhash of the package's files) or files (sha256, sha512 of the
//     file), path in the repository; no version: they are at vcs.commit;
//   - soup: every item of the SOUP register, id, kind, title and version
//     from the register, purl, h1 (go.sum hash), sha256 and sha512 (of the
//     module zip) from discovery, and the configurations using it;
//   - sbom: each SBOM of the release, id and path its path in the release
//     directory, kind cyclonedx-json or spdx-json, sha256, sha512, size,
//     serial (CycloneDX serialNumber, SPDX documentNamespace) and the
//     configuration it describes;
//   - artifact: each delivered file, id and path artifacts/<name>, sha256,
//     sha512, size.
//
// Own and SOUP items are sorted by identifier within their class.
//
// # The chain
//
// Each manifest names its predecessor's baseline ID, version and the
// SHA-256 of its manifest.json bytes. CheckChain reports an edited
// manifest (its digest is not what its successor recorded), a gap (a
// predecessor that is not archived), a fork (two releases after the same
// one, or a version archived twice), and a release file that does not
// match its recorded SHA-256.
package manifest
