package report

import (
	"slices"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Filter is what a report is filtered by. The zero value lists every code.
//
// Statuses: expired is not stored; a code is expired when it is stored as active and its
// expiresAt is at or before the report's instant (promo.Code.StatusAt). The active and
// expired filters also leave out codes whose uses ran out, so that no row ever shows another
// status than the one asked for; used_up finds the codes stored as used_up (whoever counts
// the last use stores the status with it).
type Filter struct {
	// CreatedFrom and CreatedTo bound the creation instant, both inclusive; zero is open.
	CreatedFrom, CreatedTo time.Time
	// ExpiresFrom and ExpiresTo bound the expiry date (promo.Code.ExpiresOn, YYYY-MM-DD),
	// both inclusive; "" is open.
	ExpiresFrom, ExpiresTo string
	// Code is a code in stored form (promo.NormalizeCode); with CodePrefix, every code that
	// starts with it.
	Code       string
	CodePrefix bool
	// RecipientEmail is an address in stored form (emailaddr.Normalize), matched exactly.
	RecipientEmail string
	// RecipientName is matched case-insensitively, with runs of spaces squeezed.
	RecipientName string
	// Status is a status of promo.Statuses, or "" for any.
	Status promo.Status
	// Service is events or training, or "" for any.
	Service string
	// At is the instant statuses are judged at: a code is expired from its expiresAt on. It
	// is not part of the query's identity (a cursor stays good while time passes). Zero means
	// the time the report is read (Report.Walk sets it, so a store always gets an instant).
	// Use the same instant for promo.Code.StatusAt on the rows.
	At time.Time
}

// Check adds to v every reason the report cannot run f, each on the query parameter of the
// filter it concerns, so that a request learns all of them at once.
func (f Filter) Check(v *apperr.Errors) {
	if !f.CreatedFrom.IsZero() && !f.CreatedTo.IsZero() && f.CreatedTo.Before(f.CreatedFrom) {
		v.Add("createdTo", "must not be before createdFrom")
	}
	for _, d := range []struct{ field, day string }{{"expiresFrom", f.ExpiresFrom}, {"expiresTo", f.ExpiresTo}} {
		if d.day != "" {
			if _, err := promo.ParseDate(d.day); err != nil {
				v.Add(d.field, "must be a date in YYYY-MM-DD form")
			}
		}
	}
	if f.ExpiresFrom != "" && f.ExpiresTo != "" && f.ExpiresTo < f.ExpiresFrom {
		v.Add("expiresTo", "must not be before expiresFrom")
	}
	if f.CodePrefix && f.Code == "" {
		v.Add("code", "a prefix needs at least one character")
	}
	if f.Status != "" && !slices.Contains(promo.Statuses, f.Status) {
		v.Add("status", "must be active, expired, used_up or deleted")
	}
}
