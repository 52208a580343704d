package paymentpage

import (
	"errors"
	"fmt"
)

// Refused is a provider's answer "no": a declined payment, a refused field, wrong merchant
// credentials, a missing permission. Repeating the same call gets the same answer.
type Refused struct {
	Provider string // "payflow", "paypal", "worldpay"
	Op       string // the call, e.g. "DoCapture"
	Code     string // the provider's own code (RESULT, L_ERRORCODE0, ...), when it gave one
	Message  string // the provider's own message
}

func (e *Refused) Error() string {
	return fmt.Sprintf("%s %s refused: %s %s", e.Provider, e.Op, e.Code, e.Message)
}

// Unavailable is a call that got no usable answer: a transport failure, a timeout, an
// error status, a reply too large or unreadable. Retryable says whether sending the same
// request again may succeed and is safe (every request that changes something carries an
// idempotency key, so the provider does it at most once).
type Unavailable struct {
	Provider  string
	Op        string
	Retryable bool
	Err       error
}

func (e *Unavailable) Error() string {
	return fmt.Sprintf("%s %s: no usable answer (retryable %t): %v", e.Provider, e.Op, e.Retryable, e.Err)
}

func (e *Unavailable) Unwrap() error { return e.Err }

// IsRefused reports whether err is a provider's refusal, and returns it.
func IsRefused(err error) (*Refused, bool) {
	var r *Refused
	ok := errors.As(err, &r)
	return r, ok
}

// IsRetryable reports whether err is a failure that the same call may get past.
func IsRetryable(err error) bool {
	var u *Unavailable
	return errors.As(err, &u) && u.Retryable
}
