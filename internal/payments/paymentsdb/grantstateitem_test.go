package paymentsdb

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
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
		assertStored(t, name, item, tc.golden)
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

// assertStored fails unless item holds exactly what golden, a JSON document, describes:
// the same attribute names, values and shapes (strings, numbers, booleans, null, lists,
// maps). The same helper stands in each store's tests; its home would be infra/testenv.
func assertStored(t *testing.T, name string, item map[string]types.AttributeValue, golden string) {
	t.Helper()
	var got, want map[string]any
	if err := attributevalue.UnmarshalMap(item, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(golden), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		raw, _ := json.MarshalIndent(got, "", "\t")
		t.Errorf("%s: stored as\n%s\nwant\n%s", name, raw, golden)
	}
}
