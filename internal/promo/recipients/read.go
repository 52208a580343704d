package recipients

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

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
// name a line.
func decode(data []byte) (string, *apperr.Error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		data = data[len(bomUTF8):]
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeUTF16(data[len(bomUTF16LE):], binary.LittleEndian)
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16(data[len(bomUTF16BE):], binary.BigEndian)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", fileError(apperr.CodeInvalid, 0, nulReason)
	}
	return string(data), nil
}

func decodeUTF16(data []byte, order binary.ByteOrder) (string, *apperr.Error) {
	if len(data)%2 != 0 {
		return "", fileError(apperr.CodeInvalid, 0, "this is not text: the UTF-16 file ends in the middle of a character")
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	var b strings.Builder
	b.Grow(len(units))
	for i := 0; i < len(units); i++ {
		r := rune(units[i])
		if r == 0 {
			return "", fileError(apperr.CodeInvalid, 0, nulReason)
		}
		if utf16.IsSurrogate(r) {
			if i+1 >= len(units) {
				return "", fileError(apperr.CodeInvalid, 0, badUTF16Reason)
			}
			r = utf16.DecodeRune(r, rune(units[i+1]))
			if r == utf8.RuneError {
				return "", fileError(apperr.CodeInvalid, 0, badUTF16Reason)
			}
			i++
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}
