package plaintext

import (
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 40, "short"},
		{strings.Repeat("a", 40), 40, strings.Repeat("a", 40)},
		{strings.Repeat("a", 41), 40, strings.Repeat("a", 40) + "…"},
		{strings.Repeat("é", 5), 3, "ééé…"}, // two bytes each: cut between characters, not inside one
		{"ab\xffcd", 3, "ab\uFFFD…"},        // not UTF-8: replaced, then cut
		{strings.Repeat("中", 3), 3, "中中中"},  // three characters are not cut, though nine bytes
	} {
		if got := Clip(c.in, c.max); got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
