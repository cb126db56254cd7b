package gocmd

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeEach(t *testing.T) {
	type v struct{ N int }
	var got []int
	err := DecodeEach(json.NewDecoder(strings.NewReader(`{"N":1}{"N":2}`+"\n"+`{"N":3}`)), func(x *v) error {
		got = append(got, x.N)
		return nil
	})
	if err != nil || len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Fatalf("DecodeEach = %v, %v; want [1 2 3], nil", got, err)
	}

	stop := errors.New("stop")
	got = nil
	err = DecodeEach(json.NewDecoder(strings.NewReader(`{"N":1}{"N":2}{"N":3}`)), func(x *v) error {
		got = append(got, x.N)
		if x.N == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || len(got) != 2 {
		t.Fatalf("DecodeEach after fn's error = %v, %v; want [1 2], stop", got, err)
	}

	if err := DecodeEach(json.NewDecoder(strings.NewReader(`{"N":1}{"N":`)), func(*v) error { return nil }); err == nil {
		t.Fatal("DecodeEach on a truncated stream: no error")
	}
}

func TestUserVar(t *testing.T) {
	dir := t.TempDir()
	goenv := filepath.Join(dir, "env")
	goroot := filepath.Join(dir, "goroot")
	os.MkdirAll(goroot, 0o755)
	os.WriteFile(goenv, []byte("GOFLAGS=-mod=mod\nGOPROXY=https://file.example\n"), 0o644)
	os.WriteFile(filepath.Join(goroot, "go.env"), []byte("GOPROXY=https://goroot.example,direct\nGOTOOLCHAIN=auto\n"), 0o644)
	t.Setenv("GOPROXY", "")
	r := &Runner{}
	for _, tc := range []struct {
		env         []string
		goenv, want string
	}{
		{nil, goenv, "https://file.example"},
		{nil, "off", "https://goroot.example,direct"},
		{nil, filepath.Join(dir, "none"), "https://goroot.example,direct"},
		{[]string{"GOPROXY=https://a.example", "GOPROXY=https://b.example"}, goenv, "https://b.example"},
		{[]string{"GOPROXY="}, goenv, "https://file.example"}, // empty is unset
	} {
		r.Env = tc.env
		if got := r.UserVar("GOPROXY", "default", tc.goenv, filepath.Join(goroot, "go.env")); got != tc.want {
			t.Errorf("Env %q, GOENV %s: UserVar = %q, want %q", tc.env, tc.goenv, got, tc.want)
		}
	}
	if got := r.UserVar("GOPROXY", "default", "off", ""); got != "default" {
		t.Errorf("nothing set: %q, want the default", got)
	}
	t.Setenv("GOPROXY", "https://process.example")
	r.Env = nil
	if got := r.UserVar("GOPROXY", "default", goenv, filepath.Join(goroot, "go.env")); got != "https://process.example" {
		t.Errorf("process environment: %q", got)
	}
}
