// Package buyermail writes and sends the buyer's e-mail on authorisation (seed 004): plain
// text naming the order reference and the provider's transaction number, so the buyer can
// follow the order, what was bought and its amount, the merchant and its support info, and
// that the amount is reserved and taken later. checkout decides when it is sent (once).
package buyermail

import (
	"context"
	"fmt"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// Message is one rendered e-mail.
type Message struct {
	Subject, Body string
}

// Render writes m's e-mail. Everything people typed (the buyer's, offering's and
// merchant's names) is put on one line, so it cannot add a header to the subject or
// break the body's layout. It fails only for an amount that cannot be written (a
// currency no provider takes), which retrying does not mend.
func Render(m checkout.BuyerMail) (Message, error) {
	o := m.Order
	amount, err := paymentpage.FormatAmount(o.Amounts.TotalMinor, o.Amounts.Currency)
	if err != nil {
		return Message{}, fmt.Errorf("the amount of order %s: %w", o.Ref, err)
	}
	merchant := plaintext.OneLine(m.MerchantName)
	subject := "Payment authorised for order " + o.Ref
	if merchant != "" {
		subject = merchant + ": " + subject
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	if name := plaintext.OneLine(o.Buyer.Name); name != "" {
		line("Hello %s,", name)
	} else {
		line("Hello,")
	}
	line("")
	seller := merchant
	if seller == "" {
		seller = "us"
	}
	line("thank you for your order with %s. Your payment is authorised: the amount is", seller)
	line("reserved on your card or account, and will only be taken later.")
	line("")
	line("Order reference:    %s", o.Ref)
	if txn := o.Refs.Transaction(); txn != "" {
		line("Transaction number: %s", plaintext.OneLine(txn))
	}
	line("Item:               %s", plaintext.OneLine(o.Offering.Name))
	line("Amount:             %s %s", amount, o.Amounts.Currency)
	line("")
	line("Please keep the order reference and the transaction number: they let you and")
	line("%s follow your order.", seller)
	if support := strings.TrimSpace(m.SupportInfo); support != "" {
		line("")
		line("Questions? %s", support)
	}
	return Message{Subject: plaintext.OneLine(subject), Body: b.String()}, nil
}

// Sender sends one plain-text e-mail, telling a permanent refusal (refused: why) from a
// failure worth retrying (err); *sesmail.Sender is one.
type Sender interface {
	Deliver(ctx context.Context, to, subject, body string) (messageID, refused string, err error)
}

// Mailer sends the buyer e-mails through a Sender.
type Mailer struct {
	s Sender
}

var _ checkout.BuyerMailer = (*Mailer)(nil)

// New returns the mailer over s.
func New(s Sender) *Mailer { return &Mailer{s: s} }

// SendBuyerMail renders m and sends it to the buyer.
func (ml *Mailer) SendBuyerMail(ctx context.Context, m checkout.BuyerMail) (string, string, error) {
	msg, err := Render(m)
	if err != nil {
		return "", err.Error(), nil
	}
	return ml.s.Deliver(ctx, m.Order.Buyer.Email, msg.Subject, msg.Body)
}
