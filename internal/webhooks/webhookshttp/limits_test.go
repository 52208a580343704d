package webhookshttp

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
)

// A body over a route's bound is 413 (SPEC 5), for either protocol, not a 400 or a 5xx.
func TestBodiesTooLarge(t *testing.T) {
	for path, max := range map[string]int{"/webhooks/acme/paypal/ipn": ipn.MaxBody, "/webhooks/acme/worldpay": maxWorldPayBody} {
		rec := post(t, nil, path, bytes.Repeat([]byte("a"), max+1))
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
}

// A site ID that cannot be one is 404 on either route, before the body is read.
func TestNoSuchSite(t *testing.T) {
	for _, path := range []string{"/webhooks/NOT%20A%20SITE/paypal/ipn", "/webhooks/NOT%20A%20SITE/worldpay"} {
		if rec := post(t, nil, path, []byte("x=1")); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
}
