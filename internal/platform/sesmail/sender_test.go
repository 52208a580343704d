package sesmail

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

const ms = time.Millisecond

// sdkError wraps err the way the SDK returns a failed operation: an operation error around
// an HTTP response error (with a request ID) around the API error.
func sdkError(status int, err error) error {
	return &smithy.OperationError{ServiceID: "SES", OperationName: "SendEmail", Err: &awshttp.ResponseError{
		RequestID: "req-0123456789",
		ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err,
		},
	}}
}

var throttled = sdkError(400, &smithy.GenericAPIError{Code: "Throttling", Message: "Maximum sending rate exceeded."})

// newTestSender returns a Sender on a fake clock with deterministic (maximal) backoff.
func newTestSender(t *testing.T, api SendEmailAPI, opt Options) (*Sender, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	if opt.From == "" {
		opt.From = "promo@teatro.example"
	}
	if opt.RatePerSecond == 0 {
		opt.RatePerSecond = 1000
	}
	opt.Sleep, opt.Now = clock.Sleep, clock.Now
	s, err := NewSender(api, opt)
	if err != nil {
		t.Fatal(err)
	}
	s.backoff.Random = func() float64 { return 1 }
	return s, clock
}

func TestSendBuildsAPlainTextUTF8Message(t *testing.T) {
	api := &fakeSES{}
	s, _ := newTestSender(t, api, Options{From: "Teatro Azul <promo@teatro.example>"})
	id, err := s.Send(context.Background(), "zoe@example.com", "Für Zoë", "Hallo Zoë\nCode: X1")
	if err != nil || id != "msg-1" {
		t.Fatalf("Send = %q, %v", id, err)
	}
	// The Client sends an Email as plain text in UTF-8 to its one recipient (no CC, BCC
	// or HTML part): TestClientSendsOnePlainTextUTF8Message.
	in := api.calls[0]
	if got := in.From; got != `"Teatro Azul" <promo@teatro.example>` {
		t.Errorf("Source = %q", got)
	}
	if in.To != "zoe@example.com" {
		t.Errorf("Destination = %q", in.To)
	}
	if in.Subject != "Für Zoë" {
		t.Errorf("Subject = %q", in.Subject)
	}
	if in.Body != "Hallo Zoë\nCode: X1" {
		t.Errorf("Body = %q", in.Body)
	}
}

func TestSendRetriesThrottlingThenSucceeds(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"Throttling", throttled},
		{"ThrottlingException", sdkError(400, &smithy.GenericAPIError{Code: "ThrottlingException"})},
		{"ServiceUnavailable", sdkError(503, &smithy.GenericAPIError{Code: "ServiceUnavailable"})},
		{"RequestTimeout", sdkError(408, &smithy.GenericAPIError{Code: "RequestTimeout"})},
		{"unknown 5xx", sdkError(502, &smithy.GenericAPIError{Code: "Whatever"})},
		{"5xx without API error", &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 500}}, Err: errors.New("bad gateway")}}},
		{"timeout", &smithyhttp.RequestSendError{Err: fmt.Errorf("dial: %w", context.DeadlineExceeded)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeSES{send: func(_ context.Context, n int, _ Email) (string, error) {
				if n <= 2 {
					return "", tc.err
				}
				return "msg-3", nil
			}}
			s, clock := newTestSender(t, api, Options{BaseBackoff: 100 * ms})
			id, err := s.Send(context.Background(), "zoe@example.com", "s", "b")
			if err != nil || id != "msg-3" {
				t.Fatalf("Send = %q, %v", id, err)
			}
			if api.count() != 3 {
				t.Errorf("calls = %d, want 3", api.count())
			}
			if got, want := clock.sleeps(), []time.Duration{100 * ms, 200 * ms}; !slices.Equal(got, want) {
				t.Errorf("sleeps = %v, want %v", got, want)
			}
		})
	}
}

func TestSendGivesUpAfterMaxAttempts(t *testing.T) {
	api := &fakeSES{send: func(context.Context, int, Email) (string, error) {
		return "", throttled
	}}
	s, clock := newTestSender(t, api, Options{MaxAttempts: 4, BaseBackoff: 100 * ms, MaxBackoff: 300 * ms})
	_, err := s.Send(context.Background(), "zoe@example.com", "s", "b")
	var perm *PermanentError
	if err == nil || errors.As(err, &perm) {
		t.Fatalf("err = %v, want a non-permanent error", err)
	}
	var api2 smithy.APIError
	if !errors.As(err, &api2) || api2.ErrorCode() != "Throttling" || !strings.Contains(err.Error(), "4 attempts") {
		t.Errorf("err = %v, want the last throttling error after 4 attempts", err)
	}
	if api.count() != 4 {
		t.Errorf("calls = %d, want 4", api.count())
	}
	if got, want := clock.sleeps(), []time.Duration{100 * ms, 200 * ms, 300 * ms}; !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v (capped at MaxBackoff)", got, want)
	}
}

func TestSendDefaultsToSixAttempts(t *testing.T) {
	api := &fakeSES{send: func(context.Context, int, Email) (string, error) {
		return "", throttled
	}}
	s, _ := newTestSender(t, api, Options{})
	if _, err := s.Send(context.Background(), "zoe@example.com", "s", "b"); err == nil {
		t.Fatal("want an error")
	}
	if api.count() != DefaultMaxAttempts {
		t.Errorf("calls = %d, want %d", api.count(), DefaultMaxAttempts)
	}
}

func TestSendPermanentErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		to         string
		err        error
		wantReason string
		wantCalls  int
	}{
		{"message rejected", "zoe@example.com",
			sdkError(400, &types.MessageRejected{Message: aws.String("Email address is not verified.\n The following identities failed the check in region US-EAST-1: zoe@example.com")}),
			"rejected by SES: Email address is not verified. The following identities failed the check in region US-EAST-1: zoe@example.com", 1},
		{"mail from domain", "zoe@example.com",
			sdkError(400, &types.MailFromDomainNotVerifiedException{Message: aws.String("not verified")}),
			"the sender's MAIL FROM domain is not verified in SES: not verified", 1},
		{"configuration set", "zoe@example.com",
			sdkError(400, &types.ConfigurationSetDoesNotExistException{Message: aws.String("Configuration set <x> does not exist.")}),
			"the SES configuration set does not exist: Configuration set <x> does not exist.", 1},
		{"invalid address at SES", "zoe@example.com",
			sdkError(400, &smithy.GenericAPIError{Code: "InvalidParameterValue", Message: "Missing final '@domain'"}),
			"invalid message or address: Missing final '@domain'", 1},
		{"access denied hides ARNs", "zoe@example.com",
			sdkError(403, &smithy.GenericAPIError{Code: "AccessDenied", Message: "User arn:aws:iam::123456789012:user/x is not authorized"}),
			"not allowed to send through SES", 1},
		{"unknown code", "zoe@example.com",
			sdkError(400, &smithy.GenericAPIError{Code: "SomethingNew", Message: "it broke"}),
			"SomethingNew: it broke", 1},
		{"unreadable 400 (the emulator's JSON errors)", "zoe@example.com",
			sdkError(400, &smithy.DeserializationError{Err: errors.New("EOF")}),
			"rejected by SES (HTTP 400)", 1},
		{"invalid recipient, no call", "not an address", nil, "invalid recipient address", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeSES{send: func(context.Context, int, Email) (string, error) {
				return "", tc.err
			}}
			s, clock := newTestSender(t, api, Options{})
			_, err := s.Send(context.Background(), tc.to, "s", "b")
			var perm *PermanentError
			if !errors.As(err, &perm) {
				t.Fatalf("err = %v, want *PermanentError", err)
			}
			if perm.Reason != tc.wantReason {
				t.Errorf("Reason = %q, want %q", perm.Reason, tc.wantReason)
			}
			if strings.Contains(perm.Reason, "req-0123456789") {
				t.Errorf("Reason leaks the request ID: %q", perm.Reason)
			}
			if tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("the cause is not kept for logs: %v", err)
			}
			if api.count() != tc.wantCalls || len(clock.sleeps()) != 0 {
				t.Errorf("calls = %d, sleeps = %v: a permanent error must not be retried", api.count(), clock.sleeps())
			}
		})
	}
}

func TestSendClientSideErrorIsReturnedAsIs(t *testing.T) {
	cause := errors.New("failed to retrieve credentials")
	api := &fakeSES{send: func(context.Context, int, Email) (string, error) {
		return "", cause
	}}
	s, _ := newTestSender(t, api, Options{})
	_, err := s.Send(context.Background(), "zoe@example.com", "s", "b")
	var perm *PermanentError
	if !errors.Is(err, cause) || errors.As(err, &perm) || api.count() != 1 {
		t.Fatalf("err = %v after %d calls, want the cause, not permanent, 1 call", err, api.count())
	}
}

func TestSendRateLimitSequential(t *testing.T) {
	const n, rate = 5, 2.0
	api := &fakeSES{}
	s, clock := newTestSender(t, api, Options{RatePerSecond: rate})
	start := clock.Now()
	for i := range n {
		if _, err := s.Send(context.Background(), "zoe@example.com", "s", "b"); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	// Burst 1: the first send is immediate, each next one waits 1/rate.
	if got, want := clock.elapsed(start), time.Duration((n-1)/rate*float64(time.Second)); got != want {
		t.Errorf("%d sends at %v/s took %v of fake time, want %v", n, rate, got, want)
	}
}

func TestSendRateLimitSharedByGoroutines(t *testing.T) {
	const n, rate = 10, 4.0
	api := &fakeSES{}
	s, clock := newTestSender(t, api, Options{RatePerSecond: rate})
	clock.frozen = true // nobody's sleep advances time: each caller must reserve a later slot
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := s.Send(context.Background(), "zoe@example.com", "s", "b"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := clock.sleeps()
	slices.Sort(got)
	var want []time.Duration
	for k := 1; k < n; k++ {
		want = append(want, time.Duration(float64(k)/rate*float64(time.Second)))
	}
	if !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v (one slot of 1/rate each)", got, want)
	}
	if api.count() != n {
		t.Errorf("calls = %d, want %d", api.count(), n)
	}
}

func TestSendContextCancellation(t *testing.T) {
	t.Run("before sending", func(t *testing.T) {
		api := &fakeSES{}
		s, _ := newTestSender(t, api, Options{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.Send(ctx, "zoe@example.com", "s", "b"); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if api.count() != 0 {
			t.Errorf("calls = %d, want 0", api.count())
		}
	})
	t.Run("during backoff", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		api := &fakeSES{send: func(context.Context, int, Email) (string, error) {
			return "", throttled
		}}
		s, err := NewSender(api, Options{From: "promo@teatro.example", RatePerSecond: 1000,
			Sleep: func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Send(ctx, "zoe@example.com", "s", "b")
		var perm *PermanentError
		if !errors.Is(err, context.Canceled) || errors.As(err, &perm) {
			t.Fatalf("err = %v, want context.Canceled, not permanent", err)
		}
		if api.count() != 1 {
			t.Errorf("calls = %d, want 1", api.count())
		}
	})
	t.Run("during the call", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		api := &fakeSES{send: func(ctx context.Context, _ int, _ Email) (string, error) {
			cancel()
			return "", &smithy.OperationError{ServiceID: "SES", OperationName: "SendEmail", Err: ctx.Err()}
		}}
		s, _ := newTestSender(t, api, Options{})
		if _, err := s.Send(ctx, "zoe@example.com", "s", "b"); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if api.count() != 1 {
			t.Errorf("calls = %d, want 1", api.count())
		}
	})
	t.Run("while waiting for the rate limit, with the real sleep", func(t *testing.T) {
		api := &fakeSES{}
		s, err := NewSender(api, Options{From: "promo@teatro.example", RatePerSecond: 1.0 / 3600})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Send(context.Background(), "zoe@example.com", "s", "b"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(10*ms, cancel)
		if _, err := s.Send(ctx, "zoe@example.com", "s", "b"); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled (the next slot is an hour away)", err)
		}
		if api.count() != 1 {
			t.Errorf("calls = %d, want 1", api.count())
		}
	})
}

func TestNewSender(t *testing.T) {
	api := &fakeSES{}
	for _, tc := range []struct {
		name     string
		api      SendEmailAPI
		opt      Options
		wantFrom string // "" = want an error
	}{
		{"bare from", api, Options{From: "promo@teatro.example", RatePerSecond: 14}, "promo@teatro.example"},
		{"display name", api, Options{From: "Teatro Azul <promo@teatro.example>", RatePerSecond: 1}, `"Teatro Azul" <promo@teatro.example>`},
		{"non-ASCII display name", api, Options{From: "Zoë <promo@teatro.example>", RatePerSecond: 1}, "=?utf-8?q?Zo=C3=AB?= <promo@teatro.example>"},
		{"angle brackets only", api, Options{From: "<promo@teatro.example>", RatePerSecond: 1}, "promo@teatro.example"},
		{"no client", nil, Options{From: "promo@teatro.example", RatePerSecond: 1}, ""},
		{"empty from", api, Options{RatePerSecond: 1}, ""},
		{"bad from", api, Options{From: "promo", RatePerSecond: 1}, ""},
		{"single-label domain", api, Options{From: "Shop <promo@localhost>", RatePerSecond: 1}, ""},
		{"zero rate", api, Options{From: "promo@teatro.example"}, ""},
		{"negative rate", api, Options{From: "promo@teatro.example", RatePerSecond: -1}, ""},
		{"NaN rate", api, Options{From: "promo@teatro.example", RatePerSecond: math.NaN()}, ""},
		{"infinite rate", api, Options{From: "promo@teatro.example", RatePerSecond: math.Inf(1)}, ""},
		{"negative attempts", api, Options{From: "promo@teatro.example", RatePerSecond: 1, MaxAttempts: -1}, ""},
		{"negative backoff", api, Options{From: "promo@teatro.example", RatePerSecond: 1, BaseBackoff: -1}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSender(tc.api, tc.opt)
			if tc.wantFrom == "" {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.from != tc.wantFrom {
				t.Errorf("from = %q, want %q", s.from, tc.wantFrom)
			}
		})
	}
}

func TestNewSenderDefaults(t *testing.T) {
	s, err := NewSender(&fakeSES{}, Options{From: "promo@teatro.example", RatePerSecond: 1, BaseBackoff: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if s.maxAttempts != DefaultMaxAttempts || s.backoff.Base != time.Minute || s.backoff.Max != time.Minute {
		t.Errorf("attempts %d, base %v, max %v: want %d, 1m, 1m (max never below base)", s.maxAttempts, s.backoff.Base, s.backoff.Max, DefaultMaxAttempts)
	}
}
