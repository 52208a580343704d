package mail

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// Limits of a template, in characters. The subject limit keeps it readable in a mail list
// (and far below header limits); the body limit keeps a mistaken paste out of thousands of
// mails.
const (
	MaxSubject = 200
	MaxBody    = 10000
)

// Field names used in validation errors: the template travels as "emailTemplate" in the
// creation request.
const (
	FieldSubject = "emailTemplate.subject"
	FieldBody    = "emailTemplate.body"
)

// Validate reports every problem of t at once as an invalid-input error naming the
// fields: an empty or too long subject or body, a line break or control character in the
// subject (it becomes a mail header), a misspelt variable, or a body without %PromoCode%
// (the mail would be useless).
func (t Template) Validate() error {
	var errs apperr.Errors
	for _, reason := range checkSubject(t.Subject) {
		errs.Add(FieldSubject, reason)
	}
	for _, reason := range checkBody(t.Body) {
		errs.Add(FieldBody, reason)
	}
	return errs.Err()
}

func checkSubject(s string) []string {
	if r := checkText(s, MaxSubject); r != "" {
		return []string{r}
	}
	var out []string
	if strings.IndexFunc(s, isLineBreakOrControl) >= 0 {
		out = append(out, "must be one line without control characters")
	}
	if r := checkVariables(s); r != "" {
		out = append(out, r)
	}
	return out
}

func checkBody(s string) []string {
	if r := checkText(s, MaxBody); r != "" {
		return []string{r}
	}
	var out []string
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0 {
		out = append(out, "must not contain control characters other than line breaks and tabs")
	}
	if r := checkVariables(s); r != "" {
		out = append(out, r)
	}
	if !usesVariable(s, VarPromoCode) {
		out = append(out, "must contain %PromoCode%, or the recipient never learns their code")
	}
	return out
}

// checkText checks what every part needs: valid UTF-8, not blank, at most max characters.
func checkText(s string, max int) string {
	switch n := utf8.RuneCountInString(s); {
	case !utf8.ValidString(s):
		return "must be valid UTF-8 text"
	case strings.TrimSpace(s) == "":
		return "must not be empty"
	case n > max:
		return fmt.Sprintf("must be at most %d characters (has %d)", max, n)
	}
	return ""
}

func isLineBreakOrControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// checkVariables names every unknown placeholder of s and lists the known ones, so a typo
// such as %PromoCod% is caught before thousands of mails show it literally.
func checkVariables(s string) string {
	var unknown []string
	seen := map[string]bool{}
	for _, p := range scan(s) {
		if _, ok := canonical(p.name); ok || seen[p.name] {
			continue
		}
		seen[p.name] = true
		unknown = append(unknown, "%"+p.name+"%")
	}
	if len(unknown) == 0 {
		return ""
	}
	known := make([]string, len(varNames))
	for i, v := range varNames {
		known[i] = "%" + v + "%"
	}
	what := "unknown variable "
	if len(unknown) > 1 {
		what = "unknown variables "
	}
	return what + strings.Join(unknown, ", ") + "; the known variables are " + strings.Join(known, ", ")
}

func usesVariable(s, name string) bool {
	for _, p := range scan(s) {
		if c, ok := canonical(p.name); ok && c == name {
			return true
		}
	}
	return false
}
