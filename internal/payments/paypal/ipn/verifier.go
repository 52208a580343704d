package ipn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// PostBackURLs are PayPal's IPN post-back endpoints.
var PostBackURLs = map[provider.Env]string{
	provider.Sandbox: "https://ipnpb.sandbox.paypal.com/cgi-bin/webscr",
	provider.Live:    "https://ipnpb.paypal.com/cgi-bin/webscr",
}

// ValidatePrefix starts every post-back: PayPal's command, then the message unchanged.
const ValidatePrefix = "cmd=_notify-validate&"

// ErrInvalid is PayPal answering INVALID: it did not send this message (or not this way).
// The refusal is permanent; a caller acknowledges the post and records it as refused.
var ErrInvalid = errors.New("ipn: PayPal answers INVALID: the message is not one it sent")

// DefaultTimeout bounds one post-back: PayPal retries a notification we did not answer, so
// a slow post-back is better given up and answered with a retryable failure.
const DefaultTimeout = 10 * time.Second

// Verifier asks PayPal whether it sent a message.
type Verifier struct {
	hc      paymentpage.Doer
	urls    map[provider.Env]string
	timeout time.Duration
	log     *slog.Logger
}

// NewVerifier returns a Verifier posting back to urls (PostBackURLs for PayPal's, the
// stand-in's locally), each post-back given up after timeout (DefaultTimeout when 0).
func NewVerifier(hc paymentpage.Doer, urls map[provider.Env]string, timeout time.Duration, log *slog.Logger) (*Verifier, error) {
	log, err := paymentpage.Check("ipn", hc, urls, func(u string) bool { return u != "" }, log)
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Verifier{hc: hc, urls: urls, timeout: timeout, log: log}, nil
}

// Verify posts m back, byte for byte after ValidatePrefix, to the environment m.Env()
// names (the host is configuration, never the message's), and returns that environment
// when PayPal answers VERIFIED. INVALID is ErrInvalid; every other outcome (no answer, an
// error status, another word) is a retryable *paymentpage.Unavailable, so that the caller
// answers PayPal with a 5xx and PayPal sends the message again.
func (v *Verifier) Verify(ctx context.Context, m *Message) (provider.Env, error) {
	env := m.Env()
	callCtx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	started := time.Now()
	raw, err := paymentpage.Post(callCtx, v.hc, paymentpage.Call{
		Provider: "paypal", Op: "notify-validate", URL: v.urls[env], ContentType: "application/x-www-form-urlencoded",
		Body: ValidatePrefix + string(m.Raw), Header: map[string][]string{"User-Agent": {"Boxoffice-IPN-Verification"}},
	})
	if err != nil {
		v.log.WarnContext(ctx, "ipn post-back failed", "env", env, "txn_id", m.TxnID, "error", err, "took", time.Since(started))
		var u *paymentpage.Unavailable
		if errors.As(err, &u) {
			err = u.Err
		}
		return "", &paymentpage.Unavailable{Provider: "paypal", Op: "notify-validate", Retryable: ctx.Err() == nil, Err: err}
	}
	answer := string(bytes.TrimSpace(raw))
	v.log.InfoContext(ctx, "ipn post-back", "env", env, "txn_id", m.TxnID, "answer", answer, "took", time.Since(started))
	switch answer {
	case "VERIFIED":
		return env, nil
	case "INVALID":
		return "", ErrInvalid
	}
	return "", &paymentpage.Unavailable{Provider: "paypal", Op: "notify-validate", Retryable: true,
		Err: fmt.Errorf("the post-back answer is neither VERIFIED nor INVALID (%d bytes)", len(raw))}
}
