package promodb

import (
	"reflect"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/dynamo/dynamotest"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

var codeCreated = time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC)

// fullCode sets every field of a code: a deleted, changed code made for a recipient by a job.
func fullCode() promo.Code {
	return promo.Code{
		Site: "acme", Code: "ABC123", Service: "events", Recipient: &promo.Recipient{Email: "ann@example.com", Name: "Ann  Lee"},
		Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 5}, Used: 2,
		Discount:  promo.Discount{Kind: promo.DiscountAmount, AmountMinor: 500, Currency: "USD", PercentBasisPoints: 7},
		ExpiresOn: "2027-03-31", ExpiresAt: time.Date(2027, 3, 31, 22, 0, 0, 0, time.UTC), AppliesTo: "event",
		Stored: promo.StatusDeleted, CreatedAt: codeCreated, CreatedBy: "u1",
		DeletedAt: codeCreated.Add(time.Hour), DeletedBy: "u2", UpdatedAt: codeCreated.Add(time.Hour), UpdatedBy: "u2", JobID: "job1",
	}
}

// plainCode is an active code for nobody in particular, never changed.
func plainCode() promo.Code {
	return promo.Code{
		Site: "acme", Code: "XYZ789", Service: "training", Usage: promo.Usage{Kind: promo.UsageOnce},
		Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2000}, ExpiresOn: "2027-03-31",
		ExpiresAt: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), AppliesTo: "all", Stored: promo.StatusActive,
		CreatedAt: codeCreated, CreatedBy: "u1",
	}
}

// TestCodeItemLayout pins the attribute names and value shapes of a code's item, the keys of
// the report's indexes among them, as written before the store had its own item struct.
func TestCodeItemLayout(t *testing.T) {
	for name, tc := range map[string]struct {
		code   promo.Code
		golden string
	}{
		"every field": {fullCode(), `{
			"appliesTo": "event",
			"code": "ABC123",
			"createdAt": "2026-11-28T12:00:00.000000500Z",
			"createdBy": "u1",
			"createdKey": "2026-11-28T12:00:00.000000500Z#ABC123",
			"deletedAt": "2026-11-28T13:00:00.000000500Z",
			"deletedBy": "u2",
			"discount": {"amountMinor": 500, "currency": "USD", "kind": "amount", "percentBasisPoints": 7},
			"emailKey": "acme#ann@example.com",
			"expiresAt": "2027-03-31T22:00:00.000000000Z",
			"expiresOn": "2027-03-31",
			"expiryKey": "2027-03-31#2026-11-28T12:00:00.000000500Z#ABC123",
			"jobId": "job1",
			"nameKey": "acme#ann lee",
			"pk": "acme",
			"recipientEmail": "ann@example.com",
			"recipientName": "Ann  Lee",
			"service": "events",
			"serviceKey": "acme#events",
			"site": "acme",
			"sk": "code#ABC123",
			"statusKey": "acme#deleted",
			"storedStatus": "deleted",
			"updatedAt": "2026-11-28T13:00:00.000000500Z",
			"updatedBy": "u2",
			"usage": {"kind": "multiple", "max": 5},
			"used": 2
		}`},
		"plain": {plainCode(), `{
			"appliesTo": "all",
			"code": "XYZ789",
			"createdAt": "2026-11-28T12:00:00.000000500Z",
			"createdBy": "u1",
			"createdKey": "2026-11-28T12:00:00.000000500Z#XYZ789",
			"discount": {"kind": "percent", "percentBasisPoints": 2000},
			"expiresAt": "2027-04-01T00:00:00.000000000Z",
			"expiresOn": "2027-03-31",
			"expiryKey": "2027-03-31#2026-11-28T12:00:00.000000500Z#XYZ789",
			"pk": "acme",
			"service": "training",
			"serviceKey": "acme#training",
			"site": "acme",
			"sk": "code#XYZ789",
			"statusKey": "acme#active",
			"storedStatus": "active",
			"usage": {"kind": "once"},
			"used": 0
		}`},
	} {
		item, err := MarshalCode(tc.code)
		if err != nil {
			t.Fatal(err)
		}
		dynamotest.AssertStored(t, name, item, tc.golden)
	}
}

// TestCodeItemRoundTrip: a code through MarshalCode and UnmarshalCode is the code again.
func TestCodeItemRoundTrip(t *testing.T) {
	for _, c := range []promo.Code{fullCode(), plainCode()} {
		item, err := MarshalCode(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := UnmarshalCode(item)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, c)
		}
	}
}
