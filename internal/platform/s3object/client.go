// Package s3object is a small S3 client for the object calls Boxoffice makes: presigned
// PUT URLs, PutObject of small objects, and GetObject. It signs plain HTTP requests
// (internal/platform/awsrequest) instead of linking the SDK's S3 client, with the same
// addressing (virtual-hosted buckets on AWS, paths on an endpoint that asks for them) and
// the same errors (a smithy.APIError with S3's code, NoSuchKey and the like).
package s3object

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/encoding/httpbinding"

	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest"
)

var service = awsrequest.Service{ID: "S3", SigningName: "s3", EndpointPrefix: "s3", S3: true}

// Options adjust a client.
type Options struct {
	// Endpoint replaces S3's regional endpoint (the local S3's URL).
	Endpoint string
	// UsePathStyle addresses a bucket as the URL's first path segment
	// (http://host/bucket/key) rather than as a host name (http://bucket.host/key): what a
	// local S3 on one address needs.
	UsePathStyle bool
	// Now is the signing clock; nil means time.Now.
	Now func() time.Time
}

// Client calls S3.
type Client struct {
	api       *awsrequest.Client
	pathStyle bool
}

// New returns a client configured by cfg (region, credentials, endpoint settings, HTTP
// client and retryer, as the SDK's client would use them) and opt.
func New(cfg aws.Config, opt Options) (*Client, error) {
	api, err := awsrequest.New(cfg, service, awsrequest.Options{Endpoint: opt.Endpoint, Now: opt.Now})
	if err != nil {
		return nil, err
	}
	return &Client{api: api, pathStyle: opt.UsePathStyle}, nil
}

// Object is an object's content being read, with its ETag (quoted, as S3 sends it).
type Object struct {
	Body io.ReadCloser
	ETag string
}

// GetObject opens bucket/key; the caller reads and closes its Body.
func (c *Client) GetObject(ctx context.Context, bucket, key string) (*Object, error) {
	resp, err := c.api.Open(ctx, awsrequest.Request{Operation: "GetObject", Method: http.MethodGet, URL: c.objectURL(bucket, key, "GetObject")})
	if err != nil {
		return nil, err
	}
	return &Object{Body: resp.Body, ETag: resp.Header.Get("ETag")}, nil
}

// PutObject writes body, whole, as bucket/key.
func (c *Client) PutObject(ctx context.Context, bucket, key string, body []byte) error {
	_, err := c.api.Send(ctx, awsrequest.Request{Operation: "PutObject", Method: http.MethodPut, URL: c.objectURL(bucket, key, "PutObject"), Body: body})
	return err
}

// PresignPutObject returns a URL that lets whoever holds it PUT bucket/key until expires has
// passed, with no header to send but Host: the URL the SDK's presigner gives.
func (c *Client) PresignPutObject(ctx context.Context, bucket, key string, expires time.Duration) (string, error) {
	return c.api.Presign(ctx, http.MethodPut, c.objectURL(bucket, key, "PutObject"), expires)
}

// objectURL addresses bucket/key, with the operation named in the query as the SDK does
// (x-id, which S3 ignores).
func (c *Client) objectURL(bucket, key, operation string) url.URL {
	u := c.api.Endpoint()
	if c.pathStyle || !virtualHostable(bucket, u.Scheme) {
		u.Path += "/" + bucket
	} else {
		u.Host = bucket + "." + u.Host
	}
	u.RawPath = httpbinding.EscapePath(u.Path, false) + "/" + httpbinding.EscapePath(key, false)
	u.Path += "/" + key
	u.RawQuery = "x-id=" + operation
	return u
}

// virtualHostable tells whether bucket can be a host name, as the SDK decides: a DNS
// label-like name of 3 to 63 lowercase letters, digits, hyphens and (not over TLS, whose
// certificate covers one label only) dots.
func virtualHostable(bucket, scheme string) bool {
	if len(bucket) < 3 || len(bucket) > 63 || strings.Contains(bucket, "..") || (scheme == "https" && strings.Contains(bucket, ".")) {
		return false
	}
	for i, r := range bucket {
		alnum := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || i == len(bucket)-1 || (r != '-' && r != '.')) {
			return false
		}
	}
	return true
}
