package ordersdb

import (
	"fmt"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// The orders table holds, per site (pk): each order (sk "order#<ref>"), its history
// (sk "order#<ref>#h#<nnn>", so one Query reads an order with its history) and its buyer
// e-mail on authorisation (sk "order#<ref>#mail#authorised", mail.go), the
// idempotency keys orders were created under (sk "key#<key>"), and the providers'
// notices applied (sk "notice#<id>", the ledger that makes each one count once). Order items carry the keys
// of the list's indexes (template.yaml); history and key items do not, so the indexes hold
// orders only.
const (
	orderSKPrefix  = "order#"
	keySKPrefix    = "key#"
	noticeSKPrefix = "notice#"
)

// Indexes of the orders table, each with the attribute names of its keys.
const (
	IndexByCreated  = "byCreated"  // listKey (site#mode), createdKey: newest first, by date
	IndexByState    = "byState"    // stateKey (site#mode#state), createdKey
	IndexByCode     = "byCode"     // codeKey (site#mode#CODE), createdKey; orders with a code
	IndexByDeadline = "byDeadline" // sweepKey ("pending" orders; "mail": unsent buyer e-mails), deadlineKey
	IndexByPayment  = "byPayment"  // paymentKey (kind#token ID or token); orders with a page
)

// sweepPartition is the one partition of the deadline index: only pending orders are in
// it, for at most their reservation's lifetime, so it stays small.
const sweepPartition = "pending"

func orderSK(ref string) string { return orderSKPrefix + ref }

func historySK(ref string, i int) string { return fmt.Sprintf("%s#h#%03d", orderSK(ref), i) }

// orderItem is an order as stored, with the keys of the table and of its indexes. The
// attribute names are this store's own (the indexes of template.yaml name some of them).
type orderItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	ListKey     string `dynamodbav:"listKey"`
	CreatedKey  string `dynamodbav:"createdKey"`
	StateKey    string `dynamodbav:"stateKey"`
	CodeKey     string `dynamodbav:"codeKey,omitempty"`
	SweepKey    string `dynamodbav:"sweepKey,omitempty"`
	DeadlineKey string `dynamodbav:"deadlineKey,omitempty"`
	PaymentKey  string `dynamodbav:"paymentKey,omitempty"`

	Ref           string        `dynamodbav:"ref"`
	Mode          string        `dynamodbav:"mode"`
	Offering      offeringItem  `dynamodbav:"offering"`
	BuyerName     string        `dynamodbav:"buyerName"`
	BuyerEmail    string        `dynamodbav:"buyerEmail"`
	ReturnURL     string        `dynamodbav:"returnUrl"`
	CancelURL     string        `dynamodbav:"cancelUrl"`
	Code          string        `dynamodbav:"code,omitempty"`
	CodeLimit     int           `dynamodbav:"codeLimit,omitempty"`
	Discount      *discountItem `dynamodbav:"discount,omitempty"`
	Currency      string        `dynamodbav:"currency"`
	PriceMinor    int64         `dynamodbav:"priceMinor"`
	DiscountMinor int64         `dynamodbav:"discountMinor"`
	TotalMinor    int64         `dynamodbav:"totalMinor"`
	RefundedMinor int64         `dynamodbav:"refundedMinor,omitempty"`
	RefundIDs     []string      `dynamodbav:"refundIds,omitempty"`
	State         string        `dynamodbav:"state"`
	Provider      string        `dynamodbav:"provider,omitempty"`
	Refs          refsItem      `dynamodbav:"refs"`
	Redirect      *redirectItem `dynamodbav:"redirect,omitempty"`
	ReservedUntil string        `dynamodbav:"reservedUntil,omitempty"`
	CreatedAt     string        `dynamodbav:"createdAt"`
	UpdatedAt     string        `dynamodbav:"updatedAt"`
	// Changes counts the history entries: the next one is written under this number.
	Changes int `dynamodbav:"changes"`
	// The hold of an administrator's capture or void with the provider, if any.
	HoldAction string `dynamodbav:"holdAction,omitempty"`
	HoldID     string `dynamodbav:"holdId,omitempty"`
	HoldUntil  string `dynamodbav:"holdUntil,omitempty"`
}

type offeringItem struct {
	Service    string `dynamodbav:"service"`
	Type       string `dynamodbav:"type"`
	ID         string `dynamodbav:"id"`
	Name       string `dynamodbav:"name"`
	PriceMinor int64  `dynamodbav:"priceMinor"`
	Currency   string `dynamodbav:"currency"`
}

type discountItem struct {
	Kind               string `dynamodbav:"kind"`
	AmountMinor        int64  `dynamodbav:"amountMinor,omitempty"`
	Currency           string `dynamodbav:"currency,omitempty"`
	PercentBasisPoints int    `dynamodbav:"percentBasisPoints,omitempty"`
}

type refsItem struct {
	TokenID       string `dynamodbav:"tokenId,omitempty"`
	Token         string `dynamodbav:"token,omitempty"`
	PayerID       string `dynamodbav:"payerId,omitempty"`
	PNREF         string `dynamodbav:"pnref,omitempty"`
	TransactionID string `dynamodbav:"transactionId,omitempty"`
	CaptureID     string `dynamodbav:"captureId,omitempty"`
}

type redirectItem struct {
	Method string      `dynamodbav:"method"`
	URL    string      `dynamodbav:"url"`
	Fields []fieldItem `dynamodbav:"fields,omitempty"`
}

type fieldItem struct {
	Name  string `dynamodbav:"name"`
	Value string `dynamodbav:"value"`
}

// historyItem is one entry of an order's history.
type historyItem struct {
	PK           string `dynamodbav:"pk"`
	SK           string `dynamodbav:"sk"`
	At           string `dynamodbav:"at"`
	From         string `dynamodbav:"from,omitempty"`
	To           string `dynamodbav:"to"`
	By           string `dynamodbav:"by"`
	Notification string `dynamodbav:"notification,omitempty"`
	Note         string `dynamodbav:"note,omitempty"`
}

// noticeItem records that a provider's notice was applied, to the order ref, at.
type noticeItem struct {
	PK  string `dynamodbav:"pk"`
	SK  string `dynamodbav:"sk"`
	Ref string `dynamodbav:"ref"`
	At  string `dynamodbav:"at"`
}

func noticeSK(id string) string { return noticeSKPrefix + id }

// keyItem records the order created under an idempotency key, with its request's
// fingerprint.
type keyItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Ref         string `dynamodbav:"ref"`
	Fingerprint string `dynamodbav:"fingerprint"`
	CreatedAt   string `dynamodbav:"createdAt"`
}

func modeKey(o checkout.Order) string { return o.Site + "#" + string(o.Mode) }

func createdKey(o checkout.Order) string { return dynamo.FormatTime(o.CreatedAt) + "#" + o.Ref }

// paymentKey is how a provider's message finds its order: by the token ID of ours the page
// was made with (Payflow), else the provider's token (Express Checkout).
func paymentKey(o checkout.Order) string {
	switch {
	case o.Refs.TokenID != "":
		return string(o.Provider) + "#" + o.Refs.TokenID
	case o.Refs.Token != "":
		return string(o.Provider) + "#" + o.Refs.Token
	}
	return ""
}

func newOrderItem(o checkout.Order) orderItem {
	it := orderItem{
		PK: o.Site, SK: orderSK(o.Ref), ListKey: modeKey(o), CreatedKey: createdKey(o),
		StateKey: modeKey(o) + "#" + string(o.State), PaymentKey: paymentKey(o),
		Ref: o.Ref, Mode: string(o.Mode),
		Offering: offeringItem{Service: o.Offering.Service, Type: o.Offering.Type, ID: o.Offering.ID, Name: o.Offering.Name,
			PriceMinor: o.Offering.PriceMinor, Currency: o.Offering.Currency},
		BuyerName: o.Buyer.Name, BuyerEmail: o.Buyer.Email, ReturnURL: o.ReturnURL, CancelURL: o.CancelURL,
		Code: o.Code, CodeLimit: o.CodeLimit,
		Currency: o.Amounts.Currency, PriceMinor: o.Amounts.PriceMinor, DiscountMinor: o.Amounts.DiscountMinor, TotalMinor: o.Amounts.TotalMinor,
		RefundedMinor: o.Amounts.RefundedMinor, RefundIDs: o.RefundIDs,
		State: string(o.State), Provider: string(o.Provider),
		Refs: refsItem{TokenID: o.Refs.TokenID, Token: o.Refs.Token, PayerID: o.Refs.PayerID, PNREF: o.Refs.PNREF,
			TransactionID: o.Refs.TransactionID, CaptureID: o.Refs.CaptureID},
		ReservedUntil: dynamo.FormatTime(o.ReservedUntil), CreatedAt: dynamo.FormatTime(o.CreatedAt), UpdatedAt: dynamo.FormatTime(o.UpdatedAt),
		Changes: len(o.History),
	}
	if o.Code != "" {
		it.CodeKey = modeKey(o) + "#" + o.Code
	}
	if o.State == checkout.StatePendingPayment && !o.ReservedUntil.IsZero() {
		it.SweepKey, it.DeadlineKey = sweepPartition, dynamo.FormatTime(o.ReservedUntil)+"#"+o.Site+"#"+o.Ref
	}
	if h := o.Hold; h != nil {
		it.HoldAction, it.HoldID, it.HoldUntil = h.Action, h.ID, dynamo.FormatTime(h.Until)
	}
	if d := o.Discount; d != nil {
		it.Discount = &discountItem{Kind: string(d.Kind), AmountMinor: d.AmountMinor, Currency: d.Currency, PercentBasisPoints: d.PercentBasisPoints}
	}
	if r := o.Redirect; r != nil {
		it.Redirect = &redirectItem{Method: r.Method, URL: r.URL}
		for _, f := range r.Fields {
			it.Redirect.Fields = append(it.Redirect.Fields, fieldItem{Name: f.Name, Value: f.Value})
		}
	}
	return it
}

func (it orderItem) order() checkout.Order {
	o := checkout.Order{
		Site: it.PK, Ref: it.Ref, Mode: settings.Mode(it.Mode),
		Offering: checkout.Offering{Service: it.Offering.Service, Type: it.Offering.Type, ID: it.Offering.ID, Name: it.Offering.Name,
			PriceMinor: it.Offering.PriceMinor, Currency: it.Offering.Currency},
		Buyer:     checkout.Buyer{Name: it.BuyerName, Email: it.BuyerEmail},
		ReturnURL: it.ReturnURL, CancelURL: it.CancelURL, Code: it.Code, CodeLimit: it.CodeLimit,
		Amounts: checkout.Amounts{Currency: it.Currency, PriceMinor: it.PriceMinor, DiscountMinor: it.DiscountMinor, TotalMinor: it.TotalMinor,
			RefundedMinor: it.RefundedMinor},
		RefundIDs: it.RefundIDs,
		State:     checkout.State(it.State), Provider: provider.Kind(it.Provider),
		Refs: checkout.ProviderRefs{TokenID: it.Refs.TokenID, Token: it.Refs.Token, PayerID: it.Refs.PayerID, PNREF: it.Refs.PNREF,
			TransactionID: it.Refs.TransactionID, CaptureID: it.Refs.CaptureID},
		ReservedUntil: dynamo.ParseTime(it.ReservedUntil), CreatedAt: dynamo.ParseTime(it.CreatedAt), UpdatedAt: dynamo.ParseTime(it.UpdatedAt),
	}
	if it.HoldID != "" {
		o.Hold = &checkout.Hold{Action: it.HoldAction, ID: it.HoldID, Until: dynamo.ParseTime(it.HoldUntil)}
	}
	if d := it.Discount; d != nil {
		o.Discount = &promo.Discount{Kind: promo.DiscountKind(d.Kind), AmountMinor: d.AmountMinor, Currency: d.Currency, PercentBasisPoints: d.PercentBasisPoints}
	}
	if r := it.Redirect; r != nil {
		o.Redirect = &checkout.Redirect{Method: r.Method, URL: r.URL}
		for _, f := range r.Fields {
			o.Redirect.Fields = append(o.Redirect.Fields, checkout.Field{Name: f.Name, Value: f.Value})
		}
	}
	return o
}

func newHistoryItem(site, ref string, i int, e checkout.Entry) historyItem {
	return historyItem{PK: site, SK: historySK(ref, i), At: dynamo.FormatTime(e.At), From: string(e.From), To: string(e.To),
		By: e.Cause.By, Notification: e.Cause.Notification, Note: e.Cause.Note}
}

func (it historyItem) entry() checkout.Entry {
	return checkout.Entry{At: dynamo.ParseTime(it.At), From: checkout.State(it.From), To: checkout.State(it.To),
		Cause: checkout.Cause{By: it.By, Notification: it.Notification, Note: it.Note}}
}

func isHistorySK(sk string) bool { return strings.Contains(sk, "#h#") }
