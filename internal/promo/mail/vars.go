package mail

import "strings"

// The variables a template may use, spelled as SPEC 3.3 writes them.
const (
	VarAttendeeName   = "AttendeeName"
	VarPromoCode      = "PromoCode"
	VarDiscount       = "Discount"
	VarExpirationDate = "ExpirationDate"
	VarMerchantName   = "MerchantName"
	VarSupportInfo    = "SupportInfo"
)

// varNames is the one list of variables, in the order error messages and docs show them.
var varNames = []string{VarAttendeeName, VarPromoCode, VarDiscount, VarExpirationDate, VarMerchantName, VarSupportInfo}

// VarNames returns the variable names (without the % signs), for help texts and UIs.
func VarNames() []string { return append([]string(nil), varNames...) }

// canonical returns the variable a placeholder name refers to, ignoring case (administrators
// type "%promocode%" as often as "%PromoCode%"; both must work), and whether it is known.
func canonical(name string) (string, bool) {
	for _, v := range varNames {
		if strings.EqualFold(name, v) {
			return v, true
		}
	}
	return "", false
}

// value returns the value of a known variable.
func (v Vars) value(name string) string {
	switch name {
	case VarAttendeeName:
		return v.AttendeeName
	case VarPromoCode:
		return v.PromoCode
	case VarDiscount:
		return v.Discount
	case VarExpirationDate:
		return v.ExpirationDate
	case VarMerchantName:
		return v.MerchantName
	case VarSupportInfo:
		return v.SupportInfo
	}
	return ""
}

// placeholder is one "%Name%" found in a text: s[start:end] is the whole placeholder.
type placeholder struct {
	start, end int
	name       string
}

// scan finds the placeholders of s: a "%", a name (an ASCII letter, then letters, digits or
// underscores), and a closing "%". Anything else is literal text, so "20% off" or "50%-75%"
// stay as they are. Placeholders never overlap: scanning resumes after a closing "%".
func scan(s string) []placeholder {
	var out []placeholder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && isNameByte(s[j], j == i+1) {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == '%' {
			out = append(out, placeholder{start: i, end: j + 1, name: s[i+1 : j]})
			i = j
		}
	}
	return out
}

func isNameByte(b byte, first bool) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
		return true
	case first:
		return false
	default:
		return '0' <= b && b <= '9' || b == '_'
	}
}
