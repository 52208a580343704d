// Package promo holds promotion codes (SPEC 3): what a code is, the rules of creating,
// extending and deleting codes, and its status. It imports no AWS package.
package promo

import (
	"time"
)

// UsageKind says how often a code may be used before it expires.
type UsageKind string

// The usage kinds of SPEC 3.1.
const (
	UsageOnce      UsageKind = "once"
	UsageMultiple  UsageKind = "multiple"
	UsageUnlimited UsageKind = "unlimited"
)

// Usage is how often a code may be used; Max is set for UsageMultiple (at least 2).
type Usage struct {
	Kind UsageKind `json:"kind"`
	Max  int       `json:"max,omitempty"`
}

// Limit returns the most uses allowed, or 0 for unlimited.
func (u Usage) Limit() int {
	switch u.Kind {
	case UsageOnce:
		return 1
	case UsageMultiple:
		return u.Max
	}
	return 0
}

// DiscountKind is a fixed amount off or a percentage off.
type DiscountKind string

// The discount kinds.
const (
	DiscountAmount  DiscountKind = "amount"
	DiscountPercent DiscountKind = "percent"
)

// Discount is what a code takes off. Money is in integer minor units (cents, pence) and a
// percentage in hundredths of a percent (basis points): never floating point.
type Discount struct {
	Kind DiscountKind `json:"kind"`
	// AmountMinor and Currency are set for DiscountAmount.
	AmountMinor int64  `json:"amountMinor,omitempty"`
	Currency    string `json:"currency,omitempty"`
	// PercentBasisPoints is set for DiscountPercent: 2000 is 20%, 10000 is 100%.
	PercentBasisPoints int `json:"percentBasisPoints,omitempty"`
}

// Recipient is the person or company a code was made for.
type Recipient struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// MaxRecipientName is the longest recipient name kept.
const MaxRecipientName = 200

// Status is a code's status in the report.
type Status string

// The statuses of SPEC 3.4. Only active, used_up and deleted are stored; expired is read off
// the expiry instant.
const (
	StatusActive  Status = "active"
	StatusExpired Status = "expired"
	StatusUsedUp  Status = "used_up"
	StatusDeleted Status = "deleted"
)

// Statuses lists every status.
var Statuses = []Status{StatusActive, StatusExpired, StatusUsedUp, StatusDeleted}

// Code is a promotion code as stored.
type Code struct {
	Site      string     `json:"site"`
	Code      string     `json:"code"`
	Service   string     `json:"service"`
	Recipient *Recipient `json:"recipient,omitempty"`
	Usage     Usage      `json:"usage"`
	Used      int        `json:"used"`
	Discount  Discount   `json:"discount"`
	// ExpiresOn is the last day the code can be used, in the site's time zone; ExpiresAt is
	// the instant that day ends (midnight there), in UTC.
	ExpiresOn string    `json:"expiresOn"`
	ExpiresAt time.Time `json:"expiresAt"`
	AppliesTo string    `json:"appliesTo"`
	// Stored is the stored part of the status: active, used_up or deleted.
	Stored    Status    `json:"storedStatus"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
	DeletedAt time.Time `json:"deletedAt,omitzero"`
	DeletedBy string    `json:"deletedBy,omitempty"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
	// JobID is the import job that made the code, if any.
	JobID string `json:"jobId,omitempty"`
}

// StatusAt is the code's status at now: deleted, else used up, else expired, else active.
func (c Code) StatusAt(now time.Time) Status {
	switch {
	case c.Stored == StatusDeleted:
		return StatusDeleted
	case c.Stored == StatusUsedUp || (c.Usage.Limit() > 0 && c.Used >= c.Usage.Limit()):
		return StatusUsedUp
	case !now.Before(c.ExpiresAt):
		return StatusExpired
	}
	return StatusActive
}
