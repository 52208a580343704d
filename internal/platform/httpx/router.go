package httpx

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/auth"
)

// SitePrefix starts every route that acts on one site; the router refuses (403) a caller
// who does not hold the site, so no handler can forget to.
const SitePrefix = "/sites/{site}"

// HandlerFunc is a handler that returns its error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one registered "METHOD /path" pattern.
type Route struct {
	Method string
	Path   string
	Public bool
	// Scope is the scope a machine token needs ("" for administrators' routes).
	Scope string
}

// Pattern returns the route as a Go 1.22 ServeMux pattern.
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// Router is an http.Handler whose routes are authenticated unless registered as public.
type Router struct {
	mux    *http.ServeMux
	log    *slog.Logger
	routes []Route
}

// NewRouter returns an empty router that logs internal errors to log (slog's default when nil).
func NewRouter(log *slog.Logger) *Router {
	if log == nil {
		log = slog.Default()
	}
	return &Router{mux: http.NewServeMux(), log: log}
}

// Handle registers an administrator's route. Routes under SitePrefix also require the
// caller to hold the site. A checkout client's machine token is refused (403): API Gateway
// lets any valid token through to a route without scopes.
func (rt *Router) Handle(pattern string, h HandlerFunc) {
	rt.add(pattern, "", false, authenticated(h, siteRoute(pattern), ""))
}

// HandleScoped registers a route for machine tokens carrying scope (the template gives the
// route the same AuthorizationScopes, which API Gateway checks first); site routes also
// require the token to name the site.
func (rt *Router) HandleScoped(scope, pattern string, h HandlerFunc) {
	rt.add(pattern, scope, false, authenticated(h, siteRoute(pattern), scope))
}

func siteRoute(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	return path == SitePrefix || strings.HasPrefix(path, SitePrefix+"/")
}

// HandlePublic registers a route that the provider's own mechanism authenticates
// (webhooks, callbacks): no token is required.
func (rt *Router) HandlePublic(pattern string, h HandlerFunc) {
	rt.add(pattern, "", true, h)
}

// Routes lists the registered routes in registration order.
func (rt *Router) Routes() []Route { return append([]Route(nil), rt.routes...) }

func (rt *Router) add(pattern, scope string, public bool, h HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic(fmt.Sprintf("httpx: route %q must be \"METHOD /path\"", pattern))
	}
	rt.routes = append(rt.routes, Route{Method: method, Path: path, Public: public, Scope: scope})
	rt.mux.Handle(pattern, rt.serve(h))
}

// ServeHTTP routes the request; an unknown path or method gets a coded JSON error rather
// than ServeMux's plain text.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := rt.mux.Handler(r); pattern == "" {
		rt.unrouted(w, r)
		return
	}
	rt.mux.ServeHTTP(w, r)
}

func (rt *Router) unrouted(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := rt.mux.Handler(probe); p != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		Error(r.Context(), rt.log, w, apperr.New(apperr.CodeMethodNotAllowed, "%s is not allowed on %s", r.Method, r.URL.Path))
		return
	}
	Error(r.Context(), rt.log, w, apperr.New(apperr.CodeNotFound, "no route for %s %s", r.Method, r.URL.Path))
}

// serve turns a HandlerFunc into an http.Handler that writes its error and survives a panic.
func (rt *Router) serve(h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				Error(r.Context(), rt.log, w, apperr.Internal(fmt.Errorf("panic: %v", p)))
			}
		}()
		if err := h(w, r); err != nil {
			Error(r.Context(), rt.log, w, err)
		}
	})
}

// authenticated takes the caller from the API Gateway v2 authorizer claims, checks the
// token is of the route's kind (an administrator's when scope is "", else a machine token
// with scope) and, for site routes, checks the site ID's grammar and that the caller holds
// the site.
func authenticated(h HandlerFunc, siteRoute bool, scope string) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		caller, err := callerOf(r)
		if err != nil {
			return apperr.New(apperr.CodeUnauthenticated, "%s", err.Error())
		}
		switch {
		case scope == "" && caller.Machine():
			return apperr.New(apperr.CodeForbidden, "a checkout client's token cannot call administrative routes")
		case scope != "" && !caller.HasScope(scope):
			return apperr.New(apperr.CodeForbidden, "this route needs a token with the %q scope", scope)
		}
		if siteRoute {
			site := r.PathValue("site")
			if err := auth.CheckSite(site); err != nil {
				return apperr.Field("site", "the site in the path "+err.Error())
			}
			if !caller.Holds(site) {
				return apperr.New(apperr.CodeForbidden, "you do not administer site %q", site)
			}
		}
		return h(w, r.WithContext(auth.WithCaller(r.Context(), caller)))
	}
}

func callerOf(r *http.Request) (auth.Caller, error) {
	rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if !ok || rc.Authorizer == nil || rc.Authorizer.JWT == nil {
		return auth.Caller{}, auth.ErrNoSubject
	}
	bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return auth.FromClaims(rc.Authorizer.JWT.Claims, bearer)
}

// Caller returns the authenticated caller of a request routed through Handle.
func Caller(r *http.Request) auth.Caller {
	c, _ := auth.CallerFrom(r.Context())
	return c
}
