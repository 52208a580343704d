package lambdaapp

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// AWSConfig is the AWS configuration a function runs with in Lambda: its region and its
// execution role's credentials, which Lambda puts in the environment (AWS_REGION,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). It is not the SDK's
// LoadDefaultConfig, which reads the same variables in Lambda but links its whole chain of
// other credential sources (SSO, STS, IMDS, containers, processes, shared files): about a
// megabyte of every binary, and package inits, that a Lambda function never uses. The
// clients keep the SDK's defaults otherwise (retries, HTTP client, endpoints).
func AWSConfig(env Lookup) (aws.Config, error) {
	get := func(name string) string { v, _ := env(name); return v }
	region, id, secret := get("AWS_REGION"), get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")
	if region == "" || id == "" || secret == "" {
		return aws.Config{}, errors.New("AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not all set (Lambda sets them from the function's role)")
	}
	creds := credentials.NewStaticCredentialsProvider(id, secret, get("AWS_SESSION_TOKEN"))
	return aws.Config{Region: region, Credentials: aws.NewCredentialsCache(creds)}, nil
}
