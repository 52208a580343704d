package httpx

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// invoke sends a request through the same adapter the Lambda functions use.
func invoke(t *testing.T, h http.Handler, method, path, body string, claims map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	req := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: path, Body: body,
		Headers:        map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path}},
	}
	if claims != nil {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	resp, err := httpadapter.NewV2(h).ProxyWithContext(context.Background(), req)
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil {
		t.Fatalf("body %q is not JSON: %v", resp.Body, err)
	}
	hdr := http.Header{}
	for k, v := range resp.Headers {
		hdr.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			hdr.Add(k, v)
		}
	}
	return resp.StatusCode, out, hdr
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func testRouter() *Router {
	rt := NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)))
	rt.Handle("GET /sites/{site}/thing", func(w http.ResponseWriter, r *http.Request) error {
		JSON(w, http.StatusOK, map[string]string{"site": r.PathValue("site"), "who": Caller(r).Subject})
		return nil
	})
	rt.Handle("POST /sites/{site}/thing", func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
		}
		if err := Decode(r, &in); err != nil {
			return err
		}
		JSON(w, http.StatusOK, in)
		return nil
	})
	rt.Handle("GET /sites/{site}/boom", func(w http.ResponseWriter, r *http.Request) error { panic("boom") })
	rt.HandlePublic("POST /hooks/x", func(w http.ResponseWriter, r *http.Request) error {
		return apperr.New(apperr.CodeConflict, "already")
	})
	return rt
}

func TestRouterAuth(t *testing.T) {
	rt := testRouter()
	mine := map[string]string{"sub": "u1", "sites": "[acme]"}
	tests := []struct {
		name, method, path string
		claims             map[string]string
		status             int
		code               string
	}{
		{"no token", "GET", "/sites/acme/thing", nil, 401, "unauthenticated"},
		{"no subject", "GET", "/sites/acme/thing", map[string]string{"sites": "[acme]"}, 401, "unauthenticated"},
		{"other site", "GET", "/sites/globex/thing", mine, 403, "forbidden"},
		{"other site HEAD", "HEAD", "/sites/globex/thing", mine, 403, "forbidden"},
		{"own site", "GET", "/sites/acme/thing", mine, 200, ""},
		{"public without token", "POST", "/hooks/x", nil, 409, "conflict"},
		{"unknown path", "GET", "/nope", mine, 404, "not_found"},
		{"wrong method", "DELETE", "/sites/acme/thing", mine, 405, "method_not_allowed"},
		{"panic", "GET", "/sites/acme/boom", mine, 500, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.method == "HEAD" {
				// HEAD has no body to decode; check the status through the plain handler path.
				status, _, _ := invokeRaw(t, rt, tt.method, tt.path, tt.claims)
				if status != tt.status {
					t.Fatalf("status = %d, want %d", status, tt.status)
				}
				return
			}
			status, body, hdr := invoke(t, rt, tt.method, tt.path, "", tt.claims)
			if status != tt.status || errCode(body) != tt.code {
				t.Fatalf("got %d %v, want %d %q", status, body, tt.status, tt.code)
			}
			if !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
				t.Fatalf("content-type = %q", hdr.Get("Content-Type"))
			}
			if tt.status == 405 && hdr.Get("Allow") != "GET, POST" {
				t.Fatalf("Allow = %q", hdr.Get("Allow"))
			}
		})
	}
}

func invokeRaw(t *testing.T, h http.Handler, method, path string, claims map[string]string) (int, string, error) {
	req := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: path,
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims}}}}
	resp, err := httpadapter.NewV2(h).ProxyWithContext(context.Background(), req)
	return resp.StatusCode, resp.Body, err
}

func TestDecodeErrors(t *testing.T) {
	rt := testRouter()
	mine := map[string]string{"sub": "u1", "sites": "[acme]"}
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"ok", `{"name":"x","count":2}`, 200, ""},
		{"empty", ``, 400, ""},
		{"not json", `{nope`, 400, ""},
		{"unknown field", `{"nam":"x"}`, 400, "nam"},
		{"wrong type", `{"count":"two"}`, 400, "count"},
		{"array", `[1]`, 400, ""},
		{"trailing", `{"name":"x"} {}`, 400, ""},
		{"too large", `{"name":"` + strings.Repeat("a", MaxBody) + `"}`, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := invoke(t, rt, "POST", "/sites/acme/thing", tt.body, mine)
			if status != tt.status {
				t.Fatalf("status = %d (%v), want %d", status, body, tt.status)
			}
			if tt.field != "" {
				details, _ := body["error"].(map[string]any)["details"].([]any)
				if len(details) != 1 || details[0].(map[string]any)["field"] != tt.field {
					t.Fatalf("details = %v, want field %q", details, tt.field)
				}
			}
		})
	}
}
