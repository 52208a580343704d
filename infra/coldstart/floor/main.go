// Command floor is what every Boxoffice function must do before it can serve: load the AWS
// configuration (lambdaapp.AWSConfig) and build a DynamoDB client, then start. The cold-start benchmark holds each
// function's init against it: what a function takes beyond it is its own package init and
// wiring.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	cfg, err := lambdaapp.AWSConfig(os.LookupEnv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor: load AWS config:", err)
		os.Exit(1)
	}
	db := dynamodb.NewFromConfig(cfg)
	lambda.Start(func(context.Context) (string, error) { return db.Options().Region, nil })
}
