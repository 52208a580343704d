// Command promo-import is the promo-import Lambda function: started by the uploads bucket,
// it imports a recipients file, creates one code per recipient and e-mails each, exactly
// once however often the event is delivered or the invocation retried.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ses"

	"github.com/boxofficehq/boxoffice/internal/app/promoimportapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("promo-import", func(cfg aws.Config, log *slog.Logger) (any, error) {
		return promoimportapp.New(os.LookupEnv, promoissueapp.Clients{
			DynamoDB: dynamodb.NewFromConfig(cfg), S3: s3.NewFromConfig(cfg), SES: ses.NewFromConfig(cfg),
		}, log)
	})
}
