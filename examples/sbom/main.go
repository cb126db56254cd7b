// Command sbom shows baseline used as a library: it discovers what the Go
// module in a directory links for linux/arm64, lists the SOUP items it
// found, and writes a CycloneDX SBOM, as "baseline sbom" does.
//
//	go run ./examples/sbom [DIR]
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/baseline-cm/baseline/discover"
	"github.com/baseline-cm/baseline/sbom"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, dir, os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, dir string, stdout, stderr io.Writer) error {
	inv, err := discover.Packages(ctx, discover.Options{
		Dir: dir,
		Env: []string{"GOOS=linux", "GOARCH=arm64"},
	})
	if err != nil {
		return err
	}
	for _, c := range inv.SOUP() {
		fmt.Fprintf(stderr, "%-50s %-40s %v\n", c.Path, c.Version, c.Licenses)
	}
	return sbom.EncodeCycloneDX(stdout, inv, sbom.Options{
		Timestamp:      time.Now(),
		ProductVersion: "v1.0.0", // the product's version: the CLI takes --version or discover.ProductVersion
		Authors:        []sbom.Party{{Name: "Example Medical Ltd", URL: "https://example.com"}},
	})
}
