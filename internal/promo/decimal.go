package promo

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Decimal is a non-negative decimal number as sent, kept as text so that no floating point
// ever touches it. It decodes from a JSON number or string.
type Decimal string

// UnmarshalJSON accepts 12.5 and "12.5".
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Decimal(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("must be a number")
	}
	*d = Decimal(n.String())
	return nil
}

// BasisPoints reads a percentage with at most two decimals as hundredths of a percent. Only
// the shape ^[0-9]{1,3}(\.[0-9]{1,2})?$ is a percentage: no sign, no exponent, no dot
// without digits after it.
func (d Decimal) BasisPoints() (int, error) {
	whole, frac, dotted := strings.Cut(string(d), ".")
	if !digits(whole, 1, 3) || dotted && !digits(frac, 1, 2) {
		return 0, errors.New("must be a percentage such as 20 or 12.5 (at most three digits, then at most two decimals)")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	return w*100 + f, nil
}

// digits reports whether s is between min and max ASCII digits.
func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
