package coldstart

import (
	"slices"
	"time"
)

// Summary sums up a binary's init times.
type Summary struct {
	Runs   int
	Median time.Duration
	P90    time.Duration
}

// Summarize returns the median and 90th percentile (nearest rank) of ds.
func Summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	median := s[len(s)/2]
	if len(s)%2 == 0 {
		median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	rank := (len(s)*9 + 9) / 10 // ceil(0.9 n)
	return Summary{Runs: len(s), Median: median, P90: s[rank-1]}
}

// Ratio is s's median over base's.
func (s Summary) Ratio(base Summary) float64 {
	if base.Median == 0 {
		return 0
	}
	return float64(s.Median) / float64(base.Median)
}
