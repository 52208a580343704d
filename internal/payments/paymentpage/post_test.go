package paymentpage

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPostClassifiesAnswers(t *testing.T) {
	var gotType, gotBody, gotHeader string
	status, body := http.StatusOK, "RESULT=0"
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotType, gotBody, gotHeader = r.Header.Get("Content-Type"), string(b), r.Header.Get("X-Test")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	defer hs.Close()
	call := Call{Provider: "p", Op: "op", URL: hs.URL, ContentType: "text/namevalue", Body: "A=1", Header: http.Header{"X-Test": {"yes"}}}
	ctx := context.Background()

	raw, err := Post(ctx, hs.Client(), call)
	if err != nil || string(raw) != "RESULT=0" || gotType != "text/namevalue" || gotBody != "A=1" || gotHeader != "yes" {
		t.Fatalf("200: %q, %v (sent %q %q %q)", raw, err, gotType, gotBody, gotHeader)
	}
	for _, c := range []struct {
		status int
		body   string
		retry  bool
	}{
		{http.StatusServiceUnavailable, "busy", true}, {http.StatusTooManyRequests, "", true},
		{http.StatusBadRequest, "no", false}, {http.StatusOK, strings.Repeat("x", MaxReply+1), false},
	} {
		status, body = c.status, c.body
		_, err := Post(ctx, hs.Client(), call)
		var u *Unavailable
		if err == nil || IsRetryable(err) != c.retry {
			t.Errorf("status %d, %d bytes: %v, want retryable %t", c.status, len(c.body), err, c.retry)
		}
		if _, refused := IsRefused(err); refused || !asUnavailable(err, &u) {
			t.Errorf("status %d: %T, want *Unavailable", c.status, err)
		}
	}
	status, body = http.StatusOK, "fine"
	if _, err := Post(ctx, hs.Client(), Call{Provider: "p", Op: "op", URL: "http://127.0.0.1:1/nothing-listens", ContentType: "x"}); !IsRetryable(err) ||
		strings.Contains(err.Error(), "nothing-listens") {
		t.Errorf("refused connection: %v, want retryable, without the URL", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Post(cancelled, hs.Client(), call); err == nil || IsRetryable(err) {
		t.Errorf("cancelled context: %v, want a failure that is not retried", err)
	}
}

func asUnavailable(err error, u **Unavailable) bool {
	v, ok := err.(*Unavailable)
	*u = v
	return ok
}
