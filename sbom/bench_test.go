package sbom_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/baseline-cm/baseline/inventory"
	"github.com/baseline-cm/baseline/sbom"
)

// bigInventory is a synthetic inventory of n modules, each depending on
// the next two.
func bigInventory(n int) *inventory.Inventory {
	inv := &inventory.Inventory{Mode: inventory.Modules, MainID: "example.com/app", EdgesKnown: true,
		Dependencies: map[string][]string{}}
	inv.Components = append(inv.Components, inventory.Component{ID: "example.com/app", Kind: inventory.Main, Path: "example.com/app", PURL: "pkg:golang/example.com/app"})
	for i := range n {
		id := fmt.Sprintf("example.com/m%05d", i)
		inv.Components = append(inv.Components, inventory.Component{
			ID: id, Kind: inventory.Module, Path: id, Version: "v1.2.3", Scope: inventory.Required,
			PURL: "pkg:golang/" + id + "@v1.2.3", Sum: "h1:Bn3Co2nVkLfvMZs2CpgUkrvZxtWz5t2ZnR2F5U3KcZg=",
			Hashes: []inventory.Hash{
				{Algorithm: "SHA-256", Value: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
				{Algorithm: "SHA-512", Value: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
			},
			Licenses: []string{"BSD-3-Clause"},
		})
		inv.Dependencies["example.com/app"] = append(inv.Dependencies["example.com/app"], id)
		for _, j := range []int{i + 1, i + 2} {
			if j < n {
				inv.Dependencies[id] = append(inv.Dependencies[id], fmt.Sprintf("example.com/m%05d", j))
			}
		}
	}
	inv.Sort()
	return inv
}

func BenchmarkEncodeCycloneDX10k(b *testing.B) {
	inv := bigInventory(10000)
	opts := sbom.Options{Timestamp: time.Unix(0, 0)}
	b.ReportAllocs()
	for b.Loop() {
		if err := sbom.EncodeCycloneDX(io.Discard, inv, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeCycloneDXXML10k(b *testing.B) {
	benchmarkEncode(b, sbom.CycloneDXXML)
}

func BenchmarkEncodeSPDXJSON10k(b *testing.B) {
	benchmarkEncode(b, sbom.SPDXJSON)
}

func BenchmarkEncodeSPDXTagValue10k(b *testing.B) {
	benchmarkEncode(b, sbom.SPDXTagValue)
}

func benchmarkEncode(b *testing.B, f sbom.Format) {
	inv := bigInventory(10000)
	opts := sbom.Options{Timestamp: time.Unix(0, 0)}
	b.ReportAllocs()
	for b.Loop() {
		if err := sbom.Encode(io.Discard, inv, f, opts); err != nil {
			b.Fatal(err)
		}
	}
}
