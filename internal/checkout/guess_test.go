package checkout

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle/throttletest"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// guessRig is the rig with the guessing throttle on (3 unknown codes per e-mail, 5 per site,
// in 15 minutes) over in-memory counts, counting the code lookups.
type guessRig struct {
	*rig
	counts  *throttletest.Counts
	lookups int
}

func newGuessRig(t *testing.T) *guessRig {
	t.Helper()
	g := &guessRig{rig: newRig(t), counts: &throttletest.Counts{}}
	g.now = useNow.Add(5 * time.Minute) // the window is 12:00 to 12:15
	th, err := throttle.New(g.counts, func() time.Time { return g.now })
	if err != nil {
		t.Fatal(err)
	}
	d := g.c.d
	codes := d.Codes.(fakeCodes)
	lookup := codes.lookup
	codes.lookup = func(site, code string, now time.Time) (promo.Code, int, bool, error) {
		g.lookups++
		return lookup(site, code, now)
	}
	d.Codes = codes
	d.Guessing = Guessing{Throttle: th, PerEmail: throttle.Limit{Max: 3, Window: 15 * time.Minute},
		PerSite: throttle.Limit{Max: 5, Window: 15 * time.Minute}}
	if g.c, err = New(d); err != nil {
		t.Fatal(err)
	}
	return g
}

func (g *guessRig) quote(code, email string) (Quote, error) {
	in := QuoteInput{Offering: goodOrderInput().Offering, Code: code}
	if email != "" {
		in.Buyer = &Buyer{Email: email}
	}
	return g.c.Quote(context.Background(), "demo", in)
}

// wantThrottled checks err is a 429 naming field, to wait wait, and that the code was not
// looked up.
func (g *guessRig) wantThrottled(t *testing.T, err error, lookupsBefore int, field string, wait time.Duration) {
	t.Helper()
	e := apperr.As(err)
	if e.Code != apperr.CodeThrottled || apperr.HTTPStatus(e.Code) != 429 || e.RetryAfter != wait || len(e.Details) != 1 || e.Details[0].Field != field {
		t.Fatalf("want throttled on %s for %s: %+v", field, wait, err)
	}
	if g.lookups != lookupsBefore {
		t.Fatalf("the code was looked up while throttled (%d lookups, %d before)", g.lookups, lookupsBefore)
	}
}

// After three unknown codes a buyer's quotes with a code are refused until the window ends,
// before any lookup; without a code they are not; another buyer is still quoted.
func TestUnknownCodesThrottleTheBuyer(t *testing.T) {
	g := newGuessRig(t)
	for i := range 3 {
		if q, err := g.quote("NOPE"+string(rune('A'+i)), "Ann@Example.com"); err != nil || q.Refused != RefusedUnknown {
			t.Fatalf("unknown code %d: %+v, %v", i, q, err)
		}
	}
	before := g.lookups
	_, err := g.quote("SAVE20", "ann@example.com") // the same buyer however the address is written
	g.wantThrottled(t, err, before, "buyer.email", 10*time.Minute)
	if reason := apperr.As(err).Details[0].Reason; !strings.Contains(reason, "(3 within 15 minutes)") {
		t.Errorf("the reason does not say the limit: %q", reason)
	}
	if q, err := g.quote("", "ann@example.com"); err != nil || q.TotalMinor != 4900 {
		t.Fatalf("a quote without a code: %+v, %v", q, err)
	}
	if q, err := g.quote("SAVE20", "bob@example.com"); err != nil || q.TotalMinor != 3920 {
		t.Fatalf("another buyer's known code: %+v, %v", q, err)
	}
	g.now = useNow.Add(15*time.Minute - time.Second)
	_, err = g.quote("SAVE20", "ann@example.com")
	g.wantThrottled(t, err, g.lookups, "buyer.email", time.Second)
	g.now = useNow.Add(15 * time.Minute) // the next window
	if q, err := g.quote("SAVE20", "ann@example.com"); err != nil || q.TotalMinor != 3920 {
		t.Fatalf("in the next window: %+v, %v", q, err)
	}
}

// Known codes never count, whatever their refusal; codes are not counted when the site
// has them off.
func TestKnownCodesNeverCount(t *testing.T) {
	g := newGuessRig(t)
	g.held = 10 // the code is used up: refused, but known
	for range 10 {
		if q, err := g.quote("SAVE20", "ann@example.com"); err != nil || q.Refused != RefusedNoUsesLeft {
			t.Fatalf("a used-up code: %+v, %v", q, err)
		}
	}
	if g.counts.Slots() != 0 {
		t.Fatalf("known codes counted: %d counts", g.counts.Slots())
	}
}

// The site's limit counts every buyer's unknown codes, and those of quotes naming no buyer.
func TestUnknownCodesThrottleTheSite(t *testing.T) {
	g := newGuessRig(t)
	for i, email := range []string{"", "a@example.com", "b@example.com", "", "c@example.com"} {
		if q, err := g.quote("NOPE", email); err != nil || q.Refused != RefusedUnknown {
			t.Fatalf("unknown code %d: %+v, %v", i, q, err)
		}
	}
	for _, email := range []string{"", "d@example.com"} {
		_, err := g.quote("SAVE20", email)
		g.wantThrottled(t, err, g.lookups, "code", 10*time.Minute)
	}
}

// Orders count as quotes do: an unknown code is refused (409) and counted; at the limit an
// order with a code is a 429 that reserves nothing, and one without a code is created.
func TestUnknownCodesThrottleOrders(t *testing.T) {
	g := newGuessRig(t)
	in := goodOrderInput()
	in.Code = "NOPE"
	for range 3 {
		_, _, err := g.create(t, in, Key{})
		if e := apperr.As(err); e.Code != apperr.CodeCodeRefused || e.Details[0].Reason != string(RefusedUnknown) {
			t.Fatalf("unknown code: %v", err)
		}
	}
	in.Code = "SAVE20"
	_, _, err := g.create(t, in, Key{})
	g.wantThrottled(t, err, g.lookups, "buyer.email", 10*time.Minute)
	if len(g.reserved) != 0 || len(g.orders.orders) != 0 {
		t.Fatal("a throttled order reserved or stored something")
	}
	in.Code = ""
	if o, created, err := g.create(t, in, Key{}); err != nil || !created || o.Amounts.TotalMinor != 4900 {
		t.Fatalf("an order without a code: %+v %v %v", o, created, err)
	}
	// The buyer's quotes share the limit.
	_, err = g.quote("SAVE20", "ann@example.com")
	g.wantThrottled(t, err, g.lookups, "buyer.email", 10*time.Minute)
}

// A throttle that cannot answer lets requests through: the brake's outage must not lock
// paying buyers out.
func TestGuessingFailsOpen(t *testing.T) {
	g := newGuessRig(t)
	g.counts.Err = errors.New("table unreachable")
	for range 5 {
		if q, err := g.quote("NOPE", "ann@example.com"); err != nil || q.Refused != RefusedUnknown {
			t.Fatalf("unknown code with the throttle down: %+v, %v", q, err)
		}
	}
	if q, err := g.quote("SAVE20", "ann@example.com"); err != nil || q.TotalMinor != 3920 {
		t.Fatalf("known code with the throttle down: %+v, %v", q, err)
	}
}

func TestGuessingLimitsAreChecked(t *testing.T) {
	r := newRig(t)
	d := r.c.d
	th, _ := throttle.New(&throttletest.Counts{}, time.Now)
	d.Guessing = Guessing{Throttle: th, PerEmail: throttle.Limit{Max: 10, Window: 15 * time.Minute}}
	if _, err := New(d); err == nil {
		t.Fatal("a throttle without a per-site limit was taken")
	}
}

func TestQuoteBuyerIsChecked(t *testing.T) {
	g := newGuessRig(t)
	in := QuoteInput{Offering: goodOrderInput().Offering, Code: "SAVE20", Buyer: &Buyer{Email: "not an address"}}
	_, err := g.c.Quote(context.Background(), "demo", in)
	if e := apperr.As(err); e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != "buyer.email" {
		t.Fatalf("a bad e-mail: %v", err)
	}
	in.Buyer = &Buyer{Name: "Ann\nLee", Email: "ann@example.com"}
	_, err = g.c.Quote(context.Background(), "demo", in)
	if e := apperr.As(err); e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != "buyer.name" {
		t.Fatalf("a bad name: %v", err)
	}
}
