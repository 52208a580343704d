// Command promo-delete is the promo-delete Lambda function: delete selected promotion codes
// (SPEC 3.6); they stay in the report as deleted.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/promodeleteapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("promo-delete", func(cfg aws.Config, log *slog.Logger) (any, error) {
		return lambdaapp.HTTP(promodeleteapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), log))
	})
}
