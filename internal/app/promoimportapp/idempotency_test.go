package promoimportapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/promocreateapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// createOverHooks is promo-create with its code and job writes going through the rig's
// hooked DynamoDB, so a test can fail them as a store that goes away would.
func (r *rig) createOverHooks(t *testing.T) lambdaapp.HTTPLambda {
	t.Helper()
	rt, err := promocreateapp.New(lambdaapp.MapLookup(r.env), promoissueapp.Clients{DynamoDB: r.db, Idempotency: r.l.DB, S3: r.l.S3, SES: r.l.SES}, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return lambdaapp.NewHTTPLambda(rt)
}

// failTransactionsAfter lets the first n transactions through and fails the others.
func (r *rig) failTransactionsAfter(n int) {
	r.db.mu.Lock()
	defer r.db.mu.Unlock()
	first := r.db.n
	r.db.transact = func(call int, _ *dynamodb.TransactWriteItemsInput) error {
		if call-first > n {
			return errors.New("connection reset by peer")
		}
		return nil
	}
}

func (r *rig) heal() { r.db.mu.Lock(); r.db.transact = nil; r.db.mu.Unlock() }

func send(t *testing.T, h lambdaapp.HTTPLambda, ev events.APIGatewayV2HTTPRequest) testenv.Answer {
	t.Helper()
	resp, err := h(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	a := testenv.Answer{Status: resp.StatusCode, Raw: resp.Body, Headers: resp.Headers}
	_ = json.Unmarshal([]byte(resp.Body), &a.Body)
	return a
}

// TestKeyedCreationThatFailedPartWay: a creation of 800 codes under a key fails after a few
// of its transactions (500); the client's retry with the same key finishes it: 800 codes
// in all, those written before among them, and the key then answers them again. The same
// key with another quantity is refused.
func TestKeyedCreationThatFailedPartWay(t *testing.T) {
	r := newRig(t)
	h := r.createOverHooks(t)
	ev := testenv.LoadHTTPEvent(t, createEvents, "create-generated-idempotent")
	ev.Body = strings.Replace(ev.Body, `"quantity": 25`, `"quantity": 800`, 1)
	r.failTransactionsAfter(3)
	send(t, h, ev).Want(t, 500, map[string]any{"error.code": "internal"})
	before := r.codesOfSite(t)
	if len(before) == 0 || len(before) >= 800 {
		t.Fatalf("the failed try left %d codes; the test wants a creation cut part way", len(before))
	}
	r.heal()
	a := send(t, h, ev)
	a.Want(t, 201, map[string]any{"count": 800.0})
	codes, _ := a.Get("codes").([]any)
	answered := make([]string, len(codes))
	for i, c := range codes {
		answered[i], _ = c.(string)
	}
	var stored []string
	for _, c := range r.codesOfSite(t) {
		stored = append(stored, c.Code)
	}
	slices.Sort(stored)
	if got := slices.Sorted(slices.Values(answered)); !slices.Equal(got, stored) || len(stored) != 800 {
		t.Fatalf("%d codes answered, %d stored; want the same 800", len(answered), len(stored))
	}
	for _, c := range before {
		if !slices.Contains(answered, c.Code) {
			t.Fatalf("the code %s the failed try wrote is not in the answer", c.Code)
		}
	}
	again := send(t, h, ev)
	if again.Status != 201 || again.Raw != a.Raw || again.Headers["Idempotent-Replayed"] != "true" {
		t.Fatalf("a further retry: %d (replayed %q), not the first answer", again.Status, again.Headers["Idempotent-Replayed"])
	}
	other := ev
	other.Body = strings.Replace(ev.Body, `"quantity": 800`, `"quantity": 801`, 1)
	send(t, h, other).Want(t, 409, map[string]any{"error.code": "idempotency_key_reused", "error.details.0.field": "Idempotency-Key"})
	if n := len(r.codesOfSite(t)); n != 800 {
		t.Fatalf("%d codes after the retries, want 800", n)
	}
}

// TestKeyedCreationForARecipientRetried: the first try writes the recipient's code, then
// fails to record its e-mail's job; the retry finishes the same creation: the one code,
// e-mailed once.
func TestKeyedCreationForARecipientRetried(t *testing.T) {
	r := newRig(t)
	h := r.createOverHooks(t)
	ev := testenv.LoadHTTPEvent(t, createEvents, "create-for-recipient")
	to := "lena@" + r.domain
	ev.Body = strings.Replace(ev.Body, "ana.garcia@attendee.example", to, 1)
	ev.Headers["idempotency-key"] = "recipient-" + r.domain
	r.failTransactionsAfter(1) // the code and its audit entry; not the job
	send(t, h, ev).Want(t, 500, nil)
	r.heal()
	a := send(t, h, ev)
	a.Want(t, 201, map[string]any{"count": 1.0, "recipient.email": to, "mail.mail": "sent", "job.mailsSent": 1.0})
	codes := r.codesOfSite(t)
	if len(codes) != 1 || a.Get("codes.0") != codes[0].Code || codes[0].JobID != a.Get("job.id") {
		t.Fatalf("codes %+v; want the one answered, of the answered job", codes)
	}
	if mails := r.mailsTo(t)[to]; len(mails) != 1 || !strings.Contains(mails[0].Body.Text, codes[0].Code) {
		t.Fatalf("%d mails to %s, want one with the code", len(mails), to)
	}
}

// TestIdempotencyKeyIsChecked: a key longer than 255 characters is a 400 naming the
// header, and nothing is created.
func TestIdempotencyKeyIsChecked(t *testing.T) {
	r := newRig(t)
	for _, name := range []string{"create-generated-idempotent", "create-import-idempotent"} {
		ev := testenv.LoadHTTPEvent(t, createEvents, name)
		ev.Headers["idempotency-key"] = strings.Repeat("k", 256)
		send(t, r.create, ev).Want(t, 400, map[string]any{"error.code": "invalid_input", "error.details.0.field": "Idempotency-Key"})
	}
	if n := len(r.codesOfSite(t)); n != 0 {
		t.Fatalf("%d codes created", n)
	}
}
