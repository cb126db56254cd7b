package sbom

// UUIDv5 exposes the name-based UUID for tests.
func UUIDv5(ns [16]byte, name string) string { return newUUIDv5(ns).sum([]byte(name)).String() }
