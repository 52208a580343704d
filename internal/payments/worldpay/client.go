// Package worldpay is a client of WorldPay's Business Gateway (Hosted Payment Page, HTML
// redirect) as Boxoffice uses it: the purchase form that sends the buyer to WorldPay's
// payment page for a pre-authorisation (authMode=E), MD5-signed when the installation has
// an MD5 secret; the payment response WorldPay posts to the callback URL; and the capture
// of a pre-authorisation through remote administration (op=postAuth-full) with the remote
// admin installation's own ID and password.
package worldpay

import (
	"crypto/md5"
	"encoding/hex"
	"log/slog"
	"regexp"
	"strings"
	"sync"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Endpoints are one WorldPay environment's URLs.
type Endpoints struct {
	Purchase string // the payment page the purchase form is posted to
	Admin    string // remote administration
}

// Hosts are WorldPay's: the test environment in the sandbox, the live one in production.
var Hosts = map[provider.Env]Endpoints{
	provider.Sandbox: {Purchase: "https://secure-test.worldpay.com/wcc/purchase", Admin: "https://secure-test.worldpay.com/wcc/itransaction"},
	provider.Live:    {Purchase: "https://secure.worldpay.com/wcc/purchase", Admin: "https://secure.worldpay.com/wcc/itransaction"},
}

// Client builds purchase forms and calls remote administration.
type Client struct {
	hc        paymentpage.Doer
	endpoints map[provider.Env]Endpoints
	log       *slog.Logger
}

// NewClient returns a client of the given environments (Hosts for WorldPay's own). log gets
// one debug line per remote administration call, never the password.
func NewClient(hc paymentpage.Doer, endpoints map[provider.Env]Endpoints, log *slog.Logger) (*Client, error) {
	log, err := paymentpage.Check("worldpay", hc, endpoints, func(e Endpoints) bool { return e.Purchase != "" && e.Admin != "" }, log)
	if err != nil {
		return nil, err
	}
	return &Client{hc: hc, endpoints: endpoints, log: log}, nil
}

// testMode is WorldPay's testMode of an environment: 100 for test transactions, 0 live.
func testMode(env provider.Env) string {
	if env == provider.Live {
		return "0"
	}
	return "100"
}

// SignatureFields are the purchase fields the MD5 signature covers: who is paid, how much,
// in what, for which order.
const SignatureFields = "instId:amount:currency:cartId"

// Signature is WorldPay's MD5 signature: the hex MD5 of the MD5 secret and the signed
// fields' values, joined by colons.
func Signature(secret string, values ...string) string {
	sum := md5.Sum([]byte(secret + ":" + strings.Join(values, ":")))
	return hex.EncodeToString(sum[:])
}

var (
	installationFormat = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,10}$`) })
	cartIDFormat       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]{1,255}$`) })
)
