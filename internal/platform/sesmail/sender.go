// Package sesmail sends the promotion code e-mails (SPEC 3.3) through Amazon SES: one
// plain-text message per call with the v1 SendEmail operation, kept under the account's
// sending rate, retrying throttling and transient failures with backoff, and telling the
// caller which failures are permanent so it can record them per recipient.
//
// Only SendEmail is used: the templated and bulk operations hang on the local SES
// emulator, and the promomail package renders the variables itself.
package sesmail

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/mail"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/backoff"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
)

// SendEmailAPI is the part of SES (v1) a Sender uses; *Client implements it. It may retry
// on its own or not: the Sender retries either way.
type SendEmailAPI interface {
	SendEmail(ctx context.Context, e Email) (messageID string, err error)
}

// Defaults of Options.
const (
	DefaultMaxAttempts = 6
	DefaultBaseBackoff = 200 * time.Millisecond
	DefaultMaxBackoff  = 10 * time.Second
)

// Options configure a Sender.
type Options struct {
	// From is the sender: a verified SES identity, bare ("promo@example.com") or with a
	// display name ("Teatro Azul <promo@example.com>").
	From string
	// RatePerSecond is the most SendEmail calls per second, for all goroutines together:
	// the account's MaxSendRate (or less, when other senders share the account).
	RatePerSecond float64
	// MaxAttempts is the number of SendEmail calls for one message before a transient
	// failure is returned; 0 means DefaultMaxAttempts.
	MaxAttempts int
	// BaseBackoff and MaxBackoff bound the pause between attempts (exponential with full
	// jitter); 0 means DefaultBaseBackoff and DefaultMaxBackoff.
	BaseBackoff, MaxBackoff time.Duration
	// Sleep pauses for a duration or until the context ends; nil means a real sleep.
	// Tests inject a fake clock through Sleep and Now.
	Sleep func(context.Context, time.Duration) error
	// Now is the clock of the rate limiter; nil means time.Now.
	Now func() time.Time
}

// Sender sends plain-text e-mails through SES. It is safe for concurrent use; all
// goroutines share its rate limit.
type Sender struct {
	api         SendEmailAPI
	from        string
	maxAttempts int
	backoff     backoff.Policy
	sleep       func(context.Context, time.Duration) error
	limit       *limiter
	rate        float64
}

// Rate is the most e-mails per second the Sender sends (Options.RatePerSecond).
func (s *Sender) Rate() float64 { return s.rate }

// NewSender checks opt and returns a Sender that calls api.
func NewSender(api SendEmailAPI, opt Options) (*Sender, error) {
	if api == nil {
		return nil, errors.New("sesmail: an SES client is required")
	}
	from, err := parseFrom(opt.From)
	if err != nil {
		return nil, err
	}
	if !(opt.RatePerSecond > 0) || math.IsInf(opt.RatePerSecond, 0) {
		return nil, fmt.Errorf("sesmail: RatePerSecond must be a positive number, got %v", opt.RatePerSecond)
	}
	if opt.MaxAttempts < 0 || opt.BaseBackoff < 0 || opt.MaxBackoff < 0 {
		return nil, errors.New("sesmail: MaxAttempts, BaseBackoff and MaxBackoff must not be negative")
	}
	s := &Sender{
		api: api, from: from,
		maxAttempts: orDefault(opt.MaxAttempts, DefaultMaxAttempts),
		backoff: backoff.Policy{
			Base: orDefault(opt.BaseBackoff, DefaultBaseBackoff),
			Max:  orDefault(opt.MaxBackoff, DefaultMaxBackoff),
		},
		sleep: opt.Sleep,
		rate:  opt.RatePerSecond,
	}
	s.backoff.Max = max(s.backoff.Max, s.backoff.Base) // a pause never shrinks below the first
	if s.sleep == nil {
		s.sleep = sleepCtx
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	s.limit = newLimiter(opt.RatePerSecond, now, s.sleep)
	return s, nil
}

// orDefault returns v, or def when v is the zero value.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// parseFrom accepts a bare address or "Name <address>" and returns it as SES expects it:
// the bare address, or the display name quoted (RFC 2047-encoded when not ASCII).
func parseFrom(s string) (string, error) {
	if emailaddr.Valid(s) {
		return s, nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || !emailaddr.Valid(a.Address) {
		return "", fmt.Errorf("sesmail: From %q is not an e-mail address", s)
	}
	if a.Name == "" {
		return a.Address, nil
	}
	return a.String(), nil
}

// Send sends one plain-text message to one recipient and returns its SES message ID. Each
// attempt waits for the shared rate limit. Throttling and transient failures are retried
// with backoff; when attempts run out the last error is returned (not permanent: try again
// later). A message SES refuses comes back at once as a *PermanentError. A context that
// ends stops the waiting and returns its error.
//
// A retried attempt after a timeout may, rarely, send the message twice: SES SendEmail has
// no idempotency key.
func (s *Sender) Send(ctx context.Context, to, subject, body string) (string, error) {
	if !emailaddr.Valid(to) {
		return "", &PermanentError{Reason: "invalid recipient address"}
	}
	if subject == "" || body == "" {
		return "", &PermanentError{Reason: "empty subject or body"}
	}
	email := Email{From: s.from, To: to, Subject: subject, Body: body}
	var last error
	for attempt := 0; attempt < s.maxAttempts; attempt++ {
		if attempt > 0 {
			if err := s.sleep(ctx, s.backoff.Pause(attempt-1)); err != nil {
				return "", fmt.Errorf("ses send: %w (last error: %v)", err, last)
			}
		}
		if err := s.limit.wait(ctx); err != nil {
			return "", fmt.Errorf("ses send: waiting for the sending rate: %w", err)
		}
		id, err := s.api.SendEmail(ctx, email)
		if err == nil {
			if id == "" {
				return "", errors.New("ses send: SES returned no message ID")
			}
			return id, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return "", fmt.Errorf("ses send: %w (last error: %v)", ctxErr, err)
		}
		switch classify(err) {
		case permanent:
			return "", permanentError(err)
		case other:
			return "", fmt.Errorf("ses send: %w", err)
		}
		last = err
	}
	return "", fmt.Errorf("ses send: gave up after %d attempts: %w", s.maxAttempts, last)
}

// Deliver is Send with SES's permanent refusal told apart: refused is its Reason (sending
// again will not help), err a failure worth trying again later.
func (s *Sender) Deliver(ctx context.Context, to, subject, body string) (id, refused string, err error) {
	id, err = s.Send(ctx, to, subject, body)
	var permanent *PermanentError
	if errors.As(err, &permanent) {
		return "", permanent.Reason, nil
	}
	return id, "", err
}
