package httpx

import (
	"encoding/json"
	"testing"
)

func TestJSONStringLen(t *testing.T) {
	for _, s := range []string{"", "plain", `a "quoted", \ one`, "line\r\nbreak\ttab", "<b>&amp;</b>", "line\u2028sep\u2029", "naïve £ 日本", "\x01ctl"} {
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := JSONStringLen([]byte(s)), len(raw)-2; got != want {
			t.Errorf("%q: %d, want %d", s, got, want)
		}
	}
}
