package discover

import (
	"github.com/baseline-cm/baseline/internal/modpath"
	"github.com/baseline-cm/baseline/inventory"
)

// componentPURL is the purl of what a component builds (Component.Built).
func componentPURL(c *inventory.Component) string { return modpath.PackageURL(c.Built()) }
