package checkout

import (
	"context"
	"crypto/rand"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/settings"
)

// MailLease is how long one sender holds an order's buyer e-mail: well past a send with
// all its retries (sesmail's backoff) and a function's timeout, so two senders never hold
// it at once; a sender that died with it frees it when the lease runs out.
const MailLease = 3 * time.Minute

// MailState is where the buyer's e-mail of an authorised order stands. The move to
// authorised writes it due, in the move's own transaction; a sender claims it for a lease,
// then records it sent (with SES's message id), refused for good, or due again.
type MailState struct {
	// LeaseUntil is when the current sender's claim runs out (zero: never claimed).
	LeaseUntil time.Time
	SentAt     time.Time
	MessageID  string
	// Refused says why it can never be sent (SES rejected the address); it is not retried.
	Refused  string
	Attempts int
}

// Due reports whether the e-mail is still to be sent and no sender holds it at now.
func (m *MailState) Due(now time.Time) bool {
	return m != nil && m.SentAt.IsZero() && m.Refused == "" && !now.Before(m.LeaseUntil)
}

// OrderID names one order.
type OrderID struct{ Site, Ref string }

// MailLedger keeps the buyer e-mails due; the orders store writes one with each move to
// authorised (Orders.Move and Orders.Notice), so no authorisation goes without one.
type MailLedger interface {
	// ClaimMail takes the order's e-mail for lease until until if it is due at now (unsent,
	// not refused, no lease in force); false when it is not, or the order has none.
	ClaimMail(ctx context.Context, site, ref, lease string, until, now time.Time) (bool, error)
	// MailSent records the e-mail sent under lease, with SES's message id.
	MailSent(ctx context.Context, site, ref, lease, messageID string, at time.Time) error
	// MailFailed ends lease: the e-mail is due again from at, or, when refused is set,
	// never sent (why is recorded either way).
	MailFailed(ctx context.Context, site, ref, lease, why string, refused bool, at time.Time) error
	// MailsDue lists up to limit orders whose e-mail is due at now.
	MailsDue(ctx context.Context, now time.Time, limit int) ([]OrderID, error)
}

// BuyerMail is the buyer's e-mail on authorisation (seed 004): the order, with the
// merchant's name and support info from the service's settings.
type BuyerMail struct {
	Order        Order
	MerchantName string
	SupportInfo  string
}

// BuyerMailer sends the buyer's e-mail on authorisation.
type BuyerMailer interface {
	// SendBuyerMail sends m and returns its message id; refused says why it can never be
	// sent (an address SES rejects), err is a failure worth trying again.
	SendBuyerMail(ctx context.Context, m BuyerMail) (messageID, refused string, err error)
}

// mailDue sends o's buyer e-mail if it is due: an order found authorised by a duplicate
// notice, the buyer's return or the sweep, whose e-mail a sender that failed or died left.
func (c *Checkout) mailDue(ctx context.Context, o Order) {
	if c.d.Mailer != nil && o.Mail.Due(c.d.Now()) {
		c.mailBuyer(ctx, o)
	}
}

// mailBuyer claims o's buyer e-mail and sends it, exactly once: only the sender holding
// the claim sends, and it records the outcome. Failures are logged by the order's
// reference (an address is personal data), never returned: the order stays authorised,
// and a due e-mail is sent by the next duplicate notice, the buyer's return or the sweep.
func (c *Checkout) mailBuyer(ctx context.Context, o Order) {
	if c.d.Mailer == nil {
		return
	}
	log := slog.Default()
	now := c.d.Now()
	lease := rand.Text()
	claimed, err := c.d.Mails.ClaimMail(ctx, o.Site, o.Ref, lease, now.Add(MailLease), now)
	if err != nil || !claimed {
		if err != nil {
			log.WarnContext(ctx, "the buyer e-mail of an order could not be claimed; it stays due", "site", o.Site, "order", o.Ref, "error", err.Error())
		}
		return
	}
	id, refused, err := c.sendBuyerMail(ctx, o)
	at := c.d.Now()
	switch {
	case err != nil:
		log.WarnContext(ctx, "the buyer e-mail of an order was not sent; it stays due", "site", o.Site, "order", o.Ref, "error", err.Error())
		c.recordMail(ctx, o, c.d.Mails.MailFailed(ctx, o.Site, o.Ref, lease, err.Error(), false, at))
	case refused != "":
		log.WarnContext(ctx, "the buyer e-mail of an order is not sent", "site", o.Site, "order", o.Ref, "why", refused)
		c.recordMail(ctx, o, c.d.Mails.MailFailed(ctx, o.Site, o.Ref, lease, refused, true, at))
	default:
		log.InfoContext(ctx, "buyer e-mail sent", "site", o.Site, "order", o.Ref, "messageId", id)
		c.recordMail(ctx, o, c.d.Mails.MailSent(ctx, o.Site, o.Ref, lease, id, at))
	}
}

// sendBuyerMail sends o's e-mail with its service's merchant name and support info. An
// order that moved on from authorised (captured, voided) before its e-mail went is not
// told it is authorised.
func (c *Checkout) sendBuyerMail(ctx context.Context, o Order) (id, refused string, err error) {
	if o.State != StateAuthorised {
		return "", "the order is " + string(o.State) + " now, no longer authorised", nil
	}
	s, err := c.d.Sites.Get(ctx, o.Site)
	if err != nil {
		return "", "", err
	}
	cfg := s.Services[settings.Service(o.Offering.Service)].Config
	return c.d.Mailer.SendBuyerMail(ctx, BuyerMail{Order: o, MerchantName: cfg.MerchantName, SupportInfo: cfg.SupportInfo})
}

// recordMail logs a failure to record a send's outcome: the lease runs out and the
// e-mail is due again (sent twice, if it was sent: SES has no idempotency key).
func (c *Checkout) recordMail(ctx context.Context, o Order, err error) {
	if err != nil {
		slog.Default().WarnContext(ctx, "the outcome of a buyer e-mail was not recorded", "site", o.Site, "order", o.Ref, "error", err.Error())
	}
}

// sweepMails sends the buyer e-mails due at now (a sender failed or died, or none was
// configured where the order was authorised), reading each order again.
func (c *Checkout) sweepMails(ctx context.Context) (int, error) {
	if c.d.Mailer == nil {
		return 0, nil
	}
	due, err := c.d.Mails.MailsDue(ctx, c.d.Now(), SweepBatch)
	if err != nil {
		return 0, err
	}
	for _, id := range due {
		o, found, err := c.d.Orders.Get(ctx, id.Site, id.Ref)
		if err != nil {
			return 0, err
		}
		if found {
			c.mailDue(ctx, o)
		}
	}
	return len(due), ctx.Err()
}
