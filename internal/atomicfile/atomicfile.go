// Package atomicfile is the one way baseline replaces a file: the SOUP
// register, SBOMs and lists written with -o, cache entries. A reader
// sees either the old content or the new, never a partial file, and a
// crash leaves the old file in place (IEC 62304 8.1 records must not be
// damaged by the tool that keeps them).
//
// WriteFile writes a temporary file in the target's directory, gives it
// the target's mode (or, for a new file, the requested mode less the
// umask) and, where the process may, its owner and group, syncs it to
// disk, and renames it over the target. It writes through a symbolic
// link to the file the link names, so a linked file is never forked into
// a regular file beside its target; it refuses to replace a file the user
// made read-only; and it writes a device or a named pipe (-o /dev/stdout)
// in place, since renaming over it would replace it.
//
// Temporary files are named ".NAME.RANDOM.baseline-tmp" beside NAME, so
// one ignore pattern covers them all:
//
//	*.baseline-tmp
//
// A process killed between writing and renaming leaves one behind;
// RemoveStale deletes those of a target, and callers that hold a lock
// excluding other writers of the target (soup sync) call it under that
// lock.
package atomicfile

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// TempSuffix ends the name of every temporary file WriteFile creates.
const TempSuffix = ".baseline-tmp"

// ErrReadOnly is the error (wrapped in an *fs.PathError naming the file)
// of a write to a file that has no write permission for anyone: the user
// made it read-only, and it is not replaced, even by a process that could
// (root, or any owner of the directory). It matches fs.ErrPermission too,
// so that callers outside baseline can test for it.
var ErrReadOnly error = readOnlyError{}

type readOnlyError struct{}

func (readOnlyError) Error() string {
	return "file is read-only (make it writable to let baseline replace it)"
}

func (readOnlyError) Is(target error) bool { return target == fs.ErrPermission }

// ErrReadOnlyDir is the error (wrapped in an *fs.PathError naming the
// directory) of a write into a directory that has no write permission for
// anyone: the user made it read-only, and nothing is created in it, even
// by a process that could. It matches fs.ErrPermission too.
var ErrReadOnlyDir error = readOnlyDirError{}

type readOnlyDirError struct{}

func (readOnlyDirError) Error() string {
	return "directory is read-only (make it writable to let baseline write in it)"
}

func (readOnlyDirError) Is(target error) bool { return target == fs.ErrPermission }

// CheckDir reports whether files may be created in dir: it exists, is a
// directory, and has some write permission (else the error wraps
// ErrReadOnlyDir). Every write here checks it; callers that take a lock
// file beside their target check it first, so that a read-only directory
// gets no lock file either.
func CheckDir(dir string) error {
	dir = filepath.Clean(dir)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &fs.PathError{Op: "write", Path: dir, Err: errors.New("no such directory")}
	case err != nil:
		return err
	case !fi.IsDir():
		return &fs.PathError{Op: "write", Path: dir, Err: errors.New("not a directory")}
	case fi.Mode().Perm()&0o222 == 0:
		return &fs.PathError{Op: "write", Path: dir, Err: ErrReadOnlyDir}
	}
	return nil
}

// maxLinks bounds the symbolic links followed, as the kernel does.
const maxLinks = 40

// Resolve returns the file that writing name changes: name itself, or,
// when name is a symbolic link (or a chain of them), the file it finally
// names, which need not exist yet. Locks on the file should be taken on
// the resolved name, so that writers through different links exclude
// each other.
func Resolve(name string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(name)
		if errors.Is(err, fs.ErrNotExist) {
			return name, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return name, nil
		}
		target, err := os.Readlink(name)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(name), target)
		}
		name = target
	}
	return "", &fs.PathError{Op: "resolve", Path: name, Err: errors.New("too many levels of symbolic links")}
}

// WriteFile replaces the file name with data, atomically. perm is the mode
// of a new file (less the umask, as os.WriteFile does); an existing file
// keeps its own mode and, where the process may change it, its owner and
// group. name may be a symbolic link: its final target is written. An
// existing file without any write permission is left alone and the error
// wraps ErrReadOnly. A device or named pipe is written in place. Errors
// name the file.
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	return WriteWith(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, perm)
}

// WriteWith is WriteFile with the content that write writes, buffered:
// a large document is written as it is encoded, and the file is replaced
// only once write has returned without error; an error leaves it as it
// was.
func WriteWith(name string, write func(io.Writer) error, perm fs.FileMode) error {
	// A device or pipe first, through the kernel's own resolution:
	// /dev/stdout links to /proc/self/fd/1, whose link text is no path.
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return writeInPlace(name, name, write)
	}
	target, err := Resolve(name)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fi = nil
	case err != nil:
		return fmt.Errorf("writing %s: %w", name, err)
	case fi.IsDir():
		return &fs.PathError{Op: "write", Path: name, Err: errors.New("is a directory")}
	case !fi.Mode().IsRegular():
		return writeInPlace(name, target, write)
	case fi.Mode().Perm()&0o222 == 0:
		return &fs.PathError{Op: "write", Path: name, Err: ErrReadOnly}
	}

	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, f, err := createTemp(dir, base, perm)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if fi != nil {
		// The owner first: chown clears the setuid and setgid bits. Then
		// the existing file's mode, not the umask's.
		keepOwner(f, fi)
		if err := f.Chmod(fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	if err := writeBuffered(f, write); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	ok = true
	syncDir(dir)
	return nil
}

// createTemp creates a new temporary file for base in dir with mode perm
// (the kernel applies the umask).
func createTemp(dir, base string, perm fs.FileMode) (string, *os.File, error) {
	if err := CheckDir(dir); err != nil {
		return "", nil, err
	}
	for range 100 {
		var b [6]byte
		rand.Read(b[:])
		tmp := filepath.Join(dir, "."+base+"."+hex.EncodeToString(b[:])+TempSuffix)
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			// Named by the directory: the temporary name means nothing
			// to the user.
			err = &fs.PathError{Op: "create a file in", Path: filepath.Clean(dir), Err: pe.Err}
		}
		return tmp, f, err
	}
	return "", nil, errors.New("cannot create a temporary file")
}

// writeInPlace writes a device or a named pipe, which renaming over
// would replace with a regular file.
func writeInPlace(name, target string, write func(io.Writer) error) error {
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	err = writeBuffered(f, write)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// writeBuffered calls write with a buffer in front of f and flushes it.
func writeBuffered(f *os.File, write func(io.Writer) error) error {
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// RemoveStale removes the temporary files an interrupted write of name
// left beside its target (those of WriteFile, and those of the renameio
// package baseline used before: NAME + digits + ".tmp"), and returns their
// names. Call it only while holding a lock that excludes every other
// writer of name: a concurrent write's temporary file is indistinguishable
// from a stale one.
func RemoveStale(name string) ([]string, error) {
	target, err := Resolve(name)
	if err != nil {
		return nil, err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTemp(base, e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed = append(removed, p)
	}
	return removed, nil
}

// isTemp reports whether file is a temporary file of base.
func isTemp(base, file string) bool {
	if mid, ok := strings.CutPrefix(file, "."+base+"."); ok {
		if r, ok := strings.CutSuffix(mid, TempSuffix); ok && r != "" && isHex(r) {
			return true
		}
	}
	if mid, ok := strings.CutPrefix(file, base); ok {
		if r, ok := strings.CutSuffix(mid, ".tmp"); ok && r != "" && isDigits(r) {
			return true
		}
	}
	return false
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
