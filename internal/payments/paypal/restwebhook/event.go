package restwebhook

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// The event types the payments act on (PayPal sends them in the v1 and v2 forms).
const (
	AuthorizationCreated = "PAYMENT.AUTHORIZATION.CREATED"
	AuthorizationVoided  = "PAYMENT.AUTHORIZATION.VOIDED"
	CaptureCompleted     = "PAYMENT.CAPTURE.COMPLETED"
	CaptureDenied        = "PAYMENT.CAPTURE.DENIED"
	CapturePending       = "PAYMENT.CAPTURE.PENDING"
	CaptureRefunded      = "PAYMENT.CAPTURE.REFUNDED"
	CaptureReversed      = "PAYMENT.CAPTURE.REVERSED"
)

// MaxBody bounds an event: the largest real one is a few kilobytes.
const MaxBody = 64 << 10

// Amount is a sum in integer minor units of Currency; the zero Amount is one the event
// does not carry.
type Amount struct {
	Minor    int64 // negative when PayPal writes it so (a reversal)
	Currency string
}

// Event is one webhook event. Only a verified one may be believed.
type Event struct {
	ID           string // the event's: the same however often PayPal delivers it
	Type         string
	ResourceType string
	Resource     Resource
}

// Resource is what the event is about: an authorisation, a capture, a refund, a sale.
type Resource struct {
	ID      string
	Status  string // status (v2) or state (v1)
	Amount  Amount
	Invoice string // invoice_id (v2) or invoice_number (v1): our order reference
	Custom  string // custom_id (v2) or custom (v1)
	Parents Parents
}

// Parents are the ids a resource hangs off, as far as the event names them.
type Parents struct {
	Payment       string // parent_payment (v1)
	Order         string // supplementary_data.related_ids.order_id
	Authorization string // related_ids.authorization_id, or the "up" link to an authorization
	Capture       string // related_ids.capture_id, capture_id, or the "up" link to a capture
	Sale          string // sale_id, or the "up" link to a sale
}

var eventType = regexp.MustCompile(`^[A-Z0-9_]+(\.[A-Z0-9_]+)+$`)

// ParseEvent reads a webhook event. It refuses (an apperr invalid-input error naming the
// field) a body that is not one JSON object, an event without an id, a type or a
// resource with an id, and an amount not written with its currency's decimals.
func ParseEvent(body []byte) (Event, error) {
	if len(body) > MaxBody {
		return Event{}, apperr.New(apperr.CodeTooLarge, "the event is over %d bytes", MaxBody)
	}
	var raw wireEvent
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		return Event{}, apperr.New(apperr.CodeInvalid, "the event is not a JSON object of PayPal's shape: %v", err)
	}
	if dec.More() {
		return Event{}, apperr.New(apperr.CodeInvalid, "the event is followed by more JSON")
	}
	switch {
	case raw.ID == "":
		return Event{}, apperr.Field("id", "is missing")
	case !eventType.MatchString(raw.EventType):
		return Event{}, apperr.Field("event_type", "is not a PayPal event type")
	case raw.Resource == nil || raw.Resource.ID == "":
		return Event{}, apperr.Field("resource.id", "is missing")
	}
	r := raw.Resource
	amount, err := r.Amount.read()
	if err != nil {
		return Event{}, err
	}
	ev := Event{ID: raw.ID, Type: raw.EventType, ResourceType: raw.ResourceType, Resource: Resource{
		ID: r.ID, Status: first(r.Status, r.State), Amount: amount, Invoice: first(r.InvoiceID, r.InvoiceNumber), Custom: first(r.CustomID, r.Custom),
		Parents: Parents{
			Payment: r.ParentPayment, Order: r.Supplementary.Related.OrderID,
			Authorization: first(r.Supplementary.Related.AuthorizationID, r.up("authorizations", "authorization")),
			Capture:       first(r.Supplementary.Related.CaptureID, r.CaptureID, r.up("captures", "capture")),
			Sale:          first(r.SaleID, r.up("sale", "sales")),
		},
	}}
	return ev, nil
}

type wireEvent struct {
	ID           string        `json:"id"`
	EventType    string        `json:"event_type"`
	ResourceType string        `json:"resource_type"`
	Resource     *wireResource `json:"resource"`
}

type wireResource struct {
	ID            string     `json:"id"`
	Status        string     `json:"status"`
	State         string     `json:"state"`
	InvoiceID     string     `json:"invoice_id"`
	InvoiceNumber string     `json:"invoice_number"`
	CustomID      string     `json:"custom_id"`
	Custom        string     `json:"custom"`
	ParentPayment string     `json:"parent_payment"`
	CaptureID     string     `json:"capture_id"`
	SaleID        string     `json:"sale_id"`
	Amount        wireAmount `json:"amount"`
	Links         []wireLink `json:"links"`
	Supplementary struct {
		Related struct {
			OrderID         string `json:"order_id"`
			AuthorizationID string `json:"authorization_id"`
			CaptureID       string `json:"capture_id"`
		} `json:"related_ids"`
	} `json:"supplementary_data"`
}

type wireLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

// wireAmount is {value, currency_code} (v2) or {total, currency} (v1).
type wireAmount struct {
	Value        string `json:"value"`
	CurrencyCode string `json:"currency_code"`
	Total        string `json:"total"`
	Currency     string `json:"currency"`
}

func (a wireAmount) read() (Amount, error) {
	value, currency := first(a.Value, a.Total), first(a.CurrencyCode, a.Currency)
	if value == "" && currency == "" {
		return Amount{}, nil
	}
	digits, negative := strings.CutPrefix(value, "-")
	minor, err := paymentpage.ParseAmount(digits, currency)
	if err != nil {
		return Amount{}, apperr.Field("resource.amount", err.Error())
	}
	if negative {
		minor = -minor
	}
	return Amount{Minor: minor, Currency: currency}, nil
}

// up returns the id at the end of the resource's "up" link when that link points to a
// collection named one of kinds (".../v2/payments/captures/{id}").
func (r *wireResource) up(kinds ...string) string {
	for _, l := range r.Links {
		if l.Rel != "up" {
			continue
		}
		u, err := url.Parse(l.Href)
		if err != nil {
			continue
		}
		dir, id := path.Split(strings.TrimSuffix(u.Path, "/"))
		for _, k := range kinds {
			if path.Base(strings.TrimSuffix(dir, "/")) == k && id != "" {
				return id
			}
		}
	}
	return ""
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
