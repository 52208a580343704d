package local

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/boxofficehq/boxoffice/infra/template"
)

// cors applies the HTTP API's CORS configuration as API Gateway does: it answers preflight
// requests without invoking any function, and adds the allow and expose headers to the
// answers to an allowed origin.
type cors struct {
	cfg template.CORS
}

// allowed returns the Access-Control-Allow-Origin value for origin, or "".
func (c cors) allowed(origin string) string {
	switch {
	case origin == "":
		return ""
	case slices.Contains(c.cfg.AllowOrigins, "*"):
		return "*"
	case slices.ContainsFunc(c.cfg.AllowOrigins, func(o string) bool { return strings.EqualFold(o, origin) }):
		return origin
	}
	return ""
}

// preflight answers an OPTIONS preflight request; it reports whether r was one.
func (c cors) preflight(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	if allow := c.allowed(r.Header.Get("Origin")); allow != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", allow)
		h.Set("Access-Control-Allow-Methods", strings.Join(c.cfg.AllowMethods, ","))
		h.Set("Access-Control-Allow-Headers", strings.Join(c.cfg.AllowHeaders, ","))
		if c.cfg.MaxAge > 0 {
			h.Set("Access-Control-Max-Age", strconv.Itoa(c.cfg.MaxAge))
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// decorate adds the CORS headers to an answer to r.
func (c cors) decorate(w http.ResponseWriter, r *http.Request) {
	if allow := c.allowed(r.Header.Get("Origin")); allow != "" {
		w.Header().Set("Access-Control-Allow-Origin", allow)
		if len(c.cfg.ExposeHeaders) > 0 {
			w.Header().Set("Access-Control-Expose-Headers", strings.Join(c.cfg.ExposeHeaders, ","))
		}
	}
}
