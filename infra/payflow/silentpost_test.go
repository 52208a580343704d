package payflow

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// An approval is posted to the token's SILENTPOSTURL, as a form in Payflow's fields, before
// the browser is sent on; a decline is not. The outbox's API lists what was posted and
// posts one again byte for byte; an inquiry on the token finds the posted transaction.
func TestSilentPostIsPostedListedAndResent(t *testing.T) {
	type delivery struct {
		contentType string
		body        string
	}
	got := make(chan delivery, 8)
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- delivery{r.Header.Get("Content-Type"), string(b)}
		w.WriteHeader(http.StatusOK)
	}))
	defer listener.Close()
	srv := NewServer(merchant)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	ep := payflow.Endpoints{API: hs.URL, Page: hs.URL + PagePath}
	client, err := payflow.NewClient(hs.Client(), map[provider.Env]payflow.Endpoints{provider.Sandbox: ep, provider.Live: ep}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pay := func(decision string) (payflow.SecureToken, url.Values) {
		t.Helper()
		tok, err := client.CreateSecureToken(t.Context(), provider.Sandbox, merchant, payflow.TokenRequest{TokenID: payflow.NewTokenID(),
			Amount: 4900, Currency: "USD", Invoice: "BO-1", ReturnURL: "https://shop.example/done", CancelURL: "https://shop.example/cancel",
			SilentPostURL: listener.URL + "/webhooks/acme/payflow"})
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{}
		for _, f := range tok.Page.Fields {
			form.Add(f.Name, f.Value)
		}
		_, posted, err := Buy(hs.Client(), tok.Page.URL, form, decision)
		if err != nil {
			t.Fatal(err)
		}
		return tok, posted
	}
	tok, back := pay(standinpage.Approve)
	var first delivery
	select {
	case first = <-got:
	default:
		t.Fatal("no Silent Post before the browser was sent on")
	}
	fields, err := url.ParseQuery(first.body)
	if err != nil || first.contentType != "application/x-www-form-urlencoded" || fields.Get("RESULT") != "0" ||
		fields.Get("PNREF") != back.Get("PNREF") || fields.Get("SECURETOKEN") != tok.Token || fields.Get("SECURETOKENID") != tok.TokenID ||
		fields.Get("AMT") != "49.00" || fields.Get("AUTHCODE") == "" || !strings.HasPrefix(first.body, "RESULT=0&RESPMSG=Approved&PNREF=") {
		t.Fatalf("the Silent Post: %q (%s), %v", first.body, first.contentType, err)
	}
	inq, err := client.Inquire(t.Context(), provider.Sandbox, merchant, tok.Token, "USD")
	if err != nil || inq.PNREF != fields.Get("PNREF") || inq.OrigResult != 0 || inq.Amount != 4900 {
		t.Errorf("inquiry of the posted transaction: %+v, %v", inq, err)
	}
	pay(standinpage.Decline)
	select {
	case d := <-got:
		t.Errorf("a Silent Post for a decline: %q", d.body)
	default:
	}

	resp, err := http.Get(hs.URL + "/_standin/silent-posts")
	if err != nil {
		t.Fatal(err)
	}
	var list []SilentPostSent
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil || len(list) != 1 || list[0].ID != fields.Get("PNREF") || list[0].Kind != KindSilentPost ||
		list[0].URL != listener.URL+"/webhooks/acme/payflow" || len(list[0].Deliveries) != 1 || list[0].Deliveries[0] != 200 {
		t.Fatalf("listed: %+v, %v", list, err)
	}
	resp, err = http.Post(hs.URL+"/_standin/silent-posts/"+list[0].ID+"/resend", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("resend: %v %v", resp, err)
	}
	resp.Body.Close()
	if again := <-got; again != first {
		t.Errorf("resent %+v, first %+v", again, first)
	}
	if sent := srv.SilentPosts(); len(sent) != 1 || len(sent[0].Deliveries) != 2 {
		t.Errorf("after the resend: %+v", sent)
	}
	if resp, err := http.Post(hs.URL+"/_standin/silent-posts/ENOSUCH/resend", "", nil); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("resend of an unknown one: %v %v", resp, err)
	}
}
