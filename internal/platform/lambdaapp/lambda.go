package lambdaapp

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// HTTPLambda is the handler an HTTP function passes to lambda.Start: an API Gateway HTTP API
// (payload v2) event in, a response out.
type HTTPLambda func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// NewHTTPLambda adapts a plain net/http handler to the HTTP API v2 payload.
func NewHTTPLambda(h http.Handler) HTTPLambda {
	return httpadapter.NewV2(h).ProxyWithContext
}

// S3Lambda is the handler an S3-triggered function passes to lambda.Start. An error makes
// Lambda retry the invocation.
type S3Lambda func(ctx context.Context, ev events.S3Event) error
