// Package audit records who changed what on a site, and when. Every function that makes an
// administrative change writes an Entry in the same transaction as the change itself.
package audit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Change is one field that changed. A secret field is recorded as changed, never its values.
type Change struct {
	Field  string `json:"field"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
	Secret bool   `json:"secret,omitempty"`
}

// Entry is one administrative change.
type Entry struct {
	ID      string    `json:"id"`
	Site    string    `json:"site"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Target  string    `json:"target"`
	Changes []Change  `json:"changes"`
}

// NewEntry stamps a change with a sortable, unique ID: entries list newest first by ID.
func NewEntry(site, actor, action, target string, at time.Time, changes []Change) Entry {
	at = at.UTC()
	return Entry{ID: NewID(at), Site: site, At: at, Actor: actor, Action: action, Target: target, Changes: changes}
}

// NewID returns an ID that sorts by time (fixed-width UTC timestamp) and is unique (random
// suffix), so two changes in the same nanosecond never collide.
func NewID(at time.Time) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return at.UTC().Format(idStamp) + "-" + hex.EncodeToString(b[:])
}

// idStamp is the time part of an ID.
const idStamp = "20060102T150405.000000000Z"

// DerivedID is an ID of NewID's shape whose suffix comes from seed, not chance: the same
// time and seed give the same ID, so every try of a retried creation names what it makes
// alike. The seed must be unique (an idempotent request's ID, say).
func DerivedID(at time.Time, seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return at.UTC().Format(idStamp) + "-" + hex.EncodeToString(sum[:6])
}

// IsID reports whether s has the shape NewID gives: "YYYYMMDDTHHMMSS.nnnnnnnnnZ-" and 12
// lower-case hex digits. What cannot be an ID is refused before it reaches a store key.
func IsID(s string) bool {
	const stamp = idStamp
	if len(s) != len(stamp)+1+12 || s[len(stamp)] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8:
			if c != 'T' {
				return false
			}
		case i == 15:
			if c != '.' {
				return false
			}
		case i == 25:
			if c != 'Z' {
				return false
			}
		case i == 26:
		case i > 26:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// Page is one page of entries, newest first; Next is the cursor of the following page, empty
// on the last.
type Page struct {
	Entries []Entry `json:"entries"`
	Next    string  `json:"next,omitempty"`
}

// Lister reads a site's entries newest first.
type Lister interface {
	List(ctx context.Context, site, cursor string, limit int) (Page, error)
}

// Page size bounds of the list.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)
