package buyermail_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/buyermail"
)

func authorised(buyer, offering string) checkout.BuyerMail {
	return checkout.BuyerMail{
		Order: checkout.Order{Site: "demo", Ref: "BO-ABCDEFGHJKLM", State: checkout.StateAuthorised,
			Offering: checkout.Offering{Service: "events", Name: offering, PriceMinor: 4900, Currency: "EUR"},
			Buyer:    checkout.Buyer{Name: buyer, Email: "ann@example.com"},
			Amounts:  checkout.Amounts{Currency: "EUR", PriceMinor: 4900, DiscountMinor: 980, TotalMinor: 3920},
			Refs:     checkout.ProviderRefs{TokenID: "tok-id", PNREF: "A10B0C0D0E0F"}},
		MerchantName: "Demo Academy", SupportInfo: "help@demo.example, +49 30 1234567",
	}
}

// The e-mail names what the buyer needs to follow the order (seed 004): the order
// reference, the provider's transaction number, what was bought and what it costs, the
// merchant and its support, and that the amount is reserved, taken later.
func TestRenderNamesTheOrder(t *testing.T) {
	m, err := buyermail.Render(authorised("Ann Lee", "Go Workshop"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Demo Academy: Payment authorised for order BO-ABCDEFGHJKLM" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"Hello Ann Lee,", "Order reference:    BO-ABCDEFGHJKLM", "Transaction number: A10B0C0D0E0F",
		"Item:               Go Workshop", "Amount:             39.20 EUR", "Demo Academy", "Questions? help@demo.example, +49 30 1234567",
		"reserved", "taken later"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
	if strings.Contains(m.Body, "tok-id") {
		t.Errorf("the body shows the payment page's token:\n%s", m.Body)
	}
}

// WorldPay's transId and PayPal's transaction ID are the transaction number of their
// orders; an order without one (none reported yet) leaves the line out.
func TestRenderTransactionOfEachProvider(t *testing.T) {
	m := authorised("Ann", "Go")
	m.Order.Refs = checkout.ProviderRefs{TransactionID: "4T1234567"}
	got, _ := buyermail.Render(m)
	if !strings.Contains(got.Body, "Transaction number: 4T1234567") {
		t.Errorf("body:\n%s", got.Body)
	}
	m.Order.Refs = checkout.ProviderRefs{}
	got, _ = buyermail.Render(m)
	if strings.Contains(got.Body, "Transaction number") {
		t.Errorf("a transaction line without a number:\n%s", got.Body)
	}
}

// Names people typed cannot add a header to the subject, nor lines to the body.
func TestRenderKeepsTypedNamesOnOneLine(t *testing.T) {
	m := authorised("Ann\r\nBcc: evil@example.com", "Go\nWorkshop\u2028X")
	m.MerchantName = "Demo\r\nBcc: evil@example.com"
	got, err := buyermail.Render(m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(got.Subject, "\r\n") || got.Subject != "Demo Bcc: evil@example.com: Payment authorised for order BO-ABCDEFGHJKLM" {
		t.Errorf("subject %q", got.Subject)
	}
	for _, l := range strings.Split(got.Body, "\n") {
		if strings.HasPrefix(l, "Bcc:") || strings.HasPrefix(l, "Workshop") || strings.ContainsAny(l, "\r\u2028") {
			t.Errorf("a typed name broke a line of the body: %q", l)
		}
	}
	if !strings.Contains(got.Body, "Hello Ann Bcc: evil@example.com,") || !strings.Contains(got.Body, "Item:               Go Workshop X") {
		t.Errorf("body:\n%s", got.Body)
	}
}

// An amount that cannot be written is refused for good: retrying will not mend it.
func TestMailerRefusesWhatCannotBeWritten(t *testing.T) {
	m := authorised("Ann", "Go")
	m.Order.Amounts.Currency = "eur"
	s := &sender{}
	_, refused, err := buyermail.New(s).SendBuyerMail(context.Background(), m)
	if err != nil || refused == "" || s.calls != 0 {
		t.Fatalf("refused %q, err %v after %d sends", refused, err, s.calls)
	}
}

// The mailer sends the rendered e-mail to the buyer and passes the sender's outcome on.
func TestMailerSendsToTheBuyer(t *testing.T) {
	s := &sender{err: errors.New("throttled")}
	_, _, err := buyermail.New(s).SendBuyerMail(context.Background(), authorised("Ann", "Go"))
	if err == nil || s.to != "ann@example.com" || !strings.Contains(s.subject, "BO-ABCDEFGHJKLM") {
		t.Fatalf("err %v, sent to %q, subject %q", err, s.to, s.subject)
	}
}

type sender struct {
	calls       int
	to, subject string
	err         error
}

func (s *sender) Deliver(_ context.Context, to, subject, _ string) (string, string, error) {
	s.calls++
	s.to, s.subject = to, subject
	return "msg-1", "", s.err
}

// Whatever the names hold, the subject is one line and the e-mail renders.
func FuzzRender(f *testing.F) {
	f.Add("Ann Lee", "Go Workshop", "Demo Academy")
	f.Add("Zoë\r\nBcc: x@example.com", "Über\u2028Kurs", "Teatro\x00Azul")
	f.Fuzz(func(t *testing.T, buyer, offering, merchant string) {
		m := authorised(buyer, offering)
		m.MerchantName = merchant
		got, err := buyermail.Render(m)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(got.Subject, "\r\n\u2028\u2029\x00") || !strings.Contains(got.Subject, m.Order.Ref) {
			t.Fatalf("subject %q", got.Subject)
		}
		if !strings.Contains(got.Body, "Order reference:    "+m.Order.Ref+"\n") {
			t.Fatalf("body:\n%s", got.Body)
		}
	})
}
