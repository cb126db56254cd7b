// Package soup keeps the SOUP register: the record of every item of
// software of unknown provenance (SOUP) and off-the-shelf software (OTS)
// a product uses, as IEC 62304 and FDA premarket cybersecurity guidance
// ask for it, in a YAML file kept in the repository (soup.yaml) and
// checked against the code on every build.
//
// What each part implements:
//
//   - the register file and its parser (LoadRegister, ParseRegister):
//     identification of SOUP items, 8.1.2 (title, manufacturer, unique
//     designator), with their requirements (5.3.3), required hardware and
//     software (5.3.4), the evaluation of their published anomaly lists
//     (7.1.3), the safety class of the items using them (4.3), and the
//     FDA's level of support and end-of-support date;
//   - stable internal identifiers (package ident): the configuration-item
//     identification scheme of 8.1.1;
//   - reconciliation (Reconcile), the CI gate: every SOUP item the build
//     uses is identified at the version used (8.1.2, 8.1.3), every record
//     is complete for its safety class, and every anomaly evaluation is
//     current (7.1.3, 7.4 for SOUP changes);
//   - sync (Sync): keeping the register up to date with the build as SOUP
//     changes (7.4.1, 8.2), without losing what people wrote;
//   - the SOUP list (Register.WriteMarkdown, WriteCSV, WriteJSON): the
//     document an auditor reads.
//
// # The register file
//
// A register is one YAML document with four top-level keys. Keys are
// snake_case; a key the format does not define is an error (a typo must
// not silently drop data), and so is a key given twice. Dates are ISO 8601
// calendar dates, YYYY-MM-DD. Anchors and aliases are not allowed. Every
// error names the file, the line and the field:
//
//	soup.yaml:14: anomaly_evaluation.date: "14/03/2024" is not a date (want YYYY-MM-DD)
//
// An example:
//
//	version: 1              # the register format version: 1
//	ids:
//	  prefix: SOUP-         # identifiers are the prefix and a number,
//	  width: 3              # zero-padded to width digits: SOUP-001
//	  last_issued: 3        # highest number issued; kept by sync
//	  retired:              # identifiers of items that left the product,
//	    - id: SOUP-002      # never issued again
//	      title: github.com/old/dependency
//	      date: 2024-05-01
//	      reason: no longer used by the build (baseline soup sync)
//	policy:
//	  require_fda: true       # require the FDA support fields of every item
//	  evaluation_max_age: 365 # days an anomaly evaluation stays current
//	items:
//	  - id: SOUP-001
//	    title: github.com/google/uuid
//	    kind: go-module
//	    module: github.com/google/uuid
//	    version: v1.6.0
//	    purl: pkg:golang/github.com/google/uuid@v1.6.0
//	    manufacturer: Google LLC
//	    website: https://github.com/google/uuid
//	    license: BSD-3-Clause
//	    used_by: [SWI-003 session store]
//	    safety_class: B
//	    requirements:
//	      functional: Generates random (version 4) UUIDs for session keys.
//	      performance: None relied on.
//	    required_hw_sw: [Go 1.21 or later, a crypto/rand source]
//	    anomaly_evaluation:
//	      anomaly_list: https://github.com/google/uuid/issues
//	      version_evaluated: v1.6.0
//	      date: 2024-03-02
//	      evaluator: J. Doe
//	      relevant_anomalies: []  # [] says: none
//	      conclusion: No open anomaly affects NewRandom.
//	    support:
//	      level: actively-maintained
//	      assessed: 2024-03-02
//	      end_of_support_justification: No end of support announced.
//	    verification:
//	      reasoning: Session tests SWT-12 exercise it.
//	      last_verified: 2024-03-02
//	  - id: SOUP-003
//	    title: Debian GNU/Linux
//	    kind: os
//	    version: "12.5"
//	    manufacturer: community
//	    manufacturer_justification: Developed by the Debian Project volunteers.
//	    # ...
//
// The top-level keys:
//
//   - version (required): the format version, 1.
//   - ids (required): prefix (letters, digits, '-', '_', '.', not ending
//     with a digit) and width (1 to 9) define the identifiers; last_issued
//     is the highest number ever issued (optional; sync keeps it); retired
//     lists the identifiers no longer in use, each with id, date and
//     reason (required) and title.
//   - policy (optional): require_fda (true or false, default false),
//     evaluation_max_age (days, at least 1; no limit when absent),
//     required (per class A, B, C, the list of fields items of that class
//     must have, replacing the default table of DefaultRequired; a
//     section name stands for its fields), and test_dependencies (true:
//     modules only tests need are SOUP to declare too, in modules mode).
//   - ids.retired entries also keep last_version and last_evaluation (the
//     conclusion of the item's last anomaly evaluation), written by sync.
//   - items (required; "items: []" for none): the SOUP items.
//
// The keys of an item ("required" is what reconciliation requires; the
// parser requires only kind, and module for go-module items):
//
//	key                          clause        content
//	id                           8.1.1         identifier in the scheme; sync allocates it when absent
//	title                        8.1.2 a       name of the item (the module path for Go modules)
//	kind                         -             go-module, library, os, runtime, database, service, tool or other
//	module                       8.1.2         Go module path matched with the build (go-module); "stdlib" (runtime)
//	version                      8.1.2 c       exact version (a Go module's exact version or pseudo-version)
//	directory                    8.1.2 c       for a module replaced by a local directory, the directory
//	                                           instead of a version (a directory has none)
//	purl                         NTIA          package URL; derived from module and version when absent
//	manufacturer                 8.1.2 b       supplier; or "community" or "unknown" with a justification
//	manufacturer_justification   8.1.2 b       why the manufacturer is community or unknown
//	website                      -             absolute URL
//	license                      -             declared licence: an SPDX licence expression
//	configurations               -             the build configurations of baseline.yaml using it (sync keeps it)
//	used_by                      8.1.3         the software items using it (a list, or one text)
//	safety_class                 4.3           A, B or C: the class of the software items using it
//	risk                         4.3           low, medium or high, instead of (or with) safety_class
//	requirements.functional      5.3.3         functional requirements the product relies on
//	requirements.performance     5.3.3         performance requirements relied on ("none" if none)
//	required_hw_sw               5.3.4         hardware and software it needs (a list, or one text)
//	hazards                      7.1.2         hazardous situations it can contribute to: references into the
//	                                           risk management file (ISO 14971); [] for none
//	risk_controls                7.1.2         the risk controls covering them: references into the risk file
//	anomaly_evaluation           7.1.3         anomaly_list (URL), version_evaluated, date, evaluator,
//	                                           relevant_anomalies (a list; [] for none), conclusion,
//	                                           advisories (below)
//	support                      FDA           level (actively-maintained, no-longer-maintained,
//	                                           abandoned, unknown), assessed (date), end_of_support
//	                                           (date) or end_of_support_justification
//	verification                 -             reasoning, last_verified (date)
//	notes                        -             free text
//
// anomaly_evaluation.advisories lists the advisories of the Go
// vulnerability database considered for the version evaluated (soup sync
// --vulndb adds those that affect it, with a TODO conclusion), each with:
//
//	id                           the advisory's ID (GO-2024-1234)
//	evidence                     govulncheck's: symbol-reached, package-imported or module-required
//	conclusion                   relevant or not-relevant
//	justification                for not-relevant: component-not-present, vulnerable-code-not-present,
//	                             vulnerable-code-not-in-execute-path,
//	                             vulnerable-code-cannot-be-controlled-by-adversary or
//	                             inline-mitigations-already-exist
//	assessment                   the hazard assessment (required for relevant)
//	action                       what is done about it (required for relevant)
//
// VEX and the release notes take an entry's conclusion only when it is
// complete (Advisory.Evaluated) and version_evaluated (or, without one,
// the item's version) is the version used; otherwise the advisory is in
// triage.
//
// Text values may be written in any YAML scalar style, block scalars (| and
// >) included. Any text, date or enumerated value may be a TODO marker, a
// value starting with "TODO" ("TODO", "TODO: confirm: Google LLC"): the
// parser accepts it where a value is expected and reconciliation reports
// each one left as an incomplete item. Sync writes TODO markers for
// everything a person must fill in or confirm.
//
// # Which items are checked against the build
//
// An item with a module is matched with the inventory's component of that
// module, never by version: a go-module item names the module path whose
// code is built (for "replace a => b v1.2.3", the replacement b, whose
// manufacturer, licence and anomaly list are the ones that matter; for a
// replacement by a local directory, the required path a, whose version is
// unknown to the build and therefore not compared), and the Go standard
// library is a runtime item with module "stdlib", at the toolchain's
// version ("v1.26.8"). Only SOUP components are reconciled: third-party
// modules and the standard library, never the product's own (first-party)
// modules. Items of other kinds (an operating system, a database, a cloud
// service) are declared by hand: they are checked for completeness but
// never reported stale, since discovery cannot see them.
//
// Which components the build uses is what discovery returns for the mode
// and build configuration chosen (packages mode, GOOS, tags): run check
// and sync with the configuration that is released.
//
// # Rules
//
// Every item needs a safety class or risk level (an item without is held
// to class C's rules) and the fields its class requires (DefaultRequired,
// or policy.required): class A an id, title, manufacturer (or
// community/unknown with a justification) and version; class B and C
// (risk medium or high) also requirements.functional,
// requirements.performance, required_hw_sw, hazards, risk_controls and a
// complete anomaly_evaluation; class C also used_by, verification and
// the licence. A Go item's licence must be the one its module's licence
// files declare, or a choice of branches of its OR (license-mismatch).
// With several build configurations (ReconcileOptions.Builds), a Go item
// lists the configurations using it. With
// policy.require_fda every item needs support.level, support.assessed and
// support.end_of_support or support.end_of_support_justification. An
// anomaly evaluation, when present, is out of date when version_evaluated
// is not the version used or its date is older than
// policy.evaluation_max_age days.
//
// # Identifiers
//
// Identifiers follow the rules of package ident: an item keeps its
// identifier for life, across version upgrades; new items are numbered
// after the highest identifier ever issued (items, retired identifiers and
// ids.last_issued), in the sorted order of their package URLs, so that two
// people syncing the same change get the same identifiers; an item that
// leaves the product is retired and its identifier is never issued again.
// Remove an item by retiring it (sync does), never by deleting it alone.
package soup
