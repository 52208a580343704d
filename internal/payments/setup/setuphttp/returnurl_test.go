package setuphttp_test

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/payments/setup/setuphttp"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

const expressCheckout = `{"kind":"express_checkout_us","paypalEmail":"pay@acme.example","currency":"USD"}`

// TestPermissionCallbackIgnoresTheRequestsHost: the link's callback is under the API's
// configured public URL, whatever Host and X-Forwarded-* headers the request came with: a
// forged one would send the merchant's browser, with its single-use state, elsewhere.
func TestPermissionCallbackIgnoresTheRequestsHost(t *testing.T) {
	w := newWorld()
	h := w.handler(t)
	testenv.CallJSON(t, h, "PUT", "/sites/acme/providers/events", expressCheckout, admin).Want(t, 200, nil)
	forged := map[string]string{
		"host": "evil.example", "x-forwarded-proto": "http", "x-forwarded-host": "evil.example", "forwarded": "host=evil.example;proto=http",
	}
	testenv.CallWithHeaders(t, h, "POST", "/sites/acme/providers/events/permission", "", admin, forged).Want(t, 201, map[string]any{"env": "sandbox"})
	want := "https://api.boxoffice.example/v1" + setuphttp.CallbackPath + "?state="
	if !strings.HasPrefix(w.callback, want) || strings.Contains(w.callback, "evil") {
		t.Fatalf("PayPal was given the callback %q, want it under %q", w.callback, want)
	}
}

// TestPermissionLinkNeedsThePublicURL: a deployment that does not configure the API's public
// URL cannot make a link PayPal could send the merchant back from: 503 unavailable, saying
// what to set, before PayPal is asked or a state stored.
func TestPermissionLinkNeedsThePublicURL(t *testing.T) {
	w := newWorld()
	w.public = httpx.PublicURL{}
	h := w.handler(t)
	testenv.CallJSON(t, h, "PUT", "/sites/acme/providers/events", expressCheckout, admin).Want(t, 200, nil)
	a := testenv.CallJSON(t, h, "POST", "/sites/acme/providers/events/permission", "", admin)
	a.Want(t, 503, map[string]any{"error.code": "unavailable"})
	if msg, _ := a.Get("error.message").(string); !strings.Contains(msg, "PublicApiUrl") {
		t.Errorf("the message does not say what to configure: %q", msg)
	}
	if w.callback != "" || len(w.states) != 0 {
		t.Fatalf("PayPal was asked (%q) or a state stored (%d)", w.callback, len(w.states))
	}
}
