package payflow

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// Encode writes Payflow's name-value format with a length tag on every value
// (NAME[5]=a&b=c), so a value may hold any character, & and = among them, unescaped.
func Encode(fields []paymentpage.Field) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(f.Name)
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(len(f.Value)))
		b.WriteString("]=")
		b.WriteString(f.Value)
	}
	return b.String()
}

// maxTag bounds a length tag: no Payflow value is longer than a few kilobytes.
const maxTag = 1 << 16

// Decode reads Payflow's name-value format: NAME=value pairs joined by &, where a name may
// carry a length tag (NAME[n]=) and its value is then exactly n bytes, & and = included.
// A name without a value, a tag that is not a number or runs past the end, or a name given
// twice is an error: a reply that can be read two ways is not read at all.
func Decode(s string) (map[string]string, error) {
	out := map[string]string{}
	for pos := 0; pos < len(s); {
		end := strings.IndexAny(s[pos:], "=[&")
		if end <= 0 || s[pos+end] == '&' {
			return nil, fmt.Errorf("payflow reply: no name=value at byte %d", pos)
		}
		name := s[pos : pos+end]
		pos += end
		var value string
		if s[pos] == '[' {
			closing := strings.IndexByte(s[pos:], ']')
			if closing < 2 || pos+closing+1 >= len(s) || s[pos+closing+1] != '=' {
				return nil, fmt.Errorf("payflow reply: bad length tag of %s", name)
			}
			n, err := strconv.Atoi(s[pos+1 : pos+closing])
			if err != nil || n < 0 || n > maxTag || strings.ContainsAny(s[pos+1:pos+closing], "+-") {
				return nil, fmt.Errorf("payflow reply: bad length tag of %s", name)
			}
			pos += closing + 2
			if pos+n > len(s) {
				return nil, fmt.Errorf("payflow reply: %s is shorter than its length tag", name)
			}
			value, pos = s[pos:pos+n], pos+n
			if pos < len(s) && s[pos] != '&' {
				return nil, fmt.Errorf("payflow reply: %s is longer than its length tag", name)
			}
		} else {
			pos++ // the =
			next := strings.IndexByte(s[pos:], '&')
			if next < 0 {
				next = len(s) - pos
			}
			value, pos = s[pos:pos+next], pos+next
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("payflow reply: %s given twice", name)
		}
		out[name] = value
		if pos < len(s) {
			pos++ // the &
			if pos == len(s) {
				return nil, fmt.Errorf("payflow reply: ends with &")
			}
		}
	}
	return out, nil
}
