// Package uploads is the uploads bucket: presigned PUT URLs for recipients files, the
// re-send marker objects, and reading an uploaded file back.
package uploads

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// API is the part of S3 the store calls.
type API interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Presigner signs PUT URLs.
type Presigner interface {
	PresignPutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.PresignOptions)) (*v4.PresignedHTTPRequest, error)
}

// Store is one bucket.
type Store struct {
	api     API
	presign Presigner
	bucket  string
}

var (
	_ issue.Uploads = (*Store)(nil)
	_ issue.Objects = (*Store)(nil)
)

// New returns the store of bucket, through client.
func New(client *s3.Client, bucket string) (*Store, error) {
	if client == nil || bucket == "" {
		return nil, fmt.Errorf("uploads: a client and a bucket are required")
	}
	return &Store{api: client, presign: s3.NewPresignClient(client), bucket: bucket}, nil
}

// Bucket is the bucket's name.
func (s *Store) Bucket() string { return s.bucket }

// PresignPut returns a URL to PUT key with, valid for expires.
func (s *Store) PresignPut(ctx context.Context, key string, expires time.Duration) (string, error) {
	req, err := s.presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)},
		s3.WithPresignExpires(expires))
	if err != nil {
		return "", apperr.Internal(fmt.Errorf("presign %s: %w", key, err))
	}
	return req.URL, nil
}

// Put writes a small object.
func (s *Store) Put(ctx context.Context, key string, body []byte) error {
	_, err := s.api.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key), Body: bytes.NewReader(body)})
	if err != nil {
		return apperr.Internal(fmt.Errorf("put %s: %w", key, err))
	}
	return nil
}

// Open reads an object, at most max bytes of it: the reader of a larger object ends at max,
// which the recipients parser reports as too large. With an etag, an object whose ETag is
// another (it was uploaded again) is refused; the ETag comes with the body it describes.
func (s *Store) Open(ctx context.Context, bucket, key, etag string, max int64) (io.ReadCloser, error) {
	out, err := s.api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("get s3://%s/%s: %w", bucket, key, err))
	}
	if got := strings.Trim(aws.ToString(out.ETag), `"`); etag != "" && got != strings.Trim(etag, `"`) {
		out.Body.Close()
		return nil, fmt.Errorf("s3://%s/%s has ETag %s, not %s: %w", bucket, key, got, etag, issue.ErrFileReplaced)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(out.Body, max), out.Body}, nil
}
