// Package webhooksapp wires the webhooks function: the public routes the payment
// providers post their notifications to (SPEC 4.3).
package webhooksapp

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/buyermail"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentsecrets"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/ipn"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
	"github.com/boxofficehq/boxoffice/internal/webhooks"
	"github.com/boxofficehq/boxoffice/internal/webhooks/webhookshttp"
)

// Config is the webhooks function's environment. The dynamodb tags name the actions it
// performs on each table; the template grants exactly those. A notice is stored by
// TransactWriteItems (the ledger item, the order and its history entry), which IAM
// authorises per item (PutItem).
type Config struct {
	SitesTable string `env:"SITES_TABLE" dynamodb:"GetItem"`
	// AuditTable is where the stores would write administrators' changes: they are built
	// with it, but this function makes none, so it has no access to the table.
	AuditTable  string `env:"AUDIT_TABLE"`
	PromoTable  string `env:"PROMO_TABLE" dynamodb:"GetItem,UpdateItem"`
	OrdersTable string `env:"ORDERS_TABLE" dynamodb:"PutItem,UpdateItem,Query"` // UpdateItem: the buyer e-mails' claims
	// ReservationMinutes is how long a code use taken again for an order paid after its
	// reservation ran out holds before it is confirmed (checkout's setting).
	ReservationMinutes string `env:"RESERVATION_MINUTES"`
	// PayPalSandboxIPN and PayPalLiveIPN are PayPal's IPN post-back endpoints, by the
	// message's test_ipn (locally, the PayPal stand-in's).
	PayPalSandboxIPN string `env:"PAYPAL_SANDBOX_IPN"`
	PayPalLiveIPN    string `env:"PAYPAL_LIVE_IPN"`
	// PayPal REST webhooks: the ID PayPal gave the listener registered in each environment
	// (the signature covers it, so it tells the environment; an empty one turns that
	// environment's events away with 503 until it is set). CertURLPrefixes (comma
	// separated) are where a signing certificate may be fetched, PayPal's hosts when empty;
	// WebhookCA (PEM) replaces the system's roots for it: both name the PayPal stand-in
	// locally, never anything the message says.
	PayPalSandboxWebhookID string `env:"PAYPAL_SANDBOX_WEBHOOK_ID,optional"`
	PayPalLiveWebhookID    string `env:"PAYPAL_LIVE_WEBHOOK_ID,optional"`
	PayPalCertURLPrefixes  string `env:"PAYPAL_WEBHOOK_CERT_URL_PREFIXES,optional"`
	PayPalWebhookCA        string `env:"PAYPAL_WEBHOOK_CA,optional"`
	// PayflowSandboxAPI and PayflowLiveAPI are Payflow's gateways, asked (TRXTYPE=I) to
	// confirm a Silent Post, by the order's mode (locally, the Payflow stand-in).
	PayflowSandboxAPI string `env:"PAYFLOW_SANDBOX_API"`
	PayflowLiveAPI    string `env:"PAYFLOW_LIVE_API"`
	// SecretPrefix starts the name of every provider secret: WorldPay's callback password
	// and the Payflow login's password are read (only) under it.
	SecretPrefix string `env:"SECRET_PREFIX" secretsmanager:"GetSecretValue"`
	// The buyer's e-mail on authorisation is sent as the promotion mails are: from
	// SENDER_ADDRESS, an SES identity, under the account's sending rate.
	SenderAddress  string `env:"SENDER_ADDRESS"`
	SenderIdentity string `env:"SENDER_IDENTITY" ses:"SendEmail"`
	SesMaxSendRate string `env:"SES_MAX_SEND_RATE"`
}

// Secrets is the Secrets Manager the callback passwords are read from.
type Secrets interface {
	paymentsecrets.GetSecretValueAPI
}

// DB is the DynamoDB the webhooks function uses.
type DB interface {
	settingsdb.API
	promodb.UsesAPI
	ordersdb.API
}

// New builds the webhooks function's router from its environment; sm holds the providers'
// secrets, read through the cached reader; ses sends the buyers' e-mails; hc makes the IPN
// post-backs (nil: a client with ipn.DefaultTimeout).
func New(env lambdaapp.Lookup, db DB, sm Secrets, ses sesmail.SendEmailAPI, hc *http.Client, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, env); err != nil {
		return nil, err
	}
	reservation, err := checkout.ParseReservation(cfg.ReservationMinutes)
	if err != nil {
		return nil, fmt.Errorf("RESERVATION_MINUTES = %w", err)
	}
	if db == nil || sm == nil {
		return nil, fmt.Errorf("webhooks: a DynamoDB and a Secrets Manager client are required")
	}
	sites, auditLog, err := settingsdb.NewAudited(db, cfg.SitesTable, cfg.AuditTable)
	if err != nil {
		return nil, err
	}
	uses, err := promodb.NewUses(db, cfg.PromoTable)
	if err != nil {
		return nil, err
	}
	orders, err := ordersdb.New(db, cfg.OrdersTable, auditLog)
	if err != nil {
		return nil, err
	}
	sender, err := sesmail.NewConfigured(ses, cfg.SenderAddress, cfg.SesMaxSendRate)
	if err != nil {
		return nil, err
	}
	notices, err := checkout.NewNotices(checkout.Deps{Sites: sites, Codes: uses, Orders: orders, Now: time.Now,
		Reservation: reservation, Mails: orders, Mailer: buyermail.New(sender)})
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{Timeout: ipn.DefaultTimeout}
	}
	verifier, err := ipn.NewVerifier(hc, map[provider.Env]string{provider.Sandbox: cfg.PayPalSandboxIPN, provider.Live: cfg.PayPalLiveIPN}, 0, log)
	if err != nil {
		return nil, err
	}
	rest, err := restVerifier(cfg, hc, log)
	if err != nil {
		return nil, err
	}
	pf, err := payflowClient(cfg, hc, log)
	if err != nil {
		return nil, err
	}
	setups := orderSetups{orders: orders, sites: sites}
	wh, err := webhooks.New(webhooks.Deps{Notices: notices, IPN: verifier, Orders: setups,
		Secrets: paymentsecrets.NewReader(sm, 0, nil), Log: log,
		REST: rest, WebhookIDs: map[provider.Env]string{provider.Sandbox: cfg.PayPalSandboxWebhookID, provider.Live: cfg.PayPalLiveWebhookID},
		Payflow: pf, PayflowOrders: setups})
	if err != nil {
		return nil, err
	}
	return webhookshttp.NewHandler(wh, log), nil
}

// payflowClient asks Payflow's gateways about Silent Posts. It makes no hosted page: the
// page hosts are PayPal's, unused here.
func payflowClient(cfg Config, hc *http.Client, log *slog.Logger) (*payflow.Client, error) {
	return payflow.NewClient(hc, map[provider.Env]payflow.Endpoints{
		provider.Sandbox: {API: cfg.PayflowSandboxAPI, Page: payflow.Hosts[provider.Sandbox].Page},
		provider.Live:    {API: cfg.PayflowLiveAPI, Page: payflow.Hosts[provider.Live].Page},
	}, log)
}
