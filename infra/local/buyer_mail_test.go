package local

import (
	"strings"

	"github.com/boxofficehq/boxoffice/infra/testenv"
)

// oneBuyerMail checks the mail viewer (the SES emulator) holds exactly one e-mail of
// order ref to its buyer: the authorisation's, naming the merchant and the order.
func (j *journey) oneBuyerMail(ref string) {
	j.t.Helper()
	var got []testenv.Mail
	for _, m := range testenv.MailsTo(j.t, j.local.SESURL, "example.com")["ann@example.com"] {
		if strings.Contains(m.Subject, ref) {
			got = append(got, m)
		}
	}
	if len(got) != 1 || got[0].Subject != "Acme: Payment authorised for order "+ref || !strings.Contains(got[0].Body.Text, "Transaction number: ") {
		j.t.Fatalf("the buyer's e-mails of %s: %+v, want one", ref, got)
	}
}
