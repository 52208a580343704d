package worldpay

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestRemoteAdminRefuses(t *testing.T) {
	hs := httptest.NewServer(NewServer([]Installation{{ID: "1"}}, []RemoteAdmin{{ID: "2", Password: "pw", For: "1"}}))
	defer hs.Close()
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"instId": {"2"}, "authPW": {"guess"}, "op": {"postAuth-full"}, "transId": {"1"}}, "E,Authentication failed"},
		{url.Values{"instId": {"1"}, "authPW": {"pw"}, "op": {"postAuth-full"}, "transId": {"1"}}, "E,Authentication failed"},
		{url.Values{"instId": {"2"}, "authPW": {"pw"}, "op": {"refund-full"}, "transId": {"1"}}, "E,Unknown operation"},
		{url.Values{"instId": {"2"}, "authPW": {"pw"}, "op": {"postAuth-full"}, "transId": {"1"}}, "E,Transaction not found"},
	} {
		resp, err := http.PostForm(hs.URL+"/wcc/itransaction", c.form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != c.want {
			t.Errorf("%v: %q, want %q", c.form, b, c.want)
		}
	}
	for _, q := range []string{
		"instId=1&cartId=c&amount=1.00&currency=XXX", "instId=1&cartId=&amount=1.00&currency=GBP",
		"instId=1&cartId=c&amount=1&currency=GBP", "instId=1&cartId=c&amount=1.00&currency=GBP&authMode=Z",
	} {
		resp, err := http.Get(hs.URL + "/wcc/purchase?" + q)
		if err != nil || resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %v %v", q, resp, err)
		}
	}
}
