package httpx

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// FuzzReadQuery: a query string reads as exactly its pairs (split at "&", each name and
// value URL-decoded, values trimmed), or each thing wrong with it is named: a name that
// does not decode ("query"), a value that does not (its name), an unknown name, a known one
// given twice. Nothing is read that the client did not send once. What a refusal says is
// text: a name that is not is named URL-encoded, a quoted name cut on a character.
func FuzzReadQuery(f *testing.F) {
	for _, q := range []string{"", "limit=10&cursor=abc", "limit=1&limit=2", "colour=red", "%zz=1", "limit=%zz", "cursor=a%20b+c",
		"&&limit=&", "li%6Dit=5", "limit", "=x", "code=SPR*&code=", "cursor=a=b", "limit=5;cursor=x",
		"%FF=1", "%C3=1&%C3%A9=2", "\xff=1", "\xff%zz=1", "%zz" + strings.Repeat("é", 50) + "=1", // once echoed as bytes JSON garbles, or cut inside a character
	} {
		f.Add(q)
	}
	known := []string{"limit", "cursor", "code"}
	f.Fuzz(func(t *testing.T, raw string) {
		var v apperr.Errors
		got := ReadQuery(raw, known, "the test list", &v)

		sent := map[string][]string{} // the decoded pairs, by name
		names := []string{"query"}    // what a refusal may name: the decoded names that are text
		var garbled []string          // the decoded names that are not
		for _, pair := range strings.Split(raw, "&") {
			if rawName, _, _ := strings.Cut(pair, "="); pair != "" {
				if name, err := url.QueryUnescape(rawName); err == nil && utf8.ValidString(name) {
					names = append(names, name)
				} else if err == nil {
					garbled = append(garbled, name)
				}
			}
			// net/url reads one pair as ReadQuery does, but for ";", which it refuses.
			one, err := url.ParseQuery(strings.ReplaceAll(pair, ";", "%3B"))
			for name, values := range one {
				if err == nil {
					sent[name] = append(sent[name], strings.TrimSpace(values[0]))
				}
			}
		}
		refused := map[string]bool{}
		if err := v.Err(); err != nil {
			e := apperr.As(err)
			if !utf8.ValidString(e.Message) {
				t.Fatalf("%q: the message %q is not text", raw, e.Message)
			}
			for _, d := range e.Details {
				if !utf8.ValidString(d.Field) || !utf8.ValidString(d.Reason) {
					t.Fatalf("%q: the detail %+v is not text", raw, d)
				}
				name := d.Field
				if !slices.Contains(names, name) {
					// A name that is not text is named URL-encoded, as it can be sent again.
					decoded, err := url.QueryUnescape(name)
					if err != nil || !slices.Contains(garbled, decoded) {
						t.Fatalf("%q: a detail names %q, which the query does not", raw, d.Field)
					}
					name = decoded
				}
				if d.Field == "query" {
					if quoted := d.Reason[strings.LastIndex(d.Reason, ": ")+2:]; utf8.RuneCountInString(strings.TrimSuffix(quoted, "…")) > 40 {
						t.Fatalf("%q: the reason quotes %d characters", raw, utf8.RuneCountInString(quoted))
					}
				}
				refused[name] = true
			}
		}
		for name, values := range got {
			if len(values) != 1 || !slices.Contains(known, name) || len(sent[name]) == 0 || sent[name][0] != values[0] {
				t.Fatalf("%q read %s as %q; it sent %q", raw, name, values, sent[name])
			}
		}
		for name, values := range sent {
			switch {
			case !slices.Contains(known, name) && !refused[name]:
				t.Fatalf("%q: the unknown %q is not refused", raw, name)
			case len(values) > 1 && !refused[name]:
				t.Fatalf("%q: %s given %d times is not refused", raw, name, len(values))
			case slices.Contains(known, name) && !got.Has(name):
				t.Fatalf("%q: %s is not read", raw, name)
			}
		}
		if len(refused) == 0 && v.Err() != nil {
			t.Fatalf("%q: refused without a field: %v", raw, v.Err())
		}
	})
}
