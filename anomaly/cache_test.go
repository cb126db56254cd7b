package anomaly_test

import (
	"cmp"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baseline-cm/baseline/anomaly"
)

// TestScanCache: a scan whose inputs have all been seen is answered from
// the cache with the same result, and a changed Go file scans again
// (TestResultKey checks the other inputs, without scanning).
func TestScanCache(t *testing.T) {
	dir := product(t, "v1.0.0", map[string]string{"main.go": app})
	cache := t.TempDir()
	scan := func(t *testing.T, opts anomaly.Options) (*anomaly.Result, bool) {
		t.Helper()
		hit := false
		if opts.Dir == "" {
			opts.Dir = dir
		}
		if opts.DB == "" {
			opts.DB = fixtureDB
		}
		opts.CacheDir = cmp.Or(opts.CacheDir, cache)
		opts.Progress = func(m string) { hit = hit || strings.Contains(m, "reusing") }
		res, err := anomaly.Scan(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		return res, hit
	}
	asJSON := func(r *anomaly.Result) string {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}

	first, hit := scan(t, anomaly.Options{})
	if hit {
		t.Fatal("the first scan came from an empty cache")
	}
	again, hit := scan(t, anomaly.Options{})
	if !hit {
		t.Fatal("the same inputs scanned again: nothing was cached")
	}
	if asJSON(again) != asJSON(first) {
		t.Errorf("cached result differs:\n%s\nwant\n%s", asJSON(again), asJSON(first))
	}
	if got := evidence(again); got["GO-2024-9001"] != "symbol-reached" {
		t.Errorf("cached evidence = %v", got)
	}

	t.Run("source", func(t *testing.T) {
		// The vulnerable call removed: the evidence must follow.
		main := filepath.Join(dir, "main.go")
		safe := strings.Replace(app, `parse.Parse("x"), `, "", 1)
		safe = strings.Replace(safe, "\t\"baseline.test/vuln/parse\"\n", "", 1)
		if err := os.WriteFile(main, []byte(safe), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.WriteFile(main, []byte(app), 0o644) })
		res, hit := scan(t, anomaly.Options{})
		if hit {
			t.Fatal("a changed Go file was answered from the cache")
		}
		if got := evidence(res); got["GO-2024-9001"] == "symbol-reached" {
			t.Errorf("evidence after removing the call = %v", got)
		}
	})
}
