package lambdaapp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// seen is what the handler behind the adapter was given, if it ran.
type seen struct {
	called         bool
	path, rawQuery string
}

// call feeds one GET as API Gateway's HTTP API (payload v2) sends it through NewHTTPLambda,
// to a handler that records the URL it got and answers 204.
func call(t testing.TB, rawPath, rawQuery string) (events.APIGatewayV2HTTPResponse, seen) {
	t.Helper()
	var got seen
	h := lambdaapp.NewHTTPLambda(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = seen{true, r.URL.Path, r.URL.RawQuery}
		w.WriteHeader(http.StatusNoContent)
	}))
	resp, err := h(context.Background(), events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "GET /sites/{site}/audit", RawPath: rawPath, RawQueryString: rawQuery,
		Headers: map[string]string{"x-forwarded-proto": "https"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			DomainName: "api.example", RequestID: "req-1",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: rawPath, SourceIP: "203.0.113.10"},
		},
	})
	if err != nil {
		t.Fatalf("%q ? %q: the function failed (API Gateway answers 5xx): %v", rawPath, rawQuery, err)
	}
	return resp, got
}

// refusedOn returns the fields an invalid_input answer names, or fails the test.
func refusedOn(t testing.TB, what string, resp events.APIGatewayV2HTTPResponse) []string {
	t.Helper()
	var body struct {
		Error struct {
			Code    string
			Details []struct{ Field, Reason string }
		}
	}
	if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(resp.Headers["Content-Type"], "application/json") ||
		json.Unmarshal([]byte(resp.Body), &body) != nil || body.Error.Code != "invalid_input" || len(body.Error.Details) == 0 {
		t.Fatalf("%s: %d %v %s; want 400 invalid_input", what, resp.StatusCode, resp.Headers, resp.Body)
	}
	var fields []string
	for _, d := range body.Error.Details {
		if d.Reason == "" {
			t.Fatalf("%s: a detail without a reason: %s", what, resp.Body)
		}
		fields = append(fields, d.Field)
	}
	return fields
}

func TestUnfitURLIsRefusedBeforeTheHandler(t *testing.T) {
	for _, tc := range []struct{ name, path, query, field string }{
		{"NUL in the query", "/sites/acme/audit", "limit=5\x00", "query"},
		{"TAB in the query", "/sites/acme/audit", "\tlimit=5", "query"},
		{"DEL in the query", "/sites/acme/audit", "cursor=\x7f", "query"},
		{"a # in the query", "/sites/acme/audit", "cursor=a#b", "query"},
		{"a control character in the path", "/sites/ac\x01me/audit", "", "path"},
		{"a bad escape in the path", "/sites/ac%zzme/audit", "", "path"},
		{"a # in the path", "/sites/acme#x/audit", "limit=5", "path"},
		{"a ? in the path", "/sites/acme?x/audit", "", "path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, got := call(t, tc.path, tc.query)
			if fields := refusedOn(t, tc.name, resp); len(fields) != 1 || fields[0] != tc.field {
				t.Fatalf("refused on %v, want %s: %s", fields, tc.field, resp.Body)
			}
			if got.called {
				t.Fatalf("the handler ran with %+v", got)
			}
		})
	}
}

func TestGoodURLReachesTheHandlerAsSent(t *testing.T) {
	for _, tc := range []struct{ path, query, wantPath string }{
		{"/sites/acme/audit", "", "/sites/acme/audit"},
		{"/sites/acme/audit", "limit=5&cursor=a%20b+c", "/sites/acme/audit"},
		{"/sites/acme/audit", "code=%zz&colour=r%C3%A9d", "/sites/acme/audit"}, // the query's own reader names a bad escape
		{"/sites/acme/audit", "name=\xff", "/sites/acme/audit"},
		{"/sites/ac%20me/audit", "limit=1", "/sites/ac me/audit"},
	} {
		resp, got := call(t, tc.path, tc.query)
		if resp.StatusCode != http.StatusNoContent || !got.called || got.path != tc.wantPath || got.rawQuery != tc.query {
			t.Errorf("%q ? %q: %d, the handler got %+v; want %q and the query as sent", tc.path, tc.query, resp.StatusCode, got, tc.wantPath)
		}
	}
}

// FuzzHTTPLambdaURL: whatever path and query string API Gateway hands over, the function
// answers: the handler gets exactly the path and query sent, or the request is a 400
// naming "path" or "query" and the handler does not run. Never a 5xx.
func FuzzHTTPLambdaURL(f *testing.F) {
	for _, u := range [][2]string{
		{"/sites/acme/audit", "limit=5&cursor=abc"}, {"/sites/acme/audit", ""}, {"/sites/acme/audit", "limit=5\x00"},
		{"/sites/acme/audit", "a#b"}, {"/sites/acme/audit", "\x7f"}, {"/sites/acme/audit", "a b=c d"}, {"/sites/a%2Fb/audit", "x=%zz"},
		{"/sites/ac%zzme/audit", ""}, {"/sites/acme#/audit", ""}, {"/sites/acme?/audit", "a=1"}, {"/sites/\xff/audit", "\xff=\xfe"},
	} {
		f.Add(u[0], u[1])
	}
	f.Fuzz(func(t *testing.T, path, query string) {
		if !strings.HasPrefix(path, "/") {
			return // API Gateway's paths all start at the root
		}
		resp, got := call(t, path, query)
		if resp.StatusCode == http.StatusNoContent {
			if want, err := url.PathUnescape(path); err != nil || !got.called || got.path != want || got.rawQuery != query {
				t.Fatalf("%q ? %q: the handler got %+v", path, query, got)
			}
			return
		}
		for _, field := range refusedOn(t, path+" ? "+query, resp) {
			if field != "path" && field != "query" {
				t.Fatalf("%q ? %q: refused on %q", path, query, field)
			}
		}
		if got.called {
			t.Fatalf("%q ? %q: refused after the handler ran", path, query)
		}
	})
}
