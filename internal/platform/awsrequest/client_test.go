package awsrequest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest"
)

// configSource is a configuration source (as the SDK's environment and shared config are)
// that sets service endpoints.
type configSource struct {
	endpoints map[string]string
	ignore    bool
}

func (s configSource) GetServiceBaseEndpoint(_ context.Context, id string) (string, bool, error) {
	v, ok := s.endpoints[id]
	return v, ok, nil
}

func (s configSource) GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error) {
	return s.ignore, s.ignore, nil
}

func TestEndpoints(t *testing.T) {
	ses := awsrequest.Service{ID: "SES", SigningName: "ses", EndpointPrefix: "email"}
	for _, tc := range []struct {
		name     string
		cfg      aws.Config
		override string
		want     string
	}{
		{"regional", aws.Config{Region: "eu-west-1"}, "", "https://email.eu-west-1.amazonaws.com"},
		{"China", aws.Config{Region: "cn-north-1"}, "", "https://email.cn-north-1.amazonaws.com.cn"},
		{"AWS_ENDPOINT_URL", aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String("http://127.0.0.1:9000/")}, "", "http://127.0.0.1:9000"},
		{"AWS_ENDPOINT_URL_SES over AWS_ENDPOINT_URL", aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String("http://all:1"),
			ConfigSources: []any{configSource{endpoints: map[string]string{"SES": "http://ses:2"}}}}, "", "http://ses:2"},
		{"another service's endpoint", aws.Config{Region: "eu-west-1",
			ConfigSources: []any{configSource{endpoints: map[string]string{"S3": "http://s3:2"}}}}, "", "https://email.eu-west-1.amazonaws.com"},
		{"configured endpoints ignored", aws.Config{Region: "eu-west-1",
			ConfigSources: []any{configSource{ignore: true}, configSource{endpoints: map[string]string{"SES": "http://ses:2"}}}}, "", "https://email.eu-west-1.amazonaws.com"},
		{"the client's own first", aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String("http://all:1")}, "http://mine:3/base/", "http://mine:3/base"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Credentials = aws.AnonymousCredentials{}
			c, err := awsrequest.New(tc.cfg, ses, awsrequest.Options{Endpoint: tc.override})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Endpoint(); got.String() != tc.want {
				t.Errorf("endpoint = %s, want %s", got.String(), tc.want)
			}
		})
	}
}

func TestNewRefusesWhatCannotWork(t *testing.T) {
	ses := awsrequest.Service{ID: "SES", SigningName: "ses", EndpointPrefix: "email"}
	anon := aws.AnonymousCredentials{}
	for _, tc := range []struct {
		name     string
		cfg      aws.Config
		svc      awsrequest.Service
		endpoint string
		want     string
	}{
		{"no region", aws.Config{Credentials: anon}, ses, "", "AWS_REGION"},
		{"a region that is no host label", aws.Config{Region: "eu-west-1/evil", Credentials: anon}, ses, "", "no valid region"},
		{"no credentials", aws.Config{Region: "eu-west-1"}, ses, "", "no credentials"},
		{"an endpoint that is no URL", aws.Config{Region: "eu-west-1", Credentials: anon}, ses, "127.0.0.1:9000", "not an http(s) URL"},
		{"an endpoint with a query", aws.Config{Region: "eu-west-1", Credentials: anon}, ses, "http://h/?a=b", "not an http(s) URL"},
		{"an unnamed service", aws.Config{Region: "eu-west-1", Credentials: anon}, awsrequest.Service{}, "", "needs an ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := awsrequest.New(tc.cfg, tc.svc, awsrequest.Options{Endpoint: tc.endpoint})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}
