// Package sign signs and verifies release baselines: the electronic
// signatures of 21 CFR Part 11 on the records package manifest writes.
//
// It implements 21 CFR 11.50 (signature manifestations: each signature
// carries the signer's printed name, user ID, the UTC date and time, and
// its meaning, such as authorship, review or approval, inside what that
// signer signs, and the release notes show them) and 11.70
// (signature/record linking: a signature is bound to its record by digest
// and cannot be copied onto another release).
//
// # Format
//
// Signatures are DSSE envelopes (go-securesystemslib's dsse package)
// carrying in-toto Statements v1, payload type
// "application/vnd.in-toto+json":
//
//   - The release statement (predicate type ReleasePredicateType): its
//     subjects are exactly manifest.json and the SBOMs and artifacts the
//     manifest lists, each by SHA-256, sorted by name; its predicate is the
//     manifest JSON itself. RELEASE-NOTES.md, re-rendered with every
//     signature, and the envelope files are not subjects.
//   - One approval statement per signature (predicate type
//     ApprovalPredicateType): its one subject, named "release-statement",
//     is the SHA-256 of the release envelope's DSSE payload bytes; its
//     predicate is an Approval: {"name", "userId", "meaning", "time" (UTC,
//     RFC 3339), "comment", "keyFingerprint"}.
//
// A release directory holds every envelope in release.intoto.jsonl, one
// compact JSON envelope a line, the release envelope first, and the
// release envelope alone in release.dsse.json, which cosign's
// verify-blob-attestation --signature reads. An unsigned release has a
// release envelope with no signature; approvals sign it through its
// digest. Sign appends an approval atomically (a new file renamed over
// the old) under a lock on release.intoto.jsonl, so concurrent signers
// lose no signature.
//
// # Keys
//
// ECDSA P-256 (the default; SHA-256, ASN.1 DER signatures, as cosign and
// openssl dgst -sha256 make them) and Ed25519 keys, private keys in
// unencrypted PKCS#8 PEM ("openssl genpkey -algorithm EC -pkeyopt
// ec_paramgen_curve:P-256"), SEC 1 PEM, or the encrypted format cosign
// generate-key-pair writes; public keys in PKIX PEM. A key's fingerprint
// is the hex SHA-256 of its public key's DER SubjectPublicKeyInfo. DSSE
// key IDs are left empty.
//
// # Policy
//
// Verify checks a release against a Policy, from YAML (LoadPolicy):
//
//	version: 1
//	keys:                          # the trusted keys and their owners
//	  - name: Ann Author           # printed name every approval by this key must carry
//	    user_id: ann@example.com   # user ID it must carry
//	    public_key_file: keys/ann.pub.pem   # PKIX PEM, relative to the policy file
//	    fingerprint: 3b1f...       # optional: checked against the key
//	  - name: Rob Reviewer
//	    user_id: rob@example.com
//	    public_key: |              # or the PEM inline
//	      -----BEGIN PUBLIC KEY-----
//	      ...
//	      -----END PUBLIC KEY-----
//	meanings: [qa-approved]        # project-defined meanings, besides authored, reviewed, approved
//	require:                       # what a release needs
//	  - meaning: authored
//	  - meaning: reviewed
//	    not_by: [authored]         # by someone other than the author
//	  - meaning: approved
//	    count: 1                   # distinct signers (default 1)
//	release_signed: true           # optional: the release envelope itself signed by a trusted key (for cosign)
//
// Unknown or duplicate keys, a key that does not parse, a fingerprint
// that does not match, and a requirement of an unknown meaning are errors
// naming the file and line. KeysPolicy trusts bare keys (baseline verify
// --key) and needs only one valid signature.
//
// A signer is a key owner's user ID: two approvals of one meaning by one
// person (even with two keys) are rejected rather than counted twice.
package sign
