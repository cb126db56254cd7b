package discover

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/baseline-cm/baseline/inventory"
)

// TestGoEnvPrediction: the listing starts before go env answers, with
// GOFLAGS predicted from the environment. A wrong prediction (here forced:
// the go env file sets -tags) must still give the answer of the real go
// environment, in both modes.
func TestGoEnvPrediction(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":     "module example.com/m\n\ngo 1.22\n",
		"m.go":       "package m\n\nimport _ \"strings\"\n",
		"special.go": "//go:build special\n\npackage m\n\nimport _ \"net/url\"\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goenv := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(goenv, []byte("GOFLAGS=-tags=special\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOFLAGS", "") // empty: the go command reads the go env file
	t.Setenv("GOWORK", "off")
	ctx := context.Background()
	opts := Options{Dir: dir, Env: []string{"GOENV=" + goenv}, CacheDir: t.TempDir()}
	discover := func(t *testing.T) (pkgs, mods *inventory.Inventory) {
		t.Helper()
		pkgs, err := Packages(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		mods, err = Modules(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range []*inventory.Inventory{pkgs, mods} {
			if !slices.Equal(inv.Build.Tags, []string{"special"}) {
				t.Errorf("%s mode: Build.Tags %q, want [special]", inv.Mode, inv.Build.Tags)
			}
		}
		if std := pkgs.Component(inventory.StdlibID); std == nil || !slices.Contains(std.Packages, "net/url") {
			t.Errorf("packages mode does not list net/url, which only -tags=special links")
		}
		return pkgs, mods
	}
	// The go env file sets GOFLAGS: predicted unknown, go env asked first.
	pkgs, mods := discover(t)
	// Forced misprediction: no flags.
	predictFlags = func([]string) (string, bool) { return "", true }
	defer func() { predictFlags = predictGOFLAGS }()
	pkgs2, mods2 := discover(t)
	if !reflect.DeepEqual(pkgs, pkgs2) || !reflect.DeepEqual(mods, mods2) {
		t.Errorf("a wrong GOFLAGS prediction changed the inventory")
	}
}
