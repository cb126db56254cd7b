package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/baseline-cm/baseline/product"
)

// loadProduct reads baseline.yaml in dir, or returns the defaults when
// there is none.
func loadProduct(dir string) (*product.Config, error) {
	if dir == "" {
		dir = "."
	}
	c, err := product.Load(filepath.Join(dir, product.DefaultFile))
	if errors.Is(err, fs.ErrNotExist) {
		// No baseline.yaml: the defaults, but only in a directory that
		// is there (a mistyped -C must not pass a check of nothing).
		if fi, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("product directory: %w", err)
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("product directory %s: not a directory", dir)
		}
		return product.Default(dir), nil
	}
	return c, err
}
