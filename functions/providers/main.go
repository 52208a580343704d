// Command providers is the providers Lambda function: a site's payment provider, its secrets
// in Secrets Manager, and the Express Checkout permission flow.
package main

import (
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/providersapp"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("providers", func(cfg aws.Config, log *slog.Logger) (any, error) {
		secrets, err := awssecrets.New(cfg, awssecrets.Options{})
		if err != nil {
			return nil, err
		}
		return lambdaapp.HTTP(providersapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), secrets, &http.Client{Timeout: 10 * time.Second}, log))
	})
}
