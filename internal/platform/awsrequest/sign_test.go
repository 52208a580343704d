package awsrequest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// The published SigV4 examples: AWS's signature test suite (service "service", 2015-08-30)
// and the S3 API reference's header and query examples (bucket examplebucket, 2013-05-24).
var (
	suiteKeys = credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	suiteTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	s3Keys    = credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")
	s3Time    = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	example   = Service{ID: "Example", SigningName: "service", EndpointPrefix: "example"}
	s3Service = Service{ID: "S3", SigningName: "s3", EndpointPrefix: "s3", S3: true}
)

func vectorClient(t *testing.T, svc Service, keys aws.CredentialsProvider, at time.Time, endpoint string) *Client {
	t.Helper()
	c, err := New(aws.Config{Region: "us-east-1", Credentials: keys}, svc, Options{Endpoint: endpoint, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSignMatchesThePublishedExamples(t *testing.T) {
	for _, tc := range []struct {
		name      string
		c         *Client
		method    string
		target    string
		header    http.Header
		signed    string
		signature string
	}{
		{"suite get-vanilla", vectorClient(t, example, suiteKeys, suiteTime, "https://example.amazonaws.com"), "GET", "/", nil,
			"host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"suite get-vanilla-query-order-key-case", vectorClient(t, example, suiteKeys, suiteTime, "https://example.amazonaws.com"), "GET", "/?Param2=value2&Param1=value1", nil,
			"host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
		{"suite post-vanilla", vectorClient(t, example, suiteKeys, suiteTime, "https://example.amazonaws.com"), "POST", "/", nil,
			"host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
		{"S3 GET object", vectorClient(t, s3Service, s3Keys, s3Time, "https://examplebucket.s3.amazonaws.com"), "GET", "/test.txt", http.Header{"Range": {"bytes=0-9"}},
			"host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.c.Endpoint()
			target, err := url.Parse(tc.target)
			if err != nil {
				t.Fatal(err)
			}
			u.Path, u.RawQuery = target.Path, target.RawQuery
			req, err := tc.c.sign(context.Background(), Request{Method: tc.method, URL: u, Header: tc.header})
			if err != nil {
				t.Fatal(err)
			}
			auth := req.Header.Get("Authorization")
			if !strings.Contains(auth, "SignedHeaders="+tc.signed+",") || !strings.HasSuffix(auth, "Signature="+tc.signature) {
				t.Errorf("Authorization = %s\nwant SignedHeaders=%s, Signature=%s", auth, tc.signed, tc.signature)
			}
		})
	}
}

func TestPresignMatchesThePublishedExample(t *testing.T) {
	c := vectorClient(t, s3Service, s3Keys, s3Time, "https://examplebucket.s3.amazonaws.com")
	u := c.Endpoint()
	u.Path = "/test.txt"
	got, err := c.Presign(context.Background(), http.MethodGet, u, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	const want = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z" +
		"&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	if got != want {
		t.Errorf("presigned\n%s\nwant\n%s", got, want)
	}
}
