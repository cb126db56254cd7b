package cli

import (
	"errors"
	"io/fs"
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
		return product.Default(dir), nil
	}
	return c, err
}
