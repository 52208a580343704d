package sesmail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

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
