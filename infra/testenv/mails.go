package testenv

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Mail is a mail as the SES emulator holds it.
type Mail struct {
	MessageID   string `json:"messageId"`
	Subject     string `json:"subject"`
	Destination struct {
		To []string `json:"to"`
	} `json:"destination"`
	Body struct {
		Text string `json:"text"`
	} `json:"body"`
}

// MailsTo lists the mails the SES emulator at sesURL holds per recipient of domain (a
// test's own, so that other tests' mails are not counted).
func MailsTo(t testing.TB, sesURL, domain string) map[string][]Mail {
	t.Helper()
	resp, err := http.Get(sesURL + "/store")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var store struct {
		Emails []Mail `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		t.Fatal(err)
	}
	out := map[string][]Mail{}
	for _, m := range store.Emails {
		for _, to := range m.Destination.To {
			if strings.HasSuffix(to, "@"+domain) {
				out[to] = append(out[to], m)
			}
		}
	}
	return out
}

// MailDomain is a domain of its own for one test's recipients.
func MailDomain() string { return "t" + randomHex(6) + ".example" }
