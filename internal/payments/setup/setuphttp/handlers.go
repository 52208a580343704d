package setuphttp

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

func service(r *http.Request) (settings.Service, error) {
	return settings.ParseService(r.PathValue("service"))
}

func respond(w http.ResponseWriter, s settings.Site, svc settings.Service) error {
	v, err := view(s, svc)
	if err != nil {
		return apperr.Internal(err)
	}
	httpx.JSON(w, http.StatusOK, v)
	return nil
}

func getProvider(m *setup.Manager) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := service(r)
		if err != nil {
			return err
		}
		s, err := m.Get(r.Context(), r.PathValue("site"))
		if err != nil {
			return err
		}
		return respond(w, s, svc)
	}
}

func putProvider(m *setup.Manager) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := service(r)
		if err != nil {
			return err
		}
		var in provider.Input
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		s, err := m.Put(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), svc, in)
		if err != nil {
			return err
		}
		return respond(w, s, svc)
	}
}

func deleteProvider(m *setup.Manager) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := service(r)
		if err != nil {
			return err
		}
		s, err := m.Remove(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), svc)
		if err != nil {
			return err
		}
		return respond(w, s, svc)
	}
}

// startGrant asks PayPal for a permission link whose callback is CallbackPath under the
// API's configured public URL.
func startGrant(m *setup.Manager, public httpx.PublicURL) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := service(r)
		if err != nil {
			return err
		}
		if public.IsZero() {
			return apperr.New(apperr.CodeUnavailable, "the permission link needs the API's public URL, which this deployment does not configure: "+
				"deploy with the PublicApiUrl parameter set (the stack's ApiUrl output, or the API's custom domain)")
		}
		link, err := m.StartGrant(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), svc, func(state string) string {
			return public.Link(CallbackPath, url.Values{"state": {state}})
		})
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusCreated, link)
		return nil
	}
}

// grantedPageHTML is the page the merchant's browser lands on once the permission is
// granted. grantedPage fills it with HTML-escaped values by hand rather than with
// html/template: that package's reflection keeps every exported method of every type the
// binary links alive, and made the providers binary 40% larger.
const grantedPageHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Permission granted</title></head>
<body><h1>PayPal permission granted</h1>
<p>Boxoffice may now take Express Checkout payments for site <strong>{site}</strong> ({service}, {env}).
You can close this window.</p></body></html>`

// grantedPage renders grantedPageHTML for st. The replacer makes a single pass over the
// page, so a value is inserted as it is, never expanded again.
func grantedPage(st setup.GrantState) string {
	return strings.NewReplacer(
		"{site}", html.EscapeString(st.Site),
		"{service}", html.EscapeString(st.Service),
		"{env}", html.EscapeString(string(st.Env)),
	).Replace(grantedPageHTML)
}

// completeGrant is where PayPal sends the merchant's browser back.
func completeGrant(m *setup.Manager) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		st, err := m.CompleteGrant(r.Context(), q.Get("state"), q.Get("request_token"), q.Get("verification_code"))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, grantedPage(st))
		return nil
	}
}
