package worldpay

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
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

// The payment response goes to the purchase's MC_callback with the installation's callback
// password; the buyer sees the callback's page; a resend posts the same fields again.
func TestPaymentResponsePostedAndResent(t *testing.T) {
	got := make(chan url.Values, 2)
	callback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		got <- r.PostForm
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<p>the callback's page</p>")
	}))
	defer callback.Close()
	s := NewServer([]Installation{{ID: "1", CallbackPassword: "cb-pw"}}, nil)
	hs := httptest.NewServer(s)
	defer hs.Close()
	resp, err := http.PostForm(hs.URL+"/wcc/purchase", url.Values{"instId": {"1"}, "cartId": {"BO-1"}, "amount": {"5.00"},
		"currency": {"GBP"}, "testMode": {"100"}, "authMode": {"E"}, "MC_callback": {callback.URL + "/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	key := regexp.MustCompile(`name="purchase" value="([^"]+)"`).FindSubmatch(page)
	if key == nil {
		t.Fatalf("no purchase on the page: %s", page)
	}
	resp, err = http.PostForm(hs.URL+"/wcc/purchase/decide", url.Values{"purchase": {string(key[1])}, "decision": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	shown, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	first := <-got
	if first.Get("callbackPW") != "cb-pw" || first.Get("transStatus") != "Y" || first.Get("cartId") != "BO-1" || !strings.Contains(string(shown), "the callback's page") {
		t.Fatalf("posted %v; the buyer saw %s", first, shown)
	}
	sent := s.Responses()
	if len(sent) != 1 || sent[0].URL != callback.URL+"/cb" || sent[0].ID != first.Get("transId")+":Y" {
		t.Fatalf("responses: %+v", sent)
	}
	resp, err = http.Post(hs.URL+"/_standin/responses/"+sent[0].ID+"/resend", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("resend: %v %v", resp, err)
	}
	resp.Body.Close()
	if again := <-got; again.Encode() != first.Encode() {
		t.Errorf("the resend posted %v, first %v", again, first)
	}
	if r := s.Responses()[0]; !slices.Equal(r.Deliveries, []int{200, 200}) {
		t.Errorf("deliveries %v", r.Deliveries)
	}
	if resp, _ := http.Post(hs.URL+"/_standin/responses/nope/resend", "", nil); resp == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown resend: %v", resp)
	}
}
