package providersapp_test

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/app/providersapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// TestPublicURLIsChecked: a configured API URL that is not an https URL of a host (http is
// for loopback, the local stack) stops the function at start, naming the variable.
func TestPublicURLIsChecked(t *testing.T) {
	for _, bad := range []string{"http://api.example.com", "api.example.com", "https://api.example.com/?next=x"} {
		env := map[string]string{
			"SITES_TABLE": "sites", "AUDIT_TABLE": "audit", "SECRET_PREFIX": "boxoffice/test/providers/",
			"PAYPAL_PLATFORM_SECRET": "platform", "PAYPAL_SANDBOX_API": "https://svcs.sandbox.paypal.example",
			"PAYPAL_SANDBOX_WEB": "https://www.sandbox.paypal.example", "PAYPAL_LIVE_API": "https://svcs.paypal.example",
			"PAYPAL_LIVE_WEB": "https://www.paypal.example", "API_URL": bad,
		}
		_, err := providersapp.New(lambdaapp.MapLookup(env), nil, nil, nil, nil)
		if err == nil || !strings.Contains(err.Error(), "API_URL") {
			t.Errorf("API_URL=%q: err = %v, want a start-up error naming API_URL", bad, err)
		}
	}
}
