package promodb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/infra/testenv/atonce"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

var usesNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

type usesRig struct {
	db    *dynamodb.Client
	table string
	uses  *promodb.Uses
}

func newUsesRig(t *testing.T) usesRig {
	t.Helper()
	db := testenv.RacingDynamoDB(t)
	table := testenv.Tables(t, db)["PromoCodesTable"]
	uses, err := promodb.NewUses(db, table)
	if err != nil {
		t.Fatal(err)
	}
	return usesRig{db: db, table: table, uses: uses}
}

// seed writes a new active code with usage u, expiring a day after usesNow.
func (r usesRig) seed(t *testing.T, code string, u promo.Usage) promo.Code {
	t.Helper()
	c := promo.Code{Site: "demo", Code: code, Service: "events", Usage: u,
		Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 1000}, ExpiresOn: "2026-06-02",
		ExpiresAt: usesNow.Add(24 * time.Hour), AppliesTo: promo.AppliesToAll, Stored: promo.StatusActive,
		CreatedAt: usesNow.Add(-time.Hour), CreatedBy: "u1"}
	item, err := promodb.MarshalCode(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(r.table), Item: item}); err != nil {
		t.Fatal(err)
	}
	return c
}

// stored reads the code back as the report would, with the held count at now.
func (r usesRig) stored(t *testing.T, code string, now time.Time) (promo.Code, int) {
	t.Helper()
	c, held, found, err := r.uses.Lookup(context.Background(), "demo", code, now)
	if err != nil || !found {
		t.Fatalf("lookup %s: %v, found %v", code, err, found)
	}
	return c, held
}

func (r usesRig) reserve(t *testing.T, c promo.Code, ref string, until, now time.Time) promo.Status {
	t.Helper()
	st, err := r.uses.Reserve(context.Background(), c, ref, until, now)
	if err != nil {
		t.Fatalf("reserve %s: %v", ref, err)
	}
	return st
}

// A thousand buyers race for a 10-use code: exactly ten hold a use, the others are told it
// has none left, and the item says ten are held.
func TestReserveRace(t *testing.T) {
	r := newUsesRig(t)
	c := r.seed(t, "RACE10", promo.Usage{Kind: promo.UsageMultiple, Max: 10})
	const buyers = 1000
	results := make([]promo.Status, buyers)
	errs := make([]error, buyers)
	atonce.Run(buyers, func(i int) {
		results[i], errs[i] = r.uses.Reserve(context.Background(), c, refN(i), usesNow.Add(30*time.Minute), usesNow)
	})
	counts := map[promo.Status]int{}
	for i := range buyers {
		if errs[i] != nil {
			t.Fatalf("buyer %d: %v", i, errs[i])
		}
		counts[results[i]]++
	}
	if counts[""] != 10 || counts[promo.StatusUsedUp] != buyers-10 || len(counts) != 2 {
		t.Fatalf("outcomes = %v, want 10 reserved and %d used up", counts, buyers-10)
	}
	if got, held := r.stored(t, "RACE10", usesNow); held != 10 || got.Used != 0 || got.Stored != promo.StatusActive {
		t.Fatalf("stored: used %d, held %d, status %s; want 0 used (none confirmed), 10 held, active", got.Used, held, got.Stored)
	}
}

func refN(i int) string {
	const digits = "0123456789"
	return "BO-" + string([]byte{digits[i/1000%10], digits[i/100%10], digits[i/10%10], digits[i%10]})
}

// A reservation that ran out gives its use to the next buyer when the code is at its
// limit, in place; the buyer who held it can no longer confirm or release it.
func TestExpiredReservationIsTakenOver(t *testing.T) {
	r := newUsesRig(t)
	c := r.seed(t, "ONCE", promo.Usage{Kind: promo.UsageOnce})
	if st := r.reserve(t, c, "BO-A", usesNow.Add(30*time.Minute), usesNow); st != "" {
		t.Fatalf("first reservation: %q", st)
	}
	if st := r.reserve(t, c, "BO-A", usesNow.Add(30*time.Minute), usesNow); st != "" {
		t.Fatalf("a retried reservation must stand: %q", st)
	}
	if st := r.reserve(t, c, "BO-B", usesNow.Add(40*time.Minute), usesNow.Add(10*time.Minute)); st != promo.StatusUsedUp {
		t.Fatalf("while A's reservation holds, B got %q", st)
	}
	later := usesNow.Add(30 * time.Minute) // A's reservation runs out exactly now
	if _, held := r.stored(t, "ONCE", later); held != 0 {
		t.Fatalf("held at A's deadline = %d, want 0", held)
	}
	if st := r.reserve(t, c, "BO-B", later.Add(30*time.Minute), later); st != "" {
		t.Fatalf("B must take over A's expired reservation, got %q", st)
	}
	if _, held := r.stored(t, "ONCE", later); held != 1 {
		t.Fatalf("held after the take-over = %d, want 1", held)
	}
	if ok, err := r.uses.Confirm(context.Background(), "demo", "ONCE", "BO-A", 1); err != nil || ok {
		t.Fatalf("A confirmed a use it lost: %v, %v", ok, err)
	}
	if ok, err := r.uses.Release(context.Background(), "demo", "ONCE", "BO-A"); err != nil || ok {
		t.Fatalf("A released a use it lost: %v, %v", ok, err)
	}
	if ok, err := r.uses.Confirm(context.Background(), "demo", "ONCE", "BO-B", 1); err != nil || !ok {
		t.Fatalf("B's confirmation: %v, %v", ok, err)
	}
	got, held := r.stored(t, "ONCE", later)
	if got.Used != 1 || held != 1 || got.Stored != promo.StatusUsedUp || got.StatusAt(later) != promo.StatusUsedUp {
		t.Fatalf("after B paid: used %d, held %d, stored %s; want 1, 1, used_up", got.Used, held, got.Stored)
	}
	if st := r.reserve(t, c, "BO-C", later.Add(time.Hour), later.Add(time.Hour)); st != promo.StatusUsedUp {
		t.Fatalf("a used-up code reserved: %q", st)
	}
	if ok, _ := r.uses.Confirm(context.Background(), "demo", "ONCE", "BO-B", 1); ok {
		t.Fatal("a confirmation counted twice")
	}
	// B's payment is voided: the use comes back and the code is active again.
	if ok, err := r.uses.Return(context.Background(), "demo", "ONCE", 1); err != nil || !ok {
		t.Fatalf("return: %v, %v", ok, err)
	}
	got, held = r.stored(t, "ONCE", later)
	if got.Used != 0 || held != 0 || got.Stored != promo.StatusActive {
		t.Fatalf("after the void: used %d, held %d, stored %s; want 0, 0, active", got.Used, held, got.Stored)
	}
	if ok, _ := r.uses.Return(context.Background(), "demo", "ONCE", 1); ok {
		t.Fatal("a use was returned that was not confirmed")
	}
	if st := r.reserve(t, c, "BO-D", later.Add(2*time.Hour), later.Add(time.Hour)); st != "" {
		t.Fatalf("the returned use was not taken: %q", st)
	}
}

// A released reservation's use comes back; releasing twice gives back one use.
func TestReleaseGivesTheUseBack(t *testing.T) {
	r := newUsesRig(t)
	c := r.seed(t, "TWO", promo.Usage{Kind: promo.UsageMultiple, Max: 2})
	for _, ref := range []string{"BO-A", "BO-B"} {
		if st := r.reserve(t, c, ref, usesNow.Add(time.Hour), usesNow); st != "" {
			t.Fatalf("%s: %q", ref, st)
		}
	}
	if st := r.reserve(t, c, "BO-C", usesNow.Add(time.Hour), usesNow); st != promo.StatusUsedUp {
		t.Fatalf("a third use: %q", st)
	}
	for i, want := range []bool{true, false} {
		if ok, err := r.uses.Release(context.Background(), "demo", "TWO", "BO-A"); err != nil || ok != want {
			t.Fatalf("release %d: %v, %v; want %v", i, ok, err, want)
		}
	}
	if _, held := r.stored(t, "TWO", usesNow); held != 1 {
		t.Fatalf("held = %d, want 1", held)
	}
	if st := r.reserve(t, c, "BO-C", usesNow.Add(time.Hour), usesNow); st != "" {
		t.Fatalf("the use given back was not taken: %q", st)
	}
	out, err := r.db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(r.table), Key: dynamo.Key("demo", promodb.CodeSK("TWO"))})
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := out.Item["held"].(*types.AttributeValueMemberN); !ok || n.Value != "2" {
		t.Fatalf("held attribute = %v, want 2", out.Item["held"])
	}
}

// Deleted and expired codes refuse a reservation with their status; unlimited codes never
// run out.
func TestReserveRefusals(t *testing.T) {
	r := newUsesRig(t)
	c := r.seed(t, "ANY", promo.Usage{Kind: promo.UsageUnlimited})
	for i := range 5 {
		if st := r.reserve(t, c, refN(i), usesNow.Add(time.Hour), usesNow); st != "" {
			t.Fatalf("unlimited %d: %q", i, st)
		}
	}
	// Unlimited uses hold nothing on the item; confirming counts them.
	if ok, err := r.uses.Confirm(context.Background(), "demo", "ANY", refN(0), 0); err != nil || !ok {
		t.Fatalf("confirm an unlimited use: %v, %v", ok, err)
	}
	if got, held := r.stored(t, "ANY", usesNow); got.Used != 1 || held != 1 || got.Stored != promo.StatusActive {
		t.Fatalf("unlimited after a confirmation: used %d, held %d, %s", got.Used, held, got.Stored)
	}
	out, err := r.db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(r.table), Key: dynamo.Key("demo", promodb.CodeSK("ANY"))})
	if err != nil {
		t.Fatal(err)
	}
	for name := range out.Item {
		if strings.HasPrefix(name, "hold#") || name == "held" {
			t.Fatalf("an unlimited code holds %s", name)
		}
	}
	if st := r.reserve(t, c, "BO-X", usesNow.Add(48*time.Hour), usesNow.Add(24*time.Hour)); st != promo.StatusExpired {
		t.Fatalf("at its expiry: %q", st)
	}
	if _, err := r.db.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName: aws.String(r.table), Key: dynamo.Key("demo", promodb.CodeSK("ANY")),
		UpdateExpression:          aws.String("SET storedStatus = :d"),
		ExpressionAttributeValues: map[string]dynamoAV{":d": avS("deleted")},
	}); err != nil {
		t.Fatal(err)
	}
	if st := r.reserve(t, c, "BO-Y", usesNow.Add(time.Hour), usesNow); st != promo.StatusDeleted {
		t.Fatalf("deleted: %q", st)
	}
	if st := r.reserve(t, promo.Code{Site: "demo", Code: "NONE", Usage: promo.Usage{Kind: promo.UsageOnce}}, "BO-Z", usesNow.Add(time.Hour), usesNow); st != promo.StatusDeleted {
		t.Fatalf("a code that does not exist: %q", st)
	}
	if _, _, found, err := r.uses.Lookup(context.Background(), "demo", "NONE", usesNow); found || err != nil {
		t.Fatalf("lookup of no code: %v, %v", found, err)
	}
}

type dynamoAV = types.AttributeValue

func avS(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
