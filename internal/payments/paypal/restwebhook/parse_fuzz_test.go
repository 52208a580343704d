package restwebhook

import (
	"net/http"
	"os"
	"testing"
)

// FuzzParseEvent: whatever the body, an event is either refused or has an id, a type and
// a resource id, and an amount only with its currency.
func FuzzParseEvent(f *testing.F) {
	for _, name := range []string{"testdata/java-sdk-event.json", "testdata/python-sdk-authorization.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"WH-2","event_type":"PAYMENT.CAPTURE.REVERSED","resource":{"id":"R1","amount":{"currency_code":"JPY","value":"-1000"},"links":[{"rel":"up","href":"/v2/payments/captures/C1"}]}}`))
	f.Add([]byte(`{"id":"","resource":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := ParseEvent(body)
		if err != nil {
			return
		}
		if ev.ID == "" || !eventType.MatchString(ev.Type) || ev.Resource.ID == "" || (ev.Resource.Amount.Minor != 0 && ev.Resource.Amount.Currency == "") {
			t.Fatalf("%q parsed as %+v", body, ev)
		}
	})
}

// FuzzReadHeaders: read headers are whole: an ID and time without '|', a signature, the
// algorithm PayPal uses.
func FuzzReadHeaders(f *testing.F) {
	f.Add("afa30d40-ca4a-11e9-ab68-7d4e2605c70c", "2019-08-29T10:49:33Z", "AAEC", "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1", "SHA256withRSA")
	f.Add("a|b", "2019-08-29T10:49:33+02:00", "", "x", "sha256withrsa")
	f.Fuzz(func(t *testing.T, id, at, sig, certURL, algo string) {
		h, err := ReadHeaders(http.Header{HeaderTransmissionID: {id}, HeaderTransmissionTime: {at}, HeaderTransmissionSig: {sig}, HeaderCertURL: {certURL}, HeaderAuthAlgo: {algo}})
		if err != nil {
			return
		}
		if h.TransmissionID != id || h.TimeText != at || h.Time.IsZero() || len(h.Signature) == 0 || algo != AuthAlgo || h.CertURL != certURL {
			t.Fatalf("read %+v from %q %q %q %q %q", h, id, at, sig, certURL, algo)
		}
	})
}
