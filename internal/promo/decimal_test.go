package promo

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestBasisPoints(t *testing.T) {
	good := map[string]int{"20": 2000, "12.5": 1250, "0.05": 5, "100": 10000, "007": 700, "12.50": 1250, "0": 0, "999.99": 99999}
	for in, want := range good {
		if got, err := Decimal(in).BasisPoints(); err != nil || got != want {
			t.Errorf("BasisPoints(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"12.+5", "12.-0", "1.+0", "5.", ".5", "", "+5", "-5", "1e2", "1000", "12.345", "12,5", " 12", "12 ", "١٢", "0x10", "12.5.1"} {
		if got, err := Decimal(in).BasisPoints(); err == nil {
			t.Errorf("BasisPoints(%q) = %d, want refused", in, got)
		}
	}
}

// TestDecimalFromJSON: a JSON number keeps its text, so an exponent form is refused by the
// shape rule rather than read through a float.
func TestDecimalFromJSON(t *testing.T) {
	for raw, want := range map[string]int{`12.5`: 1250, `"12.5"`: 1250, `20`: 2000} {
		var d Decimal
		if err := json.Unmarshal([]byte(raw), &d); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if got, err := d.BasisPoints(); err != nil || got != want {
			t.Errorf("%s: %d, %v; want %d", raw, got, err, want)
		}
	}
	for _, raw := range []string{`1.25e1`, `-12`, `12.505`} {
		var d Decimal
		if json.Unmarshal([]byte(raw), &d) == nil {
			if got, err := d.BasisPoints(); err == nil {
				t.Errorf("%s: accepted as %d", raw, got)
			}
		}
	}
	var d Decimal
	if err := json.Unmarshal([]byte(`true`), &d); err == nil {
		t.Errorf("true: accepted as %q", d)
	}
}

func FuzzBasisPoints(f *testing.F) {
	for _, s := range []string{"20", "12.5", "12.+5", "5.", "1e2", "999.99", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bp, err := Decimal(s).BasisPoints()
		if err != nil {
			return
		}
		if bp < 0 || bp > 99999 {
			t.Fatalf("%q: %d basis points out of range", s, bp)
		}
		// What is accepted prints back to the same value.
		back := fmt.Sprintf("%d.%02d", bp/100, bp%100)
		if again, err := Decimal(back).BasisPoints(); err != nil || again != bp {
			t.Fatalf("%q = %d, but %q = %d, %v", s, bp, back, again, err)
		}
	})
}
