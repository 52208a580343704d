package change_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changedb"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

// local is the use cases over DynamoDB Local: the real stores of the functions.
type local struct {
	db    *dynamodb.Client
	table string
	codes *changedb.Codes
	sites *settingsdb.Store
	audit *auditdb.Log
	// conflicts counts the code transactions DynamoDB cancelled for a concurrent one,
	// refusals those whose condition failed.
	conflicts, refusals *atomic.Int32
}

// countingDB counts transactions cancelled by a conflict with another transaction.
type countingDB struct {
	*dynamodb.Client
	conflicts, refusals *atomic.Int32
}

func (c countingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	out, err := c.Client.TransactWriteItems(ctx, in, optFns...)
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		switch aws.ToString(tce.CancellationReasons[0].Code) {
		case "TransactionConflict":
			c.conflicts.Add(1)
		case "ConditionalCheckFailed":
			c.refusals.Add(1)
		}
	}
	return out, err
}

func newLocal(t *testing.T) local {
	t.Helper()
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	sites, log, err := settingsdb.NewAudited(db, tables["SitesTable"], tables["AuditTable"])
	if err != nil {
		t.Fatal(err)
	}
	conflicts, refusals := &atomic.Int32{}, &atomic.Int32{}
	codes, err := changedb.New(countingDB{db, conflicts, refusals}, tables["PromoCodesTable"], log)
	if err != nil {
		t.Fatal(err)
	}
	return local{db: db, table: tables["PromoCodesTable"], codes: codes, sites: sites, audit: log, conflicts: conflicts, refusals: refusals}
}

func (l local) extender(t *testing.T, now time.Time) *change.Extender {
	t.Helper()
	x, err := change.NewExtender(l.codes, l.sites, fixedClock(now))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func (l local) deleter(t *testing.T, now func() time.Time) *change.Deleter {
	t.Helper()
	d, err := change.NewDeleter(l.codes, now)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// setZones gives a site's services their time zones (separate configurations).
func (l local) setZones(t *testing.T, site string, zones map[settings.Service]string) {
	t.Helper()
	m := settings.NewManager(l.sites, nil)
	for svc, tz := range zones {
		if _, err := m.Update(context.Background(), "setup", site, svc, settings.Patch{TimeZone: &tz}); err != nil {
			t.Fatal(err)
		}
	}
}

var created = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// newCode is a code of site as promo-create makes it, expiring on expiresOn in UTC.
func newCode(site, code, service, expiresOn string, stored promo.Status) promo.Code {
	end, _ := promo.EndOfDay(expiresOn, time.UTC)
	c := promo.Code{
		Site: site, Code: code, Service: service, Usage: promo.Usage{Kind: promo.UsageOnce},
		Discount:  promo.Discount{Kind: promo.DiscountAmount, AmountMinor: 500, Currency: "USD"},
		ExpiresOn: expiresOn, ExpiresAt: end, AppliesTo: promo.AppliesToAll, Stored: stored,
		CreatedAt: created, CreatedBy: "creator",
	}
	if stored == promo.StatusDeleted {
		c.DeletedAt, c.DeletedBy = created.Add(time.Hour), "earlier-admin"
	}
	return c
}

// seed writes codes with BatchWriteItem, 25 at a time.
func (l local) seed(t *testing.T, codes ...promo.Code) {
	t.Helper()
	for start := 0; start < len(codes); start += 25 {
		var reqs []types.WriteRequest
		for _, c := range codes[start:min(start+25, len(codes))] {
			item, err := promodb.MarshalCode(c)
			if err != nil {
				t.Fatal(err)
			}
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		}
		for len(reqs) > 0 {
			out, err := l.db.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{l.table: reqs}})
			if err != nil {
				t.Fatal(err)
			}
			reqs = out.UnprocessedItems[l.table]
		}
	}
}

func (l local) code(t *testing.T, site, code string) (promo.Code, bool) {
	t.Helper()
	c, found, err := l.codes.Get(context.Background(), site, code)
	if err != nil {
		t.Fatal(err)
	}
	return c, found
}

// audits returns every audit entry of site by target.
func (l local) audits(t *testing.T, site string) map[string][]audit.Entry {
	t.Helper()
	out := map[string][]audit.Entry{}
	cursor := ""
	for {
		page, err := l.audit.List(context.Background(), site, cursor, audit.MaxLimit)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			out[e.Target] = append(out[e.Target], e)
		}
		if page.Next == "" {
			return out
		}
		cursor = page.Next
	}
}

func TestExtend(t *testing.T) {
	noon := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) // 29 November 01:00 in Auckland
	early := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC) // 27 November 21:00 in New York
	utc := func(day string) expiry { t, _ := promo.EndOfDay(day, time.UTC); return expiry{day, t} }
	tests := []struct {
		name    string
		now     time.Time
		zones   map[settings.Service]string
		seed    []promo.Code
		in      promo.ExtendInput
		wantErr []string
		want    []change.ExtendResult
		// wantExpiry is each code's stored expiry afterwards: its date and end instant.
		wantExpiry map[string]expiry
	}{
		{
			name: "every result, in request order",
			now:  noon,
			seed: []promo.Code{
				newCode("acme", "ACTIVE1", "events", "2026-12-31", promo.StatusActive),
				newCode("acme", "DELETED", "events", "2026-12-31", promo.StatusDeleted),
				newCode("acme", "LATER01", "training", "2027-03-31", promo.StatusActive),
				newCode("acme", "SAMEDAY", "events", "2027-01-31", promo.StatusActive),
				newCode("acme", "USEDUP1", "training", "2026-12-01", promo.StatusUsedUp),
				newCode("acme", "EXPIRED", "events", "2026-11-01", promo.StatusActive),
				newCode("globex", "GLOBEX1", "events", "2026-12-31", promo.StatusActive),
			},
			in: promo.ExtendInput{ExpiresOn: "2027-01-31", Codes: []string{
				"active1", "DELETED", "LATER01", "NOPE123", "SameDay", "USEDUP1", "EXPIRED", "GLOBEX1",
			}},
			want: []change.ExtendResult{
				{Code: "ACTIVE1", Result: promo.ChangeExtended, Before: "2026-12-31", After: "2027-01-31"},
				{Code: "DELETED", Result: promo.ChangeDeleted},
				{Code: "LATER01", Result: promo.ChangeEarlierThanCurrent, Before: "2027-03-31"},
				{Code: "NOPE123", Result: promo.ChangeNotFound},
				{Code: "SAMEDAY", Result: promo.ChangeUnchanged, Before: "2027-01-31"},
				{Code: "USEDUP1", Result: promo.ChangeExtended, Before: "2026-12-01", After: "2027-01-31"},
				{Code: "EXPIRED", Result: promo.ChangeExtended, Before: "2026-11-01", After: "2027-01-31"},
				{Code: "GLOBEX1", Result: promo.ChangeNotFound}, // another site's code is not this site's
			},
			wantExpiry: map[string]expiry{
				"ACTIVE1": utc("2027-01-31"), "DELETED": utc("2026-12-31"), "LATER01": utc("2027-03-31"),
				"SAMEDAY": utc("2027-01-31"), "USEDUP1": utc("2027-01-31"), "EXPIRED": utc("2027-01-31"),
			},
		},
		{
			name:  "each code ends its day in its service's time zone",
			now:   noon,
			zones: map[settings.Service]string{settings.Events: "Pacific/Auckland", settings.Training: "America/New_York"},
			seed: []promo.Code{
				newCode("acme", "EVENTS1", "events", "2026-12-31", promo.StatusActive),
				newCode("acme", "TRAIN01", "training", "2026-12-31", promo.StatusActive),
			},
			in: promo.ExtendInput{ExpiresOn: "2027-01-31", Codes: []string{"EVENTS1", "TRAIN01"}},
			want: []change.ExtendResult{
				{Code: "EVENTS1", Result: promo.ChangeExtended, Before: "2026-12-31", After: "2027-01-31"},
				{Code: "TRAIN01", Result: promo.ChangeExtended, Before: "2026-12-31", After: "2027-01-31"},
			},
			wantExpiry: map[string]expiry{
				"EVENTS1": {"2027-01-31", time.Date(2027, 1, 31, 11, 0, 0, 0, time.UTC)}, // 1 February 00:00 NZDT
				"TRAIN01": {"2027-01-31", time.Date(2027, 2, 1, 5, 0, 0, 0, time.UTC)},   // 1 February 00:00 EST
			},
		},
		{
			name:  "a day in the past in one service's zone but not in UTC is refused for that service's codes",
			now:   noon,
			zones: map[settings.Service]string{settings.Events: "Pacific/Auckland"},
			seed: []promo.Code{
				newCode("acme", "EVENTS1", "events", "2026-11-20", promo.StatusActive),
				newCode("acme", "TRAIN01", "training", "2026-11-20", promo.StatusActive),
			},
			in: promo.ExtendInput{ExpiresOn: "2026-11-28", Codes: []string{"EVENTS1", "TRAIN01"}},
			want: []change.ExtendResult{
				{Code: "EVENTS1", Result: promo.ChangeBeforeToday, Before: "2026-11-20", Today: "2026-11-29"},
				{Code: "TRAIN01", Result: promo.ChangeExtended, Before: "2026-11-20", After: "2026-11-28"},
			},
			wantExpiry: map[string]expiry{"EVENTS1": utc("2026-11-20"), "TRAIN01": utc("2026-11-28")},
		},
		{
			name:    "a day in the past in every zone of the site, though not in UTC, refuses the request",
			now:     noon,
			zones:   map[settings.Service]string{settings.Events: "Pacific/Auckland", settings.Training: "Pacific/Auckland"},
			seed:    []promo.Code{newCode("acme", "EVENTS1", "events", "2026-11-20", promo.StatusActive)},
			in:      promo.ExtendInput{ExpiresOn: "2026-11-28", Codes: []string{"EVENTS1"}},
			wantErr: []string{"expiresOn"},
			// nothing changed
			wantExpiry: map[string]expiry{"EVENTS1": utc("2026-11-20")},
		},
		{
			name:  "a day in the past in UTC but not in the site's zone is fine",
			now:   early,
			zones: map[settings.Service]string{settings.Events: "America/New_York", settings.Training: "America/New_York"},
			seed:  []promo.Code{newCode("acme", "EVENTS1", "events", "2026-11-20", promo.StatusActive)},
			in:    promo.ExtendInput{ExpiresOn: "2026-11-27", Codes: []string{"EVENTS1"}},
			want: []change.ExtendResult{
				{Code: "EVENTS1", Result: promo.ChangeExtended, Before: "2026-11-20", After: "2026-11-27"},
			},
			wantExpiry: map[string]expiry{"EVENTS1": {"2026-11-27", time.Date(2026, 11, 28, 5, 0, 0, 0, time.UTC)}},
		},
		{
			name:    "a day in the past in UTC, never configured",
			now:     noon,
			in:      promo.ExtendInput{ExpiresOn: "2026-11-27", Codes: []string{"EVENTS1"}},
			wantErr: []string{"expiresOn"},
		},
		{
			name:    "1,001 codes",
			now:     noon,
			in:      promo.ExtendInput{ExpiresOn: "2027-01-31", Codes: numbered("C", 1001)},
			wantErr: []string{"codes"},
		},
		{
			name:    "a malformed code refuses the request",
			now:     noon,
			seed:    []promo.Code{newCode("acme", "ACTIVE1", "events", "2026-12-31", promo.StatusActive)},
			in:      promo.ExtendInput{ExpiresOn: "2027-01-31", Codes: []string{"ACTIVE1", "NOT A CODE"}},
			wantErr: []string{"codes[1]"},
			// nothing changed
			wantExpiry: map[string]expiry{"ACTIVE1": utc("2026-12-31")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLocal(t)
			l.setZones(t, "acme", tt.zones)
			l.seed(t, tt.seed...)
			rep, err := l.extender(t, tt.now).Extend(context.Background(), "admin-1", "acme", tt.in)
			var fields []string
			if err != nil {
				if apperr.CodeOf(err) != apperr.CodeInvalid {
					t.Fatalf("err = %v", err)
				}
				for _, d := range apperr.As(err).Details {
					fields = append(fields, d.Field)
				}
			}
			if !slices.Equal(fields, tt.wantErr) {
				t.Fatalf("error fields %v, want %v", fields, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(rep.Results, tt.want) {
				t.Fatalf("results\n%+v\nwant\n%+v", rep.Results, tt.want)
			}
			for code, want := range tt.wantExpiry {
				c, _ := l.code(t, "acme", code)
				if !c.ExpiresAt.Equal(want.at) || c.ExpiresOn != want.on {
					t.Errorf("%s expires on %s at %s, want %s at %s", code, c.ExpiresOn, c.ExpiresAt, want.on, want.at)
				}
			}
			// One audit entry per code extended, none for anything else.
			audits := l.audits(t, "acme")
			delete(audits, "events")
			delete(audits, "training") // the settings set up for the test
			extended := 0
			for _, r := range rep.Results {
				if r.Result != promo.ChangeExtended {
					if len(audits[r.Code]) != 0 {
						t.Errorf("%s (%s) has audit entries %+v", r.Code, r.Result, audits[r.Code])
					}
					continue
				}
				extended++
				es := audits[r.Code]
				if len(es) != 1 || es[0].Action != promo.ActionExtend || es[0].Actor != "admin-1" || len(es[0].Changes) != 1 ||
					es[0].Changes[0] != (audit.Change{Field: "expiresOn", Before: r.Before, After: r.After}) {
					t.Errorf("%s: audit %+v", r.Code, es)
				}
				if c, _ := l.code(t, "acme", r.Code); c.UpdatedBy != "admin-1" || c.UpdatedAt.IsZero() {
					t.Errorf("%s: updated %s by %q", r.Code, c.UpdatedAt, c.UpdatedBy)
				}
			}
			if len(audits) != extended {
				t.Errorf("audit targets %d, want %d", len(audits), extended)
			}
		})
	}
}

// expiry is a code's last day and the instant it ends.
type expiry struct {
	on string
	at time.Time
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%05d", prefix, i)
	}
	return out
}

func TestDelete(t *testing.T) {
	l := newLocal(t)
	l.seed(t,
		newCode("acme", "ACTIVE1", "events", "2026-12-31", promo.StatusActive),
		newCode("acme", "USEDUP1", "training", "2026-12-31", promo.StatusUsedUp),
		newCode("acme", "DELETED", "events", "2026-12-31", promo.StatusDeleted),
		newCode("globex", "GLOBEX1", "events", "2026-12-31", promo.StatusActive),
	)
	first := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	rep, err := l.deleter(t, fixedClock(first)).Delete(context.Background(), "admin-1", "acme", promo.DeleteInput{
		Codes: []string{"active1", "USEDUP1", "DELETED", "NOPE123", "GLOBEX1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []change.DeleteResult{
		{Code: "ACTIVE1", Result: promo.ChangeDeleted, DeletedAt: first, DeletedBy: "admin-1"},
		{Code: "USEDUP1", Result: promo.ChangeDeleted, DeletedAt: first, DeletedBy: "admin-1"},
		{Code: "DELETED", Result: promo.ChangeAlreadyDeleted, DeletedAt: created.Add(time.Hour), DeletedBy: "earlier-admin"},
		{Code: "NOPE123", Result: promo.ChangeNotFound},
		{Code: "GLOBEX1", Result: promo.ChangeNotFound},
	}
	if !reflect.DeepEqual(rep.Results, want) {
		t.Fatalf("results\n%+v\nwant\n%+v", rep.Results, want)
	}
	// Deleting again: idempotent, nothing written, the first deletion stands.
	again := first.Add(time.Hour)
	rep, err = l.deleter(t, fixedClock(again)).Delete(context.Background(), "admin-2", "acme", promo.DeleteInput{Codes: []string{"ACTIVE1", "USEDUP1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Result != promo.ChangeAlreadyDeleted || !r.DeletedAt.Equal(first) || r.DeletedBy != "admin-1" {
			t.Errorf("second delete: %+v", r)
		}
	}
	for _, code := range []string{"ACTIVE1", "USEDUP1"} {
		c, found := l.code(t, "acme", code)
		if !found || c.Stored != promo.StatusDeleted || !c.DeletedAt.Equal(first) || c.DeletedBy != "admin-1" ||
			!c.UpdatedAt.Equal(first) || c.UpdatedBy != "admin-1" || c.ExpiresOn != "2026-12-31" {
			t.Errorf("%s = %+v", code, c)
		}
	}
	if c, _ := l.code(t, "globex", "GLOBEX1"); c.Stored != promo.StatusActive {
		t.Errorf("another site's code was deleted: %+v", c)
	}
	audits := l.audits(t, "acme")
	if len(audits) != 2 {
		t.Fatalf("audit targets %v, want ACTIVE1 and USEDUP1", audits)
	}
	for _, code := range []string{"ACTIVE1", "USEDUP1"} {
		es := audits[code]
		if len(es) != 1 || es[0].Action != promo.ActionDelete || es[0].Actor != "admin-1" || !es[0].At.Equal(first) ||
			es[0].Changes[0] != (audit.Change{Field: "status", After: "deleted"}) {
			t.Errorf("%s: audit %+v", code, es)
		}
	}
	if n := len(l.audits(t, "globex")); n != 0 {
		t.Errorf("globex has %d audit entries", n)
	}
}

// A full selection of 1,000 codes is extended and then deleted, each with its audit entry.
func TestThousandCodes(t *testing.T) {
	l := newLocal(t)
	codes := numbered("K", promo.MaxChangeCodes)
	var seed []promo.Code
	for _, c := range codes {
		seed = append(seed, newCode("acme", c, "events", "2026-12-31", promo.StatusActive))
	}
	l.seed(t, seed...)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	rep, err := l.extender(t, now).Extend(context.Background(), "admin-1", "acme", promo.ExtendInput{Codes: codes, ExpiresOn: "2027-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	drep, err := l.deleter(t, fixedClock(now)).Delete(context.Background(), "admin-1", "acme", promo.DeleteInput{Codes: codes})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range codes {
		if rep.Results[i].Code != c || rep.Results[i].Result != promo.ChangeExtended || drep.Results[i].Code != c || drep.Results[i].Result != promo.ChangeDeleted {
			t.Fatalf("%d: %+v %+v", i, rep.Results[i], drep.Results[i])
		}
	}
	audits := l.audits(t, "acme")
	for _, c := range codes {
		if es := audits[c]; len(es) != 2 {
			t.Fatalf("%s: %d audit entries", c, len(es))
		}
	}
}
