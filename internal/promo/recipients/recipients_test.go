package recipients

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// utf16LE encodes s as Excel's "Unicode Text" does: little endian with a byte-order mark.
func utf16LE(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune("\uFEFF" + s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func utf16BE(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune("\uFEFF" + s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return string(b)
}

func TestParseAccepts(t *testing.T) {
	ana := Recipient{Line: 1, Email: "ana@example.com", Name: "Ana"}
	tests := []struct {
		name string
		in   string
		want []Recipient
	}{
		{"email only", "ana@example.com", []Recipient{{1, "ana@example.com", "ana"}}},
		{"email and name", "ana@example.com,Ana", []Recipient{ana}},
		{"final LF", "ana@example.com,Ana\n", []Recipient{ana}},
		{"CRLF", "ana@example.com,Ana\r\nbob@example.com,Bob\r\n",
			[]Recipient{ana, {2, "bob@example.com", "Bob"}}},
		{"lone CR", "ana@example.com,Ana\rbob@example.com,Bob\r",
			[]Recipient{ana, {2, "bob@example.com", "Bob"}}},
		{"mixed endings", "ana@example.com\r\nbob@example.com\rcy@example.com\n",
			[]Recipient{{1, "ana@example.com", "ana"}, {2, "bob@example.com", "bob"}, {3, "cy@example.com", "cy"}}},
		{"UTF-8 BOM", "\uFEFFana@example.com,Ana", []Recipient{ana}},
		{"UTF-16LE BOM with TABs", utf16LE("ana@example.com\tAna\r\nzoe@example.fr\tZoé, Dupont\r\n"),
			[]Recipient{ana, {2, "zoe@example.fr", "Zoé, Dupont"}}},
		{"UTF-16BE BOM", utf16BE("ana@example.com,Ana\n"), []Recipient{ana}},
		{"UTF-16 astral name", utf16LE("ana@example.com\tAna 🎉"), []Recipient{{1, "ana@example.com", "Ana 🎉"}}},
		{"UTF-16 with a real U+FFFD", utf16LE("ana@example.com\tAna \uFFFD"), []Recipient{{1, "ana@example.com", "Ana \uFFFD"}}},
		{"quoted comma", `ana@example.com,"Smith, Ana"`, []Recipient{{1, "ana@example.com", "Smith, Ana"}}},
		{"escaped quote", `ana@example.com,"Ana ""Nan"" Smith"`, []Recipient{{1, "ana@example.com", `Ana "Nan" Smith`}}},
		{"quoted email", `"ana@example.com","Ana"`, []Recipient{ana}},
		{"quote inside unquoted name", `ana@example.com,Ana "Nan" Smith`, []Recipient{{1, "ana@example.com", `Ana "Nan" Smith`}}},
		{"spaces around quotes", `ana@example.com , "Ana" `, []Recipient{ana}},
		{"spaces inside quotes", `ana@example.com," Ana "`, []Recipient{ana}},
		{"semicolons", "ana@example.com;Smith, Ana\nbob@example.com;Bob",
			[]Recipient{{1, "ana@example.com", "Smith, Ana"}, {2, "bob@example.com", "Bob"}}},
		{"semicolon found after name-less first line", "ana@example.com\nbob@example.com;Bob",
			[]Recipient{{1, "ana@example.com", "ana"}, {2, "bob@example.com", "Bob"}}},
		{"tabs in UTF-8", "ana@example.com\tAna\n", []Recipient{ana}},
		{"quoted semicolon in comma file", `ana@example.com,"Ana; Bo"`, []Recipient{{1, "ana@example.com", "Ana; Bo"}}},
		{"header", "email,name\nana@example.com,Ana", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"header E-Mail only", "E-Mail\nana@example.com", []Recipient{{2, "ana@example.com", "ana"}}},
		{"header email address", "Email Address;Full name\r\nana@example.com;Ana", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"header after blank lines", "\n  \nEMAIL,Name\nana@example.com,Ana", []Recipient{{4, "ana@example.com", "Ana"}}},
		{"header Dutch", "E-mailadres;Naam\r\nana@example.com;Ana", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"header Norwegian", "E-postadresse;Navn\nana@example.com;Ana", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"header Romanian", "Adresă de e-mail;Nume\nana@example.com;Ana", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"header Romanian, no diacritics", "Adresa de e-mail,Nume\nana@example.com,Ana", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"header French", "Adresse e-mail;Nom\nana@example.com;Ana", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"header German", "E-Mail-Adresse;Name\nana@example.com;Ana", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"header Norwegian, short", "E-post\tNavn\nana@example.com\tAna", []Recipient{{2, "ana@example.com", "Ana"}}},
		{"blank lines keep numbering", "\n\nana@example.com,Ana\n \t \n\nbob@example.com\n\n",
			[]Recipient{{3, "ana@example.com", "Ana"}, {6, "bob@example.com", "bob"}}},
		{"spreadsheet empty row", "ana@example.com,Ana\n,\n , ,\nbob@example.com,Bob",
			[]Recipient{ana, {4, "bob@example.com", "Bob"}}},
		{"trailing empty columns", "ana@example.com,Ana,,\n", []Recipient{ana}},
		{"missing name is local part as typed", "Ana.Smith@Example.com,", []Recipient{{1, "ana.smith@example.com", "Ana.Smith"}}},
		{"blank name is local part", `ana@example.com,"  "`, []Recipient{{1, "ana@example.com", "ana"}}},
		{"trimmed, normalized", "  ANA@Example.COM  ,  Ana  ", []Recipient{ana}},
		{"no-break space trimmed", "\u00A0ana@example.com\u00A0,\u00A0Ana\u00A0", []Recipient{ana}},
		{"name of 200", "ana@example.com," + strings.Repeat("é", 200), []Recipient{{1, "ana@example.com", strings.Repeat("é", 200)}}},
		{"plus address", "ana+promo@example.com", []Recipient{{1, "ana+promo@example.com", "ana+promo"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("unexpected error: %v (%+v)", err, apperr.As(err).Details)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		code   apperr.Code
		line   int    // of the one detail
		reason string // substring of its reason
	}{
		{"not an address", "ana@example.com\nana.example.com,Ana", apperr.CodeInvalid, 2, `not an e-mail address: "ana.example.com"`},
		{"first line not an address", "ana.example.com,Ana", apperr.CodeInvalid, 1, `not an e-mail address: "ana.example.com"`},
		{"display name form", "Ana <ana@example.com>", apperr.CodeInvalid, 1, "not an e-mail address"},
		{"single-label domain", "ana@localhost", apperr.CodeInvalid, 1, "not an e-mail address"},
		{"name first", "Ana,ana@example.com", apperr.CodeInvalid, 1, "the e-mail address comes first"},
		{"wrong separator on one line", "ana@example.com;Ana\nbob@example.com,Bob", apperr.CodeInvalid, 2, `separates fields with ";"`},
		{"empty address", ",Ana", apperr.CodeInvalid, 1, "no e-mail address"},
		{"three fields", "ana@example.com,Smith,Ana", apperr.CodeInvalid, 1, "more than two fields (has 3)"},
		{"four fields, semicolons", "ana@example.com;a;b;c", apperr.CodeInvalid, 1, "more than two fields (has 4)"},
		{"duplicate", "ana@example.com\nbob@example.com\n\nAna@Example.com ,Ana", apperr.CodeInvalid, 4,
			`duplicate address: "ana@example.com" is already on line 1`},
		{"name too long", "ana@example.com," + strings.Repeat("x", 201), apperr.CodeInvalid, 1, "name too long (201 characters, at most 200)"},
		{"name with control", "ana@example.com,Ana\x07", apperr.CodeInvalid, 1, `name contains a control character (U+0007): "Ana\a"`},
		{"name with TAB in comma file", "ana@example.com,Ana\tSmith", apperr.CodeInvalid, 1, "name contains a control character (U+0009)"},
		{"name with NEL", "bob@example.com\nana@example.com,Ana\u0085Smith", apperr.CodeInvalid, 2, "name contains a control character (U+0085)"},
		{"name with line separator", "ana@example.com,Ana\u2028Smith", apperr.CodeInvalid, 1, `name contains a line separator (U+2028): "Ana\u2028Smith"`},
		{"name with paragraph separator", "ana@example.com,Ana\u2029Smith", apperr.CodeInvalid, 1, "name contains a paragraph separator (U+2029)"},
		{"name with a right-to-left override", "ana@example.com,\u202eanA", apperr.CodeInvalid, 1, "name contains an invisible formatting character (U+202E)"},
		{"name with a zero-width space", "ana@example.com;Ana\u200bSmith", apperr.CodeInvalid, 1, "name contains an invisible formatting character (U+200B)"},
		{"unterminated quote", "ana@example.com,\"Ana\nbob@example.com", apperr.CodeInvalid, 1, "unterminated quote"},
		{"text after closing quote", `ana@example.com,"Ana" Smith`, apperr.CodeInvalid, 1, `text after the closing quote of "Ana"`},
		{"empty", "", apperr.CodeInvalid, 0, "no e-mail address"},
		{"blank only", "\r\n  \r\n\t\r\n", apperr.CodeInvalid, 0, "no e-mail address"},
		{"header only", "\uFEFFemail,name\r\n", apperr.CodeInvalid, 0, "no e-mail address"},
		{"unknown header", "Correo;Nombre\nana@example.com;Ana", apperr.CodeInvalid, 1, `this looks like a column header: name its first column "email"`},
		{"Dutch header only", "E-mailadres;Naam\n", apperr.CodeInvalid, 0, "no e-mail address"},
		{"BOM only", "\uFEFF", apperr.CodeInvalid, 0, "no e-mail address"},
		{"NUL bytes", "ana@example.com\x00", apperr.CodeInvalid, 0, "not a text file"},
		{"UTF-16 without BOM", "a\x00n\x00a\x00@\x00", apperr.CodeInvalid, 0, "not a text file"},
		{"UTF-16 NUL", utf16LE("ana@example.com\x00"), apperr.CodeInvalid, 0, "not a text file"},
		{"UTF-16 odd length", utf16LE("ana@example.com") + "x", apperr.CodeInvalid, 0, "middle of a character"},
		{"UTF-16 lone surrogate", "\xFF\xFEa\x00\x00\xD8b\x00", apperr.CodeInvalid, 0, "invalid character"},
		{"UTF-16 surrogate at end", "\xFF\xFEa\x00\x00\xD8", apperr.CodeInvalid, 0, "invalid character"},
		{"UTF-16BE lone surrogate", "\xFE\xFF\x00a\xD8\x00\x00b", apperr.CodeInvalid, 0, "invalid character"},
		{"UTF-16 bad line keeps its number", utf16LE("ana@example.com\r\nana.example.com\tAna\r\n"), apperr.CodeInvalid, 2, `not an e-mail address: "ana.example.com"`},
		{"UTF-8 BOM then Windows-1252", "\uFEFFana@example.com,Ana\nzoe@example.fr,Zo\xE9\n", apperr.CodeInvalid, 2, "not UTF-8 text"},
		{"Windows-1252", "email\nana@example.com,Ana\nzoe@example.fr,Zo\xE9\n\xE9", apperr.CodeInvalid, 3, "not UTF-8 text (here and on 1 more line)"},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", apperr.CodeInvalid, 0, "this looks like an Excel workbook (.xlsx); save it as CSV"},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00", apperr.CodeInvalid, 0, "(.xls); save it as CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in))
			if got != nil {
				t.Fatalf("got recipients %+v with a refused file", got)
			}
			e := apperr.As(err)
			if e.Code != tt.code || len(e.Details) != 1 {
				t.Fatalf("got %+v, want %s with one detail", e, tt.code)
			}
			if d := e.Details[0]; d.Line != tt.line || !strings.Contains(d.Reason, tt.reason) {
				t.Fatalf("got detail %+v, want line %d with %q", d, tt.line, tt.reason)
			}
			if !strings.Contains(e.Message, "no code was created") {
				t.Errorf("message %q does not say that nothing was created", e.Message)
			}
		})
	}
}

func TestEveryBadLineIsReported(t *testing.T) {
	in := strings.Join([]string{
		"email,name",            // 1 header
		"ana@example.com,Ana",   // 2
		"nope",                  // 3 bad
		"bob@example.com,Bob",   // 4
		"",                      // 5 blank
		"cy@example.com,C,Y",    // 6 bad
		"BOB@example.com",       // 7 bad: duplicate of 4
		"dee@example.com,\"Dee", // 8 bad
		"nope,Name\x01",         // 9 bad twice over
		"eve@example.com,Eve",   // 10
	}, "\n")
	_, err := Parse(strings.NewReader(in))
	e := apperr.As(err)
	if e.Code != apperr.CodeInvalid {
		t.Fatalf("code %s, want invalid", e.Code)
	}
	if e.Message != "the recipients file has 5 bad lines; no code was created" {
		t.Errorf("message %q", e.Message)
	}
	var lines []int
	for _, d := range e.Details {
		lines = append(lines, d.Line)
	}
	if want := []int{3, 6, 7, 8, 9}; !reflect.DeepEqual(lines, want) {
		t.Fatalf("bad lines %v, want %v (details %+v)", lines, want, e.Details)
	}
	if r := e.Details[4].Reason; !strings.Contains(r, "not an e-mail address") || !strings.Contains(r, "a control character") {
		t.Errorf("line 9 should give both of its problems, got %q", r)
	}
}

func TestOneBadLineMessage(t *testing.T) {
	_, err := Parse(strings.NewReader("ana@example.com\nnope\n"))
	if got := apperr.As(err).Message; got != "the recipients file has 1 bad line; no code was created" {
		t.Fatalf("message %q", got)
	}
}

func numbered(n int) string {
	var b strings.Builder
	b.WriteString("Email,Name\r\n")
	for i := range n {
		fmt.Fprintf(&b, "person%d@example.com,Person %d\r\n", i, i)
	}
	return b.String()
}

func TestAtMostMaxRecipients(t *testing.T) {
	got, err := Parse(strings.NewReader(numbered(MaxRecipients)))
	if err != nil || len(got) != MaxRecipients {
		t.Fatalf("1,000 recipients: got %d, %v", len(got), err)
	}
	if last := got[len(got)-1]; last.Line != MaxRecipients+1 || last.Email != "person999@example.com" {
		t.Errorf("last recipient %+v", last)
	}

	got, err = Parse(strings.NewReader(numbered(MaxRecipients+1) + "\nnot an address\n"))
	e := apperr.As(err)
	if got != nil || e.Code != apperr.CodeTooLarge || len(e.Details) != 1 {
		t.Fatalf("1,001 recipients: got %d, %+v", len(got), e)
	}
	if d := e.Details[0]; d.Line != MaxRecipients+2 || !strings.Contains(d.Reason, "has 1,002 recipients, at most 1,000") {
		t.Fatalf("detail %+v", d)
	}
}

func TestByteCap(t *testing.T) {
	in := strings.Repeat("\n", MaxBytes-len("ana@example.com")) + "ana@example.com"
	if got, err := Parse(strings.NewReader(in)); err != nil || len(got) != 1 || got[0].Line != MaxBytes-len("ana@example.com")+1 {
		t.Fatalf("exactly MaxBytes: got %+v, %v", got, err)
	}
	_, err := Parse(strings.NewReader(in + "\n"))
	if e := apperr.As(err); e.Code != apperr.CodeTooLarge || len(e.Details) != 1 || !strings.Contains(e.Details[0].Reason, "larger than 2 MiB") {
		t.Fatalf("MaxBytes+1: got %+v", e)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, fmt.Errorf("connection reset") }

func TestReadFailureIsInternal(t *testing.T) {
	_, err := Parse(failingReader{})
	if e := apperr.As(err); e.Code != apperr.CodeInternal || !strings.Contains(e.Error(), "connection reset") {
		t.Fatalf("got %v", err)
	}
}
