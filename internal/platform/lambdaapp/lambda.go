package lambdaapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
)

// HTTPLambda is the handler an HTTP function passes to lambda.Start: an API Gateway HTTP API
// (payload v2) event in, a response out.
type HTTPLambda func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// S3Lambda is the handler an S3-triggered function passes to lambda.Start. An error makes
// Lambda retry the invocation.
type S3Lambda func(ctx context.Context, ev events.S3Event) error

// NewHTTPLambda adapts a plain net/http handler to the HTTP API v2 payload. A path or query
// string that no URL can carry as it is (see checkURL) is the client's mistake, answered
// 400 before the handler runs: the adapter would answer it 5xx, or silently drop what
// follows a "#".
func NewHTTPLambda(h http.Handler) HTTPLambda {
	adapter := httpadapter.NewV2(h)
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if err := checkURL(ev); err != nil {
			return answerError(ctx, err)
		}
		return adapter.ProxyWithContext(ctx, ev)
	}
}

// checkURL refuses, naming "path" or "query", what the adapter cannot turn into the URL the
// client meant: a control character (net/url refuses them), a "#" (the rest would be read
// as a fragment and lost), a "?" in the path (the rest would be read as the query), or a
// "%" in the path without two hex digits after it.
func checkURL(ev events.APIGatewayV2HTTPRequest) error {
	var v apperr.Errors
	path := ev.RawPath
	if path == "" {
		path = ev.RequestContext.HTTP.Path // as the adapter reads it
	}
	if r := unfit(path, "#?"); r != "" {
		v.Add("path", r)
	} else if _, err := url.PathUnescape(path); err != nil {
		v.Add("path", `has a "%" not followed by two hex digits`)
	}
	// Without the raw query string the adapter encodes QueryStringParameters itself.
	if r := unfit(ev.RawQueryString, "#"); r != "" {
		v.Add("query", r)
	}
	return v.Err()
}

// unfit says why s cannot stand in a URL as it is, naming the first control character it
// holds or the first of the characters in also; "" when there is none.
func unfit(s, also string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || strings.ContainsRune(also, r) })
	if i < 0 {
		return ""
	}
	if c := s[i]; c < 0x20 || c == 0x7f {
		return fmt.Sprintf("holds a control character (0x%02X), which must be percent-encoded", c)
	}
	return fmt.Sprintf("holds %q, which must be percent-encoded", s[i:i+1])
}

// answerError answers a client's mistake in the functions' error format, as a handler
// would (the logger is for 5xx answers, which this never gives).
func answerError(ctx context.Context, err error) (events.APIGatewayV2HTTPResponse, error) {
	w := core.NewProxyResponseWriterV2()
	httpx.Error(ctx, slog.Default(), w, err)
	return w.GetProxyResponse()
}
