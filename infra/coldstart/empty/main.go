// Command empty is the smallest Lambda function aws-lambda-go makes: the cold-start
// benchmark's yardstick for "nothing but the runtime client".
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context) error { return nil })
}
