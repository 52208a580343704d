package promoreporthttp

import (
	"net/http"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// row is one code of the report as the API shows it.
type row struct {
	Code      string           `json:"code"`
	Service   string           `json:"service"`
	Recipient *promo.Recipient `json:"recipient"` // null for a code made for nobody in particular
	Discount  promo.Discount   `json:"discount"`
	// DiscountText is the discount as a person reads it: "20%", "$5.00".
	DiscountText string    `json:"discountText"`
	Usage        usageView `json:"usage"`
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

// usageView is how often a code may be used and was; Max is null for unlimited.
type usageView struct {
	Kind promo.UsageKind `json:"kind"`
	Max  *int            `json:"max"`
	Used int             `json:"used"`
}

func newRow(c promo.Code, now time.Time) row {
	r := row{
		Code: c.Code, Service: c.Service, Recipient: c.Recipient, Discount: c.Discount, DiscountText: promo.FormatDiscount(c.Discount),
		Usage: usageView{Kind: c.Usage.Kind, Used: c.Used}, UsageText: strconv.Itoa(c.Used) + " / " + maxText(c.Usage),
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

// maxText is the most uses as the report shows it: a number or "unlimited".
func maxText(u promo.Usage) string {
	if n := u.Limit(); n > 0 {
		return strconv.Itoa(n)
	}
	return "unlimited"
}

// listPage is the answer of the JSON route.
type listPage struct {
	Items []row `json:"items"`
	// Next is the cursor of the next page, omitted at the end.
	Next string `json:"next,omitempty"`
}

// list answers GET /sites/{site}/promo-codes: one page of the report, newest first (but
// alphabetically by code when the code filter is given, and by expiry date, soonest first,
// when the expiry range is the most selective filter given; see dynamo.PromoReport).
func list(d Deps) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		site, now := r.PathValue("site"), d.Now()
		q, err := parseQuery(r.URL.RawQuery, site, limits{def: DefaultLimit, max: MaxLimit}, now)
		if err != nil {
			return err
		}
		page, err := d.Report.Page(r.Context(), site, q.filter, q.cursor, q.limit)
		if err != nil {
			return err
		}
		out := listPage{Items: make([]row, 0, len(page.Codes)), Next: page.Next}
		for _, c := range page.Codes {
			out.Items = append(out.Items, newRow(c, now))
		}
		httpx.JSON(w, http.StatusOK, out)
		return nil
	}
}
