package plaintext

import "testing"

func TestForbidden(t *testing.T) {
	for _, r := range []rune{
		0x00, '\t', '\n', '\r', 0x1F, 0x7F, 0x80, 0x85, 0x9F, // C0, DEL, C1
		0x2028, 0x2029, // line and paragraph separators
		0x202A, 0x202E, 0x2066, 0x2069, 0x200E, 0x200F, 0x061C, // bidirectional controls
		0x200B, 0x2060, 0xFEFF, 0x00AD, 0xFFF9, 0xE0001, 0xE007F, // zero-width, BOM, soft hyphen, interlinear, tags
	} {
		if !Forbidden(r) {
			t.Errorf("%U allowed", r)
		}
	}
	for _, r := range []rune{
		' ', 'a', 'Z', '9', '-', '\'', '.', 'é', 'ß', 'Ø', 'ą', 'Ж', 'ש', 'ع', 'ह', '中', 'ア', '한',
		0x0301,         // a combining accent
		0x00A0, 0x3000, // no-break and ideographic spaces
		0x200C, 0x200D, // the joiners (Persian names, emoji sequences)
		0x1F600, 0xFE0F, // an emoji and its variation selector
	} {
		if Forbidden(r) {
			t.Errorf("%U refused", r)
		}
	}
}

func TestProblemNamesTheFirstForbiddenCharacter(t *testing.T) {
	for s, want := range map[string]string{
		"Ana Smith":          "",
		"Ana\u200dSmith":     "",
		"Ana\x00":            "a control character (U+0000)",
		"Ana\u0085Smith\x00": "a control character (U+0085)",
		"Ana\u2028Smith":     "a line separator (U+2028)",
		"Ana\u2029":          "a paragraph separator (U+2029)",
		"\u202eAna":          "an invisible formatting character (U+202E)",
		"Ana\u200b":          "an invisible formatting character (U+200B)",
	} {
		if got := Problem(s); got != want {
			t.Errorf("Problem(%q) = %q, want %q", s, got, want)
		}
	}
}
