package expresscheckout

import (
	"context"
	"net/url"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage/paymentpagetest"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// FuzzReplies: whatever PayPal answers, a checkout's details, a payment and a capture are
// what the reply says, read as name-value pairs: a Failure is a refusal with its L_ERRORCODE0 (or a
// retryable failure for PayPal's internal errors), a Success is believed only when it names
// our checkout (or authorisation) and an amount in its currency, and anything else is an unusable answer.
func FuzzReplies(f *testing.F) {
	for _, s := range []string{
		"ACK=Success&TOKEN=EC-ABCDEFGHIJKLMNOPQ&PAYERID=ABCDEFGHIJKLM&PAYMENTREQUEST_0_AMT=12.34&PAYMENTREQUEST_0_CURRENCYCODE=USD",
		"ACK=Success&TOKEN=EC-ABCDEFGHIJKLMNOPQ&PAYMENTINFO_0_TRANSACTIONID=9X&PAYMENTINFO_0_AMT=12.34&PAYMENTINFO_0_CURRENCYCODE=USD",
		"ACK=Failure&L_ERRORCODE0=10417&L_LONGMESSAGE0=Use+another", "ACK=Failure&L_ERRORCODE0=10001", "ACK=Success",
		"ACK=Warning", "", "%zz", "ACK=SuccessWithWarning&TOKEN=EC-OTHERTOKEN000000&PAYMENTREQUEST_0_AMT=1&PAYMENTREQUEST_0_CURRENCYCODE=USD",
	} {
		for call := range uint8(3) {
			f.Add(200, []byte(s), call)
		}
	}
	f.Add(200, []byte("ACK=Success&AUTHORIZATIONID=AUTH1&TRANSACTIONID=CAP1&PAYMENTSTATUS=Completed&AMT=12.34"), uint8(2))
	f.Add(500, []byte("ACK=Success"), uint8(0))
	f.Fuzz(func(t *testing.T, status int, body []byte, call uint8) {
		if status < 100 || status > 999 {
			return
		}
		ep := paypal.Endpoints{API: "https://api.example", Web: "https://www.example"}
		c, err := NewClient(paymentpagetest.Reply{Status: status, Body: body}, map[provider.Env]paypal.Endpoints{provider.Sandbox: ep, provider.Live: ep},
			func(context.Context, provider.Env) (paypal.Credentials, error) {
				return paypal.Credentials{UserID: "u", Password: "p"}, nil
			}, nil)
		if err != nil {
			t.Fatal(err)
		}
		perm := paypal.Permission{Token: "t", TokenSecret: "s"}
		token := "EC-ABCDEFGHIJKLMNOPQ"
		reply, perr := url.ParseQuery(string(body))
		ack := reply.Get("ACK")
		var got any
		switch call % 3 {
		case 0:
			got, err = c.GetDetails(context.Background(), provider.Sandbox, perm, token)
		case 1:
			got, err = c.DoPayment(context.Background(), provider.Sandbox, perm, Return{Token: token, PayerID: "ABCDEFGHIJKLM"}, 1234, "USD", "ORD", "")
		default:
			got, err = c.DoCapture(context.Background(), provider.Sandbox, perm, "AUTH1", 1234, "USD", "ORD")
		}
		switch {
		case status != 200 || perr != nil || (ack != "Success" && ack != "SuccessWithWarning" && ack != "Failure" && ack != "FailureWithWarning"):
			if _, ok := err.(*paymentpage.Unavailable); !ok {
				t.Fatalf("%d %q: %+v, %v; want unavailable", status, body, got, err)
			}
		case ack == "Failure" || ack == "FailureWithWarning":
			if code := reply.Get("L_ERRORCODE0"); !(transient[code] && paymentpage.IsRetryable(err)) && ErrorCode(err) != code {
				t.Fatalf("%q: %v, want refused %q", body, err, code)
			}
		case err == nil && call%3 == 0:
			d := got.(Details)
			amt, aerr := paymentpage.ParseAmount(reply.Get("PAYMENTREQUEST_0_AMT"), reply.Get("PAYMENTREQUEST_0_CURRENCYCODE"))
			if d.Token != token || aerr != nil || d.Amount != amt || d.PayerID != reply.Get("PAYERID") {
				t.Fatalf("%q: %+v", body, d)
			}
		case err == nil && call%3 == 2:
			cp := got.(Capture)
			amt, aerr := paymentpage.ParseAmount(reply.Get("AMT"), "USD")
			if reply.Get("AUTHORIZATIONID") != "AUTH1" || cp.TransactionID == "" || cp.TransactionID != reply.Get("TRANSACTIONID") || aerr != nil || cp.Amount != amt {
				t.Fatalf("%q: %+v", body, cp)
			}
		case err == nil:
			p := got.(Payment)
			if p.AuthorizationID != reply.Get("PAYMENTINFO_0_TRANSACTIONID") || p.AuthorizationID == "" || reply.Get("PAYMENTINFO_0_CURRENCYCODE") != "USD" {
				t.Fatalf("%q: %+v", body, p)
			}
		default:
			if _, ok := err.(*paymentpage.Unavailable); !ok {
				t.Fatalf("%q: %v; a success not believed must be unavailable", body, err)
			}
		}
	})
}

// FuzzParseReturn: a return URL's query is read as one token and one PayerID of PayPal's
// formats, or refused.
func FuzzParseReturn(f *testing.F) {
	f.Add("token=EC-ABCDEFGHIJKLMNOPQ&PayerID=ABCDEFGHIJKLM")
	f.Add("token=EC-ABCDEFGHIJKLMNOPQ&token=EC-ABCDEFGHIJKLMNOPR&PayerID=ABCDEFGHIJKLM")
	f.Add("token=EC-x&PayerID=")
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		r, err := ParseReturn(q)
		if err != nil {
			return
		}
		if len(q["token"]) != 1 || len(q["PayerID"]) != 1 || r.Token != q.Get("token") || r.PayerID != q.Get("PayerID") ||
			!tokenFormat().MatchString(r.Token) || !payerIDFormat().MatchString(r.PayerID) {
			t.Fatalf("ParseReturn(%q) = %+v", query, r)
		}
	})
}
