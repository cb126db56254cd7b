//go:build unix

package fsat

import (
	"io/fs"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// openDir opens the directory name with one system call, and wraps it
// in an *os.File (for ReadDir) with one more (os.NewFile reads the
// descriptor's flags): os.Open would add five (two fcntl calls to set
// non-blocking mode, a poller registration that fails, two to clear the
// mode again). It returns the descriptor for the *at calls.
func openDir(name string) (*os.File, int, error) {
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	for err == unix.EINTR {
		fd, err = unix.Open(name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, -1, err
	}
	return os.NewFile(uintptr(fd), name), fd, nil
}

func statAt(dirfd int, rel string) (Info, error) {
	var st unix.Stat_t
	err := unix.Fstatat(dirfd, rel, &st, 0)
	for err == unix.EINTR {
		err = unix.Fstatat(dirfd, rel, &st, 0)
	}
	if err != nil {
		return Info{}, &fs.PathError{Op: "stat", Path: rel, Err: err}
	}
	info := Info{Size: st.Size, ModTime: time.Unix(st.Mtim.Unix())}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
	case unix.S_IFDIR:
		info.Type = fs.ModeDir
	case unix.S_IFLNK:
		info.Type = fs.ModeSymlink
	case unix.S_IFIFO:
		info.Type = fs.ModeNamedPipe
	case unix.S_IFSOCK:
		info.Type = fs.ModeSocket
	case unix.S_IFCHR:
		info.Type = fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		info.Type = fs.ModeDevice
	default:
		info.Type = fs.ModeIrregular
	}
	return info, nil
}

func readSmallAt(dirfd int, rel string, max int) ([]byte, bool) {
	// O_NONBLOCK: a FIFO in the file's place reads as empty instead of
	// blocking; a directory fails to read.
	const flags = unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NONBLOCK
	fd, err := unix.Openat(dirfd, rel, flags, 0)
	for err == unix.EINTR {
		fd, err = unix.Openat(dirfd, rel, flags, 0)
	}
	if err != nil {
		return nil, false
	}
	defer unix.Close(fd)
	buf := make([]byte, max+1)
	n := 0
	for n < len(buf) {
		k, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		if k == 0 {
			return buf[:n], true
		}
		n += k
	}
	return nil, false // more than max
}
