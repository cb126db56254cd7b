package sbom

import (
	"bufio"
	"encoding/binary"
	"hash"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/baseline-cm/baseline/inventory"
)

// digest writes v to h field by field, so that two values hash alike
// exactly when their exported content is alike: the inputs of a document
// (the inventory and the options, the register included) give its
// serial number and namespace without encoding the document twice. Every
// value is written with its kind and length, so that no two different
// values write the same bytes; map entries in key order; time.Time as its
// instant. Fields are skipped where encoding/json leaves them out:
// omitempty ones when empty (so that nil and empty, which a cache may
// give for the same value, are alike), and json:"-" ones, which
// hold no content (a register's file name and line positions, a
// component's directory on this machine), so the digest, like the
// document, does not depend on where the inputs were read.
func digest(h hash.Hash, v any) { digestValue(h, v, false) }

// digestValue is digest, or digestIdentity when identity is set.
func digestValue(h hash.Hash, v any, identity bool) {
	d := digester{h: bufio.NewWriterSize(h, 8<<10), identity: identity}
	d.value(reflect.ValueOf(v))
	d.h.Flush()
}

type digester struct {
	// h buffers the hash's writes: the digest is made of many small
	// pieces, and a hash's Write costs more per call than per byte.
	h        *bufio.Writer
	buf      [binary.MaxVarintLen64 + 1]byte
	identity bool // leave out inventory.Component.Time (digestIdentity)
}

var timeType = reflect.TypeFor[time.Time]()

func (d *digester) tag(b byte, n uint64) {
	d.buf[0] = b
	k := binary.PutUvarint(d.buf[1:], n)
	d.h.Write(d.buf[:1+k])
}

func (d *digester) str(s string) {
	d.tag('s', uint64(len(s)))
	d.h.Write(unsafeBytes(s))
}

func (d *digester) value(v reflect.Value) {
	if !v.IsValid() {
		d.tag('0', 0)
		return
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if t.IsZero() {
			d.tag('t', 0)
			return
		}
		d.tag('t', 1)
		d.str(t.UTC().Format(time.RFC3339Nano))
		return
	}
	switch v.Kind() {
	case reflect.String:
		d.str(v.String())
	case reflect.Bool:
		if v.Bool() {
			d.tag('b', 1)
		} else {
			d.tag('b', 0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.tag('i', uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		d.tag('u', v.Uint())
	case reflect.Float32, reflect.Float64:
		d.tag('f', math.Float64bits(v.Float()))
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			d.tag('n', 0)
			return
		}
		d.tag('p', 1)
		d.value(v.Elem())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			d.tag('n', 0) // nil and empty differ (a register's relevant_anomalies: [])
			return
		}
		d.tag('l', uint64(v.Len()))
		for i := range v.Len() {
			d.value(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			d.tag('n', 0)
			return
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return compareKeys(a, b) })
		d.tag('m', uint64(len(keys)))
		for _, k := range keys {
			d.value(k)
			d.value(v.MapIndex(k))
		}
	case reflect.Struct:
		// The number of fields that can hold content: a field that
		// holds none (json:"-", unexported) changes no digest.
		t := v.Type()
		fs := fieldsOf(t)
		d.tag('{', uint64(len(fs)))
		for _, f := range fs {
			if d.identity && t == componentType && f.name == "Time" {
				continue
			}
			fv := v.Field(f.index)
			if (f.omitEmpty && emptyValue(fv)) || (f.omitZero && fv.IsZero()) {
				continue // as encoding/json leaves it out: nil and empty alike
			}
			d.str(f.name)
			d.value(fv)
		}
	default:
		// Channels and functions hold no document content.
		d.tag('x', uint64(v.Kind()))
	}
}

// field is what the digest needs of a struct field.
type field struct {
	index               int
	name                string
	omitEmpty, omitZero bool
}

// fields holds each struct type's digested fields ([]field), worked out
// once: reading fields and tags by reflection each time cost more than
// hashing.
var fields sync.Map

// fieldsOf returns the exported fields of t that encoding/json writes, in
// order.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fields.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		fs = append(fs, field{index: i, name: f.Name,
			omitEmpty: strings.Contains(tag, ",omitempty"), omitZero: strings.Contains(tag, ",omitzero")})
	}
	fields.Store(t, fs)
	return fs
}

// emptyValue is encoding/json's notion of empty, for omitempty.
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

func compareKeys(a, b reflect.Value) int {
	switch a.Kind() {
	case reflect.String:
		switch as, bs := a.String(), b.String(); {
		case as < bs:
			return -1
		case as > bs:
			return 1
		}
		return 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(max(-1, min(1, a.Int()-b.Int())))
	}
	return 0
}

// unsafeBytes returns the bytes of s without copying; hash.Hash.Write
// neither keeps nor modifies them.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// digestIdentity writes v to h as digest does, leaving out what decides
// no document's identity (the CycloneDX serial number, the SPDX
// namespace): what no SBOM writes and what depends on the state of the
// module cache rather than on the build. A component's publication time
// (inventory.Component.Time) is such a field: the go command reports it
// only when the version's .info file happens to be in the module cache,
// so with it two runs on the same go.sum gave documents that differed in
// their serial number alone. It is skipped as a zero time is (the field
// is omitzero), so the digest is that of the inventory with the times
// zeroed, without copying the inventory (TestDigestIdentity).
func digestIdentity(h hash.Hash, v any) { digestValue(h, v, true) }

var componentType = reflect.TypeFor[inventory.Component]()
