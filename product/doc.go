// Package product reads baseline.yaml, the product configuration: one
// hand-written file at the root of a product's repository that states
// what IEC 62304 asks a manufacturer to define once for its configuration
// management, and that every baseline command reads.
//
// What each section implements:
//
//   - product: the product's identity and the parties the records name
//     (5.8.4; NTIA's supplier and SBOM author; BSI TR-03183-2's creator);
//   - versioning: the versioning scheme and the project's own definitions
//     of major, minor and patch, with the release type that needs a new
//     regulatory submission (the CM procedure's identification);
//   - configurations: the build configurations the product is released
//     for (5.8.5 build environment; SOUP checks work over their union);
//   - items: the classes of the product's own configuration items, their
//     owners, when they enter configuration control and their identifier
//     scheme (8.1.1; the CM plan, 5.1.9 a, c, d);
//   - records, change_control: where change requests, problem reports and
//     residual anomalies live, the commit trailer naming a change request,
//     their identifier schemes, where change control starts and which
//     changes each release type may contain (8.2, 9, 5.8.3);
//   - archive, baseline_id: where releases are archived and how baselines
//     are named (5.8.7, 8.1.3);
//   - signing: project-defined signature meanings besides authored,
//     reviewed and approved (21 CFR 11.50);
//   - vulndb: the Go vulnerability database consulted as the SOUP items'
//     published anomaly list (7.1.3).
//
// # The file
//
// baseline.yaml is one YAML document. Keys are snake_case; a key the
// format does not define is an error (a typo must not silently drop a
// setting), and so is a key given twice, a value of the wrong type, and
// an anchor or alias. Every error names the file, the line and the field:
//
//	baseline.yaml:7: versioning.scheme: "calver" is not a supported scheme (want semver: semantic versioning, major.minor.patch)
//
// Only version and product.name are required; everything else has the
// default the comments below give. A complete example:
//
//	version: 1                       # the format version: 1
//	product:
//	  name: Infusion Pump Controller # required
//	  manufacturer: Acme Medical GmbH, https://acme.example
//	  supplier: Acme Medical GmbH, https://acme.example
//	  authors:                       # authors of the SBOM data
//	    - Jane Doe <jane@acme.example>
//	  website: https://acme.example/pump
//	  license: LicenseRef-Proprietary  # an SPDX licence expression
//	versioning:
//	  scheme: semver                 # the only scheme: major.minor.patch
//	  major: A change to the intended use or a new hazard; needs a new 510(k).
//	  minor: New or changed functionality within the intended use.
//	  patch: Corrections that change no requirement.
//	  submission: major              # release type needing a new submission:
//	                                 # major (default), minor, patch or none
//	configurations:                  # default: one, the go command's defaults
//	  - name: linux-amd64            # names files: sbom/linux-amd64.cdx.json
//	    goos: linux                  # default: the go command's
//	    goarch: amd64
//	    cgo_enabled: false           # default: the go command's
//	    tags: [production]
//	    patterns: [./cmd/pump]       # default: [./...]
//	    mode: packages               # packages (default) or modules
//	    flags: [-trimpath]           # go build flags of the release build, recorded
//	  - name: linux-arm64
//	    goos: linux
//	    goarch: arm64
//	    cgo_enabled: false
//	items:                           # the product's own configuration items
//	  ids: {prefix: CI-, width: 3}   # items.yaml identifiers; default CI-, 3
//	  classes:                       # default: one class "source", go-package, [./...]
//	    - name: source
//	      kind: go-package           # one item per Go package of the main modules
//	      paths: [./...]             # package patterns
//	      exclude: ["internal/testutil/**"]
//	      owner: Software team
//	      controlled_from: First commit on main
//	    - name: control-data
//	      paths: ["config/*.json"]   # kind files (default): one item per file
//	      owner: Software team
//	      controlled_from: Merge to main
//	    - name: assets
//	      paths: ["assets/**"]       # "**" matches any number of directories
//	      owner: Design team
//	      controlled_from: Merge to main
//	    - name: documentation
//	      paths: ["docs/**", "*.md"]
//	      owner: Technical writers
//	      controlled_from: Approval of the document
//	records:                         # relative to the repository root
//	  change_requests: changes/requests   # default
//	  problem_reports: changes/problems   # default
//	  anomalies: changes/anomalies        # default
//	change_control:
//	  start: 2024-01-15              # a date or a git ref; default: all history
//	  trailer: Change-Request        # commit trailer naming the change request
//	  ids: {prefix: CR-, width: 3}   # default
//	  problem_ids: {prefix: PR-, width: 3}  # default
//	  anomaly_ids: {prefix: RA-, width: 3}  # default
//	  release_policy:                # change kinds each release type may hold
//	    major: [all]
//	    minor: [item-added, item-removed, item-changed, soup-added, soup-removed, soup-minor, soup-patch, soup-other]
//	    patch: [item-changed, soup-minor, soup-patch, soup-other]
//	archive: releases                # default: releases/<version>/ per release
//	baseline_id: "BL-{version}"      # default
//	signing:
//	  meanings: [verified]           # besides authored, reviewed, approved
//	vulndb: https://vuln.go.dev      # or file:///path; default: none
//
// # Sections
//
// product: name (required, one line), manufacturer, supplier and each of
// authors (a list, or one text) are parties written as the --supplier,
// --manufacturer and --author flags take them: "Name <email>" for a
// person, "Organisation, https://url" for an organisation, or both
// ("Name <email>, https://url"); the parser checks their shape and
// package sbom's ParseParty reads them. website is an absolute URL,
// license an SPDX licence expression.
//
// versioning: scheme is "semver" (default; golang.org/x/mod/semver checks
// versions, with or without the leading "v": "1.2.0", "v1.2.0",
// "2.0.0-rc.1"); major, minor and patch are the project's definitions,
// texts the CM plan and release notes quote; submission is the release
// type from which a release needs a new regulatory submission (major,
// minor, patch or none; default major).
//
// configurations: a list; each has a name (letters, digits, '-', '_',
// '.'; unique), goos, goarch, cgo_enabled (true or false), tags, patterns
// (default [./...]), mode (packages or modules; default packages) and
// flags (go build flags recorded in the build environment). When the list
// is absent the product has one configuration, the go command's defaults
// (Current).
//
// items: ids is the identifier scheme of items.yaml, {prefix, width}
// (package ident's rules: letters, digits, '-', '_', '.', not ending with
// a digit; width 1 to 9; default CI-, 3). classes lists the classes of
// own items, each with a name (unique), kind (go-package: one item per
// Go package of the main modules that the package patterns in paths
// match; files, the default: one item per file that a path glob in paths
// matches), exclude (path globs left out; for go-package, globs of
// package directories, "dir/**" leaving out dir and everything below), owner, controlled_from and
// description. Path globs are slash-separated, relative to the
// repository root, path.Match syntax per element, with "**" for any
// number of directories (Match). The default is one class, source, kind
// go-package, paths [./...].
//
// records: the directories of change requests, problem reports and
// residual anomalies, relative to the repository root (defaults
// changes/requests, changes/problems, changes/anomalies).
//
// change_control: start (a date YYYY-MM-DD or RFC 3339 time, or a git
// ref; history before it is not checked; default none), trailer (default
// Change-Request), ids, problem_ids and anomaly_ids (identifier schemes of
// change requests, problem reports and residual anomalies; defaults CR-,
// PR- and RA-, width 3; distinct prefixes) and release_policy: for major,
// minor and patch, the list of change kinds a release of that type may
// contain (all, item-added, item-removed, item-changed, soup-added,
// soup-removed, soup-major, soup-minor, soup-patch, soup-other); a type
// left out keeps its default (DefaultReleasePolicy).
//
// archive: the directory releases are archived in, relative to the
// repository root (default releases). baseline_id: the pattern of
// baseline identifiers, containing {version} (default "BL-{version}").
//
// signing: meanings lists project-defined signature meanings (lower-case
// words) in addition to the built-in authored, reviewed and approved.
//
// vulndb: the Go vulnerability database as govulncheck's -db takes it:
// an https:// URL or file:///absolute/path. Nothing reaches the network
// unless a URL is given.
//
// # TODO markers
//
// A text value starting with "TODO" is accepted wherever a text is, and
// listed by Config.TODOs: baseline init writes them where a person must
// decide, and the commands that need a value refuse a TODO in it.
package product
