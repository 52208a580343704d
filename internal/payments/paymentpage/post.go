package paymentpage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Doer is the part of an HTTP client the provider clients use; *http.Client is one.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// MaxReply bounds a provider's reply: the largest real one is a few kilobytes.
const MaxReply = 64 << 10

// Call is one request to a provider.
type Call struct {
	Provider    string
	Op          string
	URL         string
	ContentType string
	Body        string
	Header      http.Header
}

// Post sends c and returns the reply body of a 200 answer. Every other outcome is an
// *Unavailable: retryable for a transport failure, a timeout, 429 and 5xx; not retryable for
// any other status, a reply over MaxReply, or a cancelled context.
func Post(ctx context.Context, hc Doer, c Call) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, strings.NewReader(c.Body))
	if err != nil {
		return nil, &Unavailable{Provider: c.Provider, Op: c.Op, Err: err}
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Content-Type", c.ContentType)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, &Unavailable{Provider: c.Provider, Op: c.Op, Retryable: ctx.Err() == nil, Err: scrub(err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxReply+1))
	switch {
	case err != nil:
		return nil, &Unavailable{Provider: c.Provider, Op: c.Op, Retryable: ctx.Err() == nil, Err: err}
	case len(raw) > MaxReply:
		return nil, &Unavailable{Provider: c.Provider, Op: c.Op, Err: fmt.Errorf("reply over %d bytes", MaxReply)}
	case resp.StatusCode != http.StatusOK:
		retry := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		return nil, &Unavailable{Provider: c.Provider, Op: c.Op, Retryable: retry, Err: fmt.Errorf("status %d", resp.StatusCode)}
	}
	return raw, nil
}

// scrub keeps a transport error's cause but drops the URL it names: no provider URL (some
// carry a merchant's identifiers) belongs in a log line.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
