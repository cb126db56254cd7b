package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/baseline-cm/baseline/manifest"
	"github.com/baseline-cm/baseline/sign"
)

// passwordEnv holds the passphrase of an encrypted key, for scripts; a
// terminal prompt asks for it otherwise. It is never a flag, which would
// show in the process list and the shell history.
const passwordEnv = "BASELINE_KEY_PASSWORD"

// loadSigningKey reads a private key, asking for the passphrase of an
// encrypted one (cosign's format) from BASELINE_KEY_PASSWORD or the
// terminal.
func loadSigningKey(file string) (*sign.PrivateKey, error) {
	if file == "" {
		return nil, &usageError{"missing --key KEY.pem"}
	}
	pass := func() ([]byte, error) {
		if pw, ok := os.LookupEnv(passwordEnv); ok {
			return []byte(pw), nil
		}
		tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
		if err != nil || !term.IsTerminal(int(tty.Fd())) {
			if tty != nil {
				tty.Close()
			}
			return nil, fmt.Errorf("the key is encrypted: set %s or run in a terminal", passwordEnv)
		}
		defer tty.Close()
		fmt.Fprintf(tty, "Enter passphrase for %s: ", file)
		pw, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(tty)
		return pw, err
	}
	k, err := sign.LoadPrivateKey(file, pass)
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	return k, nil
}

// signerFlags are the flags naming a signer.
type signerFlags struct {
	key, name, userID string
}

func (s *signerFlags) register(fs *flag.FlagSet, keyUsage string) {
	fs.StringVar(&s.key, "key", "", keyUsage)
	fs.StringVar(&s.name, "name", "", "the signer's printed `name` (21 CFR 11.50)")
	fs.StringVar(&s.userID, "user-id", "", "the signer's user `ID` (e-mail or account)")
}

// checkMeaning checks a meaning against the built-in ones and
// baseline.yaml's signing.meanings in repo.
func checkMeaning(meaning, repo string) error {
	if meaning == "" {
		return &usageError{"missing --meaning (authored, reviewed, approved or one of baseline.yaml's signing.meanings)"}
	}
	cfg, err := loadProduct(repo)
	if err != nil {
		return err
	}
	all := cfg.Signing.AllMeanings()
	if !slices.Contains(all, meaning) {
		return &usageError{fmt.Sprintf("meaning %q is not one of %s (add project meanings to %s signing.meanings)", meaning, strings.Join(all, ", "), cfg.File)}
	}
	return nil
}

const signUsage = `usage: baseline sign --key KEY.pem --name NAME [--user-id ID] --meaning MEANING [--comment C] [-C REPO] DIR

Adds one signature (an approval statement in a DSSE envelope) to the
release in DIR and re-renders its RELEASE-NOTES.md with the signature
block. An encrypted key's passphrase comes from BASELINE_KEY_PASSWORD or
a terminal prompt.
`

func runSign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlagSet("sign", stderr)
	fl.Usage = func() { fmt.Fprint(stderr, signUsage); fl.PrintDefaults() }
	var s signerFlags
	s.register(fl, "the signer's private `KEY.pem` (PKCS#8 ECDSA P-256 or Ed25519, or a cosign key)")
	meaning := fl.String("meaning", "", "the signature's `meaning`: authored, reviewed, approved or one of baseline.yaml's signing.meanings")
	comment := fl.String("comment", "", "an optional `comment` recorded in the signature")
	repo := fl.String("C", "", "the product repository `DIR` whose baseline.yaml defines project meanings (default: the current directory)")
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"sign takes one release directory"}
	}
	if strings.TrimSpace(s.name) == "" {
		return &usageError{"missing --name: the signer's printed name"}
	}
	if err := checkMeaning(*meaning, *repo); err != nil {
		return err
	}
	if err := checkReleaseDir(pos[0]); err != nil {
		return err
	}
	key, err := loadSigningKey(s.key)
	if err != nil {
		return err
	}
	a := sign.Approval{Name: s.name, UserID: s.userID, Meaning: *meaning, Comment: *comment, Time: time.Now()}
	if _, err := sign.Sign(ctx, pos[0], key, a); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: signed as %s by %s, key %s\n", pos[0], a.Meaning, a.Name, key.Public().Fingerprint())
	return nil
}

// checkReleaseDir checks that dir is a directory with a manifest.
func checkReleaseDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return &usageError{err.Error()}
	}
	if !fi.IsDir() {
		return &usageError{dir + ": not a release directory"}
	}
	return nil
}

const verifyUsage = `usage: baseline verify (--policy POLICY.yaml | --key PUB.pem...) DIR

Verifies every signature of the release in DIR with the trusted keys,
recomputes every digest, and checks the files, the manifest, the release
notes and the policy's required meanings. Exit 0 when all verifies, 1 with
one reason a line otherwise, 2 on bad usage.
`

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlagSet("verify", stderr)
	fl.Usage = func() { fmt.Fprint(stderr, verifyUsage); fl.PrintDefaults() }
	policyFile := fl.String("policy", "", "the signature `POLICY.yaml`: trusted keys with their owners, required meanings")
	var keys stringsFlag
	fl.Var(&keys, "key", "a trusted public key `PUB.pem` (repeatable), instead of a policy")
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"verify takes one release directory"}
	}
	var policy *sign.Policy
	switch {
	case *policyFile != "" && len(keys) > 0:
		return &usageError{"give --policy or --key, not both"}
	case *policyFile != "":
		if policy, err = sign.LoadPolicy(*policyFile); err != nil {
			return &usageError{err.Error()}
		}
	case len(keys) > 0:
		var pubs []*sign.PublicKey
		for _, k := range keys {
			pub, err := sign.LoadPublicKey(k)
			if err != nil {
				return &usageError{err.Error()}
			}
			pubs = append(pubs, pub)
		}
		policy = sign.KeysPolicy(pubs...)
	default:
		return &usageError{"missing --policy POLICY.yaml or --key PUB.pem"}
	}
	if err := checkReleaseDir(pos[0]); err != nil {
		return err
	}
	r, err := sign.Verify(ctx, pos[0], policy)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &usageError{err.Error()}
		}
		return err
	}
	if !r.OK() {
		for _, p := range r.Problems {
			fmt.Fprintf(stderr, "%s: %s\n", pos[0], p)
		}
		return &findingError{fmt.Sprintf("%s: not verified (%d problem%s)", pos[0], len(r.Problems), plural(len(r.Problems)))}
	}
	for _, k := range r.ReleaseKeys {
		fmt.Fprintf(stdout, "%s: release statement signed with key %s\n", pos[0], k.Key.Fingerprint())
	}
	for _, a := range r.Approvals {
		who := a.Name
		if a.UserID != "" {
			who += " <" + a.UserID + ">"
		}
		fmt.Fprintf(stdout, "%s: %s by %s at %s, key %s\n", pos[0], a.Meaning, who, a.Time.Format(time.RFC3339), a.KeyFingerprint)
	}
	fmt.Fprintf(stdout, "%s: verified\n", pos[0])
	return nil
}

func init() {
	releaseHook = func(fs *flag.FlagSet) func(ctx context.Context, m *manifest.Manifest) (func(tmpDir string) error, error) {
		var s signerFlags
		s.register(fs, "sign the release with the private `KEY.pem` and add the author's approval (meaning authored)")
		return s.releaseHook
	}
}

// releaseHook returns the function that baseline release runs inside its
// atomic write: it writes the release envelope into the release
// directory being built (signed with --key, or with no signature), and
// with --key the author's approval (meaning authored). It loads the key
// before the release is written, so that a wrong key or passphrase
// leaves nothing behind.
func (s *signerFlags) releaseHook(ctx context.Context, m *manifest.Manifest) (func(tmpDir string) error, error) {
	if s.key == "" {
		if s.name != "" || s.userID != "" {
			return nil, &usageError{"--name and --user-id need --key"}
		}
		return func(dir string) error { return sign.WriteRelease(ctx, dir, nil, nil) }, nil
	}
	if strings.TrimSpace(s.name) == "" {
		return nil, &usageError{"--key needs --name: the author's printed name"}
	}
	key, err := loadSigningKey(s.key)
	if err != nil {
		return nil, err
	}
	return func(dir string) error {
		return sign.WriteRelease(ctx, dir, key, &sign.Approval{Name: s.name, UserID: s.userID, Time: time.Now()})
	}, nil
}
