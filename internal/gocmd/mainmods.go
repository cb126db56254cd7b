package gocmd

import (
	"os"
	"path/filepath"

	"golang.org/x/mod/modfile"
)

// MainGoMods returns the go.mod files of the main modules: the module of
// GOMOD, or each module the go.work file uses. It returns none outside
// any module (GOMOD empty or os.DevNull, and no workspace).
func (e Env) MainGoMods() ([]string, error) {
	if e.GOWORK == "" || e.GOWORK == "off" {
		if e.GOMOD == "" || e.GOMOD == os.DevNull {
			return nil, nil
		}
		return []string{e.GOMOD}, nil
	}
	wf, err := ReadGoWork(e.GOWORK)
	if err != nil {
		return nil, err
	}
	var mods []string
	for _, u := range wf.Use {
		mods = append(mods, filepath.Join(Abs(filepath.Dir(e.GOWORK), u.Path), "go.mod"))
	}
	return mods, nil
}

// ReadGoWork reads and parses a go.work file.
func ReadGoWork(gowork string) (*modfile.WorkFile, error) {
	data, err := os.ReadFile(gowork)
	if err != nil {
		return nil, err
	}
	return modfile.ParseWork(gowork, data, nil)
}

// Abs resolves path, as a go.mod or go.work file names it, against the
// directory base of that file.
func Abs(base, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(base, path)
}
