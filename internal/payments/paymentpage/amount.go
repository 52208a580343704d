package paymentpage

import (
	"fmt"
	"strconv"
	"strings"
)

// exponents are the ISO 4217 minor-unit digits of the currencies that do not have two.
var exponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
	"RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// maxAmount bounds amounts: no offering costs more, and it keeps every amount exact.
const maxAmount = 1_000_000_000_00

// Exponent is the number of minor-unit digits of an ISO 4217 currency code (2 unless the
// code is one of the exceptions), or an error if code is not three capital letters.
func Exponent(code string) (int, error) {
	if len(code) != 3 || strings.IndexFunc(code, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return 0, fmt.Errorf("currency %q is not an ISO 4217 code", code)
	}
	if e, ok := exponents[code]; ok {
		return e, nil
	}
	return 2, nil
}

// FormatAmount writes an amount in minor units as the providers want it: "12.34" for 1234
// USD, "1234" for 1234 JPY, "1.234" for 1234 KWD.
func FormatAmount(minor int64, currency string) (string, error) {
	exp, err := Exponent(currency)
	if err != nil {
		return "", err
	}
	if minor < 0 || minor > maxAmount {
		return "", fmt.Errorf("amount %d is out of range", minor)
	}
	s := strconv.FormatInt(minor, 10)
	if exp == 0 {
		return s, nil
	}
	if len(s) <= exp {
		s = strings.Repeat("0", exp-len(s)+1) + s
	}
	return s[:len(s)-exp] + "." + s[len(s)-exp:], nil
}

// ParseAmount reads an amount written as FormatAmount writes it, with exactly the
// currency's decimals, back into minor units. Anything else (signs, spaces, exponents,
// thousands separators, a wrong number of decimals) is an error.
func ParseAmount(s, currency string) (int64, error) {
	exp, err := Exponent(currency)
	if err != nil {
		return 0, err
	}
	whole, frac, dotted := strings.Cut(s, ".")
	if dotted != (exp > 0) || len(frac) != exp || !digits(whole) || (exp > 0 && !digits(frac)) || len(whole) > 12 {
		return 0, fmt.Errorf("amount %q is not written with %d decimals", s, exp)
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n > maxAmount {
		return 0, fmt.Errorf("amount %q is out of range", s)
	}
	return n, nil
}

func digits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
