package audithttp

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// fakeLister is an audit.Lister whose behaviour the test sets.
type fakeLister struct {
	ListFn func(ctx context.Context, site, cursor string, limit int) (audit.Page, error)
}

func (f *fakeLister) List(ctx context.Context, site, cursor string, limit int) (audit.Page, error) {
	return f.ListFn(ctx, site, cursor, limit)
}

var _ audit.Lister = (*fakeLister)(nil)

func TestListPassesPagingAndValidatesLimit(t *testing.T) {
	var gotSite, gotCursor string
	var gotLimit int
	l := &fakeLister{ListFn: func(_ context.Context, site, cursor string, limit int) (audit.Page, error) {
		gotSite, gotCursor, gotLimit = site, cursor, limit
		return audit.Page{Entries: []audit.Entry{{ID: "e1"}}, Next: "n1"}, nil
	}}
	rt := httpx.NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)))
	rt.Handle(Route, List(l))
	h := httpadapter.NewV2(rt)
	call := func(query string) (int, map[string]any) {
		resp, err := h.ProxyWithContext(context.Background(), events.APIGatewayV2HTTPRequest{
			Version: "2.0", RawPath: "/sites/acme/audit", RawQueryString: query,
			RequestContext: events.APIGatewayV2HTTPRequestContext{
				HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: http.MethodGet, Path: "/sites/acme/audit"},
				Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "u", "sites": "[acme]"}}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		_ = json.Unmarshal([]byte(resp.Body), &body)
		return resp.StatusCode, body
	}
	status, body := call("")
	if status != 200 || gotSite != "acme" || gotLimit != audit.DefaultLimit || gotCursor != "" || body["next"] != "n1" {
		t.Fatalf("default: %d %v site=%q limit=%d", status, body, gotSite, gotLimit)
	}
	if status, _ := call("limit=7&cursor=abc"); status != 200 || gotLimit != 7 || gotCursor != "abc" {
		t.Fatalf("explicit: %d limit=%d cursor=%q", status, gotLimit, gotCursor)
	}
	gotLimit = 0
	for bad, field := range map[string]string{
		"limit=0": "limit", "limit=201": "limit", "limit=ten": "limit", "limit=-1": "limit",
		// Refused as the report refuses them: garbled, repeated or unknown parameters.
		"limit=%ZZ": "limit", "limit=5&limit=6": "limit", "cursor=a&cursor=b": "cursor", "limti=5": "limti", "page=2&limit=5": "page",
	} {
		status, body := call(bad)
		e, _ := body["error"].(map[string]any)
		details, _ := e["details"].([]any)
		if status != 400 || len(details) != 1 || details[0].(map[string]any)["field"] != field {
			t.Errorf("%s: %d %v, want 400 naming %s", bad, status, body, field)
		}
	}
	if gotLimit != 0 {
		t.Errorf("a refused query reached the log (limit %d)", gotLimit)
	}
}
