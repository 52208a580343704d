package sesmail

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/smithy-go"
)

// verdict is what to do after a failed SendEmail.
type verdict int

const (
	transient verdict = iota // throttled or a hiccup: back off and try again
	permanent                // SES refused the message: report it, do not retry
	other                    // neither (a client-side problem such as missing credentials): return it as is
)

// retryableCodes are SES/AWS error codes that mean "not now": throttling (SES says
// "Throttling: Maximum sending rate exceeded." when MaxSendRate is exceeded) and service-side
// hiccups.
var retryableCodes = map[string]bool{
	"Throttling":                  true,
	"ThrottlingException":         true,
	"TooManyRequestsException":    true,
	"RequestLimitExceeded":        true,
	"ServiceUnavailable":          true,
	"ServiceUnavailableException": true,
	"RequestTimeout":              true,
	"RequestTimeoutException":     true,
	"InternalFailure":             true,
	"InternalError":               true,
	"InternalServerError":         true,
}

// classify decides what a SendEmail error means. An API error with a retryable code or an
// HTTP 429/5xx status is transient, as are timeouts and connection failures (the SDK's own
// retry quota running dry counts as throttling). Any other API error, or any other 4xx
// answer, is SES refusing the message. Everything else (no answer from SES) is handed back
// to the caller unchanged.
func classify(err error) verdict {
	var api smithy.APIError
	if errors.As(err, &api) {
		if retryableCodes[api.ErrorCode()] {
			return transient
		}
		if s := httpStatus(err); s == http.StatusTooManyRequests || s >= 500 {
			return transient
		}
		return permanent
	}
	switch s := httpStatus(err); {
	case s == http.StatusTooManyRequests || s >= 500:
		return transient
	case s >= 400:
		return permanent // an answer SES sent but the SDK could not read as an API error
	}
	var quota ratelimit.QuotaExceededError
	if errors.As(err, &quota) {
		return transient
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return transient // a per-attempt timeout; the caller's own deadline is checked before
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return transient
	}
	return other
}

// httpStatus returns the HTTP status of the response behind err, or 0.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}
