package checkout_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/infra/testenv/atonce"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/buyermail"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

// mailRig is checkout over the real stores on DynamoDB Local, sending the buyers' e-mails
// through sesmail to the SES emulator, whose sends a test can fail.
type mailRig struct {
	s      stores
	c      *checkout.Checkout
	now    time.Time
	ses    *switchedSES
	sesURL string
	buyer  string
}

func newMailRig(t *testing.T) *mailRig {
	t.Helper()
	sesURL := testenv.Endpoint(t, testenv.EnvSES)
	client, err := localaws.SES(sesURL)
	if err != nil {
		t.Fatal(err)
	}
	r := &mailRig{s: newStores(t), now: raceNow, ses: &switchedSES{api: client}, sesURL: sesURL,
		buyer: "ann@" + testenv.MailDomain()}
	sender, err := sesmail.NewSender(r.ses, sesmail.Options{From: "orders@demo.example", RatePerSecond: 1000})
	if err != nil {
		t.Fatal(err)
	}
	d := r.s.deps(&r.now, returnAuthorised{}, func(checkout.PageRequest) (checkout.Settled, error) {
		return checkout.Settled{}, errors.New("no capture or void in this test")
	})
	d.Mails, d.Mailer = r.s.orders, buyermail.New(sender)
	if r.c, err = checkout.New(d); err != nil {
		t.Fatal(err)
	}
	return r
}

// order creates a pending order of 40.00 USD for the rig's buyer.
func (r *mailRig) order(t *testing.T) checkout.Order {
	t.Helper()
	in := orderWith("")
	in.Buyer = &checkout.Buyer{Name: "Ann Lee", Email: r.buyer}
	o, _, err := r.c.Create(context.Background(), checkout.CreateRequest{Site: "demo", Input: in})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// notice is Payflow's Silent Post reporting o authorised, as the webhooks function reads it.
func notice(o checkout.Order) checkout.Notice {
	return checkout.Notice{Site: "demo", Ref: o.Ref, ID: "payflow:" + pnref(o), Kind: "payflow_silent_post",
		To: checkout.StateAuthorised, Refs: checkout.ProviderRefs{PNREF: pnref(o)}}
}

func pnref(o checkout.Order) string { return "P" + o.Ref[3:] }

func (r *mailRig) notify(t *testing.T, n checkout.Notice) checkout.NoticeOutcome {
	t.Helper()
	got, err := r.c.Notified(context.Background(), n, nil)
	if err != nil {
		t.Fatal(err)
	}
	return got.Outcome
}

// mails are the e-mails the SES emulator holds for the rig's buyer.
func (r *mailRig) mails(t *testing.T) []testenv.Mail {
	t.Helper()
	return testenv.MailsTo(t, r.sesURL, r.buyer[strings.Index(r.buyer, "@")+1:])[r.buyer]
}

func (r *mailRig) stored(t *testing.T, o checkout.Order) checkout.Order {
	t.Helper()
	got, found, err := r.s.orders.Get(context.Background(), "demo", o.Ref)
	if err != nil || !found {
		t.Fatalf("get %s: %v %v", o.Ref, found, err)
	}
	return got
}

// returnAuthorised is a provider page whose buyer comes back having paid.
type returnAuthorised struct{}

func (returnAuthorised) Start(_ context.Context, r checkout.PageRequest) (checkout.Page, error) {
	return checkout.Page{Redirect: checkout.Redirect{Method: "GET", URL: "https://payments.example/" + r.Order.Ref}}, nil
}

func (returnAuthorised) Finish(_ context.Context, r checkout.PageRequest, _ url.Values) (checkout.Outcome, error) {
	return checkout.Outcome{State: checkout.StateAuthorised, Refs: checkout.ProviderRefs{PNREF: pnref(r.Order)}}, nil
}

// switchedSES is the SES emulator's client, which fails every send while down.
type switchedSES struct {
	api  sesmail.SendEmailAPI
	mu   sync.Mutex
	down bool
}

func (s *switchedSES) set(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

func (s *switchedSES) SendEmail(ctx context.Context, e sesmail.Email) (string, error) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		return "", errors.New("SES cannot be reached")
	}
	return s.api.SendEmail(ctx, e)
}

// The buyer comes back from the page (the order is authorised), then the provider's
// notice comes five times: one e-mail, naming the order reference, the transaction number,
// what was bought and its amount, the merchant and its support; recorded sent with SES's
// message id.
func TestOneBuyerMailForTheReturnAndFiveNotices(t *testing.T) {
	r := newMailRig(t)
	o := r.order(t)
	r.now = r.now.Add(time.Minute)
	if _, err := r.c.Returned(context.Background(), "demo", o.Ref, nil); err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for range 5 {
		outcomes = append(outcomes, string(r.notify(t, notice(o))))
	}
	if strings.Join(outcomes, " ") != "noted duplicate duplicate duplicate duplicate" {
		t.Errorf("outcomes %v", outcomes)
	}
	mails := r.mails(t)
	if len(mails) != 1 {
		t.Fatalf("%d e-mails, want 1", len(mails))
	}
	m := mails[0]
	if m.Subject != "Demo Academy: Payment authorised for order "+o.Ref {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{o.Ref, "Transaction number: " + pnref(o), "Go Workshop", "40.00 USD", "Demo Academy", "help@demo.example"} {
		if !strings.Contains(m.Body.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body.Text)
		}
	}
	got := r.stored(t, o).Mail
	if got == nil || got.SentAt.IsZero() || got.MessageID != m.MessageID || got.Attempts != 1 {
		t.Errorf("stored %+v, want sent as %s", got, m.MessageID)
	}
}

// Ten deliveries at once, of one notice and of another reporting the same authorisation
// (an IPN and a REST event, say), with the buyer coming back twice meanwhile: one e-mail.
func TestOneBuyerMailForTenNoticesAtOnce(t *testing.T) {
	r := newMailRig(t)
	o := r.order(t)
	errs := make([]error, 12)
	atonce.Run(len(errs), func(i int) {
		n := notice(o)
		switch i % 3 {
		case 1:
			n.ID, n.Kind = "paypal:"+pnref(o), "paypal_ipn"
		case 2:
			if i < 6 { // two returns
				_, errs[i] = r.c.Returned(context.Background(), "demo", o.Ref, nil)
				return
			}
		}
		_, errs[i] = r.c.Notified(context.Background(), n, nil)
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("delivery %d: %v", i, err)
		}
	}
	if mails := r.mails(t); len(mails) != 1 {
		t.Fatalf("%d e-mails, want 1", len(mails))
	}
}

// SES fails the send of the notice that authorised the order: the order stays authorised,
// the e-mail due; the next delivery of the notice sends it, and later ones do not again.
func TestAFailedBuyerMailIsSentByTheNextNotice(t *testing.T) {
	r := newMailRig(t)
	o := r.order(t)
	r.ses.set(true)
	if got := r.notify(t, notice(o)); got != checkout.NoticeApplied {
		t.Fatalf("outcome %s", got)
	}
	stored := r.stored(t, o)
	if stored.State != checkout.StateAuthorised || !stored.Mail.Due(r.now) || len(r.mails(t)) != 0 {
		t.Fatalf("after the failed send: %s, mail %+v, %d e-mails", stored.State, stored.Mail, len(r.mails(t)))
	}
	r.ses.set(false)
	for range 3 {
		if got := r.notify(t, notice(o)); got != checkout.NoticeDuplicate {
			t.Fatalf("outcome %s", got)
		}
	}
	if mails := r.mails(t); len(mails) != 1 {
		t.Fatalf("%d e-mails, want 1", len(mails))
	}
	if m := r.stored(t, o).Mail; m.SentAt.IsZero() || m.Attempts != 2 {
		t.Errorf("stored %+v, want sent at the second attempt", m)
	}
}

// SES fails the send of the buyer's return; no notice comes: the sweep sends it, once.
func TestAFailedBuyerMailIsSentByTheSweep(t *testing.T) {
	r := newMailRig(t)
	o := r.order(t)
	r.ses.set(true)
	if _, err := r.c.Returned(context.Background(), "demo", o.Ref, nil); err != nil {
		t.Fatalf("a failed e-mail failed the buyer's return: %v", err)
	}
	r.ses.set(false)
	for _, want := range []int{1, 0} {
		res, err := r.c.Sweep(context.Background())
		if err != nil || res.Mails != want {
			t.Fatalf("sweep: %+v, %v; want %d e-mails tried", res, err, want)
		}
	}
	if mails := r.mails(t); len(mails) != 1 {
		t.Fatalf("%d e-mails, want 1", len(mails))
	}
}

// A function that died between the state change and the send: the e-mail is due (it
// was written with the move), and the buyer's return sends it. One that died holding the
// claim: nothing sends it while its lease is in force, the sweep once the lease ran out.
func TestABuyerMailADeadSenderLeftIsSentOnce(t *testing.T) {
	r := newMailRig(t)
	died := r.order(t)
	r.s.authorise(t, died.Ref) // the move alone, as a function that died after it
	if _, err := r.c.Returned(context.Background(), "demo", died.Ref, nil); err != nil {
		t.Fatal(err)
	}
	if mails := r.mails(t); len(mails) != 1 {
		t.Fatalf("%d e-mails after the return, want 1", len(mails))
	}

	r.buyer = "bob@" + testenv.MailDomain()
	held := r.order(t)
	r.s.authorise(t, held.Ref)
	if ok, err := r.s.orders.ClaimMail(context.Background(), "demo", held.Ref, "dead-lease", r.now.Add(checkout.MailLease), r.now); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if got := r.notify(t, notice(held)); got != checkout.NoticeNoted {
		t.Fatalf("outcome %s", got)
	}
	if res, err := r.c.Sweep(context.Background()); err != nil || res.Mails != 0 || len(r.mails(t)) != 0 {
		t.Fatalf("within the lease: sweep %+v, %v, %d e-mails", res, err, len(r.mails(t)))
	}
	r.now = r.now.Add(checkout.MailLease)
	if res, err := r.c.Sweep(context.Background()); err != nil || res.Mails != 1 {
		t.Fatalf("sweep after the lease: %+v, %v", res, err)
	}
	if mails := r.mails(t); len(mails) != 1 {
		t.Fatalf("%d e-mails, want 1", len(mails))
	}
}
