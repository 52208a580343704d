package emulators

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// dynamoPackage is the npm package whose tarball carries DynamoDB Local under
// package/emulator/.
const dynamoPackage = "amplify-dynamodb-simulator@2.9.30"

// The SES emulator's pins: npm ci installs exactly these, in the install folder.
//
//go:embed npm/package.json npm/package-lock.json
var sesPins embed.FS

// EnvDir names the folder to install the emulators into instead of DefaultDir().
const EnvDir = "BOXOFFICE_EMULATORS_DIR"

// DefaultDir is where the emulators are installed: $BOXOFFICE_EMULATORS_DIR, else
// boxoffice/emulators in the user's cache folder (~/.cache on Linux), else in the temporary
// folder. Never in the checkout: a test run leaves the work tree as it found it, and every
// checkout on the machine shares one install.
func DefaultDir() string {
	if d := os.Getenv(EnvDir); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "boxoffice", "emulators")
}

// Paths locates the installed emulators. Each is installed in a folder named after its
// pinned version, so a new pin installs anew beside the old one.
type Paths struct {
	Dir string // the install folder; "" is DefaultDir()
}

// dir is absolute: the emulators run in folders of their own.
func (p Paths) dir() string {
	d := p.Dir
	if d == "" {
		d = DefaultDir()
	}
	if abs, err := filepath.Abs(d); err == nil {
		return abs
	}
	return d
}

func (p Paths) dynamoDir() string { return filepath.Join(p.dir(), "dynamodb-local", dynamoPackage) }
func (p Paths) sesDir() string    { return filepath.Join(p.dir(), "ses", pinsKey(sesPins)) }

// pinsKey names a set of pins by their content.
func pinsKey(pins fs.FS) string {
	h := sha256.New()
	err := fs.WalkDir(pins, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(pins, path)
		fmt.Fprintf(h, "%s %d\n%s", path, len(b), b)
		return err
	})
	if err != nil {
		panic(err) // the pins are embedded: reading them cannot fail
	}
	return "aws-ses-v2-local-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// DynamoJar is the DynamoDB Local jar once installed.
func (p Paths) DynamoJar() string { return filepath.Join(p.dynamoDir(), "DynamoDBLocal.jar") }

// SESScript is the SES emulator's command-line entry point once installed.
func (p Paths) SESScript() string {
	return filepath.Join(p.sesDir(), "node_modules", "aws-ses-v2-local", "dist", "cli.js")
}

// Ensure installs what is missing: the DynamoDB Local jar and the SES emulator. It is
// idempotent and holds a lock, so two processes (make run and make test) never install at once.
func (p Paths) Ensure(ctx context.Context, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	if err := os.MkdirAll(p.dir(), 0o755); err != nil {
		return err
	}
	unlock, err := lock(filepath.Join(p.dir(), ".lock"))
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := os.Stat(p.DynamoJar()); err != nil {
		if err := p.installDynamo(ctx, log); err != nil {
			return fmt.Errorf("install DynamoDB Local: %w", err)
		}
	}
	if _, err := os.Stat(p.SESScript()); err != nil {
		if err := p.installSES(ctx, log); err != nil {
			return fmt.Errorf("install the SES emulator: %w", err)
		}
	}
	return nil
}

// installSES writes the pins into a temporary folder, runs npm ci there and renames the
// folder into place, so a half-finished install is never taken for one.
func (p Paths) installSES(ctx context.Context, log io.Writer) error {
	fmt.Fprintf(log, "installing the SES emulator into %s (npm ci)...\n", p.sesDir())
	tmp, err := os.MkdirTemp(p.dir(), "ses-install-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	pins, _ := fs.Sub(sesPins, "npm")
	if err := os.CopyFS(tmp, pins); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir, cmd.Stdout, cmd.Stderr = tmp, log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm ci in %s: %w", tmp, err)
	}
	return moveInto(tmp, p.sesDir())
}

// moveInto renames a finished install to dest, replacing what a broken one left there.
func moveInto(from, dest string) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	_ = os.RemoveAll(dest)
	return os.Rename(from, dest)
}

// installDynamo fetches the npm tarball and unpacks its emulator folder into a temporary
// directory, then renames it into place, so a half-finished install is never taken for one.
func (p Paths) installDynamo(ctx context.Context, log io.Writer) error {
	fmt.Fprintf(log, "installing DynamoDB Local into %s (npm pack %s)...\n", p.dynamoDir(), dynamoPackage)
	tmp, err := os.MkdirTemp(p.dir(), "dynamodb-install-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, "npm", "pack", dynamoPackage, "--silent", "--pack-destination", tmp)
	cmd.Dir, cmd.Stderr = tmp, log
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("npm pack %s: %w", dynamoPackage, err)
	}
	tgz := filepath.Join(tmp, strings.TrimSpace(lastLine(string(out))))
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	dest := filepath.Join(tmp, "out")
	if err := extract(f, "package/emulator/", dest); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dest, "DynamoDBLocal.jar")); err != nil {
		return fmt.Errorf("%s has no DynamoDBLocal.jar under package/emulator/", dynamoPackage)
	}
	return moveInto(dest, p.dynamoDir())
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// extract unpacks the entries of a .tgz under prefix into dest, without the prefix. Entries
// that would escape dest are refused.
func extract(r io.Reader, prefix, dest string) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	found := false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		rel, ok := strings.CutPrefix(h.Name, prefix)
		if !ok || rel == "" {
			continue
		}
		target := filepath.Join(dest, filepath.FromSlash(rel))
		if !strings.HasPrefix(target, filepath.Clean(dest)+string(os.PathSeparator)) {
			return fmt.Errorf("archive entry %q escapes the destination", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			found = true
			if err := writeFile(target, tr, os.FileMode(h.Mode)&0o777|0o600); err != nil {
				return err
			}
		}
	}
	if !found {
		return fmt.Errorf("the archive has nothing under %s", prefix)
	}
	return nil
}

func writeFile(path string, r io.Reader, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// lock takes an exclusive advisory lock on path until the returned function is called.
func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
