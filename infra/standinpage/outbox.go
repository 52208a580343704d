package standinpage

// Outbox is what a stand-in sends to the app on its own (PayPal's IPNs and webhook events,
// WorldPay's payment responses, Payflow's Silent Posts): each message is kept, posted, listed
// and sent again on request, so tests can exercise duplicates, through the functions here or
// the JSON API Route serves:
//
//	GET  <prefix>                what was sent, oldest first
//	POST <prefix>/{id}/resend    send one again (404 for an unknown id, 502 when not taken)

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// Sent is one message an outbox sent, and how each delivery was answered.
type Sent struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // the stand-in's name for what it is: "ipn", "webhook", ...
	URL  string `json:"url"`
	// Header is posted with Body, but for the X-Standin- headers, which the stand-in keeps
	// for itself (what a resend needs to know).
	Header     http.Header `json:"header"`
	Body       []byte      `json:"body"`
	Deliveries []int       `json:"deliveries"` // each answer's status; 0 when none came
}

// Answer is how the target answered one delivery.
type Answer struct {
	Status int // 0 when none came
	Header http.Header
	Body   []byte // at most MaxAnswer bytes
}

// MaxAnswer bounds the body of an Answer (WorldPay shows the buyer the callback's page).
const MaxAnswer = 64 << 10

// privateHeader starts the names of the headers an outbox does not post.
const privateHeader = "X-Standin-"

// DefaultDeliveryTimeout bounds one delivery when OutboxConfig sets none, as providers
// give up on a slow listener.
const DefaultDeliveryTimeout = 10 * time.Second

// ErrUnknown is a resend of a message the outbox never sent (and, wrapped, whatever else
// a stand-in is asked about and does not know).
var ErrUnknown = errors.New("stand-in: unknown")

// OutboxConfig says how an outbox delivers.
type OutboxConfig struct {
	Name    string           // in errors: "paypal stand-in"
	Client  paymentpage.Doer // posts each delivery; nil is http.DefaultClient. Tests divert deliveries here.
	Timeout time.Duration    // bounds one delivery; 0 is DefaultDeliveryTimeout
	// Renew, when set, gives a resend its new header (a new signed transmission, as
	// PayPal's retries are); the body is always resent byte for byte.
	Renew func(Sent) (http.Header, error)
}

// Outbox keeps, delivers and resends a stand-in's messages; it is safe for concurrent use.
type Outbox struct {
	cfg  OutboxConfig
	mu   sync.Mutex
	sent []*Sent // oldest first
}

// NewOutbox returns an empty outbox.
func NewOutbox(cfg OutboxConfig) *Outbox {
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultDeliveryTimeout
	}
	return &Outbox{cfg: cfg}
}

// Send keeps m and delivers it once. An answer other than 2xx is an error, as providers
// count it (they would retry); the answer is returned either way.
func (o *Outbox) Send(ctx context.Context, m Sent) (Sent, Answer, error) {
	kept := &Sent{ID: m.ID, Kind: m.Kind, URL: m.URL, Header: m.Header.Clone(), Body: slices.Clone(m.Body)}
	o.mu.Lock()
	o.sent = append(o.sent, kept)
	o.mu.Unlock()
	return o.deliver(ctx, kept)
}

// Resend delivers the message id again (the first of that id), with its body byte for
// byte; ErrUnknown when there is none.
func (o *Outbox) Resend(ctx context.Context, id string) (Sent, Answer, error) {
	o.mu.Lock()
	i := slices.IndexFunc(o.sent, func(m *Sent) bool { return m.ID == id })
	var m *Sent
	if i >= 0 {
		m = o.sent[i]
	}
	o.mu.Unlock()
	if m == nil {
		return Sent{}, Answer{}, fmt.Errorf("%s: %w message %q", o.cfg.Name, ErrUnknown, id)
	}
	if o.cfg.Renew != nil {
		o.mu.Lock()
		c := copyOf(m)
		o.mu.Unlock()
		header, err := o.cfg.Renew(c)
		if err != nil {
			return c, Answer{}, err
		}
		o.mu.Lock()
		m.Header = header.Clone()
		o.mu.Unlock()
	}
	return o.deliver(ctx, m)
}

// List returns copies of what was sent, oldest first.
func (o *Outbox) List() []Sent {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Sent, 0, len(o.sent))
	for _, m := range o.sent {
		out = append(out, copyOf(m))
	}
	return out
}

// deliver posts m once, within the delivery timeout, and records the answer's status.
func (o *Outbox) deliver(ctx context.Context, m *Sent) (Sent, Answer, error) {
	o.mu.Lock()
	url, body, header := m.URL, m.Body, m.Header.Clone()
	o.mu.Unlock()
	for name := range header {
		if strings.HasPrefix(http.CanonicalHeaderKey(name), privateHeader) {
			header.Del(name)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	ans, err := o.post(ctx, url, body, header)
	o.mu.Lock()
	m.Deliveries = append(m.Deliveries, ans.Status)
	c := copyOf(m)
	o.mu.Unlock()
	if err == nil && (ans.Status < 200 || ans.Status > 299) {
		err = fmt.Errorf("%s: %s answered %d", o.cfg.Name, url, ans.Status)
	}
	return c, ans, err
}

func (o *Outbox) post(ctx context.Context, url string, body []byte, header http.Header) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Answer{}, fmt.Errorf("%s: %w", o.cfg.Name, err)
	}
	req.Header = header
	resp, err := o.cfg.Client.Do(req)
	if err != nil {
		return Answer{}, fmt.Errorf("%s: %w", o.cfg.Name, err)
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer))
	ans := Answer{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: page}
	if err != nil {
		return ans, fmt.Errorf("%s: reading %s's answer: %w", o.cfg.Name, url, err)
	}
	return ans, nil
}

func copyOf(m *Sent) Sent {
	c := *m
	c.Header, c.Body, c.Deliveries = m.Header.Clone(), slices.Clone(m.Body), slices.Clone(m.Deliveries)
	return c
}

// Route serves the outbox's JSON API on mux under prefix ("/_standin/notifications").
func (o *Outbox) Route(mux *http.ServeMux, prefix string) {
	mux.HandleFunc("GET "+prefix, func(w http.ResponseWriter, _ *http.Request) {
		httpx.JSON(w, http.StatusOK, o.List())
	})
	mux.HandleFunc("POST "+prefix+"/{id}/resend", func(w http.ResponseWriter, r *http.Request) {
		m, _, err := o.Resend(r.Context(), r.PathValue("id"))
		AnswerSent(w, []Sent{m}, err)
	})
}

// AnswerSent tells a test what a stand-in sent at its request, as {"sent": [...]}: 404
// for ErrUnknown (an unknown message, or whatever else the stand-in was asked to notify),
// 502 with the error when a target did not take a delivery (the messages still say what
// it answered).
func AnswerSent(w http.ResponseWriter, sent []Sent, err error) {
	switch {
	case errors.Is(err, ErrUnknown):
		httpx.JSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
	case err != nil:
		httpx.JSON(w, http.StatusBadGateway, map[string]any{"error": err.Error(), "sent": sent})
	default:
		httpx.JSON(w, http.StatusOK, map[string]any{"sent": sent})
	}
}
