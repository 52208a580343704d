package sesmail

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/aws/smithy-go"

	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// PermanentError means SES refused this message and sending it again will not help (the
// address is invalid, the message was rejected, the sender is not verified, ...). Reason is
// short, one line and free of secrets and request IDs: the caller stores it as the
// recipient's "failed: <Reason>". The cause, for logs, is available through errors.Unwrap.
type PermanentError struct {
	Reason string
	err    error
}

func (e *PermanentError) Error() string { return "ses: permanent failure: " + e.Reason }

func (e *PermanentError) Unwrap() error { return e.err }

// maxReason bounds a reason taken from an SES message, which may quote addresses.
const maxReason = 200

// codeReasons turns the SES error codes a sender can meet into reasons an administrator
// understands. Codes not listed get "<code>: <SES message>".
var codeReasons = map[string]string{
	"MessageRejected":                        "rejected by SES",
	"MailFromDomainNotVerifiedException":     "the sender's MAIL FROM domain is not verified in SES",
	"FromEmailAddressNotVerified":            "the sender address is not verified in SES",
	"ConfigurationSetDoesNotExist":           "the SES configuration set does not exist",
	"ConfigurationSetSendingPausedException": "sending is paused for the SES configuration set",
	"AccountSendingPausedException":          "sending is paused for the SES account",
	"InvalidParameterValue":                  "invalid message or address",
	"AccessDenied":                           "not allowed to send through SES",
	"AccessDeniedException":                  "not allowed to send through SES",
}

// permanentError describes err, which classify found permanent, for the recipient's record.
func permanentError(err error) *PermanentError {
	var api smithy.APIError
	if errors.As(err, &api) {
		return &PermanentError{Reason: reasonFor(api.ErrorCode(), api.ErrorMessage()), err: err}
	}
	return &PermanentError{Reason: fmt.Sprintf("rejected by SES (HTTP %d)", httpStatus(err)), err: err}
}

// reasonFor builds a PermanentError reason from an SES error code and message.
func reasonFor(code, message string) string {
	reason, ok := codeReasons[code]
	if !ok {
		reason = code
		if reason == "" {
			reason = "SES error"
		}
	}
	// Access-denied messages quote ARNs (account IDs); the code says enough.
	if msg := oneLine(message); msg != "" && !strings.HasPrefix(code, "AccessDenied") {
		reason += ": " + msg
	}
	return plaintext.Clip(reason, maxReason-1) // the ellipsis makes it maxReason
}

// oneLine collapses every run of white space and control characters into one space.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}
