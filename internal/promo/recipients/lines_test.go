package recipients

import (
	"reflect"
	"testing"
)

func TestLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\n", []string{"a"}},
		{"a\r\n\r\nb", []string{"a", "", "b"}},
		{"a\rb\r", []string{"a", "b"}},
		{"a\n\rb", []string{"a", "", "b"}},
		{"\n", []string{""}},
	}
	for _, tt := range tests {
		var got []string
		want := 1
		for n, l := range lines(tt.in) {
			if n != want {
				t.Errorf("lines(%q): number %d, want %d", tt.in, n, want)
			}
			want++
			got = append(got, l)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("lines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDetectSeparator(t *testing.T) {
	tests := []struct {
		in   string
		want rune
	}{
		{"ana@example.com", ','},
		{"ana@example.com,Ana", ','},
		{"ana@example.com;Smith, Ana", ';'},
		{"ana@example.com\tSmith, Ana; Bo", '\t'},
		{`"Email; Address",Name`, ','},
		{"ana@example.com\t\nbob@example.com;Bob", ';'}, // trailing TAB is whitespace
		{"\n\nana@example.com\nbob@example.com\tBob", '\t'},
		{"", ','},
	}
	for _, tt := range tests {
		if got := detectSeparator(tt.in); got != tt.want {
			t.Errorf("detectSeparator(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitFields(t *testing.T) {
	tests := []struct {
		line    string
		sep     rune
		want    []string
		problem string
	}{
		{"a", ',', []string{"a"}, ""},
		{" a , b ", ',', []string{"a", "b"}, ""},
		{"a,", ',', []string{"a", ""}, ""},
		{`a,"b, c"`, ',', []string{"a", "b, c"}, ""},
		{`a,""`, ',', []string{"a", ""}, ""},
		{`a,""""`, ',', []string{"a", `"`}, ""},
		{`"a"  ,b`, ',', []string{"a", "b"}, ""},
		{"a\t\tb", '\t', []string{"a", "", "b"}, ""},
		{"a\t \"b\tc\" ", '\t', []string{"a", "b\tc"}, ""},
		{`a,"b`, ',', nil, "unterminated quote (a quoted field must end on the same line)"},
		{`a,"b""`, ',', nil, "unterminated quote (a quoted field must end on the same line)"},
		{`a,"b"c`, ',', nil, `text after the closing quote of "b"`},
		{"a;b,c", ';', []string{"a", "b,c"}, ""},
	}
	for _, tt := range tests {
		got, problem := splitFields(tt.line, tt.sep)
		if !reflect.DeepEqual(got, tt.want) || problem != tt.problem {
			t.Errorf("splitFields(%q, %q) = %q, %q; want %q, %q", tt.line, tt.sep, got, problem, tt.want, tt.problem)
		}
	}
}

func TestShowCutsLongValues(t *testing.T) {
	long := ""
	for range 100 {
		long += "é"
	}
	got := show(long)
	if want := `"` + long[:2*60] + `"…`; got != want {
		t.Errorf("show = %s", got)
	}
	if got := show("a\x01"); got != `"a\x01"` {
		t.Errorf("show escapes control characters: %s", got)
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%d) = %q, want %q", in, got, want)
		}
	}
}
