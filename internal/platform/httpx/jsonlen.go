package httpx

// JSONStringLen is how many bytes b takes inside a JSON string as encoding/json writes it
// (the Lambda runtime encodes a response's body so, and a Lambda answer is at most 6 MB):
// quotes, backslashes and line breaks take two, control characters, <, >, & and
// U+2028/U+2029 take six.
func JSONStringLen(b []byte) int {
	n := 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n += 2
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			n += 6
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9):
			n += 6
			i += 2
		default:
			n++
		}
	}
	return n
}
