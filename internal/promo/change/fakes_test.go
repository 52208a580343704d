package change_test

import (
	"context"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// fakeCodes is a change.Codes made of functions.
type fakeCodes struct {
	get         func(site, code string) (promo.Code, bool, error)
	setExpiry   func(from, to promo.Code, e audit.Entry) (change.Written, error)
	markDeleted func(site, code, actor string, now time.Time, e audit.Entry) (change.Written, error)
}

func (f fakeCodes) Get(_ context.Context, site, code string) (promo.Code, bool, error) {
	return f.get(site, code)
}

func (f fakeCodes) SetExpiry(_ context.Context, from, to promo.Code, e audit.Entry) (change.Written, error) {
	return f.setExpiry(from, to, e)
}

func (f fakeCodes) MarkDeleted(_ context.Context, site, code, actor string, now time.Time, e audit.Entry) (change.Written, error) {
	return f.markDeleted(site, code, actor, now, e)
}

// fakeSites is a change.Sites made of a function.
type fakeSites func(site string) (settings.Site, error)

func (f fakeSites) Get(_ context.Context, site string) (settings.Site, error) { return f(site) }

// utcSite is a site never configured: every service in UTC.
var utcSite = fakeSites(func(site string) (settings.Site, error) { return settings.New(site), nil })

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }
