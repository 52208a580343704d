package promocreateapp_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/promocreateapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp/promoissueapptest"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

const createEvents = "../../../events/promo-create"

// TestCreateEvents feeds every sample promo-create event through the exact handler main
// passes to lambda.Start, in an order that tells a story (promoimportapp's tests feed the
// sample S3 events through the import handler).
func TestCreateEvents(t *testing.T) {
	l, env := promoissueapptest.Stack(t)
	rt, err := promocreateapp.New(lambdaapp.MapLookup(env), promoissueapp.Clients{DynamoDB: l.DB, Idempotency: l.DB, S3: l.S3, SES: l.SES}, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	var job, keyedJob string
	var keyed testenv.Answer
	withJob := func(ev *events.APIGatewayV2HTTPRequest) {
		ev.RawPath = strings.Replace(ev.RawPath, "JOB", job, 1)
		ev.RequestContext.HTTP.Path = ev.RawPath
		ev.PathParameters["job"] = job
	}
	testenv.RunHTTPEvents(t, lambdaapp.NewHTTPLambda(rt), createEvents, []testenv.Step{
		{Event: "create-generated", Status: 201, Want: map[string]any{
			"count": 25.0, "service": "events", "usage.max": 5.0, "discount.percentBasisPoints": 1250.0, "discountText": "12.5%",
			"appliesTo": "live_event", "expiresOn": "2034-12-31", "createdBy": "admin-1 <admin@demo.example>",
			// Midnight at the end of 31 December in Amsterdam is 23:00 UTC.
			"expiresAt": "2034-12-31T23:00:00Z", "status": "active", "usageText": "0 / 5", "storedStatus": nil, "code": nil,
		}, Check: func(t *testing.T, a testenv.Answer) {
			codes, _ := a.Get("codes").([]any)
			seen := map[string]bool{}
			for _, c := range codes {
				code := c.(string)
				if len(code) != 10 || strings.ContainsAny(code, "01IO") || seen[code] {
					t.Errorf("generated code %q", code)
				}
				seen[code] = true
			}
		}},
		// More than 1,000 codes are a generation job, which promo-import runs (promoimportapp's
		// tests run it): the request makes none.
		{Event: "create-generated-job", Status: 202, Want: map[string]any{
			"job.kind": "generation", "job.state": "creating", "job.quantity": 5000.0, "job.codesCreated": 0.0, "codes": nil,
		}, Check: func(t *testing.T, a testenv.Answer) {
			id, _ := a.Get("job.id").(string)
			if a.Headers["Location"] != "/sites/demo/promo-codes/imports/"+id || a.Get("job.key") != "generations/demo/"+id {
				t.Errorf("Location %q, job key %v", a.Headers["Location"], a.Get("job.key"))
			}
		}},
		{Event: "create-custom", Status: 201, Want: map[string]any{"count": 1.0, "codes.0": "SPRING-2099", "discount.amountMinor": 1500.0, "discountText": "$15.00", "appliesTo": "all"}},
		{Event: "create-custom-duplicate", Status: 409, Want: map[string]any{"error.code": "conflict", "error.details.0.field": "code"}},
		{Event: "create-for-recipient", Status: 201, Want: map[string]any{
			"recipient.email": "ana.garcia@attendee.example", "recipient.name": "Ana García",
			"mail.mail": "sent", "job.state": "done", "job.mailsSent": 1.0,
		}},
		{Event: "create-invalid", Status: 400, Want: map[string]any{"error.code": "invalid_input"}, Check: func(t *testing.T, a testenv.Answer) {
			for _, f := range []string{"quantity", "length", "usage.max", "discount.percent", "expiresOn", "appliesTo"} {
				if !strings.Contains(a.Raw, `"field":"`+f+`"`) {
					t.Errorf("no detail names %s: %s", f, a.Raw)
				}
			}
		}},
		{Event: "create-import", Status: 201, Want: map[string]any{"job.state": "awaiting_upload", "upload.method": "PUT", "upload.bucket": "uploads"}, Check: func(t *testing.T, a testenv.Answer) {
			job, _ = a.Get("job.id").(string)
			if key, _ := a.Get("upload.key").(string); key != "imports/demo/"+job {
				t.Errorf("upload key %q", key)
			}
			if u, _ := a.Get("upload.url").(string); !strings.Contains(u, "X-Amz-Signature=") {
				t.Errorf("upload url %q is not presigned", u)
			}
		}},
		// A retried creation under its Idempotency-Key answers as the first and creates
		// nothing more; so does a retried start of an import (its upload URL signed anew).
		{Event: "create-generated-idempotent", Status: 201, Want: map[string]any{"count": 25.0}, Check: func(t *testing.T, a testenv.Answer) {
			keyed = a
		}},
		{Event: "create-generated-idempotent", Status: 201, Want: map[string]any{"count": 25.0}, Check: func(t *testing.T, a testenv.Answer) {
			if a.Raw != keyed.Raw || a.Headers["Idempotent-Replayed"] != "true" {
				t.Errorf("the retry answered %s (replayed %q), not the first answer %s", a.Raw, a.Headers["Idempotent-Replayed"], keyed.Raw)
			}
		}},
		{Event: "create-import-idempotent", Status: 201, Want: map[string]any{"job.state": "awaiting_upload"}, Check: func(t *testing.T, a testenv.Answer) {
			keyedJob, _ = a.Get("job.id").(string)
		}},
		{Event: "create-import-idempotent", Status: 201, Want: map[string]any{"job.state": "awaiting_upload"}, Check: func(t *testing.T, a testenv.Answer) {
			if id, _ := a.Get("job.id").(string); id != keyedJob || keyedJob == "" || a.Headers["Idempotent-Replayed"] != "true" {
				t.Errorf("the retried import answered job %q (replayed %q), want %q", id, a.Headers["Idempotent-Replayed"], keyedJob)
			}
			if u, _ := a.Get("upload.url").(string); !strings.Contains(u, "X-Amz-Signature=") || a.Get("upload.key") != "imports/demo/"+keyedJob {
				t.Errorf("upload %v", a.Get("upload"))
			}
		}},
		{Event: "get-import", Status: 200, Edit: withJob, Want: map[string]any{"state": "awaiting_upload", "percent": 0.0, "plan.fileName": "spring-attendees.csv"}},
		{Event: "list-import-recipients", Status: 200, Edit: withJob, Want: map[string]any{"recipients": []any{}}},
		{Event: "resend-import", Status: 409, Edit: withJob, Want: map[string]any{"error.code": "conflict"}},
		{Event: "get-import-unknown", Status: 404, Want: map[string]any{"error.code": "not_found"}},
		{Event: "create-other-site", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		{Event: "create-no-token", Status: 401, Want: map[string]any{"error.code": "unauthenticated"}},
	})
	// 25 generated codes without a key, 25 with one (once), the custom code, the recipient's.
	if n := len(testenv.StoredCodes(t, l.DB, l.Tables["PromoCodesTable"], "demo")); n != 52 {
		t.Errorf("the site has %d codes, want 52", n)
	}
	// The recipient's mail, as sent: the administrator's template, filled in.
	for _, m := range promoissueapptest.MailsTo(t, l, "attendee.example")["ana.garcia@attendee.example"] {
		if m.Subject == "Demo Academy: a code for you, Ana García" && strings.Contains(m.Body.Text, "£5.00 off until 31 January 2034. Help: help@demo.example") {
			return
		}
	}
	t.Error("no mail to ana.garcia@attendee.example with the template filled in")
}
