// Package uploads is the uploads bucket: presigned PUT URLs for recipients files, the
// re-send marker objects, and reading an uploaded file back.
package uploads

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/s3object"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// API is the part of S3 the store calls.
type API interface {
	PutObject(ctx context.Context, bucket, key string, body []byte) error
	GetObject(ctx context.Context, bucket, key string) (*s3object.Object, error)
	PresignPutObject(ctx context.Context, bucket, key string, expires time.Duration) (string, error)
}

// Store is one bucket.
type Store struct {
	api    API
	bucket string
}

var (
	_ API           = (*s3object.Client)(nil)
	_ issue.Uploads = (*Store)(nil)
	_ issue.Objects = (*Store)(nil)
)

// New returns the store of bucket, through client.
func New(client *s3object.Client, bucket string) (*Store, error) {
	if client == nil || bucket == "" {
		return nil, fmt.Errorf("uploads: a client and a bucket are required")
	}
	return &Store{api: client, bucket: bucket}, nil
}

// Bucket is the bucket's name.
func (s *Store) Bucket() string { return s.bucket }

// PresignPut returns a URL to PUT key with, valid for expires.
func (s *Store) PresignPut(ctx context.Context, key string, expires time.Duration) (string, error) {
	url, err := s.api.PresignPutObject(ctx, s.bucket, key, expires)
	if err != nil {
		return "", apperr.Internal(fmt.Errorf("presign %s: %w", key, err))
	}
	return url, nil
}

// Put writes a small object.
func (s *Store) Put(ctx context.Context, key string, body []byte) error {
	if err := s.api.PutObject(ctx, s.bucket, key, body); err != nil {
		return apperr.Internal(fmt.Errorf("put %s: %w", key, err))
	}
	return nil
}

// Open reads an object, at most max bytes of it: the reader of a larger object ends at max,
// which the recipients parser reports as too large. With an etag, an object whose ETag is
// another (it was uploaded again) is refused; the ETag comes with the body it describes.
func (s *Store) Open(ctx context.Context, bucket, key, etag string, max int64) (io.ReadCloser, error) {
	out, err := s.api.GetObject(ctx, bucket, key)
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("get s3://%s/%s: %w", bucket, key, err))
	}
	if got := strings.Trim(out.ETag, `"`); etag != "" && got != strings.Trim(etag, `"`) {
		out.Body.Close()
		return nil, fmt.Errorf("s3://%s/%s has ETag %s, not %s: %w", bucket, key, got, etag, issue.ErrFileReplaced)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(out.Body, max), out.Body}, nil
}
