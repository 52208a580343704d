package idempotency

import (
	"bytes"
	"strings"
	"testing"
)

func TestFingerprint(t *testing.T) {
	base := fingerprint("admin-1", "", []byte(`{"a":1,"b":[1,2.50,"x"]}`))
	for name, tc := range map[string]struct {
		subject, query, body string
		same                 bool
	}{
		"spacing and order":  {"admin-1", "", " { \"b\" : [1, 2.50, \"x\"], \"a\":1 }", true},
		"a number's text":    {"admin-1", "", `{"a":1,"b":[1,2.5,"x"]}`, false},
		"another caller":     {"admin-2", "", `{"a":1,"b":[1,2.50,"x"]}`, false},
		"a query":            {"admin-1", "a=1", `{"a":1,"b":[1,2.50,"x"]}`, false},
		"fields run into":    {"admin-1{", "", `"a":1,"b":[1,2.50,"x"]}`, false},
		"another value":      {"admin-1", "", `{"a":2,"b":[1,2.50,"x"]}`, false},
		"not JSON, as bytes": {"admin-1", "", `{"a":1,"b":[1,2.50,"x"]`, false},
	} {
		if got := fingerprint(tc.subject, tc.query, []byte(tc.body)) == base; got != tc.same {
			t.Errorf("%s: same fingerprint %t, want %t", name, got, tc.same)
		}
	}
}

// FuzzCheckKey: a key is accepted exactly when it is 1 to 255 printable ASCII characters.
func FuzzCheckKey(f *testing.F) {
	for _, k := range []string{"", "k", strings.Repeat("k", 255), strings.Repeat("k", 256), "8c2b4f6e-1d3a-4b5c-9e7f-0a1b2c3d4e5f", "tab\there", "é", "~ !"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		want := len(key) >= 1 && len(key) <= MaxKeyLength && strings.IndexFunc(key, func(r rune) bool { return r < 0x20 || r > 0x7e }) < 0
		if got := CheckKey(key) == nil; got != want {
			t.Fatalf("CheckKey(%q) accepted %t, want %t", key, got, want)
		}
	})
}

// FuzzCanonicalJSON: canonical JSON is a fixed point, and a body that is not JSON is left
// as it came.
func FuzzCanonicalJSON(f *testing.F) {
	for _, b := range []string{`{"b":1,"a":[true,null,"x"]}`, `[1e3, 1.0]`, `{"a":`, "\"\xff\"", `{"a":1,"a":2}`, ` "s" `} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c := canonicalJSON(body)
		if again := canonicalJSON(c); !bytes.Equal(again, c) {
			t.Fatalf("canonical(%q) = %q, then %q", body, c, again)
		}
	})
}
