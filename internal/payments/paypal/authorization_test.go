package paypal_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
)

// The X-PP-AUTHORIZATION signature, against a base string and key written out by hand the
// way PayPal's SDK OAuthSignature builds them: PayPalURLEncoder keeps only letters, digits
// and _, turns a space into + and writes every other byte as lower-case %xx (so ~ . - are
// encoded too).
func TestAuthorizationMatchesPayPalSDK(t *testing.T) {
	platform := paypal.Credentials{UserID: "api_user", Password: "a b~c"}
	perm := paypal.Permission{Token: "TOK", TokenSecret: "s.t"}
	base := "POST&https%3a%2f%2fapi%2d3t%2epaypal%2ecom%2fnvp&" +
		"oauth_consumer_key%3dapi_user%26oauth_signature_method%3dHMAC%2dSHA1%26oauth_timestamp%3d1311832612" +
		"%26oauth_token%3dTOK%26oauth_version%3d1%2e0"
	mac := hmac.New(sha1.New, []byte("a+b%7ec&s%2et"))
	mac.Write([]byte(base))
	want := "token=TOK,signature=" + base64.StdEncoding.EncodeToString(mac.Sum(nil)) + ",timestamp=1311832612"
	if got := paypal.Authorization(platform, perm, "POST", "https://api-3t.paypal.com/nvp", time.Unix(1311832612, 0)); got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
}
