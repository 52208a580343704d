package coldstart

import (
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	for _, tc := range []struct {
		runs        []time.Duration
		median, p90 time.Duration
	}{
		{ms(7), 7 * time.Millisecond, 7 * time.Millisecond},
		{ms(9, 1, 5), 5 * time.Millisecond, 9 * time.Millisecond},
		{ms(4, 1, 3, 2), 2500 * time.Microsecond, 4 * time.Millisecond},
		{ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 5500 * time.Microsecond, 9 * time.Millisecond},
		{ms(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 6 * time.Millisecond, 10 * time.Millisecond},
	} {
		s := Summarize(tc.runs)
		if s.Runs != len(tc.runs) || s.Median != tc.median || s.P90 != tc.p90 {
			t.Errorf("Summarize(%v) = %+v; want median %v, p90 %v", tc.runs, s, tc.median, tc.p90)
		}
	}
	if got := (Summary{Median: 3 * time.Millisecond}).Ratio(Summary{Median: 2 * time.Millisecond}); got != 1.5 {
		t.Errorf("ratio = %v, want 1.5", got)
	}
	if got := Summarize(nil); got != (Summary{}) {
		t.Errorf("Summarize(nil) = %+v", got)
	}
}

func TestParseInitTrace(t *testing.T) {
	out := "some log line\n" +
		"init internal/bytealg @0.008 ms, 0 ms clock, 0 bytes, 0 allocs\n" +
		"init github.com/aws/aws-sdk-go-v2/service/dynamodb/schemas @3.1 ms, 1.250 ms clock, 586696 bytes, 3151 allocs\n" +
		"init net/http @2.5 ms, 0.045 ms clock, 4712 bytes, 49 allocs\n"
	inits, err := ParseInitTrace(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(inits) != 3 {
		t.Fatalf("inits = %+v", inits)
	}
	want := PackageInit{Package: "github.com/aws/aws-sdk-go-v2/service/dynamodb/schemas", Clock: 1250 * time.Microsecond, Bytes: 586696, Allocs: 3151}
	if inits[0] != want || inits[1].Package != "net/http" || inits[2].Package != "internal/bytealg" {
		t.Fatalf("inits = %+v; want the costliest first", inits)
	}
	if _, err := ParseInitTrace("init x @1 ms, garbled\n"); err == nil {
		t.Error("a garbled trace line must be an error")
	}
	if _, err := ParseInitTrace("no trace at all\n"); err == nil {
		t.Error("output without a trace must be an error")
	}
}
