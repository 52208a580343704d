package checkoutapp_test

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/checkoutapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle"
)

// viaLambda sends HTTP API v2 requests through the exact handler main passes to
// lambda.Start, as the JSON Lambda hands it.
func viaLambda(handler func(context.Context, json.RawMessage) (any, error)) lambdaapp.HTTPLambda {
	return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		raw, err := json.Marshal(req)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		out, err := handler(ctx, raw)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return out.(events.APIGatewayV2HTTPResponse), nil
	}
}

// call sends the sample event name (events/checkout) with its body's code and buyer e-mail
// set, through h, and answers the status, the Retry-After header and the body.
func call(t *testing.T, h lambdaapp.HTTPLambda, name, code, email string) (int, string, map[string]any) {
	t.Helper()
	ev := testenv.LoadHTTPEvent(t, eventsDir, name)
	var in map[string]any
	if err := json.Unmarshal([]byte(ev.Body), &in); err != nil {
		t.Fatal(err)
	}
	in["code"] = code
	buyer, _ := in["buyer"].(map[string]any)
	if buyer == nil {
		buyer = map[string]any{}
	}
	buyer["email"] = email
	in["buyer"] = buyer
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	ev.Body = string(raw)
	ev.Headers["content-length"] = strconv.Itoa(len(raw))
	delete(ev.Headers, "idempotency-key") // each order is a new one
	resp, err := h(context.Background(), ev)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil || !strings.HasPrefix(resp.Headers["Content-Type"], "application/json") {
		t.Fatalf("%s: %q (Content-Type %q): %v", name, resp.Body, resp.Headers["Content-Type"], err)
	}
	return resp.StatusCode, resp.Headers["Retry-After"], out
}

// want fails unless an answer has status and, at each key of values, that value
// (the top level, or error.code as "error").
func want(t *testing.T, what string, status, wantStatus int, body map[string]any, values map[string]any) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("%s: status %d, want %d: %v", what, status, wantStatus, body)
	}
	for k, v := range values {
		got := body[k]
		if k == "error" {
			got = body["error"].(map[string]any)["code"]
		}
		if got != v {
			t.Errorf("%s: %s = %v, want %v (%v)", what, k, got, v, body)
		}
	}
}

// TestGuessingIsThrottled: through the function's handler and its DynamoDB tables, a buyer
// who tried three unknown codes gets 429 throttled with Retry-After, for quotes and orders
// alike, until the window ends; without a code the buyer is served, and another buyer's
// known code is still quoted.
func TestGuessingIsThrottled(t *testing.T) {
	l := testenv.NewLocal(t)
	seed(t, l)
	env := l.Env(t, "checkout")
	env["CODE_GUESSES_PER_EMAIL"], env["CODE_GUESSES_PER_SITE"], env["CODE_GUESS_WINDOW_MINUTES"] = "3", "300", "1440"
	app, err := checkoutapp.New(lambdaapp.MapLookup(env), l.DB, &payflowPages{}, l.SES, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	h := viaLambda(app.Lambda(testenv.Logger(t)))
	day := throttle.Limit{Max: 3, Window: 24 * time.Hour}
	// The counts are the day's (UTC): a run that crosses midnight starts afresh with
	// another buyer in the new window.
	for attempt := 0; ; attempt++ {
		began := time.Now()
		buyer := "guesser" + strconv.Itoa(attempt) + "@example.com"
		for i := range 3 {
			status, _, out := call(t, h, "quote-unknown-code", "NOPE"+strconv.Itoa(i), buyer)
			want(t, "unknown code", status, 200, out, map[string]any{"refused": "unknown"})
		}
		qStatus, qWait, quote := call(t, h, "quote-with-code", "SPRING20", strings.ToUpper(buyer))
		oStatus, oWait, order := call(t, h, "create-order", "SPRING20", buyer)
		ended := time.Now()
		if day.WindowAt(began) != day.WindowAt(ended) && attempt == 0 {
			continue
		}
		end := day.WindowAt(ended).End
		lo, hi := int(math.Ceil(end.Sub(time.Now()).Seconds())), int(math.Ceil(end.Sub(began).Seconds()))
		for _, a := range []struct {
			what   string
			status int
			wait   string
			body   map[string]any
		}{{"quote", qStatus, qWait, quote}, {"order", oStatus, oWait, order}} {
			want(t, a.what, a.status, 429, a.body, map[string]any{"error": "throttled"})
			if d := a.body["error"].(map[string]any)["details"].([]any)[0].(map[string]any); d["field"] != "buyer.email" {
				t.Errorf("%s: detail %v", a.what, d)
			}
			if secs, err := strconv.Atoi(a.wait); err != nil || secs < lo || secs > hi {
				t.Errorf("%s: Retry-After %q, want whole seconds from %d to %d (until the window ends)", a.what, a.wait, lo, hi)
			}
		}
		status, _, out := call(t, h, "quote-with-code", "", buyer)
		want(t, "quote without a code", status, 200, out, map[string]any{"applied": false, "totalMinor": 4900.0})
		status, _, out = call(t, h, "create-order", "", buyer)
		want(t, "order without a code", status, 201, out, map[string]any{"state": "pending_payment", "totalMinor": 4900.0})
		status, _, out = call(t, h, "quote-with-code", "SPRING20", "someone.else@example.com")
		want(t, "another buyer", status, 200, out, map[string]any{"applied": true, "code": "SPRING20", "totalMinor": 3920.0})
		return
	}
}

// The guessing limits are validated when the function starts.
func TestGuessingLimitsAreValidated(t *testing.T) {
	l := testenv.NewLocal(t)
	for name, bad := range map[string]string{"CODE_GUESSES_PER_SITE": "0", "CODE_GUESSES_PER_EMAIL": "ten", "CODE_GUESS_WINDOW_MINUTES": "1441"} {
		env := l.Env(t, "checkout")
		env[name] = bad
		if _, err := checkoutapp.New(lambdaapp.MapLookup(env), l.DB, &payflowPages{}, l.SES, testenv.Logger(t)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s = %q: %v", name, bad, err)
		}
	}
}
