// Package baseline is the root of baseline, a library and command that
// turn a Go code base into the configuration-management records that
// regulated software (IEC 62304 medical-device software, FDA premarket
// cybersecurity) must keep.
//
// Data flows one way, one package per step:
//
//   - discover: find the configuration items a build uses (module graph,
//     linked packages, or a binary's build information) and return an
//     inventory (package inventory);
//   - soup: the SOUP/OTS register and its reconciliation with the inventory;
//   - sbom: CycloneDX and SPDX documents of an inventory;
//   - manifest: signed release manifests of a baseline.
//
// The baseline command (cmd/baseline) only wires these together.
package baseline
