package testenv

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/localaws"
)

// RacingDynamoDB returns a client of DynamoDB Local fit for a thousand buyers at once. On
// AWS each buyer is a Lambda instance with its own client, so one client's retry quota must
// not throttle them all: the rate limiter is off. DynamoDB Local serialises writes to an
// item behind a lock and answers 500 when a writer waits too long (AWS does not): the SDK
// retries those, and at most 32 requests are in flight, as a gateway in front would allow.
func RacingDynamoDB(t testing.TB) *dynamodb.Client {
	t.Helper()
	ep := Endpoint(t, EnvDynamoDB)
	return dynamodb.NewFromConfig(localaws.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(ep)
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 10
			so.RateLimiter = ratelimit.None
		})
		o.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxConnsPerHost = 32
			tr.MaxIdleConnsPerHost = 32
		})
	})
}
