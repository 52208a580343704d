// Command providers is the providers Lambda function: a site's payment provider, its secrets
// in Secrets Manager, and the Express Checkout permission flow.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/boxofficehq/boxoffice/internal/app"
	"github.com/boxofficehq/boxoffice/internal/app/providersapp"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "providers:", err)
		os.Exit(1)
	}
}

func run() error {
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return fmt.Errorf("load AWS config: %w", err)
	}
	h, err := providersapp.New(os.LookupEnv, dynamodb.NewFromConfig(awsCfg), secretsmanager.NewFromConfig(awsCfg),
		&http.Client{Timeout: 10 * time.Second}, lambdacontext.NewLogger())
	if err != nil {
		return err
	}
	lambda.Start(app.NewHTTPLambda(h))
	return nil
}
