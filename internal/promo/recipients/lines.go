package recipients

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lines yields each physical line with its 1-based number. CRLF, LF and a lone CR (old Mac
// editors) each end a line; a final line ending does not start another line.
func lines(s string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for n := 1; len(s) > 0; n++ {
			i := strings.IndexAny(s, "\r\n")
			if i < 0 {
				yield(n, s)
				return
			}
			line := s[:i]
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			s = s[i+1:]
			if !yield(n, line) {
				return
			}
		}
	}
}

// detectSeparator picks the file's one field separator: the first comma, semicolon or TAB
// outside double quotes, reading lines in order (each trimmed, so a stray trailing TAB does
// not count). The first field of any sensible line is an address or a header word, neither of
// which holds one of these, so the first one found is the one the file uses: European Excel
// saves ";", Excel's "Unicode Text" TAB, everything else ",". Lines before it, holding one
// field, read the same whatever the separator. A file with none uses ",".
func detectSeparator(text string) rune {
	for _, line := range lines(text) {
		inQuotes := false
		for _, c := range []byte(trimSpace(line)) {
			switch {
			case c == '"':
				inQuotes = !inQuotes
			case inQuotes:
			case c == ',' || c == ';' || c == '\t':
				return rune(c)
			}
		}
	}
	return ','
}

// splitFields splits one line on sep as CSV does, leniently where spreadsheets and people
// are: whitespace around a field or its quotes is dropped, and a quote inside an unquoted
// field is an ordinary character (Ana "Bo" Smith). A quoted field must close on the same
// line and be followed only by whitespace and the separator; otherwise the line's problem is
// returned instead of fields.
func splitFields(line string, sep rune) ([]string, string) {
	var fields []string
	i := 0
	for {
		j := skipSpace(line, i, sep)
		if j < len(line) && line[j] == '"' {
			value, k, ok := readQuoted(line, j+1)
			if !ok {
				return nil, "unterminated quote (a quoted field must end on the same line)"
			}
			fields = append(fields, trimSpace(value))
			k = skipSpace(line, k, sep)
			if k >= len(line) {
				return fields, ""
			}
			r, size := utf8.DecodeRuneInString(line[k:])
			if r != sep {
				return nil, "text after the closing quote of " + show(value)
			}
			i = k + size
			continue
		}
		k := strings.IndexRune(line[j:], sep)
		if k < 0 {
			return append(fields, trimSpace(line[j:])), ""
		}
		fields = append(fields, trimSpace(line[j:j+k]))
		i = j + k + utf8.RuneLen(sep)
	}
}

// readQuoted reads a quoted field whose opening quote ends just before start; it returns the
// value, the index after the closing quote, and whether there was one.
func readQuoted(line string, start int) (string, int, bool) {
	var b strings.Builder
	for k := start; k < len(line); k++ {
		if line[k] != '"' {
			b.WriteByte(line[k])
			continue
		}
		if k+1 < len(line) && line[k+1] == '"' {
			b.WriteByte('"')
			k++
			continue
		}
		return b.String(), k + 1, true
	}
	return "", len(line), false
}

// skipSpace returns the index of the first character from i that is not whitespace, the
// separator itself not counting as whitespace (TAB-separated files).
func skipSpace(line string, i int, sep rune) int {
	for i < len(line) {
		r, size := utf8.DecodeRuneInString(line[i:])
		if r == sep || !isSpace(r) {
			return i
		}
		i += size
	}
	return i
}

// isSpace is what people cannot see around a value: Unicode white space (including the
// no-break space of pasted web text), a stray byte-order mark, a zero-width space.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' }

func trimSpace(s string) string { return strings.TrimFunc(s, isSpace) }

// isHeader reports whether a first line is a column header: its first field names the
// address column in one of the languages the console speaks (and German): "email",
// "E-mail address", "E-mailadres", "E-postadresse", "Adresă de e-mail", "Adresse e-mail",
// "E-Mail-Adresse"... No address can be one of these words, so no recipient is ever lost to
// it.
func isHeader(fields []string) bool { return headerWords[headerWord(fields[0])] }

// headerWord folds a column title for comparison: lower case, no spaces, dashes,
// underscores or dots, and no accents.
func headerWord(title string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' || r == '.' || r == '\u00A0' {
			return -1
		}
		if plain, ok := unaccented[unicode.ToLower(r)]; ok {
			return plain
		}
		return unicode.ToLower(r)
	}, trimSpace(title))
}

// headerWords are the address column titles, as folded by headerWord.
var headerWords = map[string]bool{
	// English
	"email": true, "emails": true, "emailaddress": true, "emailaddresses": true, "mail": true, "mailaddress": true,
	// German
	"emailadresse": true, "mailadresse": true,
	// Dutch
	"emailadres": true, "emailadressen": true,
	// Norwegian
	"epost": true, "epostadresse": true, "epostadresser": true,
	// Romanian
	"adresadeemail": true, "adresaemail": true, "adresedeemail": true,
	// French
	"adresseemail": true, "adressemail": true, "adresseelectronique": true, "courriel": true, "mel": true,
}

// unaccented maps the accented letters of those titles to plain ones.
var unaccented = map[rune]rune{
	'ă': 'a', 'â': 'a', 'à': 'a', 'á': 'a', 'ä': 'a', 'å': 'a', 'î': 'i', 'ï': 'i', 'í': 'i',
	'ș': 's', 'ş': 's', 'ț': 't', 'ţ': 't', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'ô': 'o', 'ö': 'o', 'ø': 'o', 'ó': 'o', 'û': 'u', 'ü': 'u', 'ú': 'u', 'ç': 'c',
}

// looksLikeHeader reports whether a refused first line reads like a column title rather
// than a mistyped address: its first field has a letter but no "@" and no ".".
func looksLikeHeader(fields []string) bool {
	first := trimSpace(fields[0])
	return !strings.ContainsAny(first, "@.") && strings.IndexFunc(first, unicode.IsLetter) >= 0
}
