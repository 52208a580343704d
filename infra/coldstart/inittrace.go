package coldstart

import (
	"bufio"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PackageInit is one line of GODEBUG=inittrace=1: one package's init.
type PackageInit struct {
	Package string
	Clock   time.Duration
	Bytes   int64
	Allocs  int64
}

// ParseInitTrace reads the runtime's init trace lines out of a process's output, such as
// "init internal/bytealg @0.008 ms, 0.004 ms clock, 0 bytes, 0 allocs", costliest first.
func ParseInitTrace(output string) ([]PackageInit, error) {
	var out []PackageInit
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "init ")
		if !ok {
			continue
		}
		var p PackageInit
		var at, clock float64
		if _, err := fmt.Sscanf(rest, "%s @%g ms, %g ms clock, %d bytes, %d allocs", &p.Package, &at, &clock, &p.Bytes, &p.Allocs); err != nil {
			return nil, fmt.Errorf("init trace line %q: %v", sc.Text(), err)
		}
		p.Clock = time.Duration(clock * float64(time.Millisecond))
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no init trace in the output")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Clock > out[j].Clock })
	return out, sc.Err()
}

// String is the line as the benchmark prints it.
func (p PackageInit) String() string {
	return fmt.Sprintf("%8s ms %9s bytes %6s allocs  %s", strconv.FormatFloat(p.Clock.Seconds()*1000, 'f', 3, 64),
		strconv.FormatInt(p.Bytes, 10), strconv.FormatInt(p.Allocs, 10), p.Package)
}
