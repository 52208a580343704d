// Command settings is the settings Lambda function: e-commerce settings and the audit list.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/settingsapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func main() {
	lambdaapp.Main("settings", func(cfg aws.Config, log *slog.Logger) (any, error) {
		return lambdaapp.HTTP(settingsapp.New(os.LookupEnv, dynamodb.NewFromConfig(cfg), log))
	})
}
