package csvsafe

import "testing"

func TestCell(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain code", "SPRING24", "SPRING24"},
		{"empty", "", ""},
		{"name", "Ana Smith", "Ana Smith"},
		{"e-mail", "ana@example.com", "ana@example.com"},
		{"at inside", "a@b", "a@b"},
		{"dash inside", "SUMMER-24", "SUMMER-24"},
		{"quote already", "'=1", "'=1"},
		{"hyperlink", `=HYPERLINK("http://evil.example","click")`, `'=HYPERLINK("http://evil.example","click")`},
		{"at sum", "@SUM(1+1)", "'@SUM(1+1)"},
		{"minus arithmetic", "-2+3", "'-2+3"},
		{"plus DDE", "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"negative-looking code", "-ABC", "'-ABC"},
		{"negative number", "-5", "'-5"},
		{"equals", "=1+1", "'=1+1"},
		{"leading TAB", "\t=1", "'\t=1"},
		{"TAB alone", "\tA", "'\tA"},
		{"leading CR", "\r=1", "'\r=1"},
		{"space then equals", "  =1+1", "'  =1+1"},
		{"newline then at", "\n@SUM(1)", "'\n@SUM(1)"},
		{"no-break space then minus", "\u00A0-1", "'\u00A0-1"},
		{"ideographic space then plus", "\u3000+1", "'\u3000+1"},
		{"space then text", "  Ana", "  Ana"},
		{"only spaces", "   ", "   "},
		{"fullwidth equals", "＝1+1", "'＝1+1"},
		{"fullwidth plus", "＋1", "'＋1"},
		{"fullwidth minus", "－1", "'－1"},
		{"fullwidth at", "＠SUM(1)", "'＠SUM(1)"},
		{"control removed", "A\x00B\x07C\x1bD\x7fE\u0085F", "ABCDEF"},
		{"control hiding a formula", "\x00=1+1", "'=1+1"},
		{"line breaks kept", "a\r\nb\tc", "a\r\nb\tc"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"accents", "Zoé 李伟", "Zoé 李伟"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Cell(tt.in); got != tt.want {
				t.Errorf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
