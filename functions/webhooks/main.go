// Command webhooks is the webhooks Lambda function: the public routes the payment providers
// post their notifications to, each verified with its provider and applied exactly once
// (SPEC 4.3).
package main

import (
	"log/slog"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/webhooksapp"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

func main() {
	lambdaapp.Main("webhooks", func(cfg aws.Config, log *slog.Logger) (any, error) {
		secrets, err := awssecrets.New(cfg, awssecrets.Options{})
		if err != nil {
			return nil, err
		}
		mail, err := sesmail.NewClient(cfg, sesmail.ClientOptions{})
		if err != nil {
			return nil, err
		}
		rt, err := webhooksapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), secrets, mail, &http.Client{Timeout: ipn.DefaultTimeout}, log)
		if err != nil {
			return nil, err
		}
		return lambdaapp.NewHTTPLambda(rt), nil
	})
}
