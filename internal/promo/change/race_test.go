package change_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
)

const raceCodes = 50

var raceNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// shuffled returns the codes in a random order, so requests meet on different codes first.
func shuffled(codes []string) []string {
	out := append([]string(nil), codes...)
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// chain checks that a code's extend entries link up: starting from the seeded expiry, each
// entry's before is the previous one's after, every entry is used once, and the last after
// is the stored expiry. No extend was lost or recorded against a stale before.
func chain(t *testing.T, code, from, stored string, entries []audit.Entry) {
	t.Helper()
	next := map[string]string{}
	for _, e := range entries {
		if e.Action != promo.ActionExtend {
			continue
		}
		before, _ := e.Changes[0].Before.(string)
		after, _ := e.Changes[0].After.(string)
		if _, dup := next[before]; dup || after <= before {
			t.Errorf("%s: entry %s -> %s breaks the chain", code, before, after)
		}
		next[before] = after
	}
	cur, steps := from, 0
	for {
		after, ok := next[cur]
		if !ok {
			break
		}
		cur, steps = after, steps+1
	}
	if cur != stored || steps != len(next) {
		t.Errorf("%s: chain from %s ends at %s after %d of %d entries; stored expiry %s", code, from, cur, steps, len(next), stored)
	}
}

// Extends and deletes race on the same codes from many goroutines. Every code ends deleted,
// deleted and audited exactly once; an extend is reported extended only if it was written
// before the delete (the delete is the code's last write); and no extend is lost.
func TestExtendAndDeleteRace(t *testing.T) {
	l := newLocal(t)
	codes := numbered("R", raceCodes)
	var seed []promo.Code
	for _, c := range codes {
		seed = append(seed, newCode("acme", c, "events", "2026-12-31", promo.StatusActive))
	}
	l.seed(t, seed...)

	days := []string{"2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"}
	const deleters = 4
	var (
		wg        sync.WaitGroup
		start     = make(chan struct{})
		extends   = make([]change.ExtendReport, len(days))
		deletes   = make([]change.DeleteReport, deleters)
		errs      = make(chan error, len(days)+deleters)
		extenders = make([]*change.Extender, len(days))
	)
	for i := range days {
		extenders[i] = l.extender(t, raceNow)
	}
	for i, day := range days {
		wg.Go(func() {
			<-start
			rep, err := extenders[i].Extend(context.Background(), fmt.Sprintf("extender-%d", i), "acme",
				promo.ExtendInput{Codes: shuffled(codes), ExpiresOn: day})
			extends[i] = rep
			errs <- err
		})
	}
	for i := range deleters {
		d := l.deleter(t, time.Now)
		wg.Go(func() {
			<-start
			rep, err := d.Delete(context.Background(), fmt.Sprintf("deleter-%d", i), "acme", promo.DeleteInput{Codes: shuffled(codes)})
			deletes[i] = rep
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	audits := l.audits(t, "acme")
	outcomes := map[promo.ChangeResult]int{}
	for _, code := range codes {
		c, found := l.code(t, "acme", code)
		if !found || c.Stored != promo.StatusDeleted {
			t.Fatalf("%s is not deleted: %+v", code, c)
		}
		// Exactly one delete took effect, and it is the one the code records.
		var winner string
		for i, rep := range deletes {
			r := resultOf(rep.Results, code)
			switch r.Result {
			case promo.ChangeDeleted:
				if winner != "" {
					t.Errorf("%s deleted by %s and %s", code, winner, r.DeletedBy)
				}
				winner = fmt.Sprintf("deleter-%d", i)
			case promo.ChangeAlreadyDeleted:
			default:
				t.Errorf("%s: delete result %s", code, r.Result)
			}
		}
		if winner == "" || c.DeletedBy != winner || c.UpdatedBy != winner || !c.UpdatedAt.Equal(c.DeletedAt) {
			t.Errorf("%s: deleted by %q, updated by %q at %s (deleted at %s); winner %q", code, c.DeletedBy, c.UpdatedBy, c.UpdatedAt, c.DeletedAt, winner)
		}
		for _, rep := range deletes {
			if r := resultOf(rep.Results, code); !r.DeletedAt.Equal(c.DeletedAt) || r.DeletedBy != c.DeletedBy {
				t.Errorf("%s: a delete reports %s by %s, the code says %s by %s", code, r.DeletedAt, r.DeletedBy, c.DeletedAt, c.DeletedBy)
			}
		}
		var deleteEntries, extendEntries int
		for _, e := range audits[code] {
			switch e.Action {
			case promo.ActionDelete:
				deleteEntries++
				if e.Actor != winner {
					t.Errorf("%s: delete entry by %s, winner %s", code, e.Actor, winner)
				}
			case promo.ActionExtend:
				extendEntries++
			}
		}
		if deleteEntries != 1 {
			t.Errorf("%s: %d delete entries", code, deleteEntries)
		}
		// Every extend reported extended is an audit entry and part of the code's history;
		// the stored expiry is the last of them (the delete did not lose it).
		extended := 0
		for i, rep := range extends {
			r := resultOf(rep.Results, code)
			outcomes[r.Result]++
			switch r.Result {
			case promo.ChangeExtended:
				extended++
				if r.After != days[i] || !hasEntry(audits[code], fmt.Sprintf("extender-%d", i), r.Before, r.After) {
					t.Errorf("%s: %+v has no audit entry", code, r)
				}
			case promo.ChangeDeleted, promo.ChangeEarlierThanCurrent:
			default:
				t.Errorf("%s: extend result %s", code, r.Result)
			}
		}
		if extended != extendEntries {
			t.Errorf("%s: %d extended, %d extend entries", code, extended, extendEntries)
		}
		chain(t, code, "2026-12-31", c.ExpiresOn, audits[code])
	}
	t.Logf("extend outcomes over %d codes: %v; writes refused by their condition: %d; cancelled by a conflict and retried: %d",
		raceCodes, outcomes, l.refusals.Load(), l.conflicts.Load())
}

// Extends to different days race on the same codes: the final expiry is one of them (the
// latest, as an expiry never moves earlier) and the audit entries chain up.
func TestExtendsRace(t *testing.T) {
	l := newLocal(t)
	codes := numbered("X", raceCodes)
	var seed []promo.Code
	for _, c := range codes {
		seed = append(seed, newCode("acme", c, "training", "2026-12-31", promo.StatusActive))
	}
	l.seed(t, seed...)
	days := []string{"2027-05-31", "2027-02-28", "2027-04-30", "2027-01-31", "2027-03-31", "2027-06-30"}
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		reps  = make([]change.ExtendReport, len(days))
		errs  = make([]error, len(days))
	)
	for i, day := range days {
		x := l.extender(t, raceNow)
		wg.Go(func() {
			<-start
			reps[i], errs[i] = x.Extend(context.Background(), fmt.Sprintf("extender-%d", i), "acme", promo.ExtendInput{Codes: shuffled(codes), ExpiresOn: day})
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	audits := l.audits(t, "acme")
	for _, code := range codes {
		c, _ := l.code(t, "acme", code)
		if c.ExpiresOn != "2027-06-30" || !c.ExpiresAt.Equal(time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s expires on %s at %s", code, c.ExpiresOn, c.ExpiresAt)
		}
		extended := 0
		for i, rep := range reps {
			r := resultOf(rep.Results, code)
			switch r.Result {
			case promo.ChangeExtended:
				extended++
				if !hasEntry(audits[code], fmt.Sprintf("extender-%d", i), r.Before, r.After) {
					t.Errorf("%s: %+v has no audit entry", code, r)
				}
			case promo.ChangeEarlierThanCurrent:
				if r.Before <= days[i] {
					t.Errorf("%s: %+v is not earlier than %s", code, r, r.Before)
				}
			default:
				t.Errorf("%s: result %+v", code, r)
			}
		}
		if extended != len(audits[code]) || extended == 0 {
			t.Errorf("%s: %d extended, %d entries", code, extended, len(audits[code]))
		}
		chain(t, code, "2026-12-31", c.ExpiresOn, audits[code])
	}
	t.Logf("writes refused by their condition (decided again): %d; cancelled by a conflict and retried: %d", l.refusals.Load(), l.conflicts.Load())
	if l.refusals.Load() == 0 {
		t.Log("no write was refused: the extends did not overlap this time")
	}
}

func resultOf[R change.ExtendResult | change.DeleteResult](results []R, code string) R {
	for _, r := range results {
		switch v := any(r).(type) {
		case change.ExtendResult:
			if v.Code == code {
				return r
			}
		case change.DeleteResult:
			if v.Code == code {
				return r
			}
		}
	}
	var zero R
	return zero
}

func hasEntry(entries []audit.Entry, actor, before, after string) bool {
	for _, e := range entries {
		if e.Action == promo.ActionExtend && e.Actor == actor && len(e.Changes) == 1 && e.Changes[0].Before == before && e.Changes[0].After == after {
			return true
		}
	}
	return false
}
