// Package checkoutapp wires the checkout function: its HTTP routes (quotes, orders, the
// buyer's return and cancel) and the scheduled sweep of expired reservations.
package checkoutapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/buyermail"
	"github.com/boxofficehq/boxoffice/internal/checkout/checkouthttp"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/payments/pages"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentsecrets"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal/expresscheckout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/worldpay"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle/throttledb"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

// Config is the checkout function's environment. The dynamodb tags name the actions it
// performs on each table; the template must grant exactly those. Orders are written by
// TransactWriteItems, which IAM authorises per item (PutItem).
type Config struct {
	SitesTable string `env:"SITES_TABLE" dynamodb:"GetItem"`
	// AuditTable records the administrators' captures and voids, each in the transaction
	// of its order's change (TransactWriteItems: PutItem per item). Checkout changes no
	// settings, so the settings store never writes it.
	AuditTable  string `env:"AUDIT_TABLE" dynamodb:"PutItem"`
	PromoTable  string `env:"PROMO_TABLE" dynamodb:"GetItem,UpdateItem"`
	OrdersTable string `env:"ORDERS_TABLE" dynamodb:"GetItem,PutItem,UpdateItem,Query"` // UpdateItem: the buyer e-mails' claims
	// ReservationMinutes is how long an unpaid order holds its code use (the template's
	// ReservationMinutes parameter, 30 by default: Payflow's secure token lives 30 minutes).
	ReservationMinutes string `env:"RESERVATION_MINUTES"`
	// ThrottleTable counts unknown promotion codes against the guessing limits, per site and
	// per buyer e-mail, in windows of CodeGuessWindowMinutes (template parameters of the same
	// names; see guessing.go).
	ThrottleTable          string `env:"THROTTLE_TABLE" dynamodb:"GetItem,UpdateItem"`
	CodeGuessesPerSite     string `env:"CODE_GUESSES_PER_SITE"`
	CodeGuessesPerEmail    string `env:"CODE_GUESSES_PER_EMAIL"`
	CodeGuessWindowMinutes string `env:"CODE_GUESS_WINDOW_MINUTES"`
	// AllowLoopbackURLs accepts http return URLs to a loopback host: "true" on the local
	// stack only.
	AllowLoopbackURLs string `env:"ALLOW_LOOPBACK_URLS"`
	// The payment pages read (never write) the sites' provider secrets under the stack's
	// prefix and the platform's PayPal credentials, and call the providers' hosts of each
	// environment.
	SecretPrefix         string `env:"SECRET_PREFIX" secretsmanager:"GetSecretValue"`
	PayPalPlatformSecret string `env:"PAYPAL_PLATFORM_SECRET" secretsmanager:"GetSecretValue"`
	PayPalSandboxNVP     string `env:"PAYPAL_SANDBOX_NVP"`
	PayPalSandboxWeb     string `env:"PAYPAL_SANDBOX_WEB"`
	PayPalLiveNVP        string `env:"PAYPAL_LIVE_NVP"`
	PayPalLiveWeb        string `env:"PAYPAL_LIVE_WEB"`
	PayflowSandboxAPI    string `env:"PAYFLOW_SANDBOX_API"`
	PayflowSandboxPage   string `env:"PAYFLOW_SANDBOX_PAGE"`
	PayflowLiveAPI       string `env:"PAYFLOW_LIVE_API"`
	PayflowLivePage      string `env:"PAYFLOW_LIVE_PAGE"`
	WorldPaySandboxPage  string `env:"WORLDPAY_SANDBOX_PURCHASE"`
	WorldPaySandboxAdmin string `env:"WORLDPAY_SANDBOX_ADMIN"`
	WorldPayLivePage     string `env:"WORLDPAY_LIVE_PURCHASE"`
	WorldPayLiveAdmin    string `env:"WORLDPAY_LIVE_ADMIN"`
	// PublicAPIURL is the API's public base URL (the template's PublicApiUrl): the payment
	// pages tell the providers to post to <PublicAPIURL>/webhooks/{site}/<route> (WorldPay's
	// MC_callback and so on).
	PublicAPIURL string `env:"API_URL,optional"`
	// The buyer's e-mail on authorisation (a return, or the sweep sending one left due) is
	// sent as the promotion mails are: from SENDER_ADDRESS, an SES identity, under the
	// account's sending rate.
	SenderAddress  string `env:"SENDER_ADDRESS"`
	SenderIdentity string `env:"SENDER_IDENTITY" ses:"SendEmail"`
	SesMaxSendRate string `env:"SES_MAX_SEND_RATE"`
}

// DB is the DynamoDB the checkout function uses.
type DB interface {
	settingsdb.API
	auditdb.Querier
	promodb.UsesAPI
	ordersdb.API
	throttledb.API
}

// App is the checkout function: its router and its sweep.
type App struct {
	Router *httpx.Router
	Sweep  func(ctx context.Context) (checkout.SweepResult, error)
}

// Providers are the providers' payment pages, and their captures and voids.
type Providers interface {
	checkout.PaymentPages
	checkout.Settlements
}

// New builds the checkout function from its environment. providers gets the providers'
// payment pages, captures and voids; ses sends the buyers' e-mails.
func New(env lambdaapp.Lookup, db DB, providers Providers, ses sesmail.SendEmailAPI, log *slog.Logger) (App, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, env); err != nil {
		return App{}, err
	}
	reservation, err := checkout.ParseReservation(cfg.ReservationMinutes)
	if err != nil {
		return App{}, fmt.Errorf("RESERVATION_MINUTES = %w", err)
	}
	loopback, err := strconv.ParseBool(cfg.AllowLoopbackURLs)
	if err != nil {
		return App{}, fmt.Errorf("ALLOW_LOOPBACK_URLS = %q: want true or false", cfg.AllowLoopbackURLs)
	}
	sites, auditLog, err := settingsdb.NewAudited(db, cfg.SitesTable, cfg.AuditTable)
	if err != nil {
		return App{}, err
	}
	uses, err := promodb.NewUses(db, cfg.PromoTable)
	if err != nil {
		return App{}, err
	}
	orders, err := ordersdb.New(db, cfg.OrdersTable, auditLog)
	if err != nil {
		return App{}, err
	}
	guessing, err := newGuessing(cfg, db)
	if err != nil {
		return App{}, err
	}
	sender, err := sesmail.NewConfigured(ses, cfg.SenderAddress, cfg.SesMaxSendRate)
	if err != nil {
		return App{}, err
	}
	c, err := checkout.New(checkout.Deps{Sites: sites, Codes: uses, Orders: orders, Pages: providers, Settle: providers, Now: time.Now,
		Reservation: reservation, AllowLoopback: loopback, Guessing: guessing, Mails: orders, Mailer: buyermail.New(sender)})
	if err != nil {
		return App{}, err
	}
	return App{Router: checkouthttp.NewHandler(checkouthttp.Deps{Checkout: c, Orders: orders, Now: time.Now, Log: log}), Sweep: c.Sweep}, nil
}

// Secrets is the Secrets Manager the payment pages read.
type Secrets interface {
	paymentsecrets.GetSecretValueAPI
}

// NewPages builds the providers' payment pages, captures and voids from the function's
// environment: the Payflow, Express Checkout and WorldPay clients, their secrets read
// through the cached reader. hc calls the providers (nil: a client with a timeout).
func NewPages(env lambdaapp.Lookup, sm Secrets, hc *http.Client, log *slog.Logger) (Providers, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, env); err != nil {
		return nil, err
	}
	if sm == nil {
		return nil, errors.New("checkout: a Secrets Manager client is required")
	}
	if hc == nil {
		hc = &http.Client{Timeout: providerTimeout}
	}
	reader := paymentsecrets.NewReader(sm, 0, nil)
	pf, err := payflow.NewClient(hc, map[provider.Env]payflow.Endpoints{
		provider.Sandbox: {API: cfg.PayflowSandboxAPI, Page: cfg.PayflowSandboxPage},
		provider.Live:    {API: cfg.PayflowLiveAPI, Page: cfg.PayflowLivePage},
	}, log)
	if err != nil {
		return nil, err
	}
	ec, err := expresscheckout.NewClient(hc, map[provider.Env]paypal.Endpoints{
		provider.Sandbox: {API: cfg.PayPalSandboxNVP, Web: cfg.PayPalSandboxWeb},
		provider.Live:    {API: cfg.PayPalLiveNVP, Web: cfg.PayPalLiveWeb},
	}, paypal.PlatformCredentials(reader, cfg.PayPalPlatformSecret), log)
	if err != nil {
		return nil, err
	}
	wp, err := worldpay.NewClient(hc, map[provider.Env]worldpay.Endpoints{
		provider.Sandbox: {Purchase: cfg.WorldPaySandboxPage, Admin: cfg.WorldPaySandboxAdmin},
		provider.Live:    {Purchase: cfg.WorldPayLivePage, Admin: cfg.WorldPayLiveAdmin},
	}, log)
	if err != nil {
		return nil, err
	}
	webhook, err := webhookURLs(cfg.PublicAPIURL)
	if err != nil {
		return nil, err
	}
	return pages.New(pages.Deps{Payflow: pf, Express: ec, WorldPay: wp, Secrets: reader, Webhook: webhook, Log: log})
}

// webhookURLs are the per-site webhook routes under the API's public URL; none when the
// deployment does not set it (the providers then use the URLs set up with them).
func webhookURLs(public string) (func(site string, route pages.WebhookRoute) string, error) {
	if public == "" {
		return nil, nil
	}
	base, err := httpx.ParsePublicURL(public)
	if err != nil {
		return nil, fmt.Errorf("API_URL: %w", err)
	}
	return func(site string, route pages.WebhookRoute) string {
		return base.Link("/webhooks/"+url.PathEscape(site)+"/"+string(route), nil)
	}, nil
}

// providerTimeout bounds one provider call: well inside the function's own timeout.
const providerTimeout = 10 * time.Second
