package payflow

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
)

var merchant = payflow.Credentials{Partner: "PayPal", Vendor: "acme", User: "acme", Password: "pw"}

func gatewayCall(t *testing.T, to, requestID, body string) map[string]string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, to, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/namevalue")
	if requestID != "" {
		req.Header.Set("X-VPS-REQUEST-ID", requestID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	reply, err := payflow.Decode(string(b))
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/namevalue" {
		t.Fatalf("%d %q: %v", resp.StatusCode, b, err)
	}
	return reply
}

func TestGatewayRefusesAsPayflow(t *testing.T) {
	hs := httptest.NewServer(NewServer(merchant))
	defer hs.Close()
	login := "PARTNER=PayPal&VENDOR=acme&USER=acme&PWD=pw&"
	for _, c := range []struct {
		requestID, body, result string
	}{
		{"", login + "TRXTYPE=I&ORIGID=E1", "7"}, // no request ID
		{"r1", "PARTNER=PayPal&VENDOR=acme&USER=acme&PWD=guess&TRXTYPE=I", "1"},
		{"r2", login + "TRXTYPE=Q", "3"},
		{"r3", login + "TRXTYPE=A&AMT=1.00&CURRENCY=USD", "23"}, // card data only on the hosted page
		{"r4", login + "TRXTYPE=A&CREATESECURETOKEN=Y&SECURETOKENID=abc&AMT=1.0&CURRENCY=USD", "4"},
		{"r5", login + "TRXTYPE=A&CREATESECURETOKEN=Y&AMT=1.00&CURRENCY=USD", "7"},
		{"r6", login + "TRXTYPE=D&TENDER=C&ORIGID=ENOSUCH", "19"},
		{"r8", login + "TRXTYPE=D&ORIGID=ENOSUCH", "2"}, // a follow-on transaction names its tender
		{"r9", login + "TRXTYPE=V&ORIGID=ENOSUCH", "2"},
		{"r10", login + "TRXTYPE=I&SECURETOKEN=x", "2"},
		{"r7", login + "TRXTYPE[1]=D&ORIGID[40]=x", "7"}, // a length tag past the end
	} {
		if got := gatewayCall(t, hs.URL, c.requestID, c.body); got["RESULT"] != c.result || got["RESPMSG"] == "" {
			t.Errorf("%q: %v, want RESULT %s", c.body, got, c.result)
		}
	}
	// A repeated request ID is answered as the first time, marked a duplicate.
	token := login + "TRXTYPE=A&CREATESECURETOKEN=Y&SECURETOKENID=0123456789&AMT=5.00&CURRENCY=USD"
	first := gatewayCall(t, hs.URL, "same", token)
	again := gatewayCall(t, hs.URL, "same", token)
	// The token is shaped like Payflow's: base64 of up to 32 characters, = and all, read
	// back intact through its length tag.
	if tok := first["SECURETOKEN"]; len(tok) > 32 || !strings.HasSuffix(tok, "=") {
		t.Errorf("secure token %q is not shaped like Payflow's", tok)
	}
	if first["RESULT"] != "0" || again["SECURETOKEN"] != first["SECURETOKEN"] || again["DUPLICATE"] != "1" || first["DUPLICATE"] != "" {
		t.Errorf("first %v, again %v", first, again)
	}
	// The hosted page does not show a token it does not know.
	resp, err := http.PostForm(hs.URL+PagePath, url.Values{"SECURETOKEN": {"nope"}, "SECURETOKENID": {"0123456789"}})
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown token's page: %v %v", resp, err)
	}
}
