package promo

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

// FuzzDecimalJSON: a percentage decodes from a JSON number, a JSON string or null and from
// nothing else, keeping the text it was sent as; what BasisPoints reads from it is exactly
// that number times 100 (read here by math/big, never a float).
func FuzzDecimalJSON(f *testing.F) {
	for _, s := range []string{`12.5`, `"12.5"`, `" 20 "`, `null`, `true`, `{}`, `[1]`, `1e2`, `-0`, `100.00`, `"1\u0032"`, `0.05`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return // encoding/json hands a Decimal only valid JSON values
		}
		raw = bytes.TrimSpace(raw)
		var d Decimal
		err := d.UnmarshalJSON(raw)
		var text string
		switch raw[0] {
		case '"':
			_ = json.Unmarshal(raw, &text)
			text = strings.TrimSpace(text)
		case 'n':
			text = ""
		case 't', 'f', '{', '[':
			if err == nil {
				t.Fatalf("%s accepted as %q", raw, d)
			}
			return
		default:
			text = string(raw)
		}
		if err != nil || string(d) != text {
			t.Fatalf("%s decoded to %q, %v; want %q", raw, d, err, text)
		}
		bp, err := d.BasisPoints()
		if err != nil {
			return
		}
		exact, ok := new(big.Rat).SetString(text)
		if !ok || exact.Mul(exact, big.NewRat(100, 1)).Cmp(big.NewRat(int64(bp), 1)) != 0 {
			t.Fatalf("%s read as %d basis points", raw, bp)
		}
	})
}
