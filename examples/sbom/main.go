// Command sbom shows baseline used as a library: it discovers what the Go
// module in a directory links for linux/arm64, lists the SOUP items it
// found, and writes a CycloneDX SBOM, as "baseline sbom" does.
//
//	go run ./examples/sbom [DIR]
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/sbom"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	inv, err := discover.Packages(context.Background(), discover.Options{
		Dir: dir,
		Env: []string{"GOOS=linux", "GOARCH=arm64"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range inv.SOUP() {
		fmt.Fprintf(os.Stderr, "%-50s %-40s %v\n", c.Path, c.Version, c.Licenses)
	}
	err = sbom.EncodeCycloneDX(os.Stdout, inv, sbom.Options{
		Timestamp:      time.Now(),
		ProductVersion: "v1.0.0", // the product's version: the CLI takes --version or git describe
		Authors:        []sbom.Party{{Name: "Example Medical Ltd", URL: "https://example.com"}},
	})
	if err != nil {
		log.Fatal(err)
	}
}
