package change

import (
	"context"
	"errors"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Extender gives selected codes a new expiry date (SPEC 3.5).
type Extender struct {
	codes Codes
	sites Sites
	now   func() time.Time
}

// NewExtender returns an Extender over a site's codes and settings; now is the clock
// (time.Now when nil).
func NewExtender(codes Codes, sites Sites, now func() time.Time) (*Extender, error) {
	if codes == nil || sites == nil {
		return nil, errors.New("promo extender: codes and sites are required")
	}
	if now == nil {
		now = time.Now
	}
	return &Extender{codes: codes, sites: sites, now: now}, nil
}

// ExtendResult is what an extend did to one code.
type ExtendResult struct {
	Code   string
	Result promo.ChangeResult
	// Before is the expiry date the code had (extended), or has and keeps (unchanged,
	// earlier_than_current, before_today).
	Before string
	// After is the code's new expiry date (extended).
	After string
	// Today is the date it is in the code's time zone (before_today).
	Today string
}

// ExtendReport is the answer to an extend: a result per distinct code, in request order.
type ExtendReport struct {
	ExpiresOn string
	Results   []ExtendResult
}

// zone is where a service's codes expire: its time zone and the date it is there.
type zone struct {
	loc   *time.Location
	today string
}

// zones are the time zones of a site's services at one instant.
type zones struct {
	site settings.Site
	now  time.Time
	by   map[string]zone
}

func newZones(s settings.Site, now time.Time) zones {
	z := zones{site: s, now: now, by: make(map[string]zone, len(settings.Services))}
	for _, svc := range settings.Services {
		z.by[string(svc)] = z.compute(svc)
	}
	return z
}

func (z zones) compute(svc settings.Service) zone {
	loc := z.site.Location(svc)
	return zone{loc: loc, today: promo.Today(z.now, loc)}
}

// of returns the zone of a service; a service the settings do not know expires in the
// site's default zone (UTC).
func (z zones) of(service string) zone {
	if zn, ok := z.by[service]; ok {
		return zn
	}
	return z.compute(settings.Service(service))
}

func (z zones) todays() []string {
	out := make([]string, 0, len(settings.Services))
	for _, svc := range settings.Services {
		out = append(out, z.by[string(svc)].today)
	}
	return out
}

// Extend gives in's codes of site the date in.ExpiresOn, as actor. The site's settings are
// read once: each code's "today" and end of day are those of its service's time zone. A
// whole request is refused only for bad input; a code that cannot be extended gets its
// reason in the report. Codes are changed concurrently, each with one conditional write.
// An error of the store stops the request; extending again is safe (what was extended is
// then unchanged).
func (x *Extender) Extend(ctx context.Context, actor, site string, in promo.ExtendInput) (ExtendReport, error) {
	s, err := x.sites.Get(ctx, site)
	if err != nil {
		return ExtendReport{}, err
	}
	z := newZones(s, x.now())
	req, err := in.Validate(z.todays())
	if err != nil {
		return ExtendReport{}, err
	}
	results := make([]ExtendResult, len(req.Codes))
	err = each(ctx, len(req.Codes), Workers, func(ctx context.Context, i int) error {
		r, err := x.extendOne(ctx, actor, site, req.Codes[i], req.ExpiresOn, z)
		results[i] = r
		return err
	})
	if err != nil {
		return ExtendReport{}, err
	}
	return ExtendReport{ExpiresOn: req.ExpiresOn, Results: results}, nil
}

// extendOne reads the code, decides, and writes the change on the condition that the code
// is still as read; when another writer got there first it decides again from the code as
// that writer left it, so the audit entry's before is always the expiry it replaced.
func (x *Extender) extendOne(ctx context.Context, actor, site, code, day string, z zones) (ExtendResult, error) {
	cur, found, err := x.codes.Get(ctx, site, code)
	if err != nil {
		return ExtendResult{}, err
	}
	for range maxAttempts {
		zn := z.of(cur.Service)
		res := promo.DecideExtend(cur, found, day, zn.today)
		r := ExtendResult{Code: code, Result: res}
		switch res {
		case promo.ChangeUnchanged, promo.ChangeEarlierThanCurrent:
			r.Before = cur.ExpiresOn
		case promo.ChangeBeforeToday:
			r.Before, r.Today = cur.ExpiresOn, zn.today
		}
		if res != promo.ChangeExtended {
			return r, nil
		}
		end, err := promo.EndOfDay(day, zn.loc)
		if err != nil {
			return ExtendResult{}, apperr.Internal(err) // day was validated
		}
		now := x.now()
		next := cur.Extended(day, end, actor, now)
		entry := audit.NewEntry(site, actor, promo.ActionExtend, code, now,
			[]audit.Change{{Field: "expiresOn", Before: cur.ExpiresOn, After: day}})
		w, err := x.codes.SetExpiry(ctx, cur, next, entry)
		if err != nil {
			return ExtendResult{}, err
		}
		if w.Applied {
			return ExtendResult{Code: code, Result: promo.ChangeExtended, Before: cur.ExpiresOn, After: day}, nil
		}
		cur, found = w.Current, w.Found
	}
	return ExtendResult{}, apperr.New(apperr.CodeConflict, "code %s kept changing while it was being extended; try again", code)
}
