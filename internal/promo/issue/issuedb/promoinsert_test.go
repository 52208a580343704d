package issuedb_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuedb"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

func testCode(code, by string) promo.Code {
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	return promo.Code{
		Site: "acme", Code: code, Service: "events", Usage: promo.Usage{Kind: promo.UsageOnce},
		Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 1000}, ExpiresOn: "2099-01-01",
		ExpiresAt: at.AddDate(73, 0, 0), AppliesTo: "all", Stored: promo.StatusActive, CreatedAt: at, CreatedBy: by,
	}
}

// TestInsertNeverOverwrites: codes that collide with the site's codes, or with each other,
// are regenerated, never written over; a custom code that exists is refused; the audit
// entry is written once, with the last codes.
func TestInsertNeverOverwrites(t *testing.T) {
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	log, _ := auditdb.New(db, tables["AuditTable"])
	w, err := issuedb.NewCodes(db, tables["PromoCodesTable"], log, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	entry := func() audit.Entry { return audit.NewEntry("acme", "u", "promo.create", "events", time.Now(), nil) }
	if _, err := w.Insert(ctx, []promo.Code{testCode("TAKEN1", "first")}, entry(), nil); err != nil {
		t.Fatal(err)
	}
	// 250 codes (three transactions), with the taken code twice and a duplicate pair.
	var codes []promo.Code
	for i := 0; i < 250; i++ {
		codes = append(codes, testCode(fmt.Sprintf("NEW%03d", i), "second"))
	}
	codes[10].Code, codes[120].Code, codes[200].Code, codes[201].Code = "TAKEN1", "TAKEN1", "TWIN", "TWIN"
	regenerated := 0
	written, err := w.Insert(ctx, codes, entry(), func(c promo.Code) (promo.Code, bool) {
		regenerated++
		c.Code = promo.Generate(10)
		return c, true
	})
	if err != nil {
		t.Fatal(err)
	}
	if regenerated != 3 || len(written) != 250 {
		t.Errorf("regenerated %d, written %d; want 3 and 250", regenerated, len(written))
	}
	got, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tables["PromoCodesTable"]), Key: pkSK("acme", promodb.CodeSK("TAKEN1"))})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := promodb.UnmarshalCode(got.Item); c.CreatedBy != "first" {
		t.Errorf("TAKEN1 was overwritten: created by %q", c.CreatedBy)
	}
	for _, c := range written {
		out, _ := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tables["PromoCodesTable"]), Key: pkSK("acme", promodb.CodeSK(c.Code))})
		if out.Item == nil {
			t.Fatalf("%s was not written", c.Code)
		}
	}
	page, err := log.List(ctx, "acme", "", 10)
	if err != nil || len(page.Entries) != 2 {
		t.Errorf("%d audit entries, want 2: %v", len(page.Entries), err)
	}
	// A custom code that exists: refused, nothing written.
	_, err = w.Insert(ctx, []promo.Code{testCode("TAKEN1", "third")}, entry(), func(c promo.Code) (promo.Code, bool) { return c, false })
	if !errors.Is(err, issue.ErrCodeExists) {
		t.Errorf("custom collision: %v", err)
	}
}

func pkSK(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk}}
}
