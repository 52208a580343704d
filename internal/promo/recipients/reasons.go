package recipients

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
)

// MaxName is the longest name, in characters, a recipient line may carry.
const MaxName = 200

// The reasons are shown to administrators as they are: stable wording, the offending value
// when it is short enough to read.
const (
	emptyReason    = "the file has no e-mail address"
	nulReason      = "this is not a text file (it contains NUL bytes); save it as CSV or plain text"
	badUTF16Reason = "this is not text: the UTF-16 file has an invalid character"
	headerHint     = `this looks like a column header: name its first column "email" (or "E-mailadres", "E-postadresse", "Adresă de e-mail", "Adresse e-mail") or delete the line`
)

func checkName(name string) string {
	if n := utf8.RuneCountInString(name); n > MaxName {
		return fmt.Sprintf("name too long (%d characters, at most %d)", n, MaxName)
	}
	// The name goes into e-mails, the job's recipients and the report: one line, nothing hidden.
	if p := plaintext.Problem(name); p != "" {
		return "name contains " + p + ": " + show(name)
	}
	return ""
}

func notEmailReason(email, name string, sep rune) string {
	reason := "not an e-mail address: " + show(email)
	switch {
	case strings.ContainsAny(email, ",;\t"):
		reason += fmt.Sprintf(" (this file separates fields with %s)", sepName(sep))
	case name != "" && emailaddr.Valid(trimSpace(name)):
		reason += " (the e-mail address comes first: email" + string(sep) + "name)"
	}
	return reason
}

func tooManyFieldsReason(n int, sep rune) string {
	reason := fmt.Sprintf("more than two fields (has %d)", n)
	if sep == ',' {
		reason += `; put a name that contains a comma in double quotes: "Smith, Ana"`
	}
	return reason
}

func duplicateReason(email string, first int) string {
	return fmt.Sprintf("duplicate address: %s is already on line %d", show(email), first)
}

func notUTF8Reason(lines int) string {
	reason := "this is not UTF-8 text"
	switch {
	case lines == 2:
		reason += " (here and on 1 more line)"
	case lines > 2:
		reason += fmt.Sprintf(" (here and on %d more lines)", lines-1)
	}
	return reason + `; in Excel choose "CSV UTF-8", in a text editor the UTF-8 encoding`
}

func tooManyReason(records int) string {
	return fmt.Sprintf("the file has %s recipients, at most %s are allowed; split it into several files",
		thousands(records), thousands(MaxRecipients))
}

func tooLargeReason() string {
	return fmt.Sprintf("the file is larger than %d MiB; at most %s recipients are allowed",
		MaxBytes>>20, thousands(MaxRecipients))
}

func sepName(sep rune) string {
	if sep == '\t' {
		return "TAB"
	}
	return `"` + string(sep) + `"`
}

// show quotes a value for a reason, cut to a readable length, with control characters
// escaped.
func show(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	cut := 0
	for range max {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return strconv.Quote(s[:cut]) + "…"
}

// thousands writes a count as the SPEC does: 1,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fileError refuses the file as a whole, with one detail; line is 0 when no line is to blame.
func fileError(code apperr.Code, line int, reason string) *apperr.Error {
	return &apperr.Error{
		Code:    code,
		Message: "the recipients file was refused, no code was created: " + reason,
		Details: []apperr.Detail{{Line: line, Reason: reason}},
	}
}

// badLinesError is the collected line problems under a message that counts them.
func badLinesError(v *apperr.Errors, n int) *apperr.Error {
	e := apperr.As(v.Err())
	lines := "lines"
	if n == 1 {
		lines = "line"
	}
	e.Message = fmt.Sprintf("the recipients file has %d bad %s; no code was created", n, lines)
	return e
}
