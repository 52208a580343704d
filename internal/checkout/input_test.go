package checkout

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

func price(v int64) *int64 { return &v }

func goodOrderInput() OrderInput {
	return OrderInput{
		Offering: &OfferingInput{Service: "events", Type: "event", ID: "ev-1", Name: "Go Workshop", PriceMinor: price(4900), Currency: "usd"},
		Code:     " save20 ", Buyer: &Buyer{Name: "Ann Lee", Email: "Ann@Example.com"},
		ReturnURL: "https://platform.example/done?x=1", CancelURL: "https://platform.example/cancel",
	}
}

func TestOrderInput(t *testing.T) {
	r, err := goodOrderInput().validate(false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != "SAVE20" || r.Offering.Currency != "USD" || r.Buyer.Email != "ann@example.com" || r.Offering.PriceMinor != 4900 {
		t.Fatalf("request = %+v", r)
	}
	for name, tc := range map[string]struct {
		change    func(*OrderInput)
		loopback  bool
		wantField string
	}{
		"no offering":                 {func(in *OrderInput) { in.Offering = nil }, false, "offering"},
		"service":                     {func(in *OrderInput) { in.Offering.Service = "shop" }, false, "offering.service"},
		"type of the service":         {func(in *OrderInput) { in.Offering.Type = "program" }, false, "offering.type"},
		"id":                          {func(in *OrderInput) { in.Offering.ID = "a b" }, false, "offering.id"},
		"long id":                     {func(in *OrderInput) { in.Offering.ID = strings.Repeat("a", 65) }, false, "offering.id"},
		"name":                        {func(in *OrderInput) { in.Offering.Name = "two\nlines" }, false, "offering.name"},
		"no price":                    {func(in *OrderInput) { in.Offering.PriceMinor = nil }, false, "offering.priceMinor"},
		"negative price":              {func(in *OrderInput) { in.Offering.PriceMinor = price(-1) }, false, "offering.priceMinor"},
		"huge price":                  {func(in *OrderInput) { in.Offering.PriceMinor = price(MaxPriceMinor + 1) }, false, "offering.priceMinor"},
		"currency":                    {func(in *OrderInput) { in.Offering.Currency = "JPY" }, false, "offering.currency"},
		"code":                        {func(in *OrderInput) { in.Code = "SAVE 20" }, false, "code"},
		"long code":                   {func(in *OrderInput) { in.Code = strings.Repeat("A", 65) }, false, "code"},
		"no buyer":                    {func(in *OrderInput) { in.Buyer = nil }, false, "buyer"},
		"buyer name":                  {func(in *OrderInput) { in.Buyer.Name = " " }, false, "buyer.name"},
		"buyer e-mail":                {func(in *OrderInput) { in.Buyer.Email = "ann" }, false, "buyer.email"},
		"no return URL":               {func(in *OrderInput) { in.ReturnURL = "" }, false, "returnUrl"},
		"relative URL":                {func(in *OrderInput) { in.ReturnURL = "/done" }, false, "returnUrl"},
		"http URL":                    {func(in *OrderInput) { in.CancelURL = "http://platform.example/cancel" }, false, "cancelUrl"},
		"javascript URL":              {func(in *OrderInput) { in.CancelURL = "javascript:alert(1)" }, false, "cancelUrl"},
		"user info":                   {func(in *OrderInput) { in.ReturnURL = "https://u:p@platform.example/" }, false, "returnUrl"},
		"loopback on AWS":             {func(in *OrderInput) { in.ReturnURL = "http://127.0.0.1:8080/done" }, false, "returnUrl"},
		"http, not loopback, locally": {func(in *OrderInput) { in.ReturnURL = "http://platform.example/done" }, true, "returnUrl"},
	} {
		t.Run(name, func(t *testing.T) {
			in := goodOrderInput()
			tc.change(&in)
			_, err := in.validate(tc.loopback)
			e := apperr.As(err)
			if e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != tc.wantField {
				t.Fatalf("err = %+v, want one detail on %s", err, tc.wantField)
			}
		})
	}
	for _, u := range []string{"http://127.0.0.1:8080/done", "http://localhost/done", "http://[::1]:9/x", "https://127.0.0.1/x"} {
		in := goodOrderInput()
		in.ReturnURL = u
		if _, err := in.validate(true); err != nil {
			t.Errorf("%s locally: %v", u, err)
		}
	}
}

func TestBuyerBack(t *testing.T) {
	if got := BuyerBack("https://platform.example/done?x=1", "BO-ABC"); got != "https://platform.example/done?order=BO-ABC&x=1" {
		t.Fatal(got)
	}
}
