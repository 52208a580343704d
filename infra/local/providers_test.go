package local

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestNotifierPostsTheForm(t *testing.T) {
	got := make(chan url.Values, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("%s %s", r.Method, r.Header.Get("Content-Type"))
		}
		_ = r.ParseForm()
		got <- r.PostForm
	}))
	defer hs.Close()
	notifier(nil)(context.Background(), hs.URL+"/webhooks/worldpay", url.Values{"transStatus": {"Y"}, "cartId": {"ORD-1"}})
	if f := <-got; f.Get("transStatus") != "Y" || f.Get("cartId") != "ORD-1" {
		t.Errorf("posted %v", f)
	}
}
