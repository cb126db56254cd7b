//go:build !unix

package fsat

import "os"

func openDir(name string) (*os.File, int, error) {
	f, err := os.Open(name)
	return f, -1, err
}

func statAt(int, string) (Info, error) { panic("unreachable") }

func readSmallAt(int, string, int) ([]byte, bool) { panic("unreachable") }
