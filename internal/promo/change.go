package promo

import (
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// MaxChangeCodes is the most codes one extend or delete request may select (SPEC 3.5, 3.6).
const MaxChangeCodes = 1000

// Audit actions of the changes to existing codes.
const (
	ActionExtend = "promo.extend"
	ActionDelete = "promo.delete"
)

// ChangeResult is what an extend or a delete did to one selected code.
type ChangeResult string

// The results. ChangeDeleted means, for an extend, that the code is deleted and so was not
// extended; for a delete, that this request deleted it.
const (
	ChangeExtended           ChangeResult = "extended"
	ChangeUnchanged          ChangeResult = "unchanged"
	ChangeEarlierThanCurrent ChangeResult = "earlier_than_current"
	ChangeBeforeToday        ChangeResult = "before_today"
	ChangeNotFound           ChangeResult = "not_found"
	ChangeDeleted            ChangeResult = "deleted"
	ChangeAlreadyDeleted     ChangeResult = "already_deleted"
)

// ExtendResults lists every result of an extend, DeleteResults every result of a delete.
var (
	ExtendResults = []ChangeResult{ChangeExtended, ChangeUnchanged, ChangeEarlierThanCurrent, ChangeBeforeToday, ChangeDeleted, ChangeNotFound}
	DeleteResults = []ChangeResult{ChangeDeleted, ChangeAlreadyDeleted, ChangeNotFound}
)

// ExtendInput is a request to give selected codes a new expiry date (SPEC 3.5).
type ExtendInput struct {
	Codes     []string `json:"codes"`
	ExpiresOn string   `json:"expiresOn"`
}

// Extension is a validated extend request: distinct normalised codes in request order, and
// the new last day.
type Extension struct {
	Codes     []string
	ExpiresOn string
}

// Validate checks an extend request. todays are the dates it is today in each time zone the
// site's codes expire in (one per service): a date before every one of them is in the past
// for every code and refuses the whole request; a date in the past for some zones only is
// decided code by code (DecideExtend).
func (in ExtendInput) Validate(todays []string) (Extension, error) {
	var v apperr.Errors
	x := Extension{Codes: checkChangeCodes(&v, in.Codes), ExpiresOn: in.ExpiresOn}
	switch {
	case in.ExpiresOn == "":
		v.Add("expiresOn", "is required: the new last day the codes can be used, YYYY-MM-DD")
	default:
		// The earliest of the todays bounds both ends: before it is the past for every code,
		// and ten years after it is far enough for every zone (they differ by a day at most).
		today := in.ExpiresOn // without a zone to tell today, only the form is checked
		if len(todays) > 0 {
			today = slices.Min(todays)
		}
		if reason := CheckExpiry(in.ExpiresOn, today); reason != "" {
			v.Add("expiresOn", reason)
		}
	}
	if err := v.Err(); err != nil {
		return Extension{}, err
	}
	return x, nil
}

// DeleteInput is a request to delete selected codes (SPEC 3.6).
type DeleteInput struct {
	Codes []string `json:"codes"`
}

// Deletion is a validated delete request: distinct normalised codes in request order.
type Deletion struct {
	Codes []string
}

// Validate checks a delete request.
func (in DeleteInput) Validate() (Deletion, error) {
	var v apperr.Errors
	d := Deletion{Codes: checkChangeCodes(&v, in.Codes)}
	if err := v.Err(); err != nil {
		return Deletion{}, err
	}
	return d, nil
}

// changeCode is the shape of every code a site can have: generated codes draw on Alphabet,
// custom codes on A-Z, 0-9, '-' and '_'; both are stored upper-case.
// Compiled on first use, not in package init: init is paid by every cold start.
var changeCode = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z0-9_-]+$`) })

// checkChangeCodes validates the selected codes, collecting problems into v (each named by
// its index, "codes[3]"), and returns them normalised (codes are case-insensitive) with
// duplicates dropped after their first occurrence, so each is changed and reported once.
func checkChangeCodes(v *apperr.Errors, raw []string) []string {
	switch {
	case len(raw) == 0:
		v.Add("codes", fmt.Sprintf("is required: 1 to %d codes", MaxChangeCodes))
		return nil
	case len(raw) > MaxChangeCodes:
		v.Add("codes", fmt.Sprintf("must hold at most %d codes (has %d)", MaxChangeCodes, len(raw)))
		return nil
	}
	out := make([]string, 0, len(raw))
	seen := make(map[string]int, len(raw)) // code → the index it was first sent at
	for i, r := range raw {
		c := NormalizeCode(r)
		field := fmt.Sprintf("codes[%d]", i)
		switch {
		case c == "":
			v.Add(field, "is empty")
		case len(c) < MinCustomLength || len(c) > MaxLength:
			v.Add(field, fmt.Sprintf("must be %d to %d characters (has %d)", MinCustomLength, MaxLength, len(c)))
		case !changeCode().MatchString(c):
			v.Add(field, "may hold only letters A-Z, digits, '-' and '_'")
		default:
			// Codes are case-insensitive: "abc123" and "ABC123 " are one code, and a code
			// sent twice would get one result for two requests.
			if first, dup := seen[c]; dup {
				v.Add(field, fmt.Sprintf("%s is already codes[%d]; send each code once", c, first))
				continue
			}
			seen[c] = i
			out = append(out, c)
		}
	}
	return out
}

// DecideExtend says what extending a code to day does. found is false when the site has no
// such code; today is the date it is in the code's time zone (its service's). Only
// ChangeExtended changes the code: a deleted code is never extended, nor is a code given a
// day in the past or earlier than the one it has.
func DecideExtend(c Code, found bool, day, today string) ChangeResult {
	switch {
	case !found:
		return ChangeNotFound
	case c.Stored == StatusDeleted:
		return ChangeDeleted
	case day < today:
		return ChangeBeforeToday
	case day < c.ExpiresOn:
		return ChangeEarlierThanCurrent
	case day == c.ExpiresOn:
		return ChangeUnchanged
	}
	return ChangeExtended
}

// Extended returns c expiring on day, which ends at the instant end (EndOfDay in the code's
// time zone), changed by actor at now.
func (c Code) Extended(day string, end time.Time, actor string, now time.Time) Code {
	c.ExpiresOn, c.ExpiresAt = day, end.UTC()
	c.UpdatedAt, c.UpdatedBy = now.UTC(), actor
	return c
}

// DecideDelete says what a refused delete found: found is false when the site has no such
// code. It returns false when the code is there and not deleted, that is, when the delete
// must be tried again.
func DecideDelete(c Code, found bool) (ChangeResult, bool) {
	switch {
	case !found:
		return ChangeNotFound, true
	case c.Stored == StatusDeleted:
		return ChangeAlreadyDeleted, true
	}
	return "", false
}

// Deleted returns c deleted by actor at now; it stays in the report with its expiry.
func (c Code) Deleted(actor string, now time.Time) Code {
	c.Stored = StatusDeleted
	c.DeletedAt, c.DeletedBy = now.UTC(), actor
	c.UpdatedAt, c.UpdatedBy = now.UTC(), actor
	return c
}
