package recipients

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// The files under testdata are saved as the programs named save them; keep them byte-exact
// (their BOMs, CRLFs, lone CRs and UTF-16 matter).

func parseFile(t *testing.T, name string) ([]Recipient, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Parse(f)
}

func TestGoodFiles(t *testing.T) {
	tests := []struct {
		file string
		want []Recipient
	}{
		{"excel-utf8-bom.csv", []Recipient{
			{2, "ana.smith@example.com", "Smith, Ana"},
			{3, "jose@example.org", "José Álvarez"},
			{4, "li.wei@example.cn", "李伟"},
			{5, "bob@example.com", "bob"},
			{6, "quote@example.com", `Anne "Nan" O'Neil`},
		}},
		{"notepad-crlf.txt", []Recipient{
			{1, "first@example.com", "first"},
			{2, "second@example.com", "second"},
			{4, "third@example.com", "third"},
			{5, "fourth@example.com", "Fourth"},
		}},
		{"excel-unicode.txt", []Recipient{
			{2, "ana@example.com", "Smith, Ana"},
			{3, "zoe@example.fr", "Zoé Dupont"},
			{4, "noname@example.com", "noname"},
		}},
		{"excel-semicolon.csv", []Recipient{
			{2, "klaus@example.de", "Müller, Klaus"},
			{3, "marie@example.fr", "Marie Curie"},
			{5, "solo@example.be", "solo"},
		}},
		{"mac-cr.txt", []Recipient{
			{1, "one@example.com", "One"},
			{2, "two@example.com", "Two"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatalf("unexpected error: %v %+v", err, apperr.As(err).Details)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestBadLinesFile(t *testing.T) {
	got, err := parseFile(t, "bad-lines.csv")
	if got != nil {
		t.Fatalf("got recipients from a bad file: %+v", got)
	}
	e := apperr.As(err)
	want := []apperr.Detail{
		{Line: 3, Reason: `not an e-mail address: "not-an-address"`},
		{Line: 4, Reason: `more than two fields (has 3); put a name that contains a comma in double quotes: "Smith, Ana"`},
		{Line: 5, Reason: `duplicate address: "ana@example.com" is already on line 2`},
		{Line: 6, Reason: "unterminated quote (a quoted field must end on the same line)"},
		{Line: 7, Reason: "name too long (201 characters, at most 200)"},
		{Line: 8, Reason: `not an e-mail address: "erin@example"`},
		{Line: 9, Reason: "no e-mail address before the separator"},
	}
	if e.Code != apperr.CodeInvalid || !reflect.DeepEqual(e.Details, want) {
		t.Fatalf("got %s\n%+v\nwant\n%+v", e.Code, e.Details, want)
	}
	if e.Message != "the recipients file has 7 bad lines; no code was created" {
		t.Errorf("message %q", e.Message)
	}
}

func TestRefusedFiles(t *testing.T) {
	tests := []struct {
		file   string
		line   int
		reason string
	}{
		{"workbook.xlsx", 0, "this looks like an Excel workbook (.xlsx); save it as CSV"},
		{"excel-windows-1252.csv", 3, `this is not UTF-8 text; in Excel choose "CSV UTF-8"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := parseFile(t, tt.file)
			e := apperr.As(err)
			if e.Code != apperr.CodeInvalid || len(e.Details) != 1 {
				t.Fatalf("got %+v", e)
			}
			if d := e.Details[0]; d.Line != tt.line || !strings.HasPrefix(d.Reason, tt.reason) {
				t.Fatalf("got %+v, want line %d %q", d, tt.line, tt.reason)
			}
		})
	}
}
