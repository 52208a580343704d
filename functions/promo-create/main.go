// Command promo-create is the promo-create Lambda function: create promotion codes, start
// bulk imports with a presigned upload, follow them, re-send failed e-mails.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/boxofficehq/boxoffice/internal/app/promocreateapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("promo-create", func(cfg aws.Config, log *slog.Logger) (any, error) {
		clients, err := promoissueapp.NewClients(cfg)
		if err != nil {
			return nil, err
		}
		return lambdaapp.HTTP(promocreateapp.New(os.LookupEnv, clients, log))
	})
}
