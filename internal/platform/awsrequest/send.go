package awsrequest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Request is one call of an operation.
type Request struct {
	// Operation names the call in errors ("GetObject").
	Operation string
	Method    string
	// URL is where it goes: Endpoint() with a path and a query.
	URL url.URL
	// Header is sent and signed (Content-Type, X-Amz-Target, ...).
	Header http.Header
	// Body is the payload; it is sent again as it is when the call is retried.
	Body []byte
}

// Response is a successful answer, read whole.
type Response struct {
	Header http.Header
	Body   []byte
}

// Limits on what an answer may hold: Send reads at most MaxAnswer bytes of a successful
// answer (more is an error), and at most maxErrorAnswer bytes of a refusal.
const (
	MaxAnswer      = 1 << 20
	maxErrorAnswer = 64 << 10
)

// errAttemptTimeout is the cause of an attempt's context its timer cancelled.
var errAttemptTimeout = errors.New("attempt timed out")

// Send makes the call, retrying it as the client's retryer says, and returns the answer.
// A refusal comes back as the SDK's clients return it: a *smithy.OperationError around an
// HTTP response error (status, request ID) around a smithy.APIError (code, message).
func (c *Client) Send(ctx context.Context, r Request) (*Response, error) {
	resp, body, err := c.do(ctx, r, false)
	if err != nil {
		return nil, err
	}
	return &Response{Header: resp.Header, Body: body}, nil
}

// Open makes the call as Send does, but returns the answer as soon as its headers arrive:
// the caller reads the body, under ctx alone, and closes it.
func (c *Client) Open(ctx context.Context, r Request) (*http.Response, error) {
	resp, _, err := c.do(ctx, r, true)
	return resp, err
}

func (c *Client) do(ctx context.Context, r Request, stream bool) (*http.Response, []byte, error) {
	release := c.retryer.GetInitialToken()
	for attempt := 1; ; attempt++ {
		resp, body, err := c.attempt(ctx, r, stream)
		_ = release(err) // only refills the retry quota after a success
		if err == nil {
			return resp, body, nil
		}
		if ctx.Err() != nil || !c.retryer.IsErrorRetryable(err) {
			return nil, nil, c.operationError(r, err)
		}
		if max := c.retryer.MaxAttempts(); max > 0 && attempt >= max {
			return nil, nil, c.operationError(r, &retry.MaxAttemptsError{Attempt: attempt, Err: err})
		}
		delay, delayErr := c.retryer.RetryDelay(attempt, err)
		if delayErr != nil {
			return nil, nil, c.operationError(r, err)
		}
		var quotaErr error
		if release, quotaErr = c.retryer.GetRetryToken(ctx, err); quotaErr != nil {
			return nil, nil, c.operationError(r, fmt.Errorf("%w (not retried: %w)", err, quotaErr))
		}
		if !sleep(ctx, delay) {
			return nil, nil, c.operationError(r, err)
		}
	}
}

func (c *Client) operationError(r Request, err error) error {
	return &smithy.OperationError{ServiceID: c.service.ID, OperationName: r.Operation, Err: err}
}

// attempt sends the request once, under a timer that bounds it until its answer is read
// (or, streaming, until the answer's headers arrive).
func (c *Client) attempt(ctx context.Context, r Request, stream bool) (*http.Response, []byte, error) {
	actx, cancel := context.WithCancelCause(ctx)
	timer := time.AfterFunc(c.timeout, func() { cancel(errAttemptTimeout) })
	done := func() { timer.Stop(); cancel(nil) }
	req, err := c.sign(actx, r)
	if err != nil {
		done()
		return nil, nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		err = c.sendError(actx, err)
		done()
		return nil, nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := readAtMost(resp.Body, maxErrorAnswer)
		resp.Body.Close()
		done()
		return nil, nil, responseError(resp, body)
	}
	if stream {
		if !timer.Stop() {
			resp.Body.Close()
			cancel(nil)
			return nil, nil, c.sendError(actx, context.Cause(actx))
		}
		resp.Body = &closeCancels{ReadCloser: resp.Body, cancel: func() { cancel(nil) }}
		return resp, nil, nil
	}
	body, err := readAtMost(resp.Body, MaxAnswer)
	resp.Body.Close()
	if err != nil && !errors.Is(err, errTooLarge) {
		err = c.sendError(actx, err) // the connection broke in the middle of the answer
	}
	done()
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// sendError describes a request that got no (whole) answer as the SDK does, so that
// retryers and callers tell it apart from a refusal. An attempt that ran out of time is
// reported as a deadline, not as the cancellation that ended it.
func (c *Client) sendError(actx context.Context, err error) error {
	if context.Cause(actx) == errAttemptTimeout {
		err = fmt.Errorf("no answer within %v: %w", c.timeout, context.DeadlineExceeded)
	}
	return &smithyhttp.RequestSendError{Err: err}
}

// sign builds the HTTP request of r and signs it, unless the client is anonymous.
func (c *Client) sign(ctx context.Context, r Request) (*http.Request, error) {
	u := r.URL
	req, err := http.NewRequestWithContext(ctx, r.Method, "", bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}
	req.URL, req.Host = &u, u.Host
	for k, vs := range r.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if c.creds == nil {
		return req, nil
	}
	sum := sha256.Sum256(r.Body)
	hash := hex.EncodeToString(sum[:])
	if c.service.S3 {
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrieve AWS credentials: %w", err)
	}
	if err := c.signer.SignHTTP(ctx, creds, req, hash, c.service.SigningName, c.region, c.now()); err != nil {
		return nil, fmt.Errorf("sign the request: %w", err)
	}
	return req, nil
}

var errTooLarge = errors.New("the answer is too large")

// readAtMost reads r whole, refusing more than max bytes.
func readAtMost(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", errTooLarge, max)
	}
	return b, nil
}

// closeCancels ends an attempt's context when the body it streams is closed.
type closeCancels struct {
	io.ReadCloser
	cancel func()
}

func (b *closeCancels) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// sleep waits for d, or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
