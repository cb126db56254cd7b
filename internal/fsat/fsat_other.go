//go:build !unix

package fsat

import "os"

func descriptor(*os.File) int { return -1 }

func statAt(int, string) (Info, error) { panic("unreachable") }

func readSmallAt(int, string, int) ([]byte, bool) { panic("unreachable") }
