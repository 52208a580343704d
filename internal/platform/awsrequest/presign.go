package awsrequest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// MaxPresignExpiry is the longest a presigned URL may be valid: SigV4 refuses more.
const MaxPresignExpiry = 7 * 24 * time.Hour

// Presign returns a URL that lets whoever holds it call method on u until expires has
// passed, as S3 takes it: the signature in the query, the payload unsigned, only the host
// header signed.
func (c *Client) Presign(ctx context.Context, method string, u url.URL, expires time.Duration) (string, error) {
	if expires < time.Second || expires > MaxPresignExpiry {
		return "", fmt.Errorf("%s: a presigned URL must expire in 1s to %v, not %v", c.service.ID, MaxPresignExpiry, expires)
	}
	if c.creds == nil {
		return "", fmt.Errorf("%s: anonymous credentials cannot presign", c.service.ID)
	}
	q := u.Query()
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10))
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, method, "", http.NoBody)
	if err != nil {
		return "", err
	}
	req.URL, req.Host = &u, u.Host
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return "", fmt.Errorf("retrieve AWS credentials: %w", err)
	}
	signed, _, err := c.signer.PresignHTTP(ctx, creds, req, "UNSIGNED-PAYLOAD", c.service.SigningName, c.region, c.now())
	if err != nil {
		return "", fmt.Errorf("presign: %w", err)
	}
	return signed, nil
}
