package lambdaapp

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
)

// Main is every function's main: it reads the AWS configuration from the environment (AWSConfig), lets build wire the
// handler from it (and from the environment), and hands the handler to lambda.Start. A
// wiring error ends the process, naming the function, before any invocation is taken.
func Main(name string, build func(cfg aws.Config, log *slog.Logger) (any, error)) {
	if err := start(build); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

func start(build func(aws.Config, *slog.Logger) (any, error)) error {
	cfg, err := AWSConfig(os.LookupEnv)
	if err != nil {
		return fmt.Errorf("load AWS config: %w", err)
	}
	h, err := build(cfg, lambdacontext.NewLogger())
	if err != nil {
		return err
	}
	lambda.Start(h)
	return nil
}

// HTTP adapts the result of an HTTP function's wiring for Main.
func HTTP[H http.Handler](h H, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return NewHTTPLambda(h), nil
}
