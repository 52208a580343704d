package promo

import (
	"fmt"
	"time"
)

// DateLayout is how dates travel: ISO 8601, YYYY-MM-DD.
const DateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil || d.Format(DateLayout) != s {
		return time.Time{}, fmt.Errorf("%q is not a date in YYYY-MM-DD form", s)
	}
	return d, nil
}

// MaxExpiryYears is how far ahead an expiry date may be. Far dates are refused before
// anything is written: the year 10000 has no RFC 3339 form, and no code needs to outlive a
// decade.
const MaxExpiryYears = 10

// CheckExpiry says why day cannot be an expiry date when today is today (YYYY-MM-DD in
// the service's zone), or "" when it can: a date, from today to MaxExpiryYears ahead.
func CheckExpiry(day, today string) string {
	d, err := ParseDate(day)
	if err != nil {
		return "must be a date in YYYY-MM-DD form"
	}
	if day < today {
		return fmt.Sprintf("must be today (%s in the site's time zone) or later", today)
	}
	if t, err := ParseDate(today); err == nil {
		if last := t.AddDate(MaxExpiryYears, 0, 0); d.After(last) {
			return fmt.Sprintf("must be at most %d years ahead (%s at the latest)", MaxExpiryYears, last.Format(DateLayout))
		}
	}
	return ""
}

// Today is the date it is at now in loc.
func Today(now time.Time, loc *time.Location) string {
	return now.In(loc).Format(DateLayout)
}

// EndOfDay is the instant the day ends in loc (the next day's midnight there), in UTC: a
// code expiring on day ends then (SPEC 1: "ends at midnight in this zone").
func EndOfDay(day string, loc *time.Location) (time.Time, error) {
	d, err := ParseDate(day)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc).UTC(), nil
}
