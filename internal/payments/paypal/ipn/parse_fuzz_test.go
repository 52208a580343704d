package ipn

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzParse: whatever is posted, Parse either refuses it or keeps it byte for byte with
// every value decoded to valid UTF-8 in its order; and what Encode writes of a message
// parses back to the same fields.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		guideSample,
		"charset=windows-1252&first_name=Ren%E9e&mc_gross=-49.99&mc_currency=USD&payment_status=Refunded",
		"charset=Shift_JIS&first_name=%93%FA%96%7B", "charset=UTF-16&first_name=%FE%FF%00A", "charset=ISO-2022-JP&x=%1B%24B%46%7C%1B%28B",
		"txn_id=A&txn_id=B", "a=%zz", "=&=", "charset=UTF-8&first_name=%FF", "mc_gross=1000&mc_currency=JPY&test_ipn=1",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := Parse(body)
		if err != nil {
			return
		}
		if !bytes.Equal(m.Raw, body) {
			t.Fatalf("Raw %q differs from %q", m.Raw, body)
		}
		for _, fd := range m.Fields {
			if !utf8.ValidString(fd.Value) {
				t.Fatalf("%s = %q is not UTF-8", fd.Name, fd.Value)
			}
		}
		again, err := Encode(m.Fields, m.Charset)
		if err != nil {
			return
		}
		m2, err := Parse(again)
		if err != nil || len(m2.Fields) != len(m.Fields) {
			t.Fatalf("re-encoded %q: %v", again, err)
		}
		for i := range m.Fields {
			if m2.Fields[i] != m.Fields[i] {
				t.Fatalf("field %d: %q became %q", i, m.Fields[i], m2.Fields[i])
			}
		}
	})
}
