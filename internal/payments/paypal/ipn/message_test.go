package ipn

import (
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// guideSample is the sample IPN of PayPal's IPN Guide (June 2009), byte for byte.
const guideSample = "mc_gross=19.95&protection_eligibility=Eligible&address_status=confirmed&payer_id=LPLWNMTBWMFAY&tax=0.00&address_street=1+Main+St&payment_date=20%3A12%3A59+Jan+13%2C+2009+PST&payment_status=Completed&charset=windows-1252&address_zip=95131&first_name=Test&mc_fee=0.88&address_country_code=US&address_name=Test+User&notify_version=2.6&custom=&payer_status=verified&address_country=United+States&address_city=San+Jose&quantity=1&verify_sign=AtkOfCXbDm2hu0ZELryHFjY-Vb7PAUvS6nMXgysbElEn9v-1XcmSoGtf&payer_email=gpmac_1231902590_per%40paypal.com&txn_id=61E67681CH3238416&payment_type=instant&last_name=User&address_state=CA&receiver_email=gpmac_1231902686_biz%40paypal.com&payment_fee=0.88&receiver_id=S8XGHLYDW9T3S&txn_type=express_checkout&item_name=&mc_currency=USD&item_number=&residence_country=US&test_ipn=1&handling_amount=0.00&transaction_subject=&payment_gross=19.95&shipping=0.00"

func TestParseGuideSample(t *testing.T) {
	m, err := Parse([]byte(guideSample))
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Raw) != guideSample || len(m.Fields) != 39 || m.Fields[0] != (Field{"mc_gross", "19.95"}) || m.Fields[38] != (Field{"shipping", "0.00"}) {
		t.Errorf("fields not kept in order: %d %v", len(m.Fields), m.Fields[:2])
	}
	if m.TxnID != "61E67681CH3238416" || m.TxnType != "express_checkout" || m.PaymentStatus != "Completed" ||
		m.ReceiverEmail != "gpmac_1231902686_biz@paypal.com" || m.ReceiverID != "S8XGHLYDW9T3S" || m.PayerEmail != "gpmac_1231902590_per@paypal.com" ||
		m.Gross != (Amount{Minor: 1995, Currency: "USD"}) || !m.Test || m.FirstName != "Test" || m.Get("payment_date") != "20:12:59 Jan 13, 2009 PST" {
		t.Errorf("message = %+v", m)
	}
}

func TestParseCharsets(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"charset=windows-1252&first_name=Ren%E9e&last_name=%80uro", "Renée"},
		{"charset=ISO-8859-1&first_name=Ren%E9e", "Renée"},
		{"charset=UTF-8&first_name=Ren%C3%A9e", "Renée"},
		{"charset=utf-8&first_name=Ren%C3%A9e", "Renée"},
		{"charset=Shift_JIS&first_name=%93%FA%96%7B", "日本"},
		{"charset=windows-1251&first_name=%C8%E2%E0%ED", "Иван"},
		{"charset=KOI8-R&first_name=%E9%D7%C1%CE", "Иван"},
		{"charset=Big5&first_name=%A4%A4%A4%E5", "中文"},
		{"first_name=Ren%E9e", "Renée"}, // no charset: PayPal's default
	} {
		m, err := Parse([]byte(c.body))
		if err != nil || m.FirstName != c.want {
			t.Errorf("%s: %q, %v; want %q", c.body, m.fieldOr("first_name"), err, c.want)
		}
	}
	if m, _ := Parse([]byte("charset=windows-1252&last_name=%80uro")); m.LastName != "€uro" {
		t.Errorf("windows-1252 is not ISO-8859-1: %q", m.LastName)
	}
}

func (m *Message) fieldOr(name string) string {
	if m == nil {
		return "<nil>"
	}
	return m.Get(name)
}

func TestParseRefuses(t *testing.T) {
	for _, c := range []struct{ body, field string }{
		{"charset=UTF-8&first_name=Ren%E9e", "first_name"},        // not UTF-8
		{"charset=US-ASCII&first_name=Ren%E9e", "first_name"},     // not 7-bit
		{"charset=Shift_JIS&first_name=%93", "first_name"},        // a cut double byte
		{"charset=x-mac-greek&first_name=A", "charset"},           // PayPal's, but no decoder
		{"charset=ebcdic-cp-xx&first_name=A", "charset"},          // not PayPal's
		{"txn_id=A&txn_id=B", "txn_id"},                           // which one?
		{"mc_gross=19.9&mc_currency=USD", "mc_gross"},             // decimals
		{"mc_gross=1%2C000.00&mc_currency=USD", "mc_gross"},       // separators
		{"mc_gross=19.95", "mc_currency"},                         // which currency?
		{"test_ipn=yes&txn_id=A", "test_ipn"},                     // a flag is 0 or 1
		{"txn_id=A%ZZ", "txn_id"},                                 // bad escape
		{"txn_id=A&%FF=1", `"%FF"`},                               // names are ASCII
		{"auth_amount=-&mc_currency=USD&txn_id=A", "auth_amount"}, // a sign alone
	} {
		_, err := Parse([]byte(c.body))
		e := apperr.As(err)
		if err == nil || e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != c.field {
			t.Errorf("%s: %v; want invalid %s", c.body, err, c.field)
		}
	}
	for _, body := range []string{"", "&&&", string(make([]byte, MaxBody+1))} {
		if _, err := Parse([]byte(body)); err == nil {
			t.Errorf("%.20q: accepted", body)
		}
	}
}

func TestParseRefundAndReversal(t *testing.T) {
	m, err := Parse([]byte("mc_gross=-49.99&mc_currency=USD&payment_status=Refunded&reason_code=refund&parent_txn_id=3Y146262EM3&txn_id=9R&charset=UTF-8"))
	if err != nil || m.Gross.Minor != -4999 || m.ParentTxnID != "3Y146262EM3" || m.ReasonCode != "refund" {
		t.Errorf("refund = %+v, %v", m, err)
	}
	m, err = Parse([]byte("mc_gross=-1000&mc_currency=JPY&payment_status=Reversed&reason_code=chargeback&charset=UTF-8"))
	if err != nil || m.Gross != (Amount{Minor: -1000, Currency: "JPY"}) {
		t.Errorf("reversal = %+v, %v", m, err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	fs := []Field{{"charset", "windows-1252"}, {"first_name", "Zoë"}, {"address_street", "1 Rue d'Hôtel & Co\r\n2nd"}, {"custom", ""}}
	b, err := Encode(fs, "windows-1252")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(b)
	if err != nil || len(m.Fields) != len(fs) {
		t.Fatalf("%s: %v", b, err)
	}
	for i := range fs {
		if m.Fields[i] != fs[i] {
			t.Errorf("field %d = %q, want %q", i, m.Fields[i], fs[i])
		}
	}
	if _, err := Encode([]Field{{"first_name", "日本"}}, "windows-1252"); err == nil {
		t.Error("wrote Japanese in windows-1252")
	}
}
