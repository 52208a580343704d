package localaws

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/boxofficehq/boxoffice/internal/platform/s3object"
)

// S3 returns an SDK client of the local, in-process S3 at endpoint, for tests that need
// more of S3 than the functions do (buckets, copies, multipart uploads). It addresses
// buckets by path (http://host/bucket/key): the local server is a single 127.0.0.1 host,
// and the SDK's default virtual-hosted style would put the bucket into a host name nothing
// resolves.
func S3(endpoint string) *s3.Client {
	return s3.NewFromConfig(Config(), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
}

// S3Objects returns the functions' S3 client of the local S3 at endpoint, addressing buckets
// by path as S3 does.
func S3Objects(endpoint string) (*s3object.Client, error) {
	return s3object.New(Config(), s3object.Options{Endpoint: endpoint, UsePathStyle: true})
}
