#!/usr/bin/env bash
# dsse-verify-openssl.sh: verify a baseline release's DSSE envelopes with
# openssl alone, independently of baseline.
#
#   scripts/dsse-verify-openssl.sh RELEASE-DIR PUB.pem [PUB.pem...]
#
# Every signature of every envelope in RELEASE-DIR/release.intoto.jsonl
# must verify with one of the public keys (PKIX PEM, ECDSA P-256 or
# Ed25519) over the DSSE pre-authentication encoding
#   "DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload
# where the lengths are byte counts (wc -c: payloads may hold non-ASCII
# names). The script also recomputes the release statement's subject
# digests from the files (sha256sum), checks that its predicate is
# manifest.json, that release.dsse.json is the release envelope, and that
# every approval's subject is the SHA-256 of the release payload.
# It prints one line per envelope and exits 0 only when all is well.
# Needs: bash, openssl (1.1.1 or later), jq, base64, sha256sum, wc, cmp.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 RELEASE-DIR PUB.pem [PUB.pem...]" >&2
  exit 2
fi
dir=$1
shift
envs="$dir/release.intoto.jsonl"
[ -f "$envs" ] || { echo "$envs: no such file" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A ed25519
for k in "$@"; do
  text=$(openssl pkey -pubin -in "$k" -noout -text 2>/dev/null) || { echo "$k: not a PEM public key" >&2; exit 2; }
  case $text in ED25519*) ed25519[$k]=1 ;; esac
done
fail=0
bad() { echo "$1" >&2; fail=1; }

# verify_sig KEY PAE-FILE SIG-FILE: one signature with one key.
verify_sig() {
  if [ -n "${ed25519[$1]:-}" ]; then
    openssl pkeyutl -verify -pubin -inkey "$1" -rawin -in "$2" -sigfile "$3" >/dev/null 2>&1
  else
    openssl dgst -sha256 -verify "$1" -signature "$3" "$2" >/dev/null 2>&1
  fi
}

n=0
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  at="release.intoto.jsonl:$n"
  printf '%s' "$line" > "$tmp/env.json"
  { read -r type; read -r nsig; } < <(jq -r '.payloadType, (.signatures | length)' "$tmp/env.json")
  jq -r .payload "$tmp/env.json" | base64 -d > "$tmp/payload"
  # The pre-authentication encoding, with byte lengths.
  {
    printf 'DSSEv1 %s %s %s ' "$(printf '%s' "$type" | wc -c | tr -d ' ')" "$type" "$(wc -c < "$tmp/payload" | tr -d ' ')"
    cat "$tmp/payload"
  } > "$tmp/pae"
  if [ "$type" != "application/vnd.in-toto+json" ]; then
    bad "$at: payload type $type"
    continue
  fi
  { read -r ptype; read -r subj; read -r what; } < <(jq -r '.predicateType,
      (.subject | if length == 1 then .[0].digest.sha256 else "" end),
      (.predicate | (.meaning // "") + " by " + (.name // "") + " at " + (.time // ""))' "$tmp/payload")
  if [ "$n" -eq 1 ]; then
    [ "$ptype" = "https://github.com/baseline-cm/baseline/release/v1" ] || bad "$at: predicate type $ptype, want the release statement first"
    cp "$tmp/payload" "$tmp/release-payload"
    want=$(sha256sum < "$tmp/release-payload" | cut -d' ' -f1)
    # release.dsse.json is this envelope.
    cmp -s <(jq -c . "$dir/release.dsse.json") <(jq -c . "$tmp/env.json") || bad "release.dsse.json: not the release envelope"
    # The predicate is manifest.json.
    cmp -s <(jq -cS .predicate "$tmp/payload") <(jq -cS . "$dir/manifest.json") || bad "$at: the predicate is not manifest.json"
    # Every subject's digest, recomputed.
    jq -r '.subject[] | .digest.sha256 + "  " + .name' "$tmp/payload" > "$tmp/sums"
    (cd "$dir" && sha256sum --quiet --strict -c "$tmp/sums") >&2 || bad "$at: a subject's digest differs from its file"
  else
    [ "$ptype" = "https://github.com/baseline-cm/baseline/approval/v1" ] || bad "$at: predicate type $ptype"
    [ "$subj" = "$want" ] || bad "$at: the approval's subject is not this release statement"
  fi
  if [ "$nsig" -eq 0 ] && [ "$n" -gt 1 ]; then
    bad "$at: no signature"
  fi
  for ((i = 0; i < nsig; i++)); do
    jq -r ".signatures[$i].sig" "$tmp/env.json" | base64 -d > "$tmp/sig"
    ok=""
    for k in "$@"; do
      if verify_sig "$k" "$tmp/pae" "$tmp/sig"; then ok=$k; break; fi
    done
    if [ -z "$ok" ]; then
      bad "$at: signature $((i + 1)) does not verify with any given key"
    elif [ "$n" -eq 1 ]; then
      echo "$at: release statement: signature $((i + 1)) verified with $ok"
    else
      echo "$at: $what: verified with $ok"
    fi
  done
  if [ "$n" -eq 1 ] && [ "$nsig" -eq 0 ]; then
    echo "$at: release statement: unsigned (signed through the approvals)"
  fi
done < "$envs"

if [ "$n" -eq 1 ] && [ "$(jq '.signatures | length' "$dir/release.dsse.json")" -eq 0 ]; then
  bad "release.intoto.jsonl: no signature at all"
fi
if [ "$fail" -ne 0 ]; then
  echo "FAILED" >&2
  exit 1
fi
echo "OK"
