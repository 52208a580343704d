package api_test

import (
	"os"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// exampleOrder is what the worked examples of an order must get right.
type exampleOrder struct {
	Ref           string `yaml:"ref"`
	State         string `yaml:"state"`
	Provider      string `yaml:"provider"`
	Currency      string `yaml:"currency"`
	PriceMinor    int64  `yaml:"priceMinor"`
	DiscountMinor int64  `yaml:"discountMinor"`
	TotalMinor    int64  `yaml:"totalMinor"`
	Payment       *struct {
		Fields []struct {
			Name  string `yaml:"name"`
			Value string `yaml:"value"`
		} `yaml:"fields"`
	} `yaml:"payment"`
}

// TestOrderExamplesAddUp: the create-order worked examples (one per provider) name real
// provider kinds and states, add up in minor units, and a WorldPay form carries the order's
// reference and its total as the purchase page reads them.
func TestOrderExamplesAddUp(t *testing.T) {
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Examples map[string]struct {
						Value exampleOrder `yaml:"value"`
					} `yaml:"examples"`
				} `yaml:"content"`
			} `yaml:"responses"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	examples := doc.Paths["/sites/{site}/checkout/orders"]["post"].Responses["201"].Content["application/json"].Examples
	kinds := []string{}
	for name, ex := range examples {
		o := ex.Value
		if !checkout.CheckRef(o.Ref) || !checkout.State(o.State).Valid() {
			t.Errorf("%s: ref %q or state %q cannot be", name, o.Ref, o.State)
		}
		if o.PriceMinor-o.DiscountMinor != o.TotalMinor || o.TotalMinor < 0 {
			t.Errorf("%s: %d - %d is not %d", name, o.PriceMinor, o.DiscountMinor, o.TotalMinor)
		}
		if o.Provider == "" {
			continue
		}
		kinds = append(kinds, o.Provider)
		if !slices.Contains(provider.Kinds, provider.Kind(o.Provider)) {
			t.Errorf("%s: no provider is %q", name, o.Provider)
		}
		if o.Payment == nil {
			t.Errorf("%s: a priced order has a payment page", name)
			continue
		}
		if provider.Kind(o.Provider) == provider.WorldPay {
			want, err := paymentpage.FormatAmount(o.TotalMinor, o.Currency)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range o.Payment.Fields {
				if f.Name == "amount" && f.Value != want || f.Name == "cartId" && f.Value != o.Ref || f.Name == "currency" && f.Value != o.Currency {
					t.Errorf("%s: field %s = %q does not match the order", name, f.Name, f.Value)
				}
			}
		}
	}
	for _, k := range []provider.Kind{provider.PayflowPro, provider.ExpressCheckoutCA, provider.WorldPay} {
		if !slices.Contains(kinds, string(k)) {
			t.Errorf("no worked example for %s (have %v)", k, kinds)
		}
	}
}
