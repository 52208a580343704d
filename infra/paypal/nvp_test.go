package paypal

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
)

func TestNVPRefusesUnsignedCalls(t *testing.T) {
	hs := httptest.NewServer(NewServer(paypal.Credentials{UserID: "u", Password: "p", Signature: "s", AppID: "a"}))
	defer hs.Close()
	for _, c := range []struct {
		form url.Values
		code string
	}{
		{url.Values{"METHOD": {"SetExpressCheckout"}, "VERSION": {"124.0"}, "USER": {"u"}, "PWD": {"p"}, "SIGNATURE": {"s"}}, "10002"},
		{url.Values{"METHOD": {"RefundTransaction"}, "VERSION": {"124.0"}}, "81002"},
		{url.Values{"METHOD": {"DoVoid"}}, "10002"},
	} {
		resp, err := http.PostForm(hs.URL+"/nvp", c.form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		reply, err := url.ParseQuery(string(b))
		if err != nil || reply.Get("ACK") != "Failure" || reply.Get("L_ERRORCODE0") != c.code || reply.Get("CORRELATIONID") == "" {
			t.Errorf("%v: %s, want %s", c.form, b, c.code)
		}
	}
	resp, err := http.Get(hs.URL + "/cgi-bin/webscr?cmd=_express-checkout&token=EC-UNKNOWN")
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown checkout's page: %v %v", resp, err)
	}
}
