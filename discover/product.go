package discover

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/baseline-cm/baseline/internal/git"
	"github.com/baseline-cm/baseline/inventory"
)

// maxEpoch is 9999-12-31T23:59:59Z, the last time RFC 3339 can write.
const maxEpoch = 253402300799

// Timestamp returns the time the records of a build carry: the time
// SOURCE_DATE_EPOCH sets (seconds since 1970, the reproducible-builds
// convention), so that the same inputs give the same bytes, else the
// current time; UTC, whole seconds. A SOURCE_DATE_EPOCH that is not a
// number of seconds from 1970 to 9999 is an error, not a silent fallback
// to the clock.
func Timestamp() (time.Time, error) {
	s, ok := os.LookupEnv("SOURCE_DATE_EPOCH")
	if !ok || s == "" {
		return time.Now().UTC().Truncate(time.Second), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds", s)
	}
	// The records' times are RFC 3339: years 0000 to 9999; the
	// specification of SOURCE_DATE_EPOCH allows none before 1970.
	if n < 0 || n > maxEpoch {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: outside 0 (1970) to %d (9999-12-31T23:59:59Z), the times a record can hold", s, int64(maxEpoch))
	}
	return time.Unix(n, 0).UTC(), nil
}

// ErrUnknownVersion is returned by ProductVersion when nothing says the
// product's version.
var ErrUnknownVersion = errors.New("the product's version is unknown")

// ProductVersion returns the product's version for an inventory: the main
// module's version when the inventory records one (a binary's build
// information), else, for source discovery, what git says of the
// checkout: "git describe --tags --always" over the tags of the main
// module's directory (a module in subdirectory a/ is versioned by tags
// a/v1.2.3, as the go command reads them; the prefix is removed), with
// "-dirty" appended when "git status --porcelain" shows changes. Git is
// only read: every command runs with GIT_OPTIONAL_LOCKS=0, and none
// rewrites .git/index ("git describe --dirty" would).
//
// dir is the directory discovery ran in (Options.Dir); the main module's
// own directory is used when the inventory knows it. Without a version,
// the error matches ErrUnknownVersion.
func ProductVersion(ctx context.Context, inv *inventory.Inventory, dir string) (string, error) {
	m := inv.Main()
	if m != nil && m.Version != "" && m.Version != "(devel)" && !inventory.Placeholder(m.Version) {
		return m.Version, nil
	}
	if inv.Mode == inventory.Binary {
		return "", fmt.Errorf("%w (the binary records none)", ErrUnknownVersion)
	}
	modDir, modPath := dir, ""
	if m != nil {
		modPath = m.Path
		if m.Dir != "" {
			modDir = m.Dir
		}
	}
	if modDir == "" {
		modDir = "."
	}
	prefix, err := git.TagPrefix(ctx, modDir, modPath)
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrUnknownVersion, err)
	}
	v, err := git.Describe(ctx, modDir, prefix)
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrUnknownVersion, err)
	}
	dirty, err := git.Dirty(ctx, modDir)
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrUnknownVersion, err)
	}
	if dirty {
		v += "-dirty"
	}
	return v, nil
}
