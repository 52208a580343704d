package ipn

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// DefaultCharset is the encoding PayPal gives an account unless the merchant picks another
// one, and what a message without a charset field is read in.
const DefaultCharset = "windows-1252"

// charsets are the language encodings PayPal lists for IPN (the charset variable), by their
// lower-case names. PayPal's encodings x/text has no decoder for (EUC-TW, ISO-2022-CN,
// ISO-2022-KR, UTF-7, x-mac-greek, x-mac-turkish, x-mac-centraleurroman) are left out: a
// message in one of them is refused, never guessed at.
var charsets = map[string]encoding.Encoding{
	"utf-8":    unicode.UTF8,
	"us-ascii": charmap.Windows1252, // checked to be 7-bit first: see decode
	"big5":     traditionalchinese.Big5,
	"euc-jp":   japanese.EUCJP, "iso-2022-jp": japanese.ISO2022JP, "shift_jis": japanese.ShiftJIS,
	"euc-kr": korean.EUCKR, "windows-949": korean.EUCKR,
	"gb2312": simplifiedchinese.GBK, "gbk": simplifiedchinese.GBK, "hz-gb-2312": simplifiedchinese.HZGB2312,
	"gb18030":      simplifiedchinese.GB18030,
	"koi8-r":       charmap.KOI8R,
	"ibm-862":      charmap.CodePage862,
	"ebcdic-cp-us": charmap.CodePage037, "ibm-1047": charmap.CodePage1047,
	"x-mac-cyrillic": charmap.MacintoshCyrillic,
	"iso-8859-1":     charmap.ISO8859_1, "iso-8859-2": charmap.ISO8859_2, "iso-8859-3": charmap.ISO8859_3,
	"iso-8859-4": charmap.ISO8859_4, "iso-8859-5": charmap.ISO8859_5, "iso-8859-6": charmap.ISO8859_6,
	"iso-8859-7": charmap.ISO8859_7, "iso-8859-8": charmap.ISO8859_8, "iso-8859-9": charmap.ISO8859_9,
	"iso-8859-13": charmap.ISO8859_13, "iso-8859-15": charmap.ISO8859_15,
	"windows-874":  charmap.Windows874,
	"windows-1250": charmap.Windows1250, "windows-1251": charmap.Windows1251, "windows-1252": charmap.Windows1252,
	"windows-1253": charmap.Windows1253, "windows-1254": charmap.Windows1254, "windows-1255": charmap.Windows1255,
	"windows-1256": charmap.Windows1256, "windows-1257": charmap.Windows1257, "windows-1258": charmap.Windows1258,
	"utf-16":   unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
	"utf-16be": unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16le": unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM),
	"utf-32":   utf32.UTF32(utf32.BigEndian, utf32.UseBOM),
	"utf-32be": utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32le": utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM),
}

// lookupCharset returns the encoding a charset name stands for, matched as PayPal matches
// it (whatever the case).
func lookupCharset(name string) (encoding.Encoding, bool) {
	enc, ok := charsets[strings.ToLower(strings.TrimSpace(name))]
	return enc, ok
}

// decode turns b, written in charset, into UTF-8. It fails on bytes the charset cannot
// have produced: a decoder's replacement character is never taken for a buyer's letter.
func decode(enc encoding.Encoding, charset string, b []byte) (string, bool) {
	switch strings.ToLower(charset) {
	case "utf-8":
		return string(b), utf8.Valid(b)
	case "us-ascii":
		if bytes.IndexFunc(b, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
			return "", false
		}
		return string(b), true
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) || !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

// encode writes s in charset, as PayPal does before it URL-encodes a field.
func encode(enc encoding.Encoding, s string) ([]byte, bool) {
	out, err := enc.NewEncoder().Bytes([]byte(s))
	return out, err == nil
}
