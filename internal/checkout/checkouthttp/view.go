package checkouthttp

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// quoteView is a quote as the API answers it.
type quoteView struct {
	Offering      offeringView  `json:"offering"`
	Code          string        `json:"code,omitempty"`
	Applied       bool          `json:"applied"`
	Refused       string        `json:"refused,omitempty"`
	Reason        string        `json:"reason,omitempty"`
	Discount      *discountView `json:"discount,omitempty"`
	Currency      string        `json:"currency"`
	PriceMinor    int64         `json:"priceMinor"`
	DiscountMinor int64         `json:"discountMinor"`
	TotalMinor    int64         `json:"totalMinor"`
}

type offeringView struct {
	Service    string `json:"service"`
	Type       string `json:"type"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	PriceMinor int64  `json:"priceMinor"`
	Currency   string `json:"currency"`
}

func viewOffering(o checkout.Offering) offeringView {
	return offeringView{Service: o.Service, Type: o.Type, ID: o.ID, Name: o.Name, PriceMinor: o.PriceMinor, Currency: o.Currency}
}

type buyerView struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type discountView struct {
	Kind               string `json:"kind"`
	AmountMinor        int64  `json:"amountMinor,omitempty"`
	Currency           string `json:"currency,omitempty"`
	PercentBasisPoints int    `json:"percentBasisPoints,omitempty"`
	Text               string `json:"text"`
}

func viewDiscount(d *promo.Discount) *discountView {
	if d == nil {
		return nil
	}
	return &discountView{Kind: string(d.Kind), AmountMinor: d.AmountMinor, Currency: d.Currency, PercentBasisPoints: d.PercentBasisPoints, Text: d.String()}
}

func viewQuote(q checkout.Quote) quoteView {
	v := quoteView{Offering: viewOffering(q.Offering), Code: q.Code, Applied: q.Code != "" && q.Refused == "", Discount: viewDiscount(q.Discount),
		Currency: q.Offering.Currency, PriceMinor: q.PriceMinor, DiscountMinor: q.DiscountMinor, TotalMinor: q.TotalMinor}
	if q.Refused != "" {
		v.Refused, v.Reason = string(q.Refused), q.Refused.Reason()
	}
	return v
}

// orderView is an order as the API answers it; the provider's ids are shown, never a
// secret (none is on the order).
type orderView struct {
	Ref           string        `json:"ref"`
	Site          string        `json:"site"`
	State         string        `json:"state"`
	Test          bool          `json:"test"`
	Offering      offeringView  `json:"offering"`
	Buyer         buyerView     `json:"buyer"`
	Code          string        `json:"code,omitempty"`
	Discount      *discountView `json:"discount,omitempty"`
	Currency      string        `json:"currency"`
	PriceMinor    int64         `json:"priceMinor"`
	DiscountMinor int64         `json:"discountMinor"`
	TotalMinor    int64         `json:"totalMinor"`
	Provider      string        `json:"provider,omitempty"`
	Payment       *redirectView `json:"payment,omitempty"`
	ReturnURL     string        `json:"returnUrl"`
	CancelURL     string        `json:"cancelUrl"`
	ReservedUntil *time.Time    `json:"reservedUntil,omitempty"`
	CreatedAt     time.Time     `json:"createdAt"`
	UpdatedAt     time.Time     `json:"updatedAt"`
	History       []entryView   `json:"history"`
}

// redirectView is where to send the buyer: open url (GET), or post fields to it.
type redirectView struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Fields []fieldView `json:"fields,omitempty"`
}

type fieldView struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type entryView struct {
	At           time.Time `json:"at"`
	From         string    `json:"from,omitempty"`
	To           string    `json:"to"`
	By           string    `json:"by"`
	Notification string    `json:"notification,omitempty"`
	Note         string    `json:"note,omitempty"`
}

func viewOrder(o checkout.Order) orderView {
	v := orderView{Ref: o.Ref, Site: o.Site, State: string(o.State), Test: o.Test(), Offering: viewOffering(o.Offering),
		Buyer: buyerView{Name: o.Buyer.Name, Email: o.Buyer.Email},
		Code:  o.Code, Discount: viewDiscount(o.Discount), Currency: o.Amounts.Currency, PriceMinor: o.Amounts.PriceMinor,
		DiscountMinor: o.Amounts.DiscountMinor, TotalMinor: o.Amounts.TotalMinor, Provider: string(o.Provider),
		ReturnURL: o.ReturnURL, CancelURL: o.CancelURL, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, History: []entryView{}}
	if o.State == checkout.StatePendingPayment && !o.ReservedUntil.IsZero() {
		t := o.ReservedUntil
		v.ReservedUntil = &t
	}
	if r := o.Redirect; r != nil && o.State == checkout.StatePendingPayment {
		v.Payment = &redirectView{Method: r.Method, URL: r.URL}
		for _, f := range r.Fields {
			v.Payment.Fields = append(v.Payment.Fields, fieldView{Name: f.Name, Value: f.Value})
		}
	}
	for _, e := range o.History {
		v.History = append(v.History, entryView{At: e.At, From: string(e.From), To: string(e.To), By: e.Cause.By,
			Notification: e.Cause.Notification, Note: e.Cause.Note})
	}
	return v
}
