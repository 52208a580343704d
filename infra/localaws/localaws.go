// Package localaws configures AWS SDK clients for the local emulators: static credentials,
// us-east-1, and the emulator's endpoint.
package localaws

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Config is the SDK configuration every local client shares.
func Config() aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
}

// DynamoDB returns a client of DynamoDB Local at endpoint.
func DynamoDB(endpoint string) *dynamodb.Client {
	return dynamodb.NewFromConfig(Config(), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
}
