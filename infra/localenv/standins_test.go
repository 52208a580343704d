package localenv

import (
	"testing"

	"github.com/boxofficehq/boxoffice/infra/template"
)

func TestEnvPointsProvidersAtTheStandIns(t *testing.T) {
	fn := template.Function{Env: map[string]string{
		"PAYPAL_SANDBOX_NVP": "https://api-3t.sandbox.paypal.com", "PAYFLOW_LIVE_API": "https://payflowpro.paypal.com",
		"PAYFLOW_SANDBOX_PAGE": "https://payflowlink.paypal.com", "WORLDPAY_SANDBOX_PURCHASE": "https://secure-test.worldpay.com/wcc/purchase",
		"WORLDPAY_LIVE_ADMIN": "https://secure.worldpay.com/wcc/itransaction", "OTHER": "kept",
	}}
	env, err := Env(fn, Refs(nil), StandIns{PayPal: "http://pp", Payflow: "http://pf", WorldPay: "http://wp"})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"PAYPAL_SANDBOX_NVP": "http://pp", "PAYFLOW_LIVE_API": "http://pf", "PAYFLOW_SANDBOX_PAGE": "http://pf/checkout",
		"WORLDPAY_SANDBOX_PURCHASE": "http://wp/wcc/purchase", "WORLDPAY_LIVE_ADMIN": "http://wp/wcc/itransaction", "OTHER": "kept",
	} {
		if env[k] != want {
			t.Errorf("%s = %q, want %q", k, env[k], want)
		}
	}
	// Without a Payflow stand-in, Payflow's hosts stay as the template has them.
	env, _ = Env(fn, Refs(nil), StandIns{PayPal: "http://pp"})
	if env["PAYFLOW_LIVE_API"] != "https://payflowpro.paypal.com" || env["PAYFLOW_SANDBOX_PAGE"] != "https://payflowlink.paypal.com" {
		t.Errorf("without stand-ins: %v", env)
	}
}
