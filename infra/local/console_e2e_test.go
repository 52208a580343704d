package local

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
)

// TestConsoleInABrowser is the web console end to end: it builds the console, starts the
// whole stack on free ports with the console served beside it, and runs the browser tests
// (console/e2e/run.mjs: every administrator task through the pages, in headless Chromium,
// with an accessibility check and a screenshot of every page into console/e2e/screenshots),
// with orders made first through the checkout API for the orders pages.
func TestConsoleInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack and a browser")
	}
	testenv.Endpoint(t, testenv.EnvDynamoDB)
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	consoleDir := filepath.Join(root, "console")
	chromium := browserTools(t, consoleDir)

	// The build, the stack and the browser steps take about three minutes on a loaded
	// machine; this bounds a hang only (each browser step bounds its own waits).
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "npm", "run", "build")
	build.Dir = consoleDir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("npm run build: %v\n%s", err, out)
	}

	s, err := Start(ctx, Options{Root: root, StateDir: t.TempDir(), Log: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	consoleURL, err := s.ServeConsole(0, ConsoleDir(root))
	if err != nil {
		t.Fatal(err)
	}
	orders := consoleOrders(t, s)

	run := exec.CommandContext(ctx, "node", "e2e/run.mjs")
	run.Dir = consoleDir
	run.Env = append(os.Environ(),
		"CONSOLE_URL="+consoleURL,
		"SES_URL="+s.SESURL,
		"CHROMIUM="+chromium,
		"SCREENSHOT_DIR="+filepath.Join(consoleDir, "e2e", "screenshots"),
	)
	run.Env = append(run.Env, orders...)
	out, err := run.CombinedOutput()
	// The steps' report (ok / not ok / the closing count) is the test's log either way.
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		t.Log(line)
	}
	if err != nil {
		t.Fatalf("browser tests: %v", err)
	}
}

// browserTools finds what the browser tests need: Node.js, the console's npm packages and
// Chromium. Under `make test` a missing one fails the test saying how to get it; under a
// bare `go test` it skips.
func browserTools(t *testing.T, consoleDir string) string {
	t.Helper()
	missing := func(what, how string) {
		t.Helper()
		if os.Getenv(testenv.EnvRequire) != "" {
			t.Fatalf("%s is missing: %s", what, how)
		}
		t.Skipf("%s is missing (%s)", what, how)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("Node.js", "install Node.js with npm")
	}
	if _, err := os.Stat(filepath.Join(consoleDir, "node_modules", "playwright-core")); err != nil {
		missing("the console's npm packages", "run `make console` (npm ci in console/)")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); errors.Is(err, os.ErrNotExist) {
		missing("Chromium ("+chromium+")", "`make chromium` installs Debian's package (apt-get install -y chromium, as root), or set CHROMIUM to a Chromium binary")
	}
	return chromium
}
