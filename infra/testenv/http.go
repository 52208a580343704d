package testenv

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// Claims are what API Gateway's JWT authorizer hands a function for a token of subject
// that administers sites (an array claim arrives flattened, "[a b]").
func Claims(subject string, sites ...string) map[string]string {
	return map[string]string{"sub": subject, "email": subject + "@example.com", "sites": "[" + strings.Join(sites, " ") + "]"}
}

// requests numbers the requests CallHTTP makes: each has its own API Gateway request ID.
var requests atomic.Int64

// CallJSON is CallHTTP for an answer that must be JSON, as every answer of the API is but
// the pages a browser is sent to.
func CallJSON(t testing.TB, h lambdaapp.HTTPLambda, method, target, body string, claims map[string]string) Answer {
	t.Helper()
	a := CallHTTP(t, h, method, target, body, claims)
	if ct := a.Headers["Content-Type"]; !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q, want JSON: %s", method, target, ct, a.Raw)
	}
	return a
}

// CallHTTP sends one request to h as API Gateway's HTTP API does: target is the path with
// its query string, if any; claims nil is a request without a verified token; a body is
// sent as JSON. It fails the test unless the answer says what it is (see Answer).
func CallHTTP(t testing.TB, h lambdaapp.HTTPLambda, method, target, body string, claims map[string]string) Answer {
	t.Helper()
	return CallWithHeaders(t, h, method, target, body, claims, nil)
}

// CallWithHeaders is CallHTTP with headers the client sent besides (lower-case names, as
// API Gateway hands them on). A "host" header is also the request's domain name, as the
// local gateway takes it from the Host the client sent.
func CallWithHeaders(t testing.TB, h lambdaapp.HTTPLambda, method, target, body string, claims, headers map[string]string) Answer {
	t.Helper()
	path, query, _ := strings.Cut(target, "?")
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: path, RawQueryString: query, Body: body,
		Headers: map[string]string{"x-forwarded-proto": "https"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			DomainName: "api.example", RequestID: "test-request-" + strconv.FormatInt(requests.Add(1), 10),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, SourceIP: "203.0.113.10"},
		},
	}
	if body != "" {
		ev.Headers["content-type"] = "application/json"
	}
	for k, v := range headers {
		ev.Headers[k] = v
	}
	if host, ok := headers["host"]; ok {
		ev.RequestContext.DomainName = host
	}
	if claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	resp, err := h(context.Background(), ev)
	if err != nil {
		t.Fatalf("%s %s: handler error %v", method, target, err)
	}
	return answerOf(t, method+" "+target, resp)
}
