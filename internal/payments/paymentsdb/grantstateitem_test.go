package paymentsdb

import (
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo/dynamotest"
)

var (
	grantState = setup.GrantState{
		Site: "acme", Service: "events", Env: provider.Sandbox, Kind: provider.ExpressCheckoutUS,
		PayPalEmail: "p@acme.example", RequestToken: "AAAA", Actor: "u1",
	}
	grantExpires = time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
)

// TestGrantStateItemLayout pins the attribute names and value shapes of a grant state's
// item (expiresAt is the table's TTL attribute), as written before the store had its own
// item struct.
func TestGrantStateItemLayout(t *testing.T) {
	for name, tc := range map[string]struct {
		state  setup.GrantState
		golden string
	}{
		"every field": {grantState, `{
			"actor": "u1",
			"env": "sandbox",
			"expiresAt": 1795870800,
			"kind": "express_checkout_us",
			"paypalEmail": "p@acme.example",
			"pk": "grant#k1",
			"requestToken": "AAAA",
			"service": "events",
			"site": "acme",
			"sk": "grant-state"
		}`},
		"empty": {setup.GrantState{}, `{
			"actor": "",
			"env": "",
			"expiresAt": 1795870800,
			"kind": "",
			"paypalEmail": "",
			"pk": "grant#k1",
			"requestToken": "",
			"service": "",
			"site": "",
			"sk": "grant-state"
		}`},
	} {
		item, err := dynamo.Marshal(newGrantStateItem("k1", tc.state, grantExpires))
		if err != nil {
			t.Fatal(err)
		}
		dynamotest.AssertStored(t, name, item, tc.golden)
	}
}

// TestGrantStateItemRoundTrip: a state mapped to its item, through the codec and back is
// the state again.
func TestGrantStateItemRoundTrip(t *testing.T) {
	item, err := dynamo.Marshal(newGrantStateItem("k1", grantState, grantExpires))
	if err != nil {
		t.Fatal(err)
	}
	var it grantStateItem
	if err := dynamo.Unmarshal(item, &it); err != nil {
		t.Fatal(err)
	}
	if got := it.state(); got != grantState {
		t.Errorf("round trip: got %+v, want %+v", got, grantState)
	}
}
