// Command baseline turns a Go code base into configuration-management
// records: SBOMs, a SOUP register and signed release manifests.
//
// Usage:
//
//	baseline sbom [-C DIR] [--mode packages|modules|binary] [--format cyclonedx-json|cyclonedx-xml|spdx-json|spdx-tag-value] [--spec VERSION] [-o FILE] [PATTERN... | BINARY]
//	baseline soup check [-C DIR] [--register FILE] [--format text|json]
//	baseline soup sync [-C DIR] [--register FILE]
//	baseline soup list [--register FILE] [--format markdown|csv|json]
//
// Exit status: 0 on success, 1 when a check finds something, 2 on bad
// usage or input, with the reason on standard error.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/baseline-cm/baseline/internal/cli"
)

func main() {
	// The first Ctrl-C (or SIGTERM) cancels the work, which stops the go
	// commands and workers and leaves files as they were; the second ends
	// the process at once, as it would without a handler.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
