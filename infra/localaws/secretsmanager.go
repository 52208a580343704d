package localaws

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// SecretsManager returns a client of the local Secrets Manager stand-in at endpoint.
func SecretsManager(endpoint string) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(Config(), func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(endpoint) })
}
