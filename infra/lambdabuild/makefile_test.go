package lambdabuild

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`-tags lambda.norpc -trimpath -ldflags "-s -w"`, []string{"-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w"}},
		{"  GOOS=linux\tGOARCH=arm64  ", []string{"GOOS=linux", "GOARCH=arm64"}},
		{`-ldflags=" -s"x`, []string{"-ldflags= -sx"}},
		{`""`, []string{""}},
		{"", nil},
	} {
		got, err := splitWords(tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("splitWords(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{`-ldflags "-s`, `-X main.v=$(VERSION)`, `'-s -w'`, `a\ b`} {
		if got, err := splitWords(in); err == nil {
			t.Errorf("splitWords(%q) = %q; want it refused", in, got)
		}
	}
}

func TestFromMakefile(t *testing.T) {
	dir := t.TempDir()
	mk := "GO ?= go\nLAMBDA_ENV := GOOS=linux GOARCH=arm64 CGO_ENABLED=0\nBUILD_FLAGS := -tags lambda.norpc,x -trimpath -ldflags \"-s -w\"\n\n" +
		"bin/x:\n\t$(LAMBDA_ENV) $(GO) build $(BUILD_FLAGS) -o $@ ./functions/x\n"
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte(mk), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := FromMakefile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Env, []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"}) ||
		!slices.Equal(b.Flags, []string{"-tags", "lambda.norpc,x", "-trimpath", "-ldflags", "-s -w"}) {
		t.Fatalf("build = %+v", b)
	}
	if b.Tags() != "lambda.norpc,x" || b.GOARCH() != "arm64" {
		t.Fatalf("tags %q, arch %q", b.Tags(), b.GOARCH())
	}
	host := b.ForArch("amd64")
	if host.GOARCH() != "amd64" || !slices.Equal(host.Env, []string{"GOOS=linux", "CGO_ENABLED=0", "GOARCH=amd64"}) || b.GOARCH() != "arm64" {
		t.Fatalf("ForArch: %v (from %v)", host.Env, b.Env)
	}
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte("LAMBDA_ENV := GOOS=linux\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := FromMakefile(dir); err == nil {
		t.Fatal("a Makefile without BUILD_FLAGS must be refused")
	}
}
