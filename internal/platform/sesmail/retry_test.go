package sesmail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestClassify(t *testing.T) {
	api := func(code string) error { return &smithy.GenericAPIError{Code: code} }
	for _, tc := range []struct {
		name string
		err  error
		want verdict
	}{
		{"Throttling", throttled, transient},
		{"ThrottlingException", api("ThrottlingException"), transient},
		{"ServiceUnavailable", api("ServiceUnavailable"), transient},
		{"RequestTimeout", api("RequestTimeout"), transient},
		{"InternalFailure", api("InternalFailure"), transient},
		{"SDK gave up on throttling", &retry.MaxAttemptsError{Attempt: 3, Err: throttled}, transient},
		{"429 with unknown code", sdkError(429, api("Slow down")), transient},
		{"500 with unknown code", sdkError(500, api("Oops")), transient},
		{"SDK retry quota", fmt.Errorf("failed to get retry Send token, %w", ratelimit.QuotaExceededError{Available: 0, Requested: 5}), transient},
		{"per-attempt timeout", &smithyhttp.RequestSendError{Err: context.DeadlineExceeded}, transient},
		{"connection refused", &smithyhttp.RequestSendError{Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}, transient},
		{"MessageRejected", sdkError(400, &types.MessageRejected{}), permanent},
		{"MailFromDomainNotVerified", &types.MailFromDomainNotVerifiedException{}, permanent},
		{"ConfigurationSetDoesNotExist", &types.ConfigurationSetDoesNotExistException{}, permanent},
		{"AccountSendingPaused", &types.AccountSendingPausedException{}, permanent},
		{"400 with unknown code", sdkError(400, api("Whatever")), permanent},
		{"unreadable 400", sdkError(400, &smithy.DeserializationError{Err: errors.New("EOF")}), permanent},
		{"plain error", errors.New("no credentials"), other},
		{"canceled", context.Canceled, other},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := classify(tc.err); got != tc.want {
				t.Errorf("classify(%v) = %d, want %d", tc.err, got, tc.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	const base, max = 100 * time.Millisecond, 5 * time.Second
	for _, tc := range []struct {
		n      int
		random float64
		want   time.Duration
	}{
		{0, 1, 100 * time.Millisecond},
		{1, 1, 200 * time.Millisecond},
		{3, 1, 800 * time.Millisecond},
		{5, 1, 3200 * time.Millisecond},
		{6, 1, max},
		{62, 1, max},  // base<<62 overflows
		{200, 1, max}, // shift past the width
		{3, 0.5, 400 * time.Millisecond},
		{3, 0, 0},
	} {
		if got := backoff(tc.n, base, max, func() float64 { return tc.random }); got != tc.want {
			t.Errorf("backoff(%d, random %v) = %v, want %v", tc.n, tc.random, got, tc.want)
		}
	}
	for range 100 {
		if d := backoff(2, base, max, jitter); d < 0 || d >= 400*time.Millisecond {
			t.Fatalf("jittered backoff(2) = %v, want in [0, 400ms)", d)
		}
	}
}

func TestReasonFor(t *testing.T) {
	long := ""
	for range 50 {
		long += "word "
	}
	for _, tc := range []struct {
		code, msg, want string
	}{
		{"MessageRejected", "Email address is not verified.", "rejected by SES: Email address is not verified."},
		{"MessageRejected", "", "rejected by SES"},
		{"MessageRejected", " line one\r\n\tline two ", "rejected by SES: line one line two"},
		{"NewCode", "msg", "NewCode: msg"},
		{"", "", "SES error"},
		{"AccessDeniedException", "arn:aws:iam::123456789012:role/x", "not allowed to send through SES"},
		{"X", long, ("X: " + long)[:maxReason-1] + "…"},
	} {
		if got := reasonFor(tc.code, tc.msg); got != tc.want {
			t.Errorf("reasonFor(%q, %q) = %q, want %q", tc.code, tc.msg, got, tc.want)
		}
	}
}

func TestPermanentError(t *testing.T) {
	cause := errors.New("cause")
	err := error(&PermanentError{Reason: "rejected by SES", err: cause})
	if err.Error() != "ses: permanent failure: rejected by SES" || !errors.Is(err, cause) {
		t.Errorf("Error() = %q, Is(cause) = %v", err.Error(), errors.Is(err, cause))
	}
}
