package ipn

import (
	"fmt"
	"net/url"
	"strings"
)

// Encode writes fields as PayPal posts an IPN: each value in charset, URL-encoded, in the
// given order. The charset field itself is one of fields (PayPal always sends it); Encode
// fails when charset is not one Parse reads or a value cannot be written in it.
func Encode(fields []Field, charset string) ([]byte, error) {
	enc, ok := lookupCharset(charset)
	if !ok {
		return nil, fmt.Errorf("ipn: charset %q cannot be written", charset)
	}
	var b strings.Builder
	for i, f := range fields {
		raw, ok := encode(enc, f.Value)
		if f.Name == "charset" { // named in ASCII, whatever the encoding
			raw, ok = []byte(f.Value), printableASCII([]byte(f.Value))
		} else if back, same := decode(enc, charset, raw); !same || back != f.Value {
			ok = false
		}
		if !ok {
			return nil, fmt.Errorf("ipn: %s cannot be written in %s", f.Name, charset)
		}
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(string(raw)))
	}
	return []byte(b.String()), nil
}
