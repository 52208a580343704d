package payflow

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage/paymentpagetest"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

func TestDecode(t *testing.T) {
	got, err := Decode("RESULT=0&RESPMSG=Approved&SECURETOKEN[25]=Fj+1AFUWft0+I0CUFOKh5WA==&SECURETOKENID=9a9ea8208de1413abc3d60c86cb1f4c5")
	if err != nil || got["SECURETOKEN"] != "Fj+1AFUWft0+I0CUFOKh5WA==" || got["RESULT"] != "0" || got["SECURETOKENID"] != "9a9ea8208de1413abc3d60c86cb1f4c5" {
		t.Fatalf("Decode = %v, %v", got, err)
	}
	if got, err := Decode("A[3]=x&y&B=1"); err != nil || got["A"] != "x&y" || got["B"] != "1" {
		t.Errorf("a tagged value with &: %v, %v", got, err)
	}
	for _, bad := range []string{"A", "=1", "A=1&", "A=1&A=2", "A[x]=1", "A[5]=abc", "A[1]=ab", "A[-1]=", "A[]=", "&A=1", "A[2]x"} {
		if got, err := Decode(bad); err == nil {
			t.Errorf("Decode(%q) = %v, want an error", bad, got)
		}
	}
}

// FuzzDecode: a reply is read one way or refused: whatever Decode reads, Encode writes in a
// form Decode reads back to the same fields, so no field can be smuggled into another.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"RESULT=0&PNREF=EFHP0D426838&RESPMSG=Approved", "SECURETOKEN[25]=Fj+1AFUWft0+I0CUFOKh5WA==&SECURETOKENID=x",
		"A[3]=x&y&B=1", "A[0]=&B=", "RESULT=-1", "A=1&&B=2", "A[99999999999999999999]=1", "A==1", "A[1]=&",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Decode(s)
		if err != nil {
			return
		}
		var fields []paymentpage.Field
		for k, v := range got {
			if k == "" || strings.ContainsAny(k, "=&[") {
				t.Fatalf("Decode(%q) read the name %q", s, k)
			}
			fields = append(fields, paymentpage.Field{Name: k, Value: v})
		}
		again, err := Decode(Encode(fields))
		if err != nil || len(again) != len(got) {
			t.Fatalf("Decode(%q) = %v; its encoding reads back as %v, %v", s, got, again, err)
		}
		for k, v := range got {
			if again[k] != v {
				t.Fatalf("%s: %q became %q", k, v, again[k])
			}
		}
	})
}

// FuzzParseReturn: what the hosted page or the Silent Post (or anyone) posts is refused, or
// read as posted: the token, its ID, RESULT, AMT and CURRENCY as sent, and an approval
// always naming its transaction.
func FuzzParseReturn(f *testing.F) {
	id := "01234567-89ab-cdef-0123-456789abcdef"
	f.Add("RESULT=0&PNREF=EFHP0D426838&SECURETOKEN=tok&SECURETOKENID=" + id + "&AMT=12.34")
	f.Add("RESULT=12&RESPMSG=Declined&SECURETOKEN=tok&SECURETOKENID=" + id)
	f.Add("RESULT=0&SECURETOKEN=tok&SECURETOKENID=" + id)
	f.Add("RESULT=0&RESULT=12&PNREF=E&SECURETOKEN=tok&SECURETOKENID=" + id)
	f.Add("RESULT=x&SECURETOKEN=tok&SECURETOKENID=short")
	// A Silent Post as Payflow's guide shows one (short list), and with CURRENCY twice.
	f.Add("RESULT=0&PNREF=B70CCC236815&RESPMSG=Approved&AUTHCODE=111PNI&AVSDATA=YNY&AMT=49.00&TRXTYPE=A&TENDER=CC" +
		"&INVNUM=BO-AAAAAAAAAAAA&INVOICE=BO-AAAAAAAAAAAA&SECURETOKEN=Fj%2B1AFUWft0%2BI0CUFOKh5WA%3D%3D&SECURETOKENID=" + id +
		"&TRANSTIME=2026-06-01+12%3A00%3A00&CURRENCY=USD")
	f.Add("RESULT=0&PNREF=B70CCC236815&AMT=49.00&CURRENCY=USD&CURRENCY=EUR&SECURETOKEN=tok&SECURETOKENID=" + id)
	f.Fuzz(func(t *testing.T, query string) {
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		r, err := ParseReturn(form)
		if err != nil {
			return
		}
		posted, perr := strconv.Atoi(form.Get("RESULT"))
		if r.Token != form.Get("SECURETOKEN") || r.Token == "" || r.TokenID != form.Get("SECURETOKENID") || len(r.TokenID) != 36 ||
			perr != nil || posted != r.Result || len(form["RESULT"]) != 1 || (r.Result == 0 && r.PNREF == "") ||
			r.Amount != form.Get("AMT") || r.Currency != form.Get("CURRENCY") || len(form["CURRENCY"]) > 1 {
			t.Fatalf("ParseReturn(%q) = %+v", query, r)
		}
	})
}

// FuzzGatewayReplies: whatever the gateway answers, a secure token is created only from a
// reply with RESULT=0 carrying a token for our token ID, and an inquiry is believed only
// whole (ORIGRESULT, ORIGPNREF, TRANSSTATE and AMT all read); a RESULT above zero is a
// refusal with that code, below zero a retryable failure, anything else an unusable answer.
func FuzzGatewayReplies(f *testing.F) {
	id := "01234567-89ab-cdef-0123-456789abcdef"
	for _, s := range []string{
		"RESULT=0&RESPMSG=Approved&SECURETOKEN[25]=Fj+1AFUWft0+I0CUFOKh5WA==&SECURETOKENID=" + id,
		"RESULT=0&SECURETOKEN=abc&SECURETOKENID=other", "RESULT=1&RESPMSG=User authentication failed",
		"RESULT=-31&RESPMSG=The certificate chain did not validate", "RESULT=0", "", "<html>", "RESULT=0&RESULT=0",
	} {
		f.Add(200, []byte(s), false)
	}
	for _, s := range []string{
		"RESULT=0&ORIGRESULT=0&ORIGPNREF=EFHP0D426838&TRANSSTATE=3&AMT=1.00", "RESULT=0&ORIGRESULT=12&ORIGPNREF=E1&TRANSSTATE=1&AMT=1.00",
		"RESULT=19&RESPMSG=Original transaction ID not found", "RESULT=0&ORIGRESULT=0&ORIGPNREF=E1&TRANSSTATE=3&AMT=1.0", "RESULT=0&ORIGRESULT=x",
	} {
		f.Add(200, []byte(s), true)
	}
	f.Add(502, []byte("RESULT=0&SECURETOKEN=abc&SECURETOKENID="+id), false)
	f.Fuzz(func(t *testing.T, status int, body []byte, inquire bool) {
		if status < 100 || status > 999 {
			return
		}
		ep := Endpoints{API: "https://payflow.example", Page: "https://page.example"}
		c, err := NewClient(paymentpagetest.Reply{Status: status, Body: body}, map[provider.Env]Endpoints{provider.Sandbox: ep, provider.Live: ep}, nil)
		if err != nil {
			t.Fatal(err)
		}
		creds := Credentials{Partner: "P", Vendor: "v", User: "u", Password: "p"}
		reply, derr := Decode(string(body))
		result, rerr := strconv.Atoi(reply["RESULT"])
		if inquire {
			inq, err := c.Inquire(context.Background(), provider.Sandbox, creds, "tok", "USD")
			orig, oerr := strconv.Atoi(reply["ORIGRESULT"])
			state, serr := strconv.Atoi(reply["TRANSSTATE"])
			amt, aerr := paymentpage.ParseAmount(reply["AMT"], "USD")
			whole := status == 200 && derr == nil && rerr == nil && result == 0 && oerr == nil && serr == nil && aerr == nil && reply["ORIGPNREF"] != ""
			switch {
			case whole:
				if err != nil || inq.OrigResult != orig || inq.PNREF != reply["ORIGPNREF"] || inq.TransState != state || inq.Amount != amt {
					t.Fatalf("%q: %+v, %v", body, inq, err)
				}
			case status == 200 && derr == nil && rerr == nil && result > 0:
				if ResultCode(err) != result {
					t.Fatalf("%q: %v, want RESULT %d refused", body, err, result)
				}
			case err == nil:
				t.Fatalf("%d %q: %+v believed", status, body, inq)
			}
			return
		}
		tok, err := c.CreateSecureToken(context.Background(), provider.Sandbox, creds, TokenRequest{
			TokenID: id, Amount: 100, Currency: "USD", Invoice: "ORD", ReturnURL: "https://r.example", CancelURL: "https://c.example",
		})
		switch {
		case status != 200 || derr != nil || rerr != nil:
			if _, ok := err.(*paymentpage.Unavailable); !ok {
				t.Fatalf("%d %q: %+v, %v; want unavailable", status, body, tok, err)
			}
		case result > 0:
			if ResultCode(err) != result {
				t.Fatalf("%q: %v, want RESULT %d refused", body, err, result)
			}
		case result < 0:
			if !paymentpage.IsRetryable(err) {
				t.Fatalf("%q: %v, want retryable", body, err)
			}
		case reply["SECURETOKENID"] != id || reply["SECURETOKEN"] == "" || len(reply["SECURETOKEN"]) > 64:
			if _, ok := err.(*paymentpage.Unavailable); !ok {
				t.Fatalf("%q: %+v, %v; want unavailable", body, tok, err)
			}
		default:
			if err != nil || tok.Token != reply["SECURETOKEN"] || tok.Page.Value("SECURETOKEN") != tok.Token || tok.Page.URL != ep.Page {
				t.Fatalf("%q: %+v, %v", body, tok, err)
			}
		}
	})
}
