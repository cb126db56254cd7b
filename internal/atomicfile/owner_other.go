//go:build !unix

package atomicfile

import (
	"io/fs"
	"os"
)

func keepOwner(f *os.File, fi fs.FileInfo) {}

func syncDir(dir string) {}
