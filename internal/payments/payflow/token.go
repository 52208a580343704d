package payflow

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// TokenLifetime is how long Payflow keeps a Secure Token usable.
const TokenLifetime = 30 * time.Minute

// TokenRequest is an authorisation to be paid on the hosted page.
type TokenRequest struct {
	// TokenID is ours (SECURETOKENID): 36 characters, unique per order; NewTokenID makes one.
	TokenID  string
	Amount   int64 // minor units
	Currency string
	// Invoice is the order reference (INVNUM), shown to the merchant in PayPal Manager.
	Invoice string
	// Where the hosted page sends the buyer back: RETURNURL after a payment, CANCELURL when
	// the buyer cancels, ERRORURL after a decline (the return URL when empty); and where
	// Payflow posts the result server to server (SILENTPOSTURL, optional).
	ReturnURL, CancelURL, ErrorURL, SilentPostURL string
}

// SecureToken is what Payflow answers: the token and the form that sends the buyer to pay.
type SecureToken struct {
	Token   string
	TokenID string
	Page    paymentpage.Redirect
}

var (
	tokenIDFormat = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9-]{36}$`) })
	invoiceFormat = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]{1,127}$`) })
)

// NewTokenID returns a fresh random secure token ID: 36 letters and digits (the guide asks
// for a unique alphanumeric value of up to 36 characters; dashes are not alphanumeric).
func NewTokenID() string {
	return (rand.Text() + rand.Text())[:36]
}

// CreateSecureToken asks Payflow for a Secure Token of an authorisation (TRXTYPE=A) and
// returns it with the form that takes the buyer to the hosted page. Calling it again with
// the same request is answered once (and Payflow refuses a token ID used before).
func (c *Client) CreateSecureToken(ctx context.Context, env provider.Env, creds Credentials, r TokenRequest) (SecureToken, error) {
	if !tokenIDFormat().MatchString(r.TokenID) {
		return SecureToken{}, fmt.Errorf("payflow: the secure token ID must be 36 letters, digits or dashes")
	}
	if !invoiceFormat().MatchString(r.Invoice) {
		return SecureToken{}, fmt.Errorf("payflow: the invoice must be 1-127 letters, digits, '.', '_' or '-'")
	}
	if r.Amount <= 0 {
		return SecureToken{}, fmt.Errorf("payflow: an authorisation needs an amount above zero")
	}
	amt, err := paymentpage.FormatAmount(r.Amount, r.Currency)
	if err != nil {
		return SecureToken{}, fmt.Errorf("payflow: %w", err)
	}
	if r.ErrorURL == "" {
		r.ErrorURL = r.ReturnURL
	}
	for name, u := range map[string]string{"return": r.ReturnURL, "cancel": r.CancelURL, "error": r.ErrorURL} {
		if !absolute(u) {
			return SecureToken{}, fmt.Errorf("payflow: the %s URL must be an absolute http(s) URL", name)
		}
	}
	fields := []paymentpage.Field{
		{Name: "TRXTYPE", Value: "A"}, {Name: "AMT", Value: amt}, {Name: "CURRENCY", Value: r.Currency},
		{Name: "CREATESECURETOKEN", Value: "Y"}, {Name: "SECURETOKENID", Value: r.TokenID},
		{Name: "INVNUM", Value: r.Invoice}, {Name: "URLMETHOD", Value: "POST"},
		{Name: "RETURNURL", Value: r.ReturnURL}, {Name: "CANCELURL", Value: r.CancelURL}, {Name: "ERRORURL", Value: r.ErrorURL},
	}
	if r.SilentPostURL != "" {
		if !absolute(r.SilentPostURL) {
			return SecureToken{}, fmt.Errorf("payflow: the silent post URL must be an absolute http(s) URL")
		}
		fields = append(fields, paymentpage.Field{Name: "SILENTPOSTURL", Value: r.SilentPostURL})
	}
	reply, err := c.call(ctx, env, creds, "SecureToken", true, fields)
	if err != nil {
		return SecureToken{}, err
	}
	token := reply["SECURETOKEN"]
	if token == "" || len(token) > 64 || reply["SECURETOKENID"] != r.TokenID {
		return SecureToken{}, &paymentpage.Unavailable{Provider: "payflow", Op: "SecureToken", Err: fmt.Errorf("the reply has no secure token for our token ID")}
	}
	page := []paymentpage.Field{{Name: "SECURETOKEN", Value: token}, {Name: "SECURETOKENID", Value: r.TokenID}}
	if env != provider.Live {
		page = append(page, paymentpage.Field{Name: "MODE", Value: "TEST"})
	}
	return SecureToken{Token: token, TokenID: r.TokenID, Page: paymentpage.Form(c.endpoints[env].Page, page...)}, nil
}

func absolute(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
