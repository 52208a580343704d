// Package lambdabuild builds functions the way the Makefile builds them for Lambda, and
// reads which packages each function links. The Makefile stays the one place that says how a
// function is built: its LAMBDA_ENV and BUILD_FLAGS are read from it, not repeated here.
package lambdabuild

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Build is how a function is built for Lambda.
type Build struct {
	// Root is the repository root (where go.mod, the Makefile and functions/ are).
	Root string
	// Env is the Makefile's LAMBDA_ENV: GOOS, GOARCH, CGO_ENABLED.
	Env []string
	// Flags is the Makefile's BUILD_FLAGS, split as the shell splits them.
	Flags []string
}

// FromMakefile reads LAMBDA_ENV and BUILD_FLAGS from root/Makefile.
func FromMakefile(root string) (Build, error) {
	vars, err := makeVars(filepath.Join(root, "Makefile"), "LAMBDA_ENV", "BUILD_FLAGS")
	if err != nil {
		return Build{}, err
	}
	b := Build{Root: root}
	if b.Env, err = splitWords(vars["LAMBDA_ENV"]); err != nil {
		return Build{}, fmt.Errorf("Makefile LAMBDA_ENV: %w", err)
	}
	if b.Flags, err = splitWords(vars["BUILD_FLAGS"]); err != nil {
		return Build{}, fmt.Errorf("Makefile BUILD_FLAGS: %w", err)
	}
	return b, nil
}

// ForArch is the same build for another GOARCH (the host's, to run the binaries here).
func (b Build) ForArch(goarch string) Build {
	env := make([]string, 0, len(b.Env))
	for _, kv := range b.Env {
		if !strings.HasPrefix(kv, "GOARCH=") {
			env = append(env, kv)
		}
	}
	b.Env = append(env, "GOARCH="+goarch)
	return b
}

// GOARCH is the architecture the build targets.
func (b Build) GOARCH() string {
	for _, kv := range b.Env {
		if v, ok := strings.CutPrefix(kv, "GOARCH="); ok {
			return v
		}
	}
	return ""
}

// Tags is the value of the build's -tags flag ("" if none).
func (b Build) Tags() string {
	for i, f := range b.Flags {
		if f == "-tags" && i+1 < len(b.Flags) {
			return b.Flags[i+1]
		}
		if v, ok := strings.CutPrefix(f, "-tags="); ok {
			return v
		}
	}
	return ""
}

// Go returns `go <args...>` run in the repository root with the build's environment.
func (b Build) Go(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = b.Root
	cmd.Env = append(os.Environ(), b.Env...)
	return cmd
}

// Binary builds the main package pkg (a path such as ./functions/settings) into out.
func (b Build) Binary(ctx context.Context, pkg, out string) error {
	args := append([]string{"build"}, b.Flags...)
	cmd := b.Go(ctx, append(args, "-o", out, pkg)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s (%s): %v\n%s", pkg, b.GOARCH(), err, msg)
	}
	return nil
}

// Functions lists the functions: the directories under root/functions, as the Makefile's
// FUNCTIONS does.
func Functions(root string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// makeVars reads the simple `NAME := value` (or ?=, =) assignments named from a Makefile.
func makeVars(path string, names ...string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		for _, op := range []string{":=", "?=", "="} {
			name, value, ok := strings.Cut(line, op)
			if name = strings.TrimSpace(name); ok && want[name] {
				out[name] = strings.TrimSpace(value)
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			return nil, fmt.Errorf("%s sets no %s", path, n)
		}
	}
	return out, nil
}

// splitWords splits s as the shell would, for the plain words and double-quoted words
// the Makefile uses; anything the shell would expand is refused rather than guessed at.
func splitWords(s string) ([]string, error) {
	if strings.ContainsAny(s, "$`'\\") {
		return nil, fmt.Errorf("%q: only plain and double-quoted words are understood", s)
	}
	var out []string
	var word strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if inWord {
				out = append(out, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("%q: unterminated quote", s)
	}
	if inWord {
		out = append(out, word.String())
	}
	return out, nil
}

// ModulePath is the module path root/go.mod declares.
func ModulePath(root string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if path, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(path), `"`), nil
		}
	}
	return "", fmt.Errorf("%s declares no module", filepath.Join(root, "go.mod"))
}
