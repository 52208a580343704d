package standinpage

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// FormHook receives a form a stand-in would post to url (tests that hold the message
// themselves instead of a listener).
type FormHook func(ctx context.Context, url string, fields url.Values)

// HookedClient is an outbox's client for a stand-in that posts forms: each delivery goes to
// *hook when it is set (answered 200), else it is posted by client. The hook is set before
// the stand-in serves, so it is read without a lock.
func HookedClient(client paymentpage.Doer, hook *FormHook) paymentpage.Doer {
	return doerFunc(func(req *http.Request) (*http.Response, error) {
		h := *hook
		if h == nil {
			return client.Do(req)
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		fields, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		h(req.Context(), req.URL.String(), fields)
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
	})
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }
