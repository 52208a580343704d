// Command checkout is the checkout Lambda function: quotes, orders, the buyer's return and
// cancel routes, and the scheduled sweep of expired reservations (SPEC 4.1).
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/checkoutapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("checkout", func(cfg aws.Config, log *slog.Logger) (any, error) {
		app, err := checkoutapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), checkoutapp.Unwired, log)
		if err != nil {
			return nil, err
		}
		return app.Lambda(log), nil
	})
}
