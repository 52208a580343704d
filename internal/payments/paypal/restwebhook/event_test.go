package restwebhook

import (
	"net/http"
	"os"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

func TestParseV1Authorization(t *testing.T) {
	body, err := os.ReadFile("testdata/python-sdk-authorization.json")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := ParseEvent(body)
	want := Resource{ID: "2LP967258V024852T", Status: "authorized", Amount: Amount{Minor: 60, Currency: "USD"}, Parents: Parents{Payment: "PAY-6FD94763FB485961SKQ4BREY"}}
	if err != nil || ev.ID != "WH-8UH59159LY570081N-5FX3594634324213T" || ev.Type != AuthorizationCreated || ev.ResourceType != "authorization" || ev.Resource != want {
		t.Errorf("event = %+v, %v", ev, err)
	}
}

func TestParseV2RefundAndReversal(t *testing.T) {
	refund := `{"id":"WH-1GE84257G0350133W-6RW800890C634293G","event_type":"PAYMENT.CAPTURE.REFUNDED","resource_type":"refund","resource":{"id":"1Y107995YT783435V","amount":{"currency_code":"USD","value":"1.32"},"invoice_id":"ORD-7","status":"COMPLETED","links":[{"href":"https://api.paypal.com/v2/payments/refunds/1Y107995YT783435V","rel":"self"},{"href":"https://api.paypal.com/v2/payments/captures/0JF852973C016714D","rel":"up"}]}}`
	ev, err := ParseEvent([]byte(refund))
	if err != nil || ev.Type != CaptureRefunded || ev.Resource.Amount != (Amount{Minor: 132, Currency: "USD"}) || ev.Resource.Parents.Capture != "0JF852973C016714D" || ev.Resource.Invoice != "ORD-7" {
		t.Errorf("refund = %+v, %v", ev, err)
	}
	reversal := `{"id":"WH-2","event_type":"PAYMENT.CAPTURE.REVERSED","resource":{"id":"R1","amount":{"currency_code":"JPY","value":"-1000"},"status":"COMPLETED"}}`
	if ev, err := ParseEvent([]byte(reversal)); err != nil || ev.Resource.Amount != (Amount{Minor: -1000, Currency: "JPY"}) {
		t.Errorf("reversal = %+v, %v", ev, err)
	}
}

func TestParseEventRefuses(t *testing.T) {
	for _, c := range []struct{ body, field string }{
		{`{"event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"1"}}`, "id"},
		{`{"id":"WH-1","event_type":"payment completed","resource":{"id":"1"}}`, "event_type"},
		{`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}`, "resource.id"},
		{`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"1","amount":{"value":"2.5","currency_code":"USD"}}}`, "resource.amount"},
		{`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"1","amount":{"value":"2.50"}}}`, "resource.amount"},
	} {
		_, err := ParseEvent([]byte(c.body))
		if e := apperr.As(err); err == nil || e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != c.field {
			t.Errorf("%s: %v; want invalid %s", c.body, err, c.field)
		}
	}
	for _, body := range []string{"", "[]", `{"id":1}`, `{"id":"WH-1","event_type":"A.B","resource":{"id":"1"}} {}`, string(make([]byte, MaxBody+1))} {
		if _, err := ParseEvent([]byte(body)); err == nil {
			t.Errorf("%.30q: accepted", body)
		}
	}
}

func TestReadHeadersRefuses(t *testing.T) {
	good := http.Header{
		HeaderTransmissionID: {"b1"}, HeaderTransmissionTime: {"2019-08-29T10:49:33Z"}, HeaderTransmissionSig: {"AAEC"},
		HeaderCertURL: {"https://api.paypal.com/v1/notifications/certs/CERT-1"}, HeaderAuthAlgo: {"SHA256withRSA"},
	}
	if h, err := ReadHeaders(good); err != nil || h.TimeText != "2019-08-29T10:49:33Z" || len(h.Signature) != 3 {
		t.Fatalf("good headers: %+v, %v", h, err)
	}
	for _, c := range []struct{ name, value, field string }{
		{HeaderTransmissionID, "", HeaderTransmissionID},
		{HeaderTransmissionID, "a|b", HeaderTransmissionID},
		{HeaderTransmissionTime, "29 Aug 2019", HeaderTransmissionTime},
		{HeaderTransmissionSig, "not base64!", HeaderTransmissionSig},
		{HeaderAuthAlgo, "SHA1withRSA", HeaderAuthAlgo},
		{HeaderCertURL, "", HeaderCertURL},
	} {
		h := good.Clone()
		h.Set(c.name, c.value)
		_, err := ReadHeaders(h)
		if e := apperr.As(err); err == nil || len(e.Details) != 1 || e.Details[0].Field != c.field {
			t.Errorf("%s=%q: %v; want %s refused", c.name, c.value, err, c.field)
		}
	}
	twice := good.Clone()
	twice.Add(HeaderTransmissionSig, "AAEC")
	if _, err := ReadHeaders(twice); err == nil {
		t.Error("a header given twice was read")
	}
}
