package changehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
	"github.com/boxofficehq/boxoffice/internal/promo/change/changehttp"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// memCodes keeps codes in memory: enough of a store to see the handlers' answers.
type memCodes struct {
	mu    sync.Mutex
	codes map[string]promo.Code
}

func (m *memCodes) Get(_ context.Context, site, code string) (promo.Code, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[site+"/"+code]
	return c, ok, nil
}

func (m *memCodes) SetExpiry(_ context.Context, from, to promo.Code, _ audit.Entry) (change.Written, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[from.Site+"/"+from.Code]
	if !ok || c.Stored == promo.StatusDeleted || c.ExpiresOn != from.ExpiresOn {
		return change.Written{Current: c, Found: ok}, nil
	}
	m.codes[from.Site+"/"+from.Code] = to
	return change.Written{Applied: true}, nil
}

func (m *memCodes) MarkDeleted(_ context.Context, site, code, actor string, now time.Time, _ audit.Entry) (change.Written, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[site+"/"+code]
	if !ok || c.Stored == promo.StatusDeleted {
		return change.Written{Current: c, Found: ok}, nil
	}
	m.codes[site+"/"+code] = c.Deleted(actor, now)
	return change.Written{Applied: true}, nil
}

type utcSites struct{}

func (utcSites) Get(_ context.Context, site string) (settings.Site, error) {
	return settings.New(site), nil
}

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func handlers(t *testing.T, codes ...promo.Code) (lambdaapp.HTTPLambda, lambdaapp.HTTPLambda) {
	t.Helper()
	mem := &memCodes{codes: map[string]promo.Code{}}
	for _, c := range codes {
		mem.codes[c.Site+"/"+c.Code] = c
	}
	clock := func() time.Time { return now }
	x, err := change.NewExtender(mem, utcSites{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	d, err := change.NewDeleter(mem, clock)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return lambdaapp.NewHTTPLambda(changehttp.NewExtendHandler(changehttp.ExtendDeps{Extender: x, Log: log})),
		lambdaapp.NewHTTPLambda(changehttp.NewDeleteHandler(changehttp.DeleteDeps{Deleter: d, Log: log}))
}

func post(t *testing.T, h lambdaapp.HTTPLambda, path, body string) (int, map[string]any, string) {
	t.Helper()
	resp, err := h(context.Background(), events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: path, Body: body,
		Headers: map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: path},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{
					"sub": "admin-1", "email": "admin@acme.example", "sites": "[acme]",
				}},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil {
		t.Fatalf("body %q: %v", resp.Body, err)
	}
	return resp.StatusCode, out, resp.Body
}

func code(c, expiresOn string, stored promo.Status) promo.Code {
	return promo.Code{Site: "acme", Code: c, Service: "events", ExpiresOn: expiresOn, Stored: stored}
}

func TestRoutes(t *testing.T) {
	x := changehttp.NewExtendHandler(changehttp.ExtendDeps{})
	d := changehttp.NewDeleteHandler(changehttp.DeleteDeps{})
	if r := x.Routes(); len(r) != 1 || r[0].Pattern() != changehttp.ExtendRoute || r[0].Public {
		t.Fatalf("extend routes %v", r)
	}
	if r := d.Routes(); len(r) != 1 || r[0].Pattern() != changehttp.DeleteRoute || r[0].Public {
		t.Fatalf("delete routes %v", r)
	}
}

func TestExtendAnswer(t *testing.T) {
	extend, _ := handlers(t,
		code("ABC123", "2026-12-31", promo.StatusActive),
		code("GONE12", "2026-12-31", promo.StatusDeleted),
		code("LATER1", "2027-02-28", promo.StatusActive),
		code("SAME12", "2027-01-31", promo.StatusActive),
	)
	status, _, raw := post(t, extend, "/sites/acme/promo-codes/extend",
		`{"codes":["abc123","NOPE12","gone12","LATER1","SAME12"],"expiresOn":"2027-01-31"}`)
	if status != 200 {
		t.Fatalf("status %d: %s", status, raw)
	}
	want := `{"expiresOn":"2027-01-31","results":[` +
		`{"code":"ABC123","result":"extended","expiresOn":{"before":"2026-12-31","after":"2027-01-31"}},` +
		`{"code":"NOPE12","result":"not_found"},` +
		`{"code":"GONE12","result":"deleted"},` +
		`{"code":"LATER1","result":"earlier_than_current","expiresOn":"2027-02-28"},` +
		`{"code":"SAME12","result":"unchanged","expiresOn":"2027-01-31"}],` +
		`"summary":{"before_today":0,"deleted":1,"earlier_than_current":1,"extended":1,"not_found":1,"unchanged":1}}`
	if strings.TrimSpace(raw) != want {
		t.Fatalf("body\n%s\nwant\n%s", raw, want)
	}
}

// TestDuplicatesRefused: four codes sent, two of them twice in another case, used to get
// two results; now the request is refused (before any code is read) naming the repeats.
func TestDuplicatesRefused(t *testing.T) {
	extend, del := handlers(t, code("ABC123", "2026-12-31", promo.StatusActive), code("DEF456", "2026-12-31", promo.StatusActive))
	for _, c := range []struct {
		h    lambdaapp.HTTPLambda
		path string
		body string
	}{
		{extend, "/sites/acme/promo-codes/extend", `{"codes":["abc123","DEF456","ABC123","def456"],"expiresOn":"2027-01-31"}`},
		{del, "/sites/acme/promo-codes/delete", `{"codes":["abc123","DEF456","ABC123","def456"]}`},
	} {
		status, _, raw := post(t, c.h, c.path, c.body)
		if status != 400 || !strings.Contains(raw, `"field":"codes[2]"`) || !strings.Contains(raw, `"field":"codes[3]"`) {
			t.Errorf("%s: %d %s, want 400 naming codes[2] and codes[3]", c.path, status, raw)
		}
	}
}

func TestDeleteAnswer(t *testing.T) {
	_, del := handlers(t, code("ABC123", "2026-12-31", promo.StatusActive), code("DEF456", "2026-12-31", promo.StatusUsedUp))
	path := "/sites/acme/promo-codes/delete"
	status, body, raw := post(t, del, path, `{"codes":["abc123","DEF456","NOPE12"]}`)
	if status != 200 {
		t.Fatalf("status %d: %s", status, raw)
	}
	want := map[string]any{
		"results": []any{
			map[string]any{"code": "ABC123", "result": "deleted", "deletedAt": "2026-11-28T12:00:00Z", "deletedBy": "admin-1 <admin@acme.example>"},
			map[string]any{"code": "DEF456", "result": "deleted", "deletedAt": "2026-11-28T12:00:00Z", "deletedBy": "admin-1 <admin@acme.example>"},
			map[string]any{"code": "NOPE12", "result": "not_found"},
		},
		"summary": map[string]any{"deleted": 2.0, "already_deleted": 0.0, "not_found": 1.0},
	}
	if !reflect.DeepEqual(body, want) {
		t.Fatalf("body %s", raw)
	}
	_, body, _ = post(t, del, path, `{"codes":["ABC123"]}`)
	r := body["results"].([]any)[0].(map[string]any)
	if r["result"] != "already_deleted" || r["deletedAt"] != "2026-11-28T12:00:00Z" || r["deletedBy"] != "admin-1 <admin@acme.example>" {
		t.Fatalf("again: %v", body)
	}
}

// codesBody is a request body with n distinct codes of the longest length.
func codesBody(n int, extra string) string {
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("%032d", i)
	}
	raw, _ := json.Marshal(codes)
	return `{"codes":` + string(raw) + extra + `}`
}

func TestBadRequests(t *testing.T) {
	extend, del := handlers(t)
	tests := []struct {
		name   string
		h      lambdaapp.HTTPLambda
		path   string
		body   string
		status int
		field  string
	}{
		{"extend: 1,000 codes of 32 characters fit", extend, "extend", codesBody(1000, `,"expiresOn":"2027-01-31"`), 200, ""},
		{"extend: 1,001 codes", extend, "extend", codesBody(1001, `,"expiresOn":"2027-01-31"`), 400, "codes"},
		{"extend: no codes", extend, "extend", `{"codes":[],"expiresOn":"2027-01-31"}`, 400, "codes"},
		{"extend: no date", extend, "extend", `{"codes":["ABC123"]}`, 400, "expiresOn"},
		{"extend: bad date", extend, "extend", `{"codes":["ABC123"],"expiresOn":"2027-13-01"}`, 400, "expiresOn"},
		{"extend: past date", extend, "extend", `{"codes":["ABC123"],"expiresOn":"2026-11-27"}`, 400, "expiresOn"},
		{"extend: malformed code", extend, "extend", `{"codes":["ABC123","A*B*C"],"expiresOn":"2027-01-31"}`, 400, "codes[1]"},
		{"extend: unknown field", extend, "extend", `{"codes":["ABC123"],"expiresOn":"2027-01-31","status":"x"}`, 400, "status"},
		{"extend: codes not a list", extend, "extend", `{"codes":"ABC123","expiresOn":"2027-01-31"}`, 400, "codes"},
		{"extend: empty body", extend, "extend", ``, 400, ""},
		{"delete: 1,000 codes of 32 characters fit", del, "delete", codesBody(1000, ""), 200, ""},
		{"delete: 1,001 codes", del, "delete", codesBody(1001, ""), 400, "codes"},
		{"delete: no codes", del, "delete", `{}`, 400, "codes"},
		{"delete: malformed code", del, "delete", `{"codes":["AB"]}`, 400, "codes[0]"},
		{"delete: not JSON", del, "delete", `{codes`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, raw := post(t, tt.h, "/sites/acme/promo-codes/"+tt.path, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", status, tt.status, raw)
			}
			if tt.status == 200 {
				if n := len(body["results"].([]any)); n != 1000 {
					t.Fatalf("%d results", n)
				}
				return
			}
			e := body["error"].(map[string]any)
			if e["code"] != "invalid_input" {
				t.Fatalf("error %v", e)
			}
			if tt.field != "" {
				details, _ := e["details"].([]any)
				if len(details) == 0 || details[0].(map[string]any)["field"] != tt.field {
					t.Fatalf("details %v, want field %s", details, tt.field)
				}
			}
		})
	}
}

// The body limit is the router's: a request of 1,000 codes is far below it.
func TestThousandCodesFitTheBodyLimit(t *testing.T) {
	if n := len(codesBody(1000, `,"expiresOn":"2027-01-31"`)); n*3/2 > httpx.MaxBody {
		t.Fatalf("a full request is %d bytes, too close to the %d limit", n, httpx.MaxBody)
	}
}
