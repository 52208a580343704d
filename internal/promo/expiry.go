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
