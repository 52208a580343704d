package dynamo

import "time"

// timeKey formats an instant so that keys sort by time: fixed width, UTC, nanoseconds.
const timeKey = "2006-01-02T15:04:05.000000000Z"

// FormatTime is an instant as stored in an attribute or a key that sorts by time; the zero
// time is "" (an attribute left out).
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeKey)
}

// ParseTime reads what FormatTime stored; "" is the zero time.
func ParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
