package worldpay

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage/paymentpagetest"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// FuzzAdminReplies: whatever remote administration answers, a capture succeeded only when
// the reply is A followed by the captured transaction's ID; N or E is a refusal with the
// message; anything else (Y, an A about another transaction) is an unusable answer, never
// a success.
func FuzzAdminReplies(f *testing.F) {
	for _, s := range []string{"Y,Transaction captured", "A,123", "A,123,Captured", "A,1234567890", "A,", "E,Authentication failed", "N,", "", "<html>", "Y", " Y,ok\n", "YES,ok"} {
		f.Add(200, []byte(s))
	}
	f.Add(503, []byte("Y,ok"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		ep := Endpoints{Purchase: "https://wp.example/p", Admin: "https://wp.example/a"}
		c, err := NewClient(paymentpagetest.Reply{Status: status, Body: body}, map[provider.Env]Endpoints{provider.Sandbox: ep, provider.Live: ep}, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Capture(context.Background(), provider.Sandbox, RemoteAdmin{InstallationID: "1", Password: "p"}, "123")
		code, rest, _ := strings.Cut(strings.TrimSpace(string(body)), ",")
		id, _, _ := strings.Cut(rest, ",")
		_, isRefused := paymentpage.IsRefused(err)
		_, isUnavailable := err.(*paymentpage.Unavailable)
		switch {
		case status != 200:
			if !isUnavailable {
				t.Fatalf("%d: %v", status, err)
			}
		case code == "A" && id == "123":
			if err != nil {
				t.Fatalf("%q: %v", body, err)
			}
		case code == "N" || code == "E":
			if !isRefused {
				t.Fatalf("%q: %v, want refused", body, err)
			}
		default:
			if !isUnavailable {
				t.Fatalf("%q: %v, want unavailable", body, err)
			}
		}
	})
}

// FuzzPaymentResponse: a payment response (from anyone) is refused or read as sent: the
// status Y or C, the cart and installation as posted, an authorised one naming its
// transaction, the amount in its currency; and never authenticated without the password.
func FuzzPaymentResponse(f *testing.F) {
	f.Add("transStatus=Y&transId=1234567890&cartId=ORD-1&instId=211616&amount=12.34&currency=GBP&callbackPW=pw&authMode=E&testMode=100")
	f.Add("transStatus=C&cartId=ORD-1&instId=211616&amount=12.34&currency=GBP")
	f.Add("transStatus=Y&transStatus=C&cartId=ORD-1&instId=1&amount=1.00&currency=GBP")
	f.Add("transStatus=Y&cartId=ORD-1&instId=1&amount=1&currency=JPY&callbackPW=")
	f.Fuzz(func(t *testing.T, query string) {
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		r, err := ParsePaymentResponse(form)
		if err != nil {
			return
		}
		amount, aerr := paymentpage.ParseAmount(form.Get("amount"), form.Get("currency"))
		if (r.Status != "Y" && r.Status != "C") || r.Status != form.Get("transStatus") || r.CartID != form.Get("cartId") ||
			r.InstallationID != form.Get("instId") || (r.Status == "Y" && r.TransID == "") || aerr != nil || amount != r.Amount {
			t.Fatalf("ParsePaymentResponse(%q) = %+v", query, r)
		}
		if r.Authenticate("") == nil || (form.Get("callbackPW") != "x-pw" && r.Authenticate("x-pw") == nil) {
			t.Fatalf("%q authenticated with the wrong password", query)
		}
	})
}
