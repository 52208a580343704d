// Command checkout is the checkout Lambda function: quotes, orders, the buyer's return and
// cancel routes, and the scheduled sweep of expired reservations (SPEC 4.1).
package main

import (
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/checkoutapp"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

func main() {
	lambdaapp.Main("checkout", func(cfg aws.Config, log *slog.Logger) (any, error) {
		secrets, err := awssecrets.New(cfg, awssecrets.Options{})
		if err != nil {
			return nil, err
		}
		pages, err := checkoutapp.NewPages(os.LookupEnv, secrets, &http.Client{Timeout: 10 * time.Second}, log)
		if err != nil {
			return nil, err
		}
		mail, err := sesmail.NewClient(cfg, sesmail.ClientOptions{})
		if err != nil {
			return nil, err
		}
		app, err := checkoutapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), pages, mail, log)
		if err != nil {
			return nil, err
		}
		return app.Lambda(log), nil
	})
}
