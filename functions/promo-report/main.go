// Command promo-report is the promo-report Lambda function: a site's promotion codes as
// filtered JSON pages and as a CSV download, read through the table's indexes.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/promoreportapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("promo-report", func(cfg aws.Config, log *slog.Logger) (any, error) {
		return lambdaapp.HTTP(promoreportapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), log))
	})
}
