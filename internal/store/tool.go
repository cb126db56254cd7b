package store

import (
	"debug/elf"
	"os"
	"sync"
)

// ToolID returns the Go build ID of the running executable, which the go
// command derives from the build's inputs and the executable's content:
// builds whose code differs in anything have different ones. It keys the
// entries whose value baseline's own code decides (the encoded elements
// of an SBOM), so that no other build of baseline reads them. It is ""
// when there is none to read (an executable that is not ELF, or one
// linked with -buildid=): such entries are then neither read nor written.
func ToolID() string { return toolID() }

var toolID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	return buildID(exe)
})

// buildID reads the Go build ID note of the ELF executable exe: the note
// named "Go" of type 4 (the linker's ELF_NOTE_GOBUILDID_TAG) in section
// .note.go.buildid. It returns "" when there is none.
func buildID(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil {
		return ""
	}
	data, err := s.Data()
	if err != nil || len(data) < 16 {
		return ""
	}
	bo := f.ByteOrder
	namesz, descsz, typ := bo.Uint32(data), bo.Uint32(data[4:]), bo.Uint32(data[8:])
	const goNote = "Go\x00\x00"
	if namesz != 4 || typ != 4 || string(data[12:16]) != goNote || uint64(descsz) > uint64(len(data)-16) {
		return ""
	}
	return string(data[16 : 16+descsz])
}
