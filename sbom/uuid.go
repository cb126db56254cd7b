package sbom

import (
	"crypto/sha1"
	"encoding/hex"
	"hash"
)

// uuid is an RFC 9562 UUID.
type uuid [16]byte

// namespaceURL is the RFC 9562 namespace for URLs
// (6ba7b811-9dad-11d1-80b4-00c04fd430c8).
var namespaceURL = uuid{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// Namespace is the UUID namespace of the name-based (version 5) UUIDs in
// baseline's SBOMs, the CycloneDX serial number and the SPDX document
// namespace: the version 5 UUID of the URL
// "https://github.com/baseline-cm/baseline/sbom" in the RFC 9562 URL
// namespace, e688038a-cd2f-5757-a776-0f362c27590a.
const Namespace = "e688038a-cd2f-5757-a776-0f362c27590a"

var namespace = newUUIDv5(namespaceURL).sum([]byte("https://github.com/baseline-cm/baseline/sbom"))

// uuidV5 computes a name-based UUID with SHA-1 (RFC 9562 section 5.5):
// write the name to it, then call sum.
type uuidV5 struct{ hash.Hash }

func newUUIDv5(ns uuid) uuidV5 {
	h := sha1.New()
	h.Write(ns[:])
	return uuidV5{h}
}

// sum returns the UUID of the namespace and everything written, followed
// by extra.
func (u uuidV5) sum(extra []byte) uuid {
	u.Write(extra)
	var id uuid
	copy(id[:], u.Sum(nil))
	id[6] = id[6]&0x0f | 0x50 // version 5
	id[8] = id[8]&0x3f | 0x80 // variant 10 (RFC 9562)
	return id
}

func (id uuid) String() string {
	var b [36]byte
	hex.Encode(b[0:8], id[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], id[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], id[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], id[8:10])
	b[23] = '-'
	hex.Encode(b[24:], id[10:])
	return string(b[:])
}
