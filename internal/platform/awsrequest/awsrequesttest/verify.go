// Package awsrequesttest checks SigV4 signatures on the server side, so that tests of
// awsrequest's clients against local stand-ins (which accept any signature) still fail
// when what went over the wire is not what was signed: a path escaped differently, a
// header changed, a body whose hash does not match.
package awsrequesttest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Verifier checks requests signed with one secret key.
type Verifier struct {
	Credentials aws.Credentials
	// S3 verifies as S3 does: the path as sent, the payload hash of X-Amz-Content-Sha256.
	S3 bool
	// Now is the clock presigned URLs expire by; nil means time.Now.
	Now func() time.Time
}

// Handler serves next the requests whose signature holds, and answers the others 403 with
// an S3-style XML error SignatureDoesNotMatch naming what was wrong.
func (v Verifier) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			err = v.Verify(r, body)
		}
		if err != nil {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "<Error><Code>SignatureDoesNotMatch</Code><Message>%s</Message></Error>", xmlEscape(err.Error()))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// Verify checks the signature of r, received with body: in its Authorization header, or in
// its query for a presigned URL.
func (v Verifier) Verify(r *http.Request, body []byte) error {
	if r.URL.Query().Get("X-Amz-Signature") != "" {
		return v.verifyPresigned(r)
	}
	auth := r.Header.Get("Authorization")
	scope, signedHeaders, signature, err := parseAuthorization(auth)
	if err != nil {
		return err
	}
	if scope.accessKey != v.Credentials.AccessKeyID {
		return fmt.Errorf("signed with access key %q, want %q", scope.accessKey, v.Credentials.AccessKeyID)
	}
	payloadHash := hexSHA256(body)
	if v.S3 {
		claimed := r.Header.Get("X-Amz-Content-Sha256")
		if claimed != payloadHash && claimed != "UNSIGNED-PAYLOAD" {
			return fmt.Errorf("X-Amz-Content-Sha256 %q is not the body's hash %s", claimed, payloadHash)
		}
		payloadHash = claimed
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("X-Amz-Date: %w", err)
	}
	again := v.rebuild(r, signedHeaders)
	again.ContentLength = r.ContentLength
	if err := v.signer().SignHTTP(context.Background(), v.Credentials, again, payloadHash, scope.service, scope.region, at); err != nil {
		return err
	}
	_, _, want, _ := parseAuthorization(again.Header.Get("Authorization"))
	if want != signature {
		return fmt.Errorf("signature %s, want %s", signature, want)
	}
	return nil
}

func (v Verifier) verifyPresigned(r *http.Request) error {
	q := r.URL.Query()
	scope, err := parseScope(q.Get("X-Amz-Credential"))
	if err != nil {
		return err
	}
	if scope.accessKey != v.Credentials.AccessKeyID {
		return fmt.Errorf("signed with access key %q, want %q", scope.accessKey, v.Credentials.AccessKeyID)
	}
	at, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("X-Amz-Date: %w", err)
	}
	expires, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || expires <= 0 {
		return fmt.Errorf("X-Amz-Expires %q", q.Get("X-Amz-Expires"))
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	if now().After(at.Add(time.Duration(expires) * time.Second)) {
		return fmt.Errorf("the URL expired at %v", at.Add(time.Duration(expires)*time.Second))
	}
	signature := q.Get("X-Amz-Signature")
	again := v.rebuild(r, strings.Split(q.Get("X-Amz-SignedHeaders"), ";"))
	aq := again.URL.Query()
	aq.Del("X-Amz-Signature")
	again.URL.RawQuery = aq.Encode()
	signed, _, err := v.signer().PresignHTTP(context.Background(), v.Credentials, again, "UNSIGNED-PAYLOAD", scope.service, scope.region, at)
	if err != nil {
		return err
	}
	u, err := url.Parse(signed)
	if err != nil {
		return err
	}
	if want := u.Query().Get("X-Amz-Signature"); want != signature {
		return fmt.Errorf("signature %s, want %s", signature, want)
	}
	return nil
}

func (v Verifier) signer() *v4.Signer {
	return v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = v.S3 })
}

// rebuild is r as its client had it when signing: its method, URL and the headers it
// signed.
func (v Verifier) rebuild(r *http.Request, signedHeaders []string) *http.Request {
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	again, _ := http.NewRequest(r.Method, "", http.NoBody)
	again.URL, again.Host = &u, r.Host
	for _, h := range signedHeaders {
		if h == "host" || h == "content-length" {
			continue
		}
		if vs, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
			again.Header[http.CanonicalHeaderKey(h)] = vs
		}
	}
	return again
}

type credentialScope struct{ accessKey, region, service string }

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request,
// SignedHeaders=a;b, Signature=hex".
func parseAuthorization(auth string) (credentialScope, []string, string, error) {
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return credentialScope{}, nil, "", fmt.Errorf("authorization %q is not SigV4", auth)
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = val
	}
	scope, err := parseScope(fields["Credential"])
	if err != nil {
		return credentialScope{}, nil, "", err
	}
	return scope, strings.Split(fields["SignedHeaders"], ";"), fields["Signature"], nil
}

func parseScope(credential string) (credentialScope, error) {
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return credentialScope{}, fmt.Errorf("credential %q is not AKID/date/region/service/aws4_request", credential)
	}
	return credentialScope{accessKey: parts[0], region: parts[2], service: parts[3]}, nil
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
