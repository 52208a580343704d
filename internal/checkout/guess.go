package checkout

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle"
)

// Guessing brakes the guessing of promotion codes through quotes and orders (OWASP API6):
// every answer that a code is unknown counts one failure against the site, and against the
// buyer's e-mail within the site when the request names one; a request with a code for a
// key at its limit is refused (429) until the key's window ends, before the code is looked
// up. Requests without a code are never refused: a buyer can still pay the full price.
type Guessing struct {
	// Throttle counts the failures; nil throttles nothing (the function always sets it).
	Throttle GuessThrottle
	PerSite  throttle.Limit
	PerEmail throttle.Limit
}

// GuessThrottle is what checkout needs of the throttle.
type GuessThrottle interface {
	Check(ctx context.Context, keys ...throttle.Key) (throttle.Blocked, bool, error)
	Fail(ctx context.Context, keys ...throttle.Key) error
}

func (g Guessing) validate() error {
	if g.Throttle == nil {
		return nil
	}
	if err := g.PerSite.Validate(); err != nil {
		return fmt.Errorf("checkout: the per-site guessing limit: %w", err)
	}
	if err := g.PerEmail.Validate(); err != nil {
		return fmt.Errorf("checkout: the per-e-mail guessing limit: %w", err)
	}
	return nil
}

// guessKeys are the keys a request's unknown codes count against. The e-mail is kept as a
// hash: the counts need to tell buyers apart, not to know who they are.
func (g Guessing) guessKeys(site, email string) []throttle.Key {
	keys := []throttle.Key{{Name: "code-guess#site#" + site, Limit: g.PerSite}}
	if email != "" {
		sum := sha256.Sum256([]byte(email))
		keys = append(keys, throttle.Key{Name: "code-guess#email#" + site + "#" + hex.EncodeToString(sum[:16]), Limit: g.PerEmail})
	}
	return keys
}

// checkGuessing refuses a request with a code when its site or buyer has guessed too many
// unknown codes. A throttle that cannot answer lets the request through, logging an
// error: an outage of the brake must not lock paying buyers out.
func (c *Checkout) checkGuessing(ctx context.Context, site, email string) error {
	g := c.d.Guessing
	if g.Throttle == nil {
		return nil
	}
	keys := g.guessKeys(site, email)
	b, blocked, err := g.Throttle.Check(ctx, keys...)
	if err != nil {
		slog.Default().ErrorContext(ctx, "the code-guessing throttle could not be read; the request goes through unchecked",
			"site", site, "error", err.Error())
		return nil
	}
	if !blocked {
		return nil
	}
	who, field := "this site", "code"
	if b.Key.Name != keys[0].Name {
		who, field = "this buyer's e-mail", "buyer.email"
	}
	reason := fmt.Sprintf("too many unknown promotion codes for %s (%d within %s); try again later", who, b.Key.Limit.Max, spoken(b.Key.Limit.Window))
	return apperr.Throttled(b.RetryAfter, []apperr.Detail{{Field: field, Reason: reason}},
		"%s; a request without a code is not refused", reason)
}

// countGuess counts an unknown code against the request's keys. A failure to count is
// logged, not answered: the buyer's answer does not depend on it.
func (c *Checkout) countGuess(ctx context.Context, site, email string) {
	g := c.d.Guessing
	if g.Throttle == nil {
		return
	}
	// Counted even when the request's own context ends now: the guess was answered.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := g.Throttle.Fail(ctx, g.guessKeys(site, email)...); err != nil {
		slog.Default().ErrorContext(ctx, "an unknown promotion code could not be counted against its guessing limits",
			"site", site, "error", err.Error())
	}
}

// spoken says a window as a person would: "15 minutes" rather than "15m0s".
func spoken(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}
