package emailaddr

import "testing"

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"ana@example.com", true},
		{"a.b+tag@sub.example.co.uk", true},
		{"", false},
		{"ana", false},
		{"ana@localhost", false},
		{"Ana <ana@example.com>", false},
		{"ana@example..com", false},
		{"ana@-example.com", false},
		{"ana@example-.com", false},
		{`"a b"@example.com`, false},
		{"@example.com", false},
		{"ana@", false},
		{"ana@example.com ", false},
		{"\u008b@example.com", false},
		{"a\u0085na@example.com", false},
		{"ana@exa\u009fmple.com", false},
		{"ana\u2028@example.com", false},
		{"\u202emoc.elpmaxe@ana", false},
		{"an\u200ba@example.com", false},
		{"zoë@example.com", true},
		{string(make([]byte, 250)) + "@a.com", false},
	} {
		if got := Valid(tc.in); got != tc.want {
			t.Errorf("Valid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	if got := Normalize("  Ana@Example.COM "); got != "ana@example.com" {
		t.Errorf("Normalize = %q", got)
	}
}
