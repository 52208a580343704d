package localaws

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3 returns a client of the local, in-process S3 at endpoint. It addresses buckets by path
// (http://host/bucket/key): the local server is a single 127.0.0.1 host, and the SDK's
// default virtual-hosted style would put the bucket into a host name nothing resolves.
func S3(endpoint string) *s3.Client {
	return s3.NewFromConfig(Config(), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
}
