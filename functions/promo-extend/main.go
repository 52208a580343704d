// Command promo-extend is the promo-extend Lambda function: give selected promotion codes a
// new expiry date (SPEC 3.5).
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/promoextendapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("promo-extend", func(cfg aws.Config, log *slog.Logger) (any, error) {
		return lambdaapp.HTTP(promoextendapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), log))
	})
}
