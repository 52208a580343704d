package setuphttp_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/payments/setup/setuphttp"
)

// FuzzPermissionCallback: PayPal's callback is public, so its query string is anyone's to
// write. Whatever it holds, the answer is never a 5xx: the permission is recorded, once,
// only for the link's state with its request token and a verifier PayPal confirms; anything
// else is a 400 that records nothing. A refusal of the link's own state uses the link up;
// any other leaves it good. In the seeds {state} is the state of the rig's link.
func FuzzPermissionCallback(f *testing.F) {
	for _, q := range []string{
		"state={state}&request_token=REQ-1&verification_code=good",
		"state={state}&request_token=REQ-1&verification_code=bad",
		"state={state}&request_token=REQ-2&verification_code=good",
		"state={state}&state=forged&request_token=REQ-1&verification_code=good",
		"state=forged&request_token=REQ-1&verification_code=good",
		"state={state}&request_token=REQ-1", "", "state=%zz&request_token=REQ-1&verification_code=good",
		"state={state};request_token=REQ-1;verification_code=good", "state=%00&request_token=%FF&verification_code=%E2%80%A8",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		if strings.IndexFunc(query, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '#' }) >= 0 {
			return // no HTTP request line carries these: API Gateway refuses the request itself
		}
		w := newWorld()
		h := w.handler(t)
		state := grant(t, w, h)
		query = strings.ReplaceAll(query, "{state}", url.QueryEscape(state))
		values, _ := url.ParseQuery(query)
		right := values.Get("state") == state && values.Get("request_token") == "REQ-1" && values.Get("verification_code") == "good"

		a := testenv.CallHTTP(t, h, "GET", setuphttp.CallbackPath+"?"+query, "", nil)
		granted := func() bool {
			return testenv.CallJSON(t, h, "GET", "/sites/acme/providers/events", "", admin).Get("provider.apiPermission.granted") == true
		}
		switch {
		case right && a.Status == 200:
			if !granted() {
				t.Fatalf("%q: 200, but no permission recorded", query)
			}
		case right:
			t.Fatalf("%q: %d %s, want the permission recorded", query, a.Status, a.Raw)
		case a.Status != 400 || a.Get("error.code") != "invalid_input":
			t.Fatalf("%q: %d %s, want 400 invalid_input", query, a.Status, a.Raw)
		case granted():
			t.Fatalf("%q: refused, but the permission is recorded", query)
		}
		// The link serves once: the right callback after this one works only if this one
		// neither used it nor was refused for it.
		again := testenv.CallHTTP(t, h, "GET", setuphttp.CallbackPath+"?"+url.Values{"state": {state}, "request_token": {"REQ-1"}, "verification_code": {"good"}}.Encode(), "", nil)
		if usedUp := right || values.Get("state") == state && values.Get("request_token") != "" && values.Get("verification_code") != ""; (again.Status == 200) == usedUp {
			t.Fatalf("%q, then the right callback: %d %s (the link used up: %v)", query, again.Status, again.Raw, usedUp)
		}
	})
}
