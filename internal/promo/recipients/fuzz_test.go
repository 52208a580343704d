package recipients

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "ana@example.com", "ana@example.com,Ana\r\nbob@example.com;Bob\r",
		`"a@b.co","x""y"`, "email\n\n,\n", "a@b.co\ta\tb", "\uFEFFa@b.co", "\xFF\xFEa\x00@\x00",
		"\xFE\xFF\x00a", "PK\x03\x04", `a@b.co,"`, "A@B.CO\na@b.co",
		"\u008b@\u3030.\u3030", // a C1 control passed as an address once, and became a name
		// Separators and formatting characters passed in names once, into e-mails and the report.
		"a@b.co,A\u2028B", "a@b.co,A\u2029B", "a@b.co,\u202eA", "a@b.co,A\u200bB", "a@b.co,A\u0085B",
	} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(bytes.NewReader(data))
		if err != nil {
			if got != nil {
				t.Fatalf("recipients and an error: %+v, %v", got, err)
			}
			if e := apperr.As(err); e.Code == apperr.CodeInternal || len(e.Details) == 0 {
				t.Fatalf("error without details: %+v", e)
			}
			return
		}
		if len(got) < 1 || len(got) > MaxRecipients {
			t.Fatalf("%d recipients", len(got))
		}
		seen := map[string]bool{}
		last := 0
		for _, r := range got {
			if !emailaddr.Valid(r.Email) || r.Email != emailaddr.Normalize(r.Email) {
				t.Fatalf("bad address %q", r.Email)
			}
			if seen[r.Email] {
				t.Fatalf("duplicate %q", r.Email)
			}
			seen[r.Email] = true
			if r.Name == "" || r.Name != trimSpace(r.Name) || !utf8.ValidString(r.Name) ||
				utf8.RuneCountInString(r.Name) > MaxName && !strings.HasPrefix(r.Email, strings.ToLower(r.Name)+"@") {
				t.Fatalf("bad name %q", r.Name)
			}
			for _, c := range r.Name {
				if unicode.In(c, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) && c != '\u200C' && c != '\u200D' {
					t.Fatalf("control, separator or formatting character %U in name %q", c, r.Name)
				}
			}
			if r.Line <= last {
				t.Fatalf("line %d after line %d", r.Line, last)
			}
			last = r.Line
		}
	})
}
