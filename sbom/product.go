package sbom

import (
	"fmt"

	"github.com/baseline-cm/baseline/internal/spdxexpr"
	"github.com/baseline-cm/baseline/product"
)

// ApplyProduct fills what o leaves empty from the product section of
// baseline.yaml (package product): the authors of the SBOM data, the
// product's supplier and manufacturer, its licence and its website. What
// o already holds (the command's flags) wins; TODO markers are skipped.
// With them, an SBOM of a configured repository names its producer and a
// creator to contact, as NTIA and BSI TR-03183-2 ask. An error names the
// field of baseline.yaml.
func (o *Options) ApplyProduct(p product.Product) error {
	party := func(field, s string) (*Party, error) {
		if s == "" || product.IsTODO(s) {
			return nil, nil
		}
		pp, err := ParseParty(s)
		if err != nil {
			return nil, fmt.Errorf("%s: product.%s: %v", product.DefaultFile, field, err)
		}
		return &pp, nil
	}
	if len(o.Authors) == 0 {
		for i, a := range p.Authors {
			pp, err := party(fmt.Sprintf("authors[%d]", i), a)
			if err != nil {
				return err
			}
			if pp != nil {
				o.Authors = append(o.Authors, *pp)
			}
		}
	}
	var err error
	if o.Supplier == nil {
		if o.Supplier, err = party("supplier", p.Supplier); err != nil {
			return err
		}
	}
	if o.Manufacturer == nil {
		if o.Manufacturer, err = party("manufacturer", p.Manufacturer); err != nil {
			return err
		}
	}
	if o.License == "" && p.License != "" && !product.IsTODO(p.License) {
		if err := spdxexpr.Validate(p.License); err != nil {
			return fmt.Errorf("%s: product.license: %v", product.DefaultFile, err)
		}
		o.License = p.License
	}
	if o.Website == "" && webURL(p.Website) != "" {
		o.Website = p.Website
	}
	return nil
}
