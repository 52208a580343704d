// Command promo-extend is the promo-extend Lambda function: give selected promotion codes a
// new expiry date (SPEC 3.5).
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app"
	"github.com/boxofficehq/boxoffice/internal/app/promoextendapp"
)

func main() {
	app.Main("promo-extend", func(cfg aws.Config, log *slog.Logger) (any, error) {
		return app.HTTP(promoextendapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), log))
	})
}
