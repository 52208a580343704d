package paypal

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Permission is what the merchant granted through the Permissions API: an access token
// and its secret, which the platform's calls on the merchant's account are signed with.
type Permission struct {
	Token       string
	TokenSecret string
}

// String leaves the secret out, so a permission in a log line or an error leaks nothing.
func (p Permission) String() string { return "paypal permission (token and secret redacted)" }

// GoString hides the secret from %#v too.
func (p Permission) GoString() string { return p.String() }

// AuthorizationHeader is the header a call on the merchant's account carries instead of
// the platform's credentials: X-PP-AUTHORIZATION for the classic (NVP) APIs.
const AuthorizationHeader = "X-PP-AUTHORIZATION"

// Authorization signs a call to endpoint (the URL exactly as posted) on the merchant's
// account, as PayPal's SDKs do: an OAuth 1.0 HMAC-SHA1 signature over the method, the
// endpoint and the oauth parameters, keyed by the platform's API password and the token
// secret, every part percent-encoded PayPal's way (PayPalURLEncoder of PayPal's SDKs: only
// letters, digits and _ kept, a space becomes +, hex digits lower case).
func Authorization(platform Credentials, perm Permission, method, endpoint string, at time.Time) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	return "token=" + perm.Token + ",signature=" + signature(platform, perm, method, endpoint, ts) + ",timestamp=" + ts
}

func signature(platform Credentials, perm Permission, method, endpoint, ts string) string {
	params := "oauth_consumer_key=" + platform.UserID + "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=" + ts +
		"&oauth_token=" + perm.Token + "&oauth_version=1.0"
	base := encode(strings.ToUpper(method)) + "&" + encode(endpoint) + "&" + encode(params)
	mac := hmac.New(sha1.New, []byte(encode(platform.Password)+"&"+encode(perm.TokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func encode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' {
			b.WriteByte(c)
			continue
		}
		if c == ' ' {
			b.WriteByte('+')
			continue
		}
		fmt.Fprintf(&b, "%%%02x", c)
	}
	return b.String()
}

// SignedCall is an authorization header taken apart.
type SignedCall struct {
	Token     string
	Signature string
	At        time.Time
}

// ParseAuthorization reads an authorization header (its three parts in any order).
func ParseAuthorization(header string) (SignedCall, error) {
	var sc SignedCall
	var ts string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "token":
			sc.Token = v
		case "signature":
			sc.Signature = v
		case "timestamp":
			ts = v
		}
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if sc.Token == "" || sc.Signature == "" || err != nil {
		return SignedCall{}, fmt.Errorf("paypal: not an authorization header")
	}
	sc.At = time.Unix(n, 0)
	return sc, nil
}

// Verify reports whether the call was signed with perm's secret for this platform,
// method and endpoint.
func (sc SignedCall) Verify(platform Credentials, perm Permission, method, endpoint string) bool {
	want := signature(platform, perm, method, endpoint, strconv.FormatInt(sc.At.Unix(), 10))
	return sc.Token == perm.Token && subtle.ConstantTimeCompare([]byte(want), []byte(sc.Signature)) == 1
}
