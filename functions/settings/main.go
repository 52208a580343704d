// Command settings is the settings Lambda function: e-commerce settings and the audit list.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app"
	"github.com/boxofficehq/boxoffice/internal/app/settingsapp"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "settings:", err)
		os.Exit(1)
	}
}

func run() error {
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return fmt.Errorf("load AWS config: %w", err)
	}
	h, err := settingsapp.New(os.LookupEnv, dynamodb.NewFromConfig(awsCfg), lambdacontext.NewLogger())
	if err != nil {
		return err
	}
	lambda.Start(app.NewHTTPLambda(h))
	return nil
}
