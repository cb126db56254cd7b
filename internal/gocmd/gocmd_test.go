package gocmd

import (
	"encoding/json"
	"errors"
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
