package s3object_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest/awsrequesttest"
	"github.com/boxofficehq/boxoffice/internal/platform/s3object"
)

const bucket = "boxoffice-uploads-test"

var keys = aws.Credentials{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "local-secret", SessionToken: "local-token"}

func config(region string) aws.Config {
	return aws.Config{Region: region, Credentials: credentials.StaticCredentialsProvider{Value: keys}}
}

// localS3 is the in-process S3 the tests use elsewhere, here behind a check of every
// request's signature (it checks none itself).
func localS3(t *testing.T) *s3object.Client {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(awsrequesttest.Verifier{Credentials: keys, S3: true}.Handler(gofakes3.New(backend).Server()))
	t.Cleanup(srv.Close)
	c, err := s3object.New(config("us-east-1"), s3object.Options{Endpoint: srv.URL, UsePathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Keys as uploads name them, and with what S3 escapes differently from other services.
var testKeys = []string{
	"imports/demo/20261201T120000.000000000Z-0123456789ab.csv",
	"resends/demo/job-1/Zoë Ørsted (2)+final~%.csv",
}

func TestPutThenGet(t *testing.T) {
	c := localS3(t)
	ctx := context.Background()
	for _, key := range testKeys {
		body := []byte("email;name\nzoe@example.com;Zoë\n" + key)
		if err := c.PutObject(ctx, bucket, key, body); err != nil {
			t.Fatalf("put %q: %v", key, err)
		}
		obj, err := c.GetObject(ctx, bucket, key)
		if err != nil {
			t.Fatalf("get %q: %v", key, err)
		}
		got, err := io.ReadAll(obj.Body)
		obj.Body.Close()
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("get %q = %q, %v; want %q", key, got, err, body)
		}
		sum := md5.Sum(body)
		if want := `"` + hex.EncodeToString(sum[:]) + `"`; obj.ETag != want {
			t.Errorf("ETag %s, want %s", obj.ETag, want)
		}
	}
}

func TestPutAnEmptyObject(t *testing.T) {
	c := localS3(t)
	ctx := context.Background()
	if err := c.PutObject(ctx, bucket, "resends/demo/job-1/marker", nil); err != nil {
		t.Fatal(err)
	}
	obj, err := c.GetObject(ctx, bucket, "resends/demo/job-1/marker")
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	if got, _ := io.ReadAll(obj.Body); len(got) != 0 {
		t.Errorf("body %q, want empty", got)
	}
}

func TestGetAMissingObject(t *testing.T) {
	c := localS3(t)
	for _, tc := range []struct{ bucket, code string }{{bucket, "NoSuchKey"}, {"no-such-bucket", "NoSuchBucket"}} {
		_, err := c.GetObject(context.Background(), tc.bucket, "imports/missing.csv")
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != tc.code {
			t.Errorf("get from %s: err = %v, want %s", tc.bucket, err, tc.code)
		}
		var s interface{ HTTPStatusCode() int }
		if !errors.As(err, &s) || s.HTTPStatusCode() != http.StatusNotFound {
			t.Errorf("get from %s: err = %v, want status 404", tc.bucket, err)
		}
	}
}

// A browser PUTs to the presigned URL with nothing but the file: no credentials, no
// headers to copy.
func TestPresignedPut(t *testing.T) {
	c := localS3(t)
	ctx := context.Background()
	for _, key := range testKeys {
		url, err := c.PresignPutObject(ctx, bucket, key, 15*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest(http.MethodPut, url, strings.NewReader("code\nA\n"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT %q to the presigned URL: %s %s", key, resp.Status, answer)
		}
		obj, err := c.GetObject(ctx, bucket, key)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		if string(got) != "code\nA\n" {
			t.Errorf("uploaded %q", got)
		}
	}
	if _, err := c.PresignPutObject(ctx, bucket, testKeys[0], 8*24*time.Hour); err == nil {
		t.Error("a URL valid for 8 days was signed: SigV4 allows 7 at most")
	}
}

// The presigned URL is the very one the SDK's presigner gives, on AWS (virtual-hosted) and
// on a local endpoint (path style).
func TestPresignedPutIsTheSDKs(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		endpoint  string
		pathStyle bool
		bucket    string
		wantHost  string
	}{
		{"AWS", "", false, bucket, bucket + ".s3.eu-west-1.amazonaws.com"},
		{"AWS, a bucket with dots", "", false, "uploads.boxoffice.example", "s3.eu-west-1.amazonaws.com"},
		{"local", "http://127.0.0.1:9000", true, bucket, "127.0.0.1:9000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mine, err := s3object.New(config("eu-west-1"), s3object.Options{Endpoint: tc.endpoint, UsePathStyle: tc.pathStyle, Now: func() time.Time { return at }})
			if err != nil {
				t.Fatal(err)
			}
			sdk := s3.NewPresignClient(s3.NewFromConfig(config("eu-west-1"), func(o *s3.Options) {
				if tc.endpoint != "" {
					o.BaseEndpoint = aws.String(tc.endpoint)
				}
				o.UsePathStyle = tc.pathStyle
			}), func(o *s3.PresignOptions) { o.Presigner = fixedTime{s3Signer, at} })
			for _, key := range testKeys {
				got, err := mine.PresignPutObject(context.Background(), tc.bucket, key, 15*time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				want, err := sdk.PresignPutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(tc.bucket), Key: aws.String(key)}, s3.WithPresignExpires(15*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if got != want.URL {
					t.Errorf("key %q:\n got %s\nwant %s", key, got, want.URL)
				}
				if !strings.HasPrefix(got, "https://"+tc.wantHost+"/") && !strings.HasPrefix(got, "http://"+tc.wantHost+"/") {
					t.Errorf("host of %s, want %s", got, tc.wantHost)
				}
			}
		})
	}
}

// s3Signer is the signer the SDK's S3 client presigns with.
var s3Signer = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })

// fixedTime is the SDK's presigner with its clock stopped.
type fixedTime struct {
	signer *v4.Signer
	at     time.Time
}

func (f fixedTime) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, _ time.Time, optFns ...func(*v4.SignerOptions)) (string, http.Header, error) {
	return f.signer.PresignHTTP(ctx, creds, r, payloadHash, service, region, f.at, optFns...)
}
