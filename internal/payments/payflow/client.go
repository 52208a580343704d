// Package payflow is a client of PayPal's Payflow gateway (Payflow Pro and Website Payments
// Pro UK) as Boxoffice uses it: a Secure Token for an authorisation (TRXTYPE=A,
// CREATESECURETOKEN=Y) whose hosted checkout page the buyer pays on, the result that page
// posts back (trusted only once an inquiry, TRXTYPE=I, confirms it), and the delayed capture
// (TRXTYPE=D) or void (TRXTYPE=V) of the authorisation.
package payflow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// Endpoints are one Payflow environment's hosts.
type Endpoints struct {
	API  string // the gateway the name-value requests are posted to
	Page string // the hosted checkout page the buyer's browser posts the token to
}

// Hosts are PayPal's: the pilot gateway in the sandbox, the live one in production. The
// hosted page has one host; MODE=TEST makes it use the pilot.
var Hosts = map[provider.Env]Endpoints{
	provider.Sandbox: {API: "https://pilot-payflowpro.paypal.com", Page: "https://payflowlink.paypal.com"},
	provider.Live:    {API: "https://payflowpro.paypal.com", Page: "https://payflowlink.paypal.com"},
}

// Credentials are a merchant's Payflow login: PARTNER, VENDOR, USER and PWD.
type Credentials struct {
	Partner  string
	Vendor   string
	User     string
	Password string
}

// String leaves the password out, so credentials in a log line or an error leak nothing.
func (c Credentials) String() string {
	return fmt.Sprintf("payflow %s/%s/%s (password redacted)", c.Partner, c.Vendor, c.User)
}

// GoString hides the password from %#v too.
func (c Credentials) GoString() string { return c.String() }

// LogValue hides the password from slog.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

func (c Credentials) fields() []paymentpage.Field {
	return []paymentpage.Field{{Name: "PARTNER", Value: c.Partner}, {Name: "VENDOR", Value: c.Vendor}, {Name: "USER", Value: c.User}, {Name: "PWD", Value: c.Password}}
}

// Client calls the Payflow gateway.
type Client struct {
	hc        paymentpage.Doer
	endpoints map[provider.Env]Endpoints
	log       *slog.Logger
}

// NewClient returns a client of the given environments (Hosts for PayPal's own). log gets
// one debug line per call, never a credential.
func NewClient(hc paymentpage.Doer, endpoints map[provider.Env]Endpoints, log *slog.Logger) (*Client, error) {
	log, err := paymentpage.Check("payflow", hc, endpoints, func(e Endpoints) bool { return e.API != "" && e.Page != "" }, log)
	if err != nil {
		return nil, err
	}
	return &Client{hc: hc, endpoints: endpoints, log: log}, nil
}

// Result codes of Payflow that the client tells apart.
const (
	ResultApproved = 0
	// ResultNotFound answers an inquiry about a token no transaction was made with yet.
	ResultNotFound = 19
)

// call sends one transaction and returns the reply's fields when RESULT is 0. A request
// that changes something (once) gets a request ID made of its fields, so that sending it
// again is the same request, which Payflow performs at most once; an inquiry gets a fresh
// one, so that it is answered anew.
func (c *Client) call(ctx context.Context, env provider.Env, creds Credentials, op string, once bool, fields []paymentpage.Field) (map[string]string, error) {
	ep, ok := c.endpoints[env]
	if !ok {
		return nil, fmt.Errorf("payflow: unknown environment %q", env)
	}
	id := rand.Text()
	if once {
		id = Encode(fields)
	}
	sum := sha256.Sum256([]byte(creds.Vendor + "\x00" + id))
	started := time.Now()
	raw, err := paymentpage.Post(ctx, c.hc, paymentpage.Call{
		Provider: "payflow", Op: op, URL: ep.API, ContentType: "text/namevalue",
		Body: Encode(append(creds.fields(), fields...)),
		Header: map[string][]string{
			"X-Vps-Request-Id":     {hex.EncodeToString(sum[:16])},
			"X-Vps-Client-Timeout": {"45"},
		},
	})
	if err != nil {
		c.log.DebugContext(ctx, "payflow call failed", "op", op, "env", env, "error", err)
		return nil, err
	}
	reply, err := Decode(string(raw))
	if err != nil {
		return nil, &paymentpage.Unavailable{Provider: "payflow", Op: op, Err: err}
	}
	result, err := strconv.Atoi(reply["RESULT"])
	if err != nil {
		return nil, &paymentpage.Unavailable{Provider: "payflow", Op: op, Err: fmt.Errorf("RESULT %q is not a number", reply["RESULT"])}
	}
	c.log.DebugContext(ctx, "payflow call", "op", op, "env", env, "result", result, "respmsg", reply["RESPMSG"], "pnref", reply["PNREF"], "took", time.Since(started))
	switch {
	case result < 0: // a communication error: nothing was attempted
		return nil, &paymentpage.Unavailable{Provider: "payflow", Op: op, Retryable: true, Err: fmt.Errorf("RESULT %d %s", result, reply["RESPMSG"])}
	case result > 0:
		return reply, &paymentpage.Refused{Provider: "payflow", Op: op, Code: strconv.Itoa(result), Message: reply["RESPMSG"]}
	}
	return reply, nil
}

// ResultCode returns Payflow's RESULT of a refusal, or -1 when err is not one.
func ResultCode(err error) int {
	r, ok := paymentpage.IsRefused(err)
	if !ok || r.Provider != "payflow" {
		return -1
	}
	n, err := strconv.Atoi(r.Code)
	if err != nil {
		return -1
	}
	return n
}
