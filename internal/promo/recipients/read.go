package recipients

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/unicode"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// MaxBytes is the most bytes Parse reads. It is a guard against a huge or endless object,
// not the real limit (MaxRecipients is): 1,000 lines of a 254-character address and a
// 200-character name in four-byte characters still fit, with room for blank lines.
const MaxBytes = 2 << 20

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	sigZip     = []byte("PK\x03\x04")                                   // .xlsx, .ods, .zip
	sigOLE     = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls (Excel 97-2003)
)

// readCapped reads at most MaxBytes+1 bytes, so a caller sees "too large" without holding
// more than that in memory.
func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("reading the recipients file: %w", err))
	}
	return data, nil
}

// sniffBinary recognizes a workbook uploaded instead of its CSV export, the likeliest wrong
// file, so the administrator is told what to do rather than that it "is not text". It runs
// before the size check: a big workbook is still a workbook.
func sniffBinary(data []byte) *apperr.Error {
	switch {
	case bytes.HasPrefix(data, sigZip):
		return fileError(apperr.CodeInvalid, 0, "this looks like an Excel workbook (.xlsx); save it as CSV")
	case bytes.HasPrefix(data, sigOLE):
		return fileError(apperr.CodeInvalid, 0, "this looks like an Excel 97-2003 workbook (.xls); save it as CSV")
	}
	return nil
}

// decode turns the file into text: UTF-16 with a byte-order mark is converted, a UTF-8
// byte-order mark is dropped. UTF-8 validity is checked line by line later, so the error can
// name a line: nothing here may replace invalid bytes (as x/text's UTF-8 decoder would).
func decode(data []byte) (string, *apperr.Error) {
	var text string
	var e *apperr.Error
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		text = string(data[len(bomUTF8):])
	case bytes.HasPrefix(data, bomUTF16LE):
		text, e = decodeUTF16(data, unicode.LittleEndian)
	case bytes.HasPrefix(data, bomUTF16BE):
		text, e = decodeUTF16(data, unicode.BigEndian)
	default:
		text = string(data)
	}
	if e != nil {
		return "", e
	}
	if strings.IndexByte(text, 0) >= 0 { // a binary file, or UTF-16 without its BOM
		return "", fileError(apperr.CodeInvalid, 0, nulReason)
	}
	return text, nil
}

// decodeUTF16 converts UTF-16 in the given byte order, starting with its byte-order mark.
// x/text does not fail on what is not UTF-16 (an unpaired surrogate), it puts U+FFFD in
// its place: so the text is encoded back, and only a file that was all UTF-16 comes back
// the same.
func decodeUTF16(data []byte, order unicode.Endianness) (string, *apperr.Error) {
	if len(data)%2 != 0 {
		return "", fileError(apperr.CodeInvalid, 0, "this is not text: the UTF-16 file ends in the middle of a character")
	}
	enc := unicode.UTF16(order, unicode.ExpectBOM) // its decoder drops the BOM, its encoder writes it
	text, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", fileError(apperr.CodeInvalid, 0, badUTF16Reason)
	}
	if back, err := enc.NewEncoder().Bytes(text); err != nil || !bytes.Equal(back, data) {
		return "", fileError(apperr.CodeInvalid, 0, badUTF16Reason)
	}
	return string(text), nil
}
