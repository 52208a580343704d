package change_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

var unitNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func activeCode(code, expiresOn string) promo.Code {
	return promo.Code{Site: "acme", Code: code, Service: "events", ExpiresOn: expiresOn, Stored: promo.StatusActive}
}

// A write refused because someone changed the code in between is decided again from the
// code as it now is: the audit entry's before is what the change replaced.
func TestExtendDecidesAgainAfterARefusedWrite(t *testing.T) {
	tests := []struct {
		name      string
		day       string
		current   promo.Code // what the refused write found
		want      change.ExtendResult
		wantCalls int
	}{
		{"extended by someone else to an earlier day", "2027-03-01", activeCode("ABC123", "2027-02-01"),
			change.ExtendResult{Code: "ABC123", Result: promo.ChangeExtended, Before: "2027-02-01", After: "2027-03-01"}, 2},
		{"extended by someone else to a later day", "2027-01-15", activeCode("ABC123", "2027-02-01"),
			change.ExtendResult{Code: "ABC123", Result: promo.ChangeEarlierThanCurrent, Before: "2027-02-01"}, 1},
		{"extended by someone else to the same day", "2027-02-01", activeCode("ABC123", "2027-02-01"),
			change.ExtendResult{Code: "ABC123", Result: promo.ChangeUnchanged, Before: "2027-02-01"}, 1},
		{"deleted meanwhile", "2027-03-01", func() promo.Code { c := activeCode("ABC123", "2026-12-31"); c.Stored = promo.StatusDeleted; return c }(),
			change.ExtendResult{Code: "ABC123", Result: promo.ChangeDeleted}, 1},
		{"gone meanwhile", "2027-03-01", promo.Code{}, change.ExtendResult{Code: "ABC123", Result: promo.ChangeNotFound}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls []audit.Entry
			codes := fakeCodes{
				get: func(site, code string) (promo.Code, bool, error) { return activeCode(code, "2026-12-31"), true, nil },
				setExpiry: func(from, to promo.Code, e audit.Entry) (change.Written, error) {
					calls = append(calls, e)
					if len(calls) == 1 {
						return change.Written{Current: tt.current, Found: tt.current.Code != ""}, nil
					}
					if from.ExpiresOn != tt.current.ExpiresOn || to.ExpiresOn != tt.day {
						t.Errorf("second write from %s to %s", from.ExpiresOn, to.ExpiresOn)
					}
					return change.Written{Applied: true}, nil
				},
			}
			x, err := change.NewExtender(codes, utcSite, fixedClock(unitNow))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := x.Extend(t.Context(), "u1", "acme", promo.ExtendInput{Codes: []string{"abc123"}, ExpiresOn: tt.day})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) != 1 || rep.Results[0] != tt.want {
				t.Fatalf("results = %+v, want %+v", rep.Results, tt.want)
			}
			if len(calls) != tt.wantCalls {
				t.Fatalf("%d writes, want %d", len(calls), tt.wantCalls)
			}
			last := calls[len(calls)-1].Changes[0]
			if tt.wantCalls == 2 && (last.Before != tt.current.ExpiresOn || last.After != tt.day) {
				t.Fatalf("audit change = %+v", last)
			}
		})
	}
}

func TestChangesGiveUpOnACodeThatKeepsChanging(t *testing.T) {
	writes := 0
	codes := fakeCodes{
		get: func(site, code string) (promo.Code, bool, error) { return activeCode(code, "2026-12-31"), true, nil },
		setExpiry: func(from, to promo.Code, e audit.Entry) (change.Written, error) {
			writes++
			return change.Written{Current: activeCode(from.Code, "2026-12-31"), Found: true}, nil
		},
		markDeleted: func(site, code, actor string, now time.Time, e audit.Entry) (change.Written, error) {
			writes++
			return change.Written{Current: activeCode(code, "2026-12-31"), Found: true}, nil
		},
	}
	x, _ := change.NewExtender(codes, utcSite, fixedClock(unitNow))
	_, err := x.Extend(t.Context(), "u1", "acme", promo.ExtendInput{Codes: []string{"ABC123"}, ExpiresOn: "2027-01-01"})
	if apperr.CodeOf(err) != apperr.CodeConflict || writes != 10 {
		t.Fatalf("extend: err %v after %d writes", err, writes)
	}
	writes = 0
	d, _ := change.NewDeleter(codes, fixedClock(unitNow))
	_, err = d.Delete(t.Context(), "u1", "acme", promo.DeleteInput{Codes: []string{"ABC123"}})
	if apperr.CodeOf(err) != apperr.CodeConflict || writes != 10 {
		t.Fatalf("delete: err %v after %d writes", err, writes)
	}
}

// The site's settings are read once per request, whatever the number of codes.
func TestExtendReadsSettingsOnce(t *testing.T) {
	var reads atomic.Int32
	sites := fakeSites(func(site string) (settings.Site, error) { reads.Add(1); return settings.New(site), nil })
	codes := fakeCodes{
		get: func(site, code string) (promo.Code, bool, error) { return promo.Code{}, false, nil },
	}
	x, _ := change.NewExtender(codes, sites, fixedClock(unitNow))
	in := promo.ExtendInput{ExpiresOn: "2027-01-01"}
	for i := range 100 {
		in.Codes = append(in.Codes, fmt.Sprintf("CODE%03d", i))
	}
	rep, err := x.Extend(t.Context(), "u1", "acme", in)
	if err != nil || len(rep.Results) != 100 || rep.Results[99].Result != promo.ChangeNotFound {
		t.Fatalf("got %+v, %v", rep, err)
	}
	if reads.Load() != 1 {
		t.Fatalf("settings read %d times", reads.Load())
	}
}

// Codes are changed concurrently, never by more than Workers goroutines at once, and the
// results keep the request's order.
func TestChangesAreConcurrentAndBounded(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	extending, deleting := newConcurrencyProbe(t, change.Workers), newConcurrencyProbe(t, change.Workers)
	codes := fakeCodes{
		get: func(site, code string) (promo.Code, bool, error) {
			defer extending.enter()()
			mu.Lock()
			seen[code]++
			mu.Unlock()
			return activeCode(code, "2026-12-31"), true, nil
		},
		setExpiry: func(from, to promo.Code, e audit.Entry) (change.Written, error) {
			return change.Written{Applied: true}, nil
		},
		markDeleted: func(site, code, actor string, now time.Time, e audit.Entry) (change.Written, error) {
			defer deleting.enter()()
			mu.Lock()
			seen[code]++
			mu.Unlock()
			return change.Written{Applied: true}, nil
		},
	}
	var list []string
	for i := range promo.MaxChangeCodes {
		list = append(list, fmt.Sprintf("CODE%04d", i))
	}
	x, _ := change.NewExtender(codes, utcSite, fixedClock(unitNow))
	rep, err := x.Extend(t.Context(), "u1", "acme", promo.ExtendInput{Codes: list, ExpiresOn: "2027-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := change.NewDeleter(codes, fixedClock(unitNow))
	drep, err := d.Delete(t.Context(), "u1", "acme", promo.DeleteInput{Codes: list})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range list {
		if rep.Results[i].Code != c || rep.Results[i].Result != promo.ChangeExtended || drep.Results[i].Code != c || drep.Results[i].Result != promo.ChangeDeleted {
			t.Fatalf("result %d = %+v / %+v", i, rep.Results[i], drep.Results[i])
		}
		if seen[c] != 2 {
			t.Fatalf("%s handled %d times", c, seen[c])
		}
	}
	extending.check("extending")
	deleting.check("deleting")
}

// concurrencyProbe watches how many calls run at once. Until want of them have been in
// flight together, every call waits for that moment (the event itself, not a sleep that
// makes overlaps likely), so a use case that runs fewer at once is always caught; one that
// runs more is caught whenever its extra calls overlap the others (most is checked).
type concurrencyProbe struct {
	t              *testing.T
	want           int32
	inFlight, most atomic.Int32
	full           chan struct{} // closed once want calls were in flight together, or on giving up
	once           sync.Once
	gaveUp         atomic.Bool
}

func newConcurrencyProbe(t *testing.T, want int) *concurrencyProbe {
	return &concurrencyProbe{t: t, want: int32(want), full: make(chan struct{})}
}

// probePatience bounds the wait for want calls at once: a use case that never gets there
// fails after it, instead of hanging the test.
const probePatience = 2 * time.Minute

// enter counts a call in, waits until want calls have been in flight together, and returns
// the function that counts it out.
func (p *concurrencyProbe) enter() (leave func()) {
	n := p.inFlight.Add(1)
	for m := p.most.Load(); n > m && !p.most.CompareAndSwap(m, n); m = p.most.Load() {
	}
	if n >= p.want {
		p.once.Do(func() { close(p.full) })
	}
	select {
	case <-p.full:
	case <-time.After(probePatience):
		p.gaveUp.Store(true)
		p.once.Do(func() { close(p.full) }) // the calls after this one need not wait too
	}
	return func() { p.inFlight.Add(-1) }
}

func (p *concurrencyProbe) check(what string) {
	p.t.Helper()
	switch m := p.most.Load(); {
	case p.gaveUp.Load():
		p.t.Errorf("%s: waited %s for %d codes at once; at most %d were", what, probePatience, p.want, m)
	case m != p.want:
		p.t.Errorf("%s: at most %d codes at once, want %d", what, m, p.want)
	}
}

// A failing store fails the request with its error (a 500); nothing is reported as done.
// (How many codes were tried before the failure stopped the others depends on scheduling,
// so it is not asserted.)
func TestStoreFailureStopsTheRequest(t *testing.T) {
	boom := apperr.Internal(errors.New("dynamodb is down"))
	codes := fakeCodes{
		get: func(site, code string) (promo.Code, bool, error) {
			if code == "CODE0005" {
				return promo.Code{}, false, boom
			}
			return promo.Code{}, false, nil
		},
		markDeleted: func(site, code, actor string, now time.Time, e audit.Entry) (change.Written, error) {
			return change.Written{}, boom
		},
	}
	var list []string
	for i := range 1000 {
		list = append(list, fmt.Sprintf("CODE%04d", i))
	}
	x, _ := change.NewExtender(codes, utcSite, fixedClock(unitNow))
	if _, err := x.Extend(t.Context(), "u1", "acme", promo.ExtendInput{Codes: list, ExpiresOn: "2027-01-01"}); !errors.Is(err, boom) {
		t.Fatalf("extend err = %v", err)
	}
	d, _ := change.NewDeleter(codes, fixedClock(unitNow))
	if _, err := d.Delete(t.Context(), "u1", "acme", promo.DeleteInput{Codes: list}); !errors.Is(err, boom) {
		t.Fatalf("delete err = %v", err)
	}
	failing := fakeSites(func(string) (settings.Site, error) { return settings.Site{}, boom })
	x, _ = change.NewExtender(codes, failing, fixedClock(unitNow))
	if _, err := x.Extend(t.Context(), "u1", "acme", promo.ExtendInput{Codes: list, ExpiresOn: "2027-01-01"}); !errors.Is(err, boom) {
		t.Fatalf("settings err = %v", err)
	}
}

// Bad input is refused before any code is read or written.
func TestBadInputTouchesNothing(t *testing.T) {
	codes := fakeCodes{
		get: func(site, code string) (promo.Code, bool, error) { t.Error("read"); return promo.Code{}, false, nil },
		markDeleted: func(site, code, actor string, now time.Time, e audit.Entry) (change.Written, error) {
			t.Error("written")
			return change.Written{}, nil
		},
	}
	x, _ := change.NewExtender(codes, utcSite, fixedClock(unitNow))
	for _, in := range []promo.ExtendInput{
		{Codes: []string{"ABC123"}, ExpiresOn: "2026-11-27"},
		{Codes: []string{"ABC123"}, ExpiresOn: "tomorrow"},
		{Codes: []string{"ABC123", "bad code"}, ExpiresOn: "2027-01-01"},
		{ExpiresOn: "2027-01-01"},
	} {
		if _, err := x.Extend(t.Context(), "u1", "acme", in); apperr.CodeOf(err) != apperr.CodeInvalid {
			t.Errorf("%+v: err %v", in, err)
		}
	}
	d, _ := change.NewDeleter(codes, fixedClock(unitNow))
	if _, err := d.Delete(t.Context(), "u1", "acme", promo.DeleteInput{Codes: []string{"ok1234", "x"}}); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("delete: err %v", err)
	}
}
