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

// BasisPoints reads a percentage with at most two decimals as hundredths of a percent.
func (d Decimal) BasisPoints() (int, error) {
	s := string(d)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 3 || len(frac) > 2 || strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") {
		return 0, errors.New("must be a percentage such as 20 or 12.5 (at most two decimals)")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || f < 0 {
		return 0, errors.New("must be a percentage such as 20 or 12.5 (at most two decimals)")
	}
	return w*100 + f, nil
}
