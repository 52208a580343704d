// Package ipn reads PayPal Instant Payment Notifications and verifies them with PayPal.
//
// An IPN is a form post (application/x-www-form-urlencoded) whose values are written in the
// merchant's language encoding, named by the message's charset field. Parse keeps the body
// byte for byte (the post-back must return it unchanged, in its order and encoding) and
// decodes every value by that charset; Verifier posts it back (cmd=_notify-validate) and
// believes it only when PayPal answers VERIFIED.
package ipn

import (
	"fmt"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// MaxBody bounds a message: the largest real one (a cart of many items) is a few kilobytes.
const MaxBody = 64 << 10

// Field is one name=value pair of a message, its value decoded to UTF-8.
type Field struct {
	Name  string
	Value string
}

// Amount is a sum of money in integer minor units of Currency; the zero Amount is one the
// message does not carry.
type Amount struct {
	Minor    int64 // negative for a refund or a reversal
	Currency string
}

// Message is one IPN. Only what Verifier confirmed with PayPal may be believed.
type Message struct {
	Raw     []byte  // the body exactly as posted
	Fields  []Field // every field in the order posted
	Charset string  // the charset the values were written in

	TxnID, TxnType, ParentTxnID              string
	PaymentStatus, PendingReason, ReasonCode string
	ReceiverEmail, ReceiverID, Business      string
	Gross                                    Amount // mc_gross in mc_currency
	Invoice, Custom                          string // invoice is our order reference
	Test                                     bool   // test_ipn=1: sent by the sandbox
	AuthID, AuthStatus                       string
	AuthAmount                               Amount // auth_amount in mc_currency
	PayerEmail, PayerID, FirstName, LastName string
	TrackID                                  string // ipn_track_id: the same for every resend of one message
}

// Env is the PayPal environment that sent the message by its own account: the sandbox for
// test_ipn=1. Verifier asks that environment, and the caller must check it is the order's.
func (m *Message) Env() provider.Env {
	if m.Test {
		return provider.Sandbox
	}
	return provider.Live
}

// Get returns the value of the first field called name, or "".
func (m *Message) Get(name string) string {
	for _, f := range m.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// Parse reads a raw IPN body. It refuses (an apperr invalid-input error naming the field) a
// body that is not form-encoded, a charset PayPal does not list or a value that the
// charset cannot have written, a field we read given twice, and an amount or flag that is
// not written as PayPal writes it.
func Parse(raw []byte) (*Message, error) {
	if len(raw) == 0 {
		return nil, apperr.New(apperr.CodeInvalid, "the IPN is empty")
	}
	if len(raw) > MaxBody {
		return nil, apperr.New(apperr.CodeTooLarge, "the IPN is over %d bytes", MaxBody)
	}
	pairs, err := split(string(raw))
	if err != nil {
		return nil, err
	}
	charset := DefaultCharset
	for _, p := range pairs {
		if p.name == "charset" {
			charset = string(p.value)
			break
		}
	}
	enc, ok := lookupCharset(charset)
	if !ok {
		return nil, apperr.Field("charset", fmt.Sprintf("%q is not a charset PayPal sends that can be read", charset))
	}
	m := &Message{Raw: append([]byte(nil), raw...), Charset: charset, Fields: make([]Field, 0, len(pairs))}
	for _, p := range pairs {
		v, ok := decode(enc, charset, p.value)
		if p.name == "charset" { // the one value that names the encoding is ASCII in every one
			v, ok = charset, printableASCII(p.value)
		}
		if !ok {
			return nil, apperr.Field(p.name, "is not written in "+charset)
		}
		m.Fields = append(m.Fields, Field{Name: p.name, Value: v})
	}
	if err := m.read(); err != nil {
		return nil, err
	}
	return m, nil
}

// read fills the typed fields from Fields.
func (m *Message) read() error {
	seen, typed := map[string]bool{}, m.typed()
	for _, f := range m.Fields {
		dst, ok := typed[f.Name]
		if !ok {
			continue
		}
		if seen[f.Name] {
			return apperr.Field(f.Name, "is given twice")
		}
		seen[f.Name] = true
		*dst = f.Value
	}
	switch test := m.Get("test_ipn"); test {
	case "", "0":
	case "1":
		m.Test = true
	default:
		return apperr.Field("test_ipn", fmt.Sprintf("%q is neither 0 nor 1", test))
	}
	var err error
	if m.Gross, err = amount(m, "mc_gross"); err != nil {
		return err
	}
	m.AuthAmount, err = amount(m, "auth_amount")
	return err
}

// typed maps the fields read into Message to where they go.
func (m *Message) typed() map[string]*string {
	return map[string]*string{
		"txn_id": &m.TxnID, "txn_type": &m.TxnType, "parent_txn_id": &m.ParentTxnID,
		"payment_status": &m.PaymentStatus, "pending_reason": &m.PendingReason, "reason_code": &m.ReasonCode,
		"receiver_email": &m.ReceiverEmail, "receiver_id": &m.ReceiverID, "business": &m.Business,
		"invoice": &m.Invoice, "custom": &m.Custom, "auth_id": &m.AuthID, "auth_status": &m.AuthStatus,
		"payer_email": &m.PayerEmail, "payer_id": &m.PayerID, "first_name": &m.FirstName, "last_name": &m.LastName,
		"ipn_track_id": &m.TrackID, "mc_gross": new(string), "mc_currency": new(string), "auth_amount": new(string), "test_ipn": new(string),
	}
}

// amount reads the field name as a sum in mc_currency: a leading minus for money going
// back to the buyer, then exactly the currency's decimals.
func amount(m *Message, name string) (Amount, error) {
	s := m.Get(name)
	if s == "" {
		return Amount{}, nil
	}
	currency := m.Get("mc_currency")
	if currency == "" {
		return Amount{}, apperr.Field("mc_currency", "is missing, and "+name+" needs it")
	}
	digits, negative := strings.CutPrefix(s, "-")
	minor, err := paymentpage.ParseAmount(digits, currency)
	if err != nil {
		return Amount{}, apperr.Field(name, err.Error())
	}
	if negative {
		minor = -minor
	}
	return Amount{Minor: minor, Currency: currency}, nil
}

type pair struct {
	name  string
	value []byte
}

// split cuts a form body into its pairs, in order, percent- and plus-decoded to bytes (not
// yet to text: that takes the charset). Names are ASCII, as PayPal's are.
func split(body string) ([]pair, error) {
	var pairs []pair
	for seg := range strings.SplitSeq(body, "&") {
		if seg == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(seg, "=")
		name, ok := unescape(rawName)
		if !ok || len(name) == 0 || !printableASCII(name) {
			return nil, apperr.Field(fmt.Sprintf("%q", plaintext.Clip(rawName, 40)), "is not a form field name")
		}
		value, ok := unescape(rawValue)
		if !ok {
			return nil, apperr.Field(string(name), "is not URL-encoded")
		}
		pairs = append(pairs, pair{name: string(name), value: value})
	}
	if len(pairs) == 0 {
		return nil, apperr.New(apperr.CodeInvalid, "the IPN has no fields")
	}
	return pairs, nil
}

// unescape decodes application/x-www-form-urlencoded: '+' is a space, %XX a byte.
func unescape(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			out = append(out, ' ')
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return nil, false
			}
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

func printableASCII(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}
