package lambdabuild

import (
	"context"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/template"
)

// root is the repository root, found from the test's working directory.
func root(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	p, err := template.Locate(wd)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(p, string(os.PathSeparator)+template.FileName)
}

// under reports whether pkg is pattern or, for "x/...", x or below it.
func under(pkg, pattern string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

func anyUnder(pkg string, patterns []string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return under(pkg, p) })
}

// refusal says why fn must not link pkg (a path in the module), or "" if it may.
func refusal(fn, pkg string) string {
	for _, n := range never {
		if (n.functions == nil || slices.Contains(n.functions, fn)) && anyUnder(pkg, n.pkgs) {
			return n.why
		}
	}
	switch {
	case pkg == "functions/"+fn:
		return ""
	case under(pkg, "internal/platform/..."):
		if only, ok := platformFor[pkg]; ok && !slices.Contains(only, fn) {
			return "only " + strings.Join(only, ", ") + " may link it"
		}
		return ""
	case anyUnder(pkg, mayLink[fn]):
		return ""
	}
	return "not in its mayLink list"
}

func TestFunctionsLinkOnlyWhatTheyUse(t *testing.T) {
	dir := root(t)
	b, err := FromMakefile(dir)
	if err != nil {
		t.Fatal(err)
	}
	module, err := ModulePath(dir)
	if err != nil {
		t.Fatal(err)
	}
	fns, err := Functions(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range fns {
		if _, ok := mayLink[fn]; !ok {
			t.Errorf("functions/%s has no mayLink entry: list what it may link", fn)
		}
	}
	for fn := range mayLink {
		if !slices.Contains(fns, fn) {
			t.Errorf("mayLink lists %s, which is not under functions/", fn)
		}
	}
	pkgs := make([]string, len(fns))
	for i, fn := range fns {
		pkgs[i] = module + "/functions/" + fn
	}
	g, err := b.Deps(context.Background(), pkgs...)
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string { return strings.TrimPrefix(p, module+"/") }
	for i, fn := range fns {
		linked := g.Linked(pkgs[i])
		if len(linked) < 2 {
			t.Fatalf("go list found nothing linked by %s", pkgs[i])
		}
		for _, p := range slices.Sorted(maps.Keys(linked)) {
			why, inModule := neverOutside[p], strings.HasPrefix(p, module+"/")
			if inModule {
				why = refusal(fn, rel(p))
			}
			if why == "" {
				continue
			}
			path := make([]string, len(linked[p]))
			for j, c := range linked[p] {
				path[j] = rel(c)
			}
			t.Errorf("%s links %s (%s):\n\t%s", fn, rel(p), why, strings.Join(path, "\n\t-> "))
		}
	}
}
