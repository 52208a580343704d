package checkouthttp

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/auth"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
)

func quote(c *checkout.Checkout) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in checkout.QuoteInput
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		q, err := c.Quote(r.Context(), r.PathValue("site"), in)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewQuote(q))
		return nil
	}
}

func createOrder(c *checkout.Checkout) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		key, _, err := idempotency.Identify(r) // before Decode reads the body
		if err != nil {
			return err
		}
		var in checkout.OrderInput
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		site := r.PathValue("site")
		base := publicBase(r)
		o, created, err := c.Create(r.Context(), checkout.CreateRequest{
			Site: site, Input: in, Key: key,
			Back: func(ref string) (string, string) {
				p := base + "/checkout/" + url.PathEscape(site) + "/orders/" + url.PathEscape(ref)
				return p + "/return", p + "/cancel"
			},
		})
		if err != nil {
			return err
		}
		status := http.StatusCreated
		if !created {
			status = http.StatusOK // a retry: the order the first request created
		}
		httpx.JSON(w, status, viewOrder(o))
		return nil
	}
}

func getOrder(c *checkout.Checkout) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, err := c.Order(r.Context(), r.PathValue("site"), r.PathValue("ref"))
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewOrder(o))
		return nil
	}
}

// maxReturnForm bounds what a provider posts back with the browser (Payflow's result).
const maxReturnForm = 16 << 10

func returned(c *checkout.Checkout) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := auth.CheckSite(r.PathValue("site")); err != nil {
			return apperr.New(apperr.CodeNotFound, "no such order")
		}
		params, err := backParams(r)
		if err != nil {
			return err
		}
		to, err := c.Returned(r.Context(), r.PathValue("site"), r.PathValue("ref"), params)
		if err != nil {
			return err
		}
		redirect(w, to)
		return nil
	}
}

func cancelled(c *checkout.Checkout) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := auth.CheckSite(r.PathValue("site")); err != nil {
			return apperr.New(apperr.CodeNotFound, "no such order")
		}
		to, err := c.Cancelled(r.Context(), r.PathValue("site"), r.PathValue("ref"))
		if err != nil {
			return err
		}
		redirect(w, to)
		return nil
	}
}

// backParams reads what the provider sent the browser back with: the query, and a posted
// form (Payflow posts its result to the return URL).
func backParams(r *http.Request) (url.Values, error) {
	params := r.URL.Query()
	if r.Method != http.MethodPost {
		return params, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxReturnForm+1))
	if err != nil {
		return nil, apperr.New(apperr.CodeInvalid, "the form could not be read")
	}
	if len(body) > maxReturnForm {
		return nil, apperr.New(apperr.CodeTooLarge, "the form is over %d bytes", maxReturnForm)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, apperr.New(apperr.CodeInvalid, "the body is not a URL-encoded form")
	}
	for k, vs := range form {
		params[k] = append(params[k], vs...)
	}
	return params, nil
}

// redirect sends the browser on with a See Other, so a posted return becomes a GET there;
// the body is the link, for a browser that does not follow.
func redirect(w http.ResponseWriter, to string) {
	w.Header().Set("Location", to)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusSeeOther)
	_, _ = io.WriteString(w, `<!doctype html><title>Back to the shop</title><a href="`+html.EscapeString(to)+`">Continue</a>`+"\n")
}

// publicBase is the API's own origin as the caller reached it (API Gateway's domain, or the
// local gateway's): the providers send the buyer back to routes under it.
func publicBase(r *http.Request) string {
	host := r.Host
	if rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok && rc.DomainName != "" {
		host = rc.DomainName
	}
	proto := strings.ToLower(r.Header.Get("X-Forwarded-Proto"))
	if proto != "http" {
		proto = "https"
	}
	return proto + "://" + host
}
