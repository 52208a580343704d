// Package recipients reads the bulk recipients file of SPEC 3.2: the list of people who each
// get their own promotion code. An administrator makes it in Excel or a text editor and drops
// it into S3, so the parser accepts what those programs actually save, and it checks the
// whole file before returning anything: a file with any bad line creates no code at all, and
// the administrator learns every bad line at once, not one per upload.
//
// Format, as accepted:
//
//   - Encoding: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8", text editors),
//     or UTF-16 little or big endian starting with its byte-order mark (Excel's "Unicode
//     Text"). Anything else that is not valid UTF-8 (such as Excel's plain "CSV" in
//     Windows-1252 with accented names) is refused as not UTF-8 text, naming the first line.
//   - Lines end in CRLF, LF or a lone CR; the last line may or may not end in one. Line
//     numbers count every physical line, blank ones included, from 1.
//   - Each line is `email` or `email<sep>name`. Fields may be quoted as CSV does ("Smith, Ana"
//     is one field, "" inside quotes is one quote); a quoted field must end on its own line
//     (a name cannot contain a line break anyway). Whitespace around fields, inside or
//     outside the quotes, is dropped.
//   - Separator: one per file, the first comma, semicolon or TAB found outside double quotes,
//     reading lines in order (a line's leading and trailing whitespace does not count). A
//     file without any uses commas. The other two are then ordinary characters: a semicolon
//     file may have "Smith, Ana" unquoted as a name.
//   - Lines that are blank or whose fields are all empty (",," from a spreadsheet's empty
//     row) are skipped. Empty fields at the end of a line (a spreadsheet's phantom columns)
//     are ignored, so "ana@example.com,Ana," is two fields.
//   - The first non-blank line is a header, and skipped, when its first field names the
//     address column: "email", "e-mail address", or the same in Dutch, Norwegian, Romanian,
//     French or German (any case, spaces, dashes, underscores or accents). A first line that
//     is refused but reads like a title says how to make it a header.
//   - A missing or empty name is the part of the address before "@", as typed.
package recipients

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
)

// MaxRecipients is the most recipients one file may have (SPEC 3.2).
const MaxRecipients = 1000

// Recipient is one good line of the file.
type Recipient struct {
	Line  int    // 1-based physical line number in the file
	Email string // normalized with emailaddr.Normalize
	Name  string // trimmed; the address's local part when the line has no name
}

// Parse reads a whole recipients file and returns its recipients in file order, or nil and
// an *apperr.Error naming every problem:
//
//   - CodeInvalid with one Detail per bad line (Line set) when any line is bad;
//   - CodeInvalid with one Detail for a file that is empty or not text;
//   - CodeTooLarge with one Detail for a file over MaxRecipients recipients (Line is the
//     first recipient too many) or over MaxBytes bytes;
//   - CodeInternal when r fails.
//
// Parse never panics, whatever the input.
func Parse(r io.Reader) ([]Recipient, error) {
	data, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	if e := sniffBinary(data); e != nil {
		return nil, e
	}
	if len(data) > MaxBytes {
		return nil, fileError(apperr.CodeTooLarge, 0, tooLargeReason())
	}
	text, e := decode(data)
	if e != nil {
		return nil, e
	}
	return parseText(text)
}

// parseText checks every line of decoded text; see the package documentation for the format.
func parseText(text string) ([]Recipient, error) {
	sep := detectSeparator(text)
	var (
		out          []Recipient
		bad          apperr.Errors
		nbad         int
		seen         = map[string]int{} // normalized address -> first line
		records      int
		tooManyLine  int
		firstNonUTF8 int
		nonUTF8      int
		sawFirst     bool
	)
	for n, line := range lines(text) {
		if !utf8.ValidString(line) {
			if nonUTF8 == 0 {
				firstNonUTF8 = n
			}
			nonUTF8++
			continue
		}
		if trimSpace(line) == "" {
			continue
		}
		fields, problem := splitFields(line, sep)
		fields = dropTrailingEmpty(fields)
		if problem == "" && len(fields) == 0 {
			continue // a spreadsheet's empty row: ",,"
		}
		if !sawFirst {
			sawFirst = true
			if problem == "" && isHeader(fields) {
				continue
			}
		}
		records++
		if records == MaxRecipients+1 {
			tooManyLine = n
		}
		if records > MaxRecipients || nonUTF8 > 0 {
			continue // the file is refused as a whole; counting is all that is left to do
		}
		if problem != "" {
			bad.AddLine(n, problem)
			nbad++
			continue
		}
		rec, reasons := checkRecord(fields, sep)
		if records == 1 && rec.Email == "" && len(reasons) > 0 && looksLikeHeader(fields) {
			reasons = append(reasons, headerHint)
		}
		if rec.Email != "" {
			if first, dup := seen[rec.Email]; dup {
				reasons = append(reasons, duplicateReason(rec.Email, first))
			} else {
				seen[rec.Email] = n
			}
		}
		if len(reasons) > 0 {
			bad.AddLine(n, strings.Join(reasons, "; "))
			nbad++
			continue
		}
		rec.Line = n
		out = append(out, rec)
	}
	switch {
	case nonUTF8 > 0:
		return nil, fileError(apperr.CodeInvalid, firstNonUTF8, notUTF8Reason(nonUTF8))
	case records == 0:
		return nil, fileError(apperr.CodeInvalid, 0, emptyReason)
	case records > MaxRecipients:
		return nil, fileError(apperr.CodeTooLarge, tooManyLine, tooManyReason(records))
	case nbad > 0:
		return nil, badLinesError(&bad, nbad)
	}
	return out, nil
}

// checkRecord checks the fields of one line on its own; duplicates are the caller's. The
// returned recipient has Email set whenever the address is valid, even if the name is not,
// so a later copy of the address is still reported as a duplicate.
func checkRecord(fields []string, sep rune) (Recipient, []string) {
	if len(fields) > 2 {
		return Recipient{}, []string{tooManyFieldsReason(len(fields), sep)}
	}
	email := fields[0]
	name := ""
	if len(fields) == 2 {
		name = fields[1]
	}
	var rec Recipient
	var reasons []string
	norm := emailaddr.Normalize(email)
	switch {
	case email == "":
		reasons = append(reasons, "no e-mail address before the separator")
	case !emailaddr.Valid(email) || !emailaddr.Valid(norm):
		reasons = append(reasons, notEmailReason(email, name, sep))
	default:
		rec.Email = norm
	}
	if r := checkName(name); r != "" {
		reasons = append(reasons, r)
	}
	if name == "" && rec.Email != "" {
		name, _, _ = strings.Cut(email, "@")
	}
	rec.Name = name
	return rec, reasons
}

func dropTrailingEmpty(fields []string) []string {
	for len(fields) > 0 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return fields
}
