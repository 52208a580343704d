package registry_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
	"github.com/boxofficehq/boxoffice/internal/platform/auth"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

var pathParam = regexp.MustCompile(`\{([a-zA-Z0-9_]+)(\.\.\.)?\}`)

// concrete fills a route's path parameters: the site with site, every other one with a
// plausible value.
func concrete(path, site string) string {
	return pathParam.ReplaceAllStringFunc(path, func(m string) string {
		switch name := pathParam.FindStringSubmatch(m)[1]; name {
		case "site":
			return site
		case "service":
			return "events"
		default:
			return "x"
		}
	})
}

func request(method, path string, claims map[string]string) events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: method + " " + path, RawPath: path,
		Headers: map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path},
		},
	}
	if method != "GET" && method != "DELETE" {
		req.Body = "{}"
	}
	if claims != nil {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	return req
}

type authCase struct {
	name   string
	path   string
	claims map[string]string
	code   string
	// bearer is the Authorization header's token, when the case has one: API Gateway hands
	// the verified header to the function beside its flattened claims.
	bearer string
}

// unsignedJWT is a compact JWT with the given payload; the function does not check the
// signature (API Gateway's authorizer did), it reads the claims exactly.
func unsignedJWT(payload string) string {
	return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
}

// TestEveryRouteChecksTheSite walks every route every function registers: a site route
// refuses a caller who does not hold the site (403) and a caller without a token (401), and
// lets the site's own administrator through.
func TestEveryRouteChecksTheSite(t *testing.T) {
	local := testenv.NewLocal(t)
	fns, err := local.Template.Functions()
	if err != nil {
		t.Fatal(err)
	}
	walked := 0
	for _, fn := range fns {
		reg, ok := registry.ByName(fn.Name)
		if !ok || reg.HTTP == nil {
			continue
		}
		rt, err := reg.HTTP(lambdaapp.MapLookup(local.Env(t, fn.Name)), registry.Clients{DynamoDB: local.DB, SecretsManager: local.SecretsManager, S3: local.S3, SES: local.SES}, testenv.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		h := lambdaapp.NewHTTPLambda(rt)
		for _, route := range rt.Routes() {
			walked++
			if route.Public {
				// Public routes authenticate by other means: without a token they answer the
				// request itself (a 4xx for this empty one), never 401/403, never a 5xx.
				resp, err := h(context.Background(), request(route.Method, concrete(route.Path, "walk-site"), nil))
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode == 401 || resp.StatusCode == 403 || resp.StatusCode >= 500 {
					t.Errorf("%s %s without a token: %d %s", fn.Name, route.Pattern(), resp.StatusCode, resp.Body)
				}
				continue
			}
			t.Run(fn.Name+" "+route.Pattern(), func(t *testing.T) {
				site := strings.HasPrefix(route.Path, httpx.SitePrefix)
				mine := map[string]string{"sub": "walker", "sites": "[walk-site]"}
				// A checkout client's machine token may call the checkout routes only, and an
				// administrator's token may not call them (API Gateway checks the scope first;
				// the function checks again).
				other := map[string]string{"sub": "walker", "sites": "[walk-site]", "scope": auth.ScopeCheckout}
				if route.Scope != "" {
					mine, other = other, mine
				}
				cases := []authCase{
					{"no token", concrete(route.Path, "walk-site"), nil, "unauthenticated", ""},
					{"token without subject", concrete(route.Path, "walk-site"), map[string]string{"sites": "[walk-site]"}, "unauthenticated", ""},
					{"the other kind of token", concrete(route.Path, "walk-site"), other, "forbidden", ""},
				}
				if site {
					// API Gateway flattens ["other-site walk-site"] and ["other-site","walk-site"]
					// alike; the token itself tells them apart.
					oneSiteWithSpace := map[string]string{"sub": "walker", "sites": "[other-site walk-site]", "scope": mine["scope"]}
					cases = append(cases,
						authCase{"other site", concrete(route.Path, "other-site"), mine, "forbidden", ""},
						authCase{"no sites", concrete(route.Path, "walk-site"), map[string]string{"sub": "walker", "scope": mine["scope"]}, "forbidden", ""},
						authCase{"a single site named with a space", concrete(route.Path, "walk-site"), oneSiteWithSpace, "unauthenticated",
							unsignedJWT(`{"sub":"walker","sites":["other-site walk-site"]}`)},
						authCase{"a sites string with a space", concrete(route.Path, "walk-site"), map[string]string{"sub": "walker", "sites": "other-site walk-site"}, "unauthenticated",
							unsignedJWT(`{"sub":"walker","sites":"other-site walk-site"}`)},
						authCase{"a flattened claim that is no list of site IDs", concrete(route.Path, "walk-site"), map[string]string{"sub": "walker", "sites": "other-site,walk-site"}, "unauthenticated", ""},
						authCase{"a site ID outside the grammar", concrete(route.Path, "Walk_Site"), mine, "invalid_input", ""},
						authCase{"a site ID too long for a key", concrete(route.Path, strings.Repeat("w", 2100)), mine, "invalid_input", ""},
					)
				}
				for _, c := range cases {
					req := request(route.Method, c.path, c.claims)
					if c.bearer != "" {
						req.Headers["authorization"] = "Bearer " + c.bearer
					}
					resp, err := h(context.Background(), req)
					if err != nil {
						t.Fatalf("%s: %v", c.name, err)
					}
					var body struct {
						Error struct{ Code string } `json:"error"`
					}
					_ = json.Unmarshal([]byte(resp.Body), &body)
					if body.Error.Code != c.code {
						t.Errorf("%s: %d %s, want code %q", c.name, resp.StatusCode, resp.Body, c.code)
					}
				}
				// The site's own administrator is let through (whatever the handler then says).
				resp, err := h(context.Background(), request(route.Method, concrete(route.Path, "walk-site"), mine))
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode == 401 || resp.StatusCode == 403 || resp.StatusCode >= 500 {
					t.Errorf("own site: %d %s", resp.StatusCode, resp.Body)
				}
			})
		}
	}
	if walked == 0 {
		t.Fatal("no route was walked")
	}
}
