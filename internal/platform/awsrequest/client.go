// Package awsrequest sends signed HTTP requests to AWS services: the endpoint, credentials,
// retries and HTTP client of an aws.Config, the SDK's own SigV4 signer, and service errors
// read into the SDK's error types. It lets a function call the few operations it needs of a
// service without linking that service's SDK client, whose packages cost a Lambda function
// about a megabyte and a few thousand allocations of package init each.
package awsrequest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Service is what a client needs to know of one AWS service.
type Service struct {
	// ID is the service's SDK ID ("S3", "SES", "Secrets Manager"): errors name it, and
	// AWS_ENDPOINT_URL_<ID> (spaces as underscores) overrides its endpoint as for the SDK.
	ID string
	// SigningName is the service's name in signatures ("s3", "ses", "secretsmanager").
	SigningName string
	// EndpointPrefix is the first label of its regional endpoint's host ("email" for SES).
	EndpointPrefix string
	// S3 signs as S3 wants: the path as sent (S3 does not escape it a second time) and the
	// payload's hash in X-Amz-Content-Sha256.
	S3 bool
}

// Options adjust a client; the zero value is the SDK's behaviour.
type Options struct {
	// Endpoint replaces the service's endpoint (a local emulator's URL).
	Endpoint string
	// Retryer replaces the configuration's retryer (or the SDK's standard one, with the
	// configuration's RetryMaxAttempts; not its adaptive mode): aws.NopRetryer for a caller
	// that retries on its own.
	Retryer aws.Retryer
	// AttemptTimeout bounds one attempt until its answer is read (or, for Open, until the
	// answer's headers arrive); 0 means DefaultAttemptTimeout. An attempt that times out
	// is retried like a lost connection.
	AttemptTimeout time.Duration
	// Now is the signing clock; nil means time.Now.
	Now func() time.Time
}

// DefaultAttemptTimeout bounds an attempt when Options.AttemptTimeout is 0: the SDK sets no
// such bound, and a connection that hangs would otherwise hold the function until its own
// timeout.
const DefaultAttemptTimeout = 15 * time.Second

// Client calls one service.
type Client struct {
	service  Service
	region   string
	endpoint url.URL
	creds    aws.CredentialsProvider // nil: anonymous, requests go unsigned
	signer   *v4.Signer
	http     aws.HTTPClient
	retryer  aws.Retryer
	timeout  time.Duration
	now      func() time.Time
}

// New returns a client of svc configured by cfg (its region, credentials, HTTP client,
// retryer and endpoint settings) and opt.
func New(cfg aws.Config, svc Service, opt Options) (*Client, error) {
	if svc.ID == "" || svc.SigningName == "" || svc.EndpointPrefix == "" {
		return nil, errors.New("awsrequest: the service needs an ID, a signing name and an endpoint prefix")
	}
	if !validRegion(cfg.Region) {
		return nil, fmt.Errorf("%s: the AWS configuration has no valid region (%q): set AWS_REGION", svc.ID, cfg.Region)
	}
	endpoint, err := resolveEndpoint(cfg, svc, opt.Endpoint)
	if err != nil {
		return nil, err
	}
	c := &Client{
		service: svc, region: cfg.Region, endpoint: *endpoint,
		signer: v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = svc.S3 }),
		http:   cfg.HTTPClient, retryer: opt.Retryer, timeout: opt.AttemptTimeout, now: opt.Now,
	}
	if c.http == nil {
		c.http = awshttp.NewBuildableClient()
	}
	if c.retryer == nil && cfg.Retryer != nil {
		c.retryer = cfg.Retryer()
	}
	if c.retryer == nil { // as the SDK's clients: its standard retryer, AWS_MAX_ATTEMPTS honoured
		c.retryer = retry.NewStandard(func(o *retry.StandardOptions) {
			if cfg.RetryMaxAttempts > 0 {
				o.MaxAttempts = cfg.RetryMaxAttempts
			}
		})
	}
	if c.timeout <= 0 {
		c.timeout = DefaultAttemptTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	switch p := cfg.Credentials; {
	case p == nil:
		return nil, fmt.Errorf("%s: the AWS configuration has no credentials", svc.ID)
	case aws.IsCredentialsProvider(p, (*aws.AnonymousCredentials)(nil)):
	default:
		c.creds = p
		if _, cached := p.(*aws.CredentialsCache); !cached { // as the SDK's clients do: fetched again only once expired
			c.creds = aws.NewCredentialsCache(p)
		}
	}
	return c, nil
}

// Endpoint is the service's base URL: a copy the caller may change.
func (c *Client) Endpoint() url.URL { return c.endpoint }

// validRegion accepts what the SDK accepts: a DNS host label (letters, digits, hyphens).
func validRegion(r string) bool {
	if r == "" || len(r) > 63 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// resolveEndpoint picks the endpoint as the SDK's clients do: the client's own, then one set
// for this service (AWS_ENDPOINT_URL_<ID>, or the shared config's services section), then
// the configuration's (AWS_ENDPOINT_URL), then the service's regional endpoint.
func resolveEndpoint(cfg aws.Config, svc Service, override string) (*url.URL, error) {
	raw := override
	if raw == "" {
		raw = serviceEndpoint(cfg, svc.ID)
	}
	if raw == "" && cfg.BaseEndpoint != nil {
		raw = *cfg.BaseEndpoint
	}
	if raw == "" {
		raw = "https://" + svc.EndpointPrefix + "." + cfg.Region + "." + dnsSuffix(cfg.Region)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s: endpoint %q is not an http(s) URL without query", svc.ID, raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// serviceEndpoint is the endpoint the configuration's sources (environment, shared config
// file) give this service, unless they say to ignore configured endpoints.
func serviceEndpoint(cfg aws.Config, serviceID string) string {
	ctx := context.Background()
	for _, src := range cfg.ConfigSources {
		if p, ok := src.(interface {
			GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error)
		}); ok {
			if ignore, found, err := p.GetIgnoreConfiguredEndpoints(ctx); err == nil && found && ignore {
				return ""
			}
		}
	}
	for _, src := range cfg.ConfigSources {
		if p, ok := src.(interface {
			GetServiceBaseEndpoint(context.Context, string) (string, bool, error)
		}); ok {
			if v, found, err := p.GetServiceBaseEndpoint(ctx, serviceID); err == nil && found {
				return v
			}
		}
	}
	return ""
}

// dnsSuffix is the domain of a region's partition.
func dnsSuffix(region string) string {
	for _, p := range []struct{ prefix, suffix string }{
		{"cn-", "amazonaws.com.cn"},
		{"us-isob-", "sc2s.sgov.gov"},
		{"us-isof-", "csp.hci.ic.gov"},
		{"us-iso-", "c2s.ic.gov"},
		{"eu-isoe-", "cloud.adc-e.uk"},
	} {
		if strings.HasPrefix(region, p.prefix) {
			return p.suffix
		}
	}
	return "amazonaws.com"
}
