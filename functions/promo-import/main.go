// Command promo-import is the promo-import Lambda function: started by the uploads bucket,
// it imports a recipients file, creates one code per recipient and e-mails each, exactly
// once however often the event is delivered or the invocation retried.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/boxofficehq/boxoffice/internal/app/promoimportapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("promo-import", func(cfg aws.Config, log *slog.Logger) (any, error) {
		clients, err := promoissueapp.NewClients(cfg)
		if err != nil {
			return nil, err
		}
		return promoimportapp.New(os.LookupEnv, clients, log)
	})
}
