package awsrequest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"

	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest"
	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest/awsrequesttest"
)

var (
	keys    = aws.Credentials{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "local-secret", SessionToken: "local-token"}
	service = awsrequest.Service{ID: "Example", SigningName: "example", EndpointPrefix: "example"}
)

// answers serves the n-th request (1-based) with answer(n, w, r), behind a signature check.
type answers struct {
	n      atomic.Int32
	answer func(n int, w http.ResponseWriter, r *http.Request)
}

func (a *answers) count() int { return int(a.n.Load()) }

func serve(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) (*answers, string) {
	t.Helper()
	a := &answers{answer: answer}
	srv := httptest.NewServer(awsrequesttest.Verifier{Credentials: keys}.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.answer(int(a.n.Add(1)), w, r)
	})))
	t.Cleanup(srv.Close)
	return a, srv.URL
}

// noDelay is the SDK's standard retryer without its pauses.
func noDelay(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

func newClient(t *testing.T, endpoint string, opt awsrequest.Options) *awsrequest.Client {
	t.Helper()
	opt.Endpoint = endpoint
	if opt.Retryer == nil {
		opt.Retryer = noDelay(3)
	}
	c, err := awsrequest.New(aws.Config{Region: "eu-west-1", Credentials: credentials.StaticCredentialsProvider{Value: keys}}, service, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func post(c *awsrequest.Client, body string) awsrequest.Request {
	u := c.Endpoint()
	u.Path += "/items/a b+c"
	return awsrequest.Request{Operation: "PutItem", Method: http.MethodPost, URL: u,
		Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {"Example.PutItem"}}, Body: []byte(body)}
}

func queryError(status int, code, message string) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Amzn-RequestId", "req-1")
		w.WriteHeader(status)
		io.WriteString(w, `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>`+code+
			`</Code><Message>`+message+`</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`)
	}
}

func TestSendSignsWhatItSends(t *testing.T) {
	var got struct {
		body, target, token string
	}
	_, url := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.body, got.target, got.token = string(b), r.Header.Get("X-Amz-Target"), r.Header.Get("X-Amz-Security-Token")
		w.Header().Set("X-Answer", "yes")
		io.WriteString(w, `{"ok":true}`)
	})
	c := newClient(t, url, awsrequest.Options{})
	resp, err := c.Send(context.Background(), post(c, `{"name":"Zoë"}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != `{"ok":true}` || resp.Header.Get("X-Answer") != "yes" {
		t.Errorf("answer = %q, %v", resp.Body, resp.Header)
	}
	if got.body != `{"name":"Zoë"}` || got.target != "Example.PutItem" || got.token != "local-token" {
		t.Errorf("the server got %+v", got)
	}
}

func TestSendRetriesWhatTheSDKRetries(t *testing.T) {
	for _, tc := range []struct {
		name  string
		first func(int, http.ResponseWriter, *http.Request)
	}{
		{"503", func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }},
		{"throttling", queryError(400, "Throttling", "Rate exceeded")},
		{"JSON throttling", func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(400)
			io.WriteString(w, `{"__type":"com.amazonaws.example#ThrottlingException","message":"slow down"}`)
		}},
		{"lost connection", func(_ int, w http.ResponseWriter, _ *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, url := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					tc.first(n, w, r)
					return
				}
				io.WriteString(w, "{}")
			})
			c := newClient(t, url, awsrequest.Options{})
			if _, err := c.Send(context.Background(), post(c, "{}")); err != nil {
				t.Fatal(err)
			}
			if a.count() != 2 {
				t.Errorf("%d requests, want 2", a.count())
			}
		})
	}
}

func TestSendRefusals(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		answer               func(int, http.ResponseWriter, *http.Request)
		status               int
		code, message, reqID string
		fault                smithy.ErrorFault
	}{
		{"query protocol", queryError(400, "MessageRejected", "Email address is not verified."), 400, "MessageRejected", "Email address is not verified.", "req-1", smithy.FaultClient},
		{"S3", func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(404)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`)
		}, 404, "NoSuchKey", "The specified key does not exist.", "4442587FB7D0A2F9", smithy.FaultClient},
		{"JSON protocol", func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Amzn-RequestId", "req-2")
			w.WriteHeader(400)
			io.WriteString(w, `{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`)
		}, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.", "req-2", smithy.FaultClient},
		{"JSON type in the header", func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/coral/")
			w.WriteHeader(403)
			io.WriteString(w, `{"message":"not allowed"}`)
		}, 403, "AccessDeniedException", "not allowed", "", smithy.FaultClient},
		{"no body", func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) }, 404, "NotFound", "", "", smithy.FaultClient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, url := serve(t, tc.answer)
			c := newClient(t, url, awsrequest.Options{})
			_, err := c.Send(context.Background(), post(c, "{}"))
			var api smithy.APIError
			if !errors.As(err, &api) {
				t.Fatalf("err = %v, want an API error", err)
			}
			if api.ErrorCode() != tc.code || api.ErrorMessage() != tc.message || api.ErrorFault() != tc.fault {
				t.Errorf("API error %q %q %v, want %q %q %v", api.ErrorCode(), api.ErrorMessage(), api.ErrorFault(), tc.code, tc.message, tc.fault)
			}
			if s := status(err); s != tc.status {
				t.Errorf("status %d, want %d", s, tc.status)
			}
			var withID interface{ ServiceRequestID() string }
			if !errors.As(err, &withID) || withID.ServiceRequestID() != tc.reqID {
				t.Errorf("request ID missing or wrong in %v, want %q", err, tc.reqID)
			}
			var op *smithy.OperationError
			if !errors.As(err, &op) || op.Service() != "Example" || op.Operation() != "PutItem" {
				t.Errorf("err = %v, want an operation error of Example PutItem", err)
			}
			if a.count() != 1 {
				t.Errorf("%d requests: a refusal must not be retried", a.count())
			}
		})
	}
}

func TestSendUnreadableRefusalKeepsItsStatus(t *testing.T) {
	// The SES emulator answers a bad request with JSON that names no error type.
	_, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"message":"Bad Request Exception","detail":"aws-ses-v2-local: Must have a subject."}`)
	})
	c := newClient(t, url, awsrequest.Options{})
	_, err := c.Send(context.Background(), post(c, "{}"))
	var api smithy.APIError
	if err == nil || errors.As(err, &api) || status(err) != 400 {
		t.Fatalf("err = %v (API error %v), want status 400 and no API error", err, api)
	}
}

func TestSendGivesUpAfterMaxAttempts(t *testing.T) {
	a, url := serve(t, queryError(503, "ServiceUnavailable", "try later"))
	c := newClient(t, url, awsrequest.Options{Retryer: noDelay(4)})
	_, err := c.Send(context.Background(), post(c, "{}"))
	var max *retry.MaxAttemptsError
	var api smithy.APIError
	if !errors.As(err, &max) || max.Attempt != 4 || !errors.As(err, &api) || api.ErrorCode() != "ServiceUnavailable" {
		t.Fatalf("err = %v, want the last answer after 4 attempts", err)
	}
	if a.count() != 4 {
		t.Errorf("%d requests, want 4", a.count())
	}
}

func TestSendWithNopRetryerTriesOnce(t *testing.T) {
	a, url := serve(t, queryError(400, "Throttling", "Maximum sending rate exceeded."))
	c := newClient(t, url, awsrequest.Options{Retryer: aws.NopRetryer{}})
	if _, err := c.Send(context.Background(), post(c, "{}")); err == nil {
		t.Fatal("want the throttling error")
	}
	if a.count() != 1 {
		t.Errorf("%d requests, want 1", a.count())
	}
}

// An attempt that gets no answer in time is abandoned and tried again.
func TestSendAttemptTimeout(t *testing.T) {
	a, url := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			<-r.Context().Done() // hangs until the client gives up on it
			return
		}
		io.WriteString(w, "{}")
	})
	c := newClient(t, url, awsrequest.Options{AttemptTimeout: 200 * time.Millisecond, Retryer: noDelay(5)})
	if _, err := c.Send(context.Background(), post(c, "{}")); err != nil {
		t.Fatal(err)
	}
	if a.count() < 2 {
		t.Errorf("%d requests, want the hung one and another", a.count())
	}

	// With one attempt, the timeout comes back as a deadline, not as a cancellation.
	c = newClient(t, url, awsrequest.Options{AttemptTimeout: 200 * time.Millisecond, Retryer: aws.NopRetryer{}})
	a.n.Store(0)
	_, err := c.Send(context.Background(), post(c, "{}"))
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want a deadline", err)
	}
}

func TestSendStopsWhenTheCallerCancels(t *testing.T) {
	arrived := make(chan struct{})
	var once sync.Once
	a, url := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(arrived) })
		<-r.Context().Done()
	})
	c := newClient(t, url, awsrequest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.Send(ctx, post(c, "{}"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if a.count() != 1 {
		t.Errorf("%d requests: a cancelled call must not be retried", a.count())
	}
}

func TestSendRefusesAnAnswerTooLarge(t *testing.T) {
	_, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, strings.Repeat("x", awsrequest.MaxAnswer+1))
	})
	c := newClient(t, url, awsrequest.Options{})
	if _, err := c.Send(context.Background(), post(c, "{}")); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("err = %v, want too large", err)
	}
}

// Open hands the body over once the headers are in: reading it is not bound by the attempt's
// timeout, and closing it ends the request.
func TestOpenStreams(t *testing.T) {
	release := make(chan struct{})
	_, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "first ")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "second")
	})
	c := newClient(t, url, awsrequest.Options{AttemptTimeout: 300 * time.Millisecond})
	u := c.Endpoint()
	resp, err := c.Open(context.Background(), awsrequest.Request{Operation: "GetItem", Method: http.MethodGet, URL: u})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, len("first "))
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first " {
		t.Fatalf("read %q, %v", buf, err)
	}
	time.AfterFunc(600*time.Millisecond, func() { close(release) }) // past the attempt's timeout
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "second" {
		t.Fatalf("rest %q, %v: the body was cut off", rest, err)
	}
}

func TestAnonymousRequestsGoUnsigned(t *testing.T) {
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { auth = r.Header.Get("Authorization") }))
	t.Cleanup(srv.Close)
	c, err := awsrequest.New(aws.Config{Region: "eu-west-1", Credentials: aws.AnonymousCredentials{}}, service, awsrequest.Options{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(context.Background(), post(c, "{}")); err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		t.Errorf("Authorization = %q, want none", auth)
	}
}

func TestCredentialsAreCached(t *testing.T) {
	var fetched atomic.Int32
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		fetched.Add(1)
		return keys, nil
	})
	_, url := serve(t, func(int, http.ResponseWriter, *http.Request) {})
	c, err := awsrequest.New(aws.Config{Region: "eu-west-1", Credentials: provider}, service, awsrequest.Options{Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := c.Send(context.Background(), post(c, "{}")); err != nil {
			t.Fatal(err)
		}
	}
	if fetched.Load() != 1 {
		t.Errorf("credentials fetched %d times for 3 calls, want once", fetched.Load())
	}
}

func status(err error) int {
	var s interface{ HTTPStatusCode() int }
	if errors.As(err, &s) {
		return s.HTTPStatusCode()
	}
	return 0
}

// tamper changes each request after it was signed, before it is sent.
type tamper func(*http.Request)

func (f tamper) Do(r *http.Request) (*http.Response, error) {
	f(r)
	return http.DefaultClient.Do(r)
}

// The signature check the other tests rely on refuses what was not signed.
func TestTheVerifierRefusesWhatWasNotSigned(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*http.Request)
	}{
		{"path", func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/items/other", "" }},
		{"signed header", func(r *http.Request) { r.Header.Set("X-Amz-Target", "Example.DeleteItem") }},
		{"date", func(r *http.Request) { r.Header.Set("X-Amz-Date", "20200101T000000Z") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, url := serve(t, func(int, http.ResponseWriter, *http.Request) {})
			cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.StaticCredentialsProvider{Value: keys}, HTTPClient: tamper(tc.change)}
			c, err := awsrequest.New(cfg, service, awsrequest.Options{Endpoint: url, Retryer: aws.NopRetryer{}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Send(context.Background(), post(c, "{}"))
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != "SignatureDoesNotMatch" {
				t.Fatalf("err = %v, want SignatureDoesNotMatch", err)
			}
			if a.count() != 0 {
				t.Errorf("the handler saw %d tampered requests", a.count())
			}
		})
	}
	t.Run("another key", func(t *testing.T) {
		_, url := serve(t, func(int, http.ResponseWriter, *http.Request) {})
		other := aws.Credentials{AccessKeyID: keys.AccessKeyID, SecretAccessKey: "not-the-secret"}
		c, err := awsrequest.New(aws.Config{Region: "eu-west-1", Credentials: credentials.StaticCredentialsProvider{Value: other}}, service,
			awsrequest.Options{Endpoint: url, Retryer: aws.NopRetryer{}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Send(context.Background(), post(c, "{}")); status(err) != http.StatusForbidden {
			t.Fatalf("err = %v, want 403", err)
		}
	})
}

// Without a retryer of its own, the client takes the configuration's, or the SDK's standard
// one with the configuration's attempts (AWS_MAX_ATTEMPTS).
func TestTheConfigurationsRetries(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  aws.Config
		want int
	}{
		{"its retryer", aws.Config{Retryer: func() aws.Retryer { return noDelay(5) }}, 5},
		{"its max attempts", aws.Config{RetryMaxAttempts: 2}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
			tc.cfg.Region, tc.cfg.Credentials = "eu-west-1", credentials.StaticCredentialsProvider{Value: keys}
			c, err := awsrequest.New(tc.cfg, service, awsrequest.Options{Endpoint: url})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Send(context.Background(), post(c, "{}")); err == nil {
				t.Fatal("want the 503")
			}
			if a.count() != tc.want {
				t.Errorf("%d requests, want %d", a.count(), tc.want)
			}
		})
	}
}
