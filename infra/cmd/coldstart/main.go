// Command coldstart measures what each function costs before it serves: its binary's size
// (built as the Makefile builds it, for each architecture asked for) and its cold init (the
// time from process start to its first poll of a Runtime API served on loopback), beside an
// empty aws-lambda-go function and the floor every function must pay (the AWS config and a
// DynamoDB client). The binaries take turns, one start each per round, so a busy machine
// slows them alike. It prints a Markdown table, and exits 1 if a function's binary is over
// -max-size. Two measures beside the wall time vary less on a loaded machine: the processor
// time each process used up to its poll, and the allocations its packages' inits made (from
// GODEBUG=inittrace=1, which does not depend on the load at all).
//
//	go run ./infra/cmd/coldstart [-n 100] [-arch amd64,arm64] [-inittrace] [-also ./pkg,...]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/infra/coldstart"
	"github.com/boxofficehq/boxoffice/infra/lambdabuild"
	"github.com/boxofficehq/boxoffice/infra/template"
)

// target is one binary measured.
type target struct {
	name string
	pkg  string
	fn   *template.Function // nil for the yardsticks
	env  []string
	size map[string]int64 // by GOARCH
	bin  string           // built for the host
	runs []coldstart.Sample
	// inits is the init trace of one more start: unlike time, its allocations do not
	// depend on the machine's load.
	inits []coldstart.PackageInit
}

func main() {
	n := flag.Int("n", 100, "cold starts per binary")
	arches := flag.String("arch", "amd64,arm64", "architectures to build (and size) the binaries for; the host's is also run")
	maxSize := flag.Int64("max-size", 11_500_000, "largest binary allowed, in bytes: a guard against a link that drags in much more")
	trace := flag.Bool("inittrace", false, "also print each binary's costliest package inits")
	also := flag.String("also", "", "more main packages to measure beside the functions, comma-separated (./path/to/pkg): what-ifs")
	flag.Parse()
	var extra []string
	if *also != "" {
		extra = strings.Split(*also, ",")
	}
	if err := run(*n, strings.Split(*arches, ","), *maxSize, *trace, extra); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(n int, arches []string, maxSize int64, trace bool, extra []string) error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("the functions are linux binaries; run this on linux (not %s)", runtime.GOOS)
	}
	if n < 1 {
		return errors.New("-n must be at least 1")
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	tplPath, err := template.Locate(wd)
	if err != nil {
		return err
	}
	root := filepath.Dir(tplPath)
	tpl, err := template.Load(tplPath)
	if err != nil {
		return err
	}
	build, err := lambdabuild.FromMakefile(root)
	if err != nil {
		return err
	}
	targets, err := targets(tpl, extra)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ctx := context.Background()

	if !slices.Contains(arches, runtime.GOARCH) {
		arches = append(arches, runtime.GOARCH)
	}
	for _, arch := range arches {
		b := build.ForArch(arch)
		for _, t := range targets {
			out := filepath.Join(tmp, arch, t.name, "bootstrap")
			fmt.Fprintf(os.Stderr, "build %s (%s)\n", t.name, arch)
			if err := b.Binary(ctx, t.pkg, out); err != nil {
				return err
			}
			fi, err := os.Stat(out)
			if err != nil {
				return err
			}
			t.size[arch] = fi.Size()
			if arch == runtime.GOARCH {
				t.bin = out
			}
		}
	}
	for _, t := range targets {
		if t.env, err = coldstart.Env(tpl, t.fn, filepath.Join(tmp, "home")); err != nil {
			return err
		}
	}

	start := func(t *target) (coldstart.Sample, error) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return coldstart.Init(ctx, t.bin, t.env)
	}
	// One start each first, not counted: it pages the binary in and shows a wiring error
	// before the long part.
	for _, t := range targets {
		if _, err := start(t); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	fmt.Fprintf(os.Stderr, "%d cold starts of each of %d binaries (%s)\n", n, len(targets), runtime.GOARCH)
	for i := 0; i < n; i++ {
		for _, t := range targets {
			s, err := start(t)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			t.runs = append(t.runs, s)
		}
	}

	for _, t := range targets {
		if t.inits, err = coldstart.InitTrace(ctx, t.bin, t.env); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}

	over := report(os.Stdout, targets, arches, maxSize)
	if trace {
		for _, t := range targets {
			fmt.Printf("\n%s: the costliest package inits (one start)\n", t.name)
			for _, p := range t.inits[:min(len(t.inits), 8)] {
				fmt.Println("  " + p.String())
			}
		}
	}
	if len(over) > 0 {
		return fmt.Errorf("over %.1f MB: %s", float64(maxSize)/1e6, strings.Join(over, ", "))
	}
	return nil
}

// targets are the yardsticks, every function of the template, then the extra packages.
func targets(tpl *template.Template, extra []string) ([]*target, error) {
	out := []*target{
		{name: "empty (aws-lambda-go)", pkg: "./infra/coldstart/empty"},
		{name: "floor (AWSConfig + DynamoDB client)", pkg: "./infra/coldstart/floor"},
	}
	fns, err := tpl.Functions()
	if err != nil {
		return nil, err
	}
	for i := range fns {
		out = append(out, &target{name: fns[i].Name, pkg: "./functions/" + fns[i].Name, fn: &fns[i]})
	}
	for _, pkg := range extra {
		out = append(out, &target{name: pkg, pkg: pkg})
	}
	for _, t := range out {
		t.size = map[string]int64{}
	}
	return out, nil
}

// report prints the table and returns the functions whose binaries are over maxSize.
func report(w io.Writer, targets []*target, arches []string, maxSize int64) (over []string) {
	summary := func(t *target, of func(coldstart.Sample) time.Duration) coldstart.Summary {
		ds := make([]time.Duration, len(t.runs))
		for i, s := range t.runs {
			ds[i] = of(s)
		}
		return coldstart.Summarize(ds)
	}
	initTime := func(s coldstart.Sample) time.Duration { return s.Init }
	cpuTime := func(s coldstart.Sample) time.Duration { return s.CPU }
	empty, floor := summary(targets[0], initTime), summary(targets[1], initTime)
	floorCPU := summary(targets[1], cpuTime)

	fmt.Fprint(w, "\n| binary |")
	for _, a := range arches {
		fmt.Fprintf(w, " size %s |", a)
	}
	fmt.Fprintf(w, " init (%s), median | p90 | × empty | × floor | CPU by then, median | CPU × floor | package init allocations |\n|---|", runtime.GOARCH)
	fmt.Fprint(w, strings.Repeat("---:|", len(arches)+7), "\n")
	for _, t := range targets {
		s, cpu := summary(t, initTime), summary(t, cpuTime)
		fmt.Fprintf(w, "| %s |", t.name)
		for _, a := range arches {
			fmt.Fprintf(w, " %.1f MB |", float64(t.size[a])/1e6)
			if t.fn != nil && t.size[a] > maxSize {
				over = append(over, t.name+" ("+a+")")
			}
		}
		fmt.Fprintf(w, " %s | %s | %.2f | %.2f | %s | %.2f | %d |\n", ms(s.Median), ms(s.P90), s.Ratio(empty), s.Ratio(floor),
			ms(cpu.Median), cpu.Ratio(floorCPU), allocs(t.inits))
	}
	return over
}

// allocs is the number of allocations the packages' inits made.
func allocs(inits []coldstart.PackageInit) int64 {
	var n int64
	for _, p := range inits {
		n += p.Allocs
	}
	return n
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", d.Seconds()*1000) }
