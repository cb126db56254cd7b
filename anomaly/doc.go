// Package anomaly looks up the published anomaly lists of a product's Go
// SOUP items in the Go vulnerability database, with govulncheck's evidence
// of whether the product's code can reach each one, and writes the result
// as VEX (CycloneDX and OpenVEX).
//
// What it implements:
//
//   - IEC 62304 7.1.3: the evaluation of the published anomaly lists of
//     SOUP items. For Go modules and the standard library the list is the
//     Go vulnerability database (OSV entries naming affected versions,
//     packages and symbols); Scan asks golang.org/x/vuln's scan package
//     (govulncheck, run in-process) which advisories affect the versions
//     the build uses, and how far the product's code gets to each, and
//     LookupModules which affect the modules the product lists but does
//     not link (UnlinkedModules), at module level;
//   - FDA premarket cybersecurity guidance: the known vulnerabilities of
//     every SBOM component, each with an assessment (VEX);
//   - IEC 62304 5.8.3: the known residual anomalies of a release, which
//     the release notes list with their conclusions.
//
// # Evidence, not conclusions
//
// govulncheck reports each advisory at one of three levels (Evidence):
// a vulnerable symbol reached from the product's code (with one call
// path), the vulnerable package imported but no vulnerable symbol
// reached, or only the module required (no vulnerable package imported).
// Evidence informs the person evaluating; it never is a conclusion. The
// conclusion for each advisory is recorded in the SOUP register (package
// soup, anomaly_evaluation.advisories), and VEX documents assert only what
// the register concludes, completely and for the version used: an
// advisory nobody has evaluated yet, or evaluated for another version, is
// in_triage (CycloneDX) or under_investigation (OpenVEX).
//
// # The database is always named
//
// Options.DB is the database's URL as govulncheck's -db flag takes it:
// "https://vuln.go.dev", or "file:///path" for a local directory in the
// database's layout (index/db.json, index/modules.json, ID/GO-....json).
// Nothing reaches the network unless an https URL is given: the go
// command runs with GOPROXY=off unless Options.Download is set. Every
// result records the database (its URL when it is not local) and its
// last-modified time, so a reader knows how current the evaluation is.
package anomaly
