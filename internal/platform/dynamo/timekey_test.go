package dynamo

import (
	"sort"
	"testing"
	"time"
)

func TestTimeKeysSortByTime(t *testing.T) {
	paris := time.FixedZone("Paris", 2*3600)
	instants := []time.Time{
		time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 6, 1, 12, 0, 0, 1, time.UTC),
		time.Date(2026, 6, 1, 12, 0, 0, 100_000_000, time.UTC),
		time.Date(2026, 6, 1, 15, 0, 1, 0, paris), // 13:00:01 UTC
		time.Date(2026, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
	}
	keys := make([]string, len(instants))
	for i, at := range instants {
		keys[i] = FormatTime(at)
		if len(keys[i]) != len(timeKey) {
			t.Fatalf("%s: key %q is not fixed width", at, keys[i])
		}
		if back := ParseTime(keys[i]); !back.Equal(at) {
			t.Fatalf("%s: read back as %s", at, back)
		}
	}
	if !sort.StringsAreSorted(keys) {
		t.Fatalf("keys do not sort by time: %q", keys)
	}
	if FormatTime(time.Time{}) != "" || !ParseTime("").IsZero() {
		t.Fatal("the zero time must be stored as nothing")
	}
}
