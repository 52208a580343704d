package checkouthttp

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/auth"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// The order route reads Idempotency-Key by the API's one rule (the platform's): a key that
// breaks it is refused, naming the header, before the order's input is even read.
func TestCreateOrderRefusesBadKeys(t *testing.T) {
	// No use case: every request here must be refused before it would run.
	h := lambdaapp.NewHTTPLambda(NewHandler(Deps{Log: testenv.Logger(t)}))
	claims := testenv.Claims("platform-1", "demo")
	claims[auth.ClaimScope] = auth.ScopeCheckout
	for name, key := range map[string]string{
		"too long": strings.Repeat("k", 256), "control": "key\x01", "not ASCII": "clé", "twice": "a, b",
	} {
		a := testenv.CallWithHeaders(t, h, "POST", "/sites/demo/checkout/orders", `{}`, claims, map[string]string{"idempotency-key": key})
		a.Want(t, 400, map[string]any{"error.code": "invalid_input", "error.details.0.field": "Idempotency-Key"})
		if t.Failed() {
			t.Fatalf("%s: %s", name, a.Raw)
		}
	}
	// The longest key passes; the body is read next (and refused: a field orders lack).
	a := testenv.CallWithHeaders(t, h, "POST", "/sites/demo/checkout/orders", `{"colour":"red"}`, claims, map[string]string{"idempotency-key": strings.Repeat("k", 255)})
	a.Want(t, 400, map[string]any{"error.code": "invalid_input", "error.details.0.field": "colour"})
}
