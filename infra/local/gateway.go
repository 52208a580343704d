// Package local is the whole of Boxoffice on one machine: the emulators, the in-process S3
// and Secrets Manager, the tables from the template, and a gateway that serves every
// function on one port the way API Gateway's HTTP API does.
package local

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/platform/auth"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// Gateway emulates the HTTP API: it matches the template's routes, runs the JWT authorizer
// on the routes that have it, and invokes the function's Lambda handler with a v2 event.
type Gateway struct {
	mux    *http.ServeMux
	signer *Signer
	log    *slog.Logger
	cors   *cors
}

// NewGateway returns a gateway with no routes.
func NewGateway(signer *Signer, log *slog.Logger) *Gateway {
	return &Gateway{mux: http.NewServeMux(), signer: signer, log: log}
}

// Mount serves fn's template routes with h.
func (g *Gateway) Mount(fn template.Function, h lambdaapp.HTTPLambda) {
	for _, route := range fn.Routes {
		g.mux.Handle(route.Pattern(), g.invoke(fn.LogicalID, route, h))
	}
}

// SetCORS makes the gateway apply the API's CORS configuration, as API Gateway does.
func (g *Gateway) SetCORS(c template.CORS) { g.cors = &cors{cfg: c} }

func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.cors != nil {
		if g.cors.preflight(w, r) {
			return
		}
		g.cors.decorate(w, r)
	}
	if _, pattern := g.mux.Handler(r); pattern == "" {
		if allowed := g.methodsOn(r); len(allowed) > 0 {
			// API Gateway answers this with its 404 too; the local gateway knows every route
			// of the template, so it says which methods the path has.
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusMethodNotAllowed)
			_, _ = w.Write([]byte(`{"error":{"code":"method_not_allowed","message":"` + r.Method + ` is not allowed here; this path has ` + strings.Join(allowed, ", ") + `"}}`))
			return
		}
		// API Gateway's own answer for a route it does not have.
		gatewayError(w, http.StatusNotFound, "Not Found")
		return
	}
	g.mux.ServeHTTP(w, r)
}

// methodsOn lists the methods the template routes on r's path.
func (g *Gateway) methodsOn(r *http.Request) []string {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := g.mux.Handler(probe); p != "" {
			allowed = append(allowed, m)
		}
	}
	return allowed
}

var paramName = regexp.MustCompile(`\{([A-Za-z0-9_]+)\+?\}`)

func (g *Gateway) invoke(function string, route template.Route, h lambdaapp.HTTPLambda) http.Handler {
	routeKey := route.Method + " " + route.Path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var claims map[string]string
		if !route.Public {
			token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			c, err := g.signer.Verify(strings.TrimSpace(token))
			if !ok || err != nil {
				// API Gateway's JWT authorizer says why in this header, and only there.
				why := "the token is missing"
				if ok {
					why = "the token is not valid"
				}
				w.Header().Set("WWW-Authenticate", `Bearer scope="" error="invalid_token" error_description="`+why+`"`)
				gatewayError(w, http.StatusUnauthorized, "Unauthorized")
				return
			}
			claims = c
			if !hasScope(claims, route.Scopes) {
				// API Gateway's answer to a valid token without the route's scope.
				w.Header().Set("WWW-Authenticate", `Bearer scope="`+strings.Join(route.Scopes, " ")+`" error="insufficient_scope" error_description="the token does not carry the route's scope"`)
				gatewayError(w, http.StatusForbidden, "Forbidden")
				return
			}
		}
		params := map[string]string{}
		for _, m := range paramName.FindAllStringSubmatch(route.Path, -1) {
			params[m[1]] = r.PathValue(m[1])
		}
		ev, err := v2Event(r, routeKey, requestID(), claims, params)
		if err != nil {
			gatewayError(w, http.StatusBadRequest, "Bad Request")
			return
		}
		resp, err := h(r.Context(), ev)
		if err != nil {
			// A Lambda error: API Gateway answers 500 and the function's log has the cause.
			g.log.ErrorContext(r.Context(), "function failed", "function", function, "route", routeKey, "error", err.Error())
			gatewayError(w, http.StatusInternalServerError, "Internal Server Error")
			return
		}
		if err := writeV2(w, resp); err != nil {
			g.log.ErrorContext(r.Context(), "writing response", "function", function, "error", err.Error())
		}
	})
}

// hasScope reports whether the token's scope claim carries one of scopes, as API Gateway's
// JWT authorizer checks a route's AuthorizationScopes; a route without scopes takes any.
func hasScope(claims map[string]string, scopes []string) bool {
	if len(scopes) == 0 {
		return true
	}
	for _, have := range strings.Fields(claims[auth.ClaimScope]) {
		if slices.Contains(scopes, have) {
			return true
		}
	}
	return false
}

func gatewayError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"message":"` + msg + `"}`))
}

func requestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
