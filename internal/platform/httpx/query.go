package httpx

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// ReadQuery reads a query string strictly, adding to v a detail naming the parameter for
// each one that is unknown (known lists the parameters of what) or repeated, and for each
// value that is not URL-encoded properly, so that a misspelt or garbled parameter never
// silently widens a list. Values are trimmed; an empty value counts as none.
func ReadQuery(raw string, known []string, what string, v *apperr.Errors) url.Values {
	out := url.Values{}
	var unknown []string
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			v.Add("query", "a parameter name is not URL-encoded properly: "+clip(rawName))
			continue
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			v.Add(shown(name), "is not URL-encoded properly (a % must be followed by two hex digits)")
			continue
		}
		switch {
		case !slices.Contains(known, name):
			if !slices.Contains(unknown, name) {
				unknown = append(unknown, name)
			}
		case out.Has(name):
			v.Add(name, "must be given once")
		default:
			out.Set(name, strings.TrimSpace(value))
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		v.Add(shown(name), "is not a parameter of "+what+" (known: "+strings.Join(known, ", ")+")")
	}
	return out
}

// shown is a parameter name as an error names it: as decoded when that is text, else
// URL-encoded (%FF), since JSON would carry each byte that is not UTF-8 as U+FFFD and the
// client could not tell which parameter was meant.
func shown(name string) string {
	if utf8.ValidString(name) {
		return name
	}
	return url.QueryEscape(name)
}

// maxClip is how many characters of what a caller sent a message quotes.
const maxClip = 40

// clip shortens what a caller sent to a length fit for a message.
func clip(s string) string { return plaintext.Clip(s, maxClip) }
