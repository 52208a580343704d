// Package promoview is how the API shows a promotion code, wherever it shows one.
package promoview

import (
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Row is a code as the API shows it, in the report and where codes are created.
type Row struct {
	Code      string           `json:"code"`
	Service   string           `json:"service"`
	Recipient *promo.Recipient `json:"recipient"` // null for a code made for nobody in particular
	Discount  promo.Discount   `json:"discount"`
	// DiscountText is the discount as a person reads it: "20%", "$5.00".
	DiscountText string    `json:"discountText"`
	Usage        UsageView `json:"usage"`
	// UsageText is "used / maximum": "3 / 10", "0 / 1", "2 / unlimited".
	UsageText string       `json:"usageText"`
	ExpiresOn string       `json:"expiresOn"`
	ExpiresAt time.Time    `json:"expiresAt"`
	AppliesTo string       `json:"appliesTo"`
	Status    promo.Status `json:"status"`
	CreatedAt time.Time    `json:"createdAt"`
	CreatedBy string       `json:"createdBy"`
	DeletedAt time.Time    `json:"deletedAt,omitzero"`
	DeletedBy string       `json:"deletedBy,omitempty"`
	JobID     string       `json:"jobId,omitempty"`
}

// UsageView is how often a code may be used and was; Max is null for unlimited.
type UsageView struct {
	Kind promo.UsageKind `json:"kind"`
	Max  *int            `json:"max"`
	Used int             `json:"used"`
}

// NewRow is c as the API shows it at now (its status is judged at now).
func NewRow(c promo.Code, now time.Time) Row {
	r := Row{
		Code: c.Code, Service: c.Service, Recipient: c.Recipient, Discount: c.Discount, DiscountText: promo.FormatDiscount(c.Discount),
		Usage: UsageView{Kind: c.Usage.Kind, Used: c.Used}, UsageText: strconv.Itoa(c.Used) + " / " + MaxText(c.Usage),
		ExpiresOn: c.ExpiresOn, ExpiresAt: c.ExpiresAt.UTC(), AppliesTo: c.AppliesTo, Status: c.StatusAt(now),
		CreatedAt: c.CreatedAt.UTC(), CreatedBy: c.CreatedBy, JobID: c.JobID,
	}
	if n := c.Usage.Limit(); n > 0 {
		r.Usage.Max = &n
	}
	if r.Status == promo.StatusDeleted {
		r.DeletedAt, r.DeletedBy = c.DeletedAt.UTC(), c.DeletedBy
	}
	return r
}

// MaxText is the most uses as the report shows it: a number or "unlimited".
func MaxText(u promo.Usage) string {
	if n := u.Limit(); n > 0 {
		return strconv.Itoa(n)
	}
	return "unlimited"
}
