// Package providersapp wires the providers function.
package providersapp

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentsdb"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentsecrets"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/payments/setup/setuphttp"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

// Config is the providers function's environment. The dynamodb and secretsmanager tags name
// the actions it performs on what each variable names; the template must grant exactly those.
type Config struct {
	SitesTable string `env:"SITES_TABLE" dynamodb:"GetItem,PutItem,DeleteItem"`
	AuditTable string `env:"AUDIT_TABLE" dynamodb:"PutItem"`
	// SecretPrefix starts the name of every provider secret the function writes.
	SecretPrefix string `env:"SECRET_PREFIX" secretsmanager:"CreateSecret,GetSecretValue,DeleteSecret"`
	// PayPalPlatformSecret names the secret with the platform's PayPal API credentials, a
	// JSON object {"sandbox": {...}, "live": {...}} of paypal.Credentials.
	PayPalPlatformSecret string `env:"PAYPAL_PLATFORM_SECRET" secretsmanager:"GetSecretValue"`
	PayPalSandboxAPI     string `env:"PAYPAL_SANDBOX_API"`
	PayPalSandboxWeb     string `env:"PAYPAL_SANDBOX_WEB"`
	PayPalLiveAPI        string `env:"PAYPAL_LIVE_API"`
	PayPalLiveWeb        string `env:"PAYPAL_LIVE_WEB"`
	// PublicAPIURL is the API's public base URL (the template's PublicApiUrl): PayPal sends
	// a merchant who granted the permission back under it. Empty until configured: the
	// template cannot give a function its own API's URL (see the README).
	PublicAPIURL string `env:"API_URL,optional"`
}

// DB is the DynamoDB the providers function uses.
type DB interface {
	settingsdb.API
	auditdb.Querier
	paymentsdb.GrantStatesAPI
}

// Secrets is the Secrets Manager the providers function uses.
type Secrets interface {
	paymentsecrets.API
}

// New builds the providers function's router from its environment.
func New(env lambdaapp.Lookup, db DB, sm Secrets, hc *http.Client, log *slog.Logger) (*httpx.Router, error) {
	var cfg Config
	err := lambdaapp.LoadEnv(&cfg, env)
	if err != nil {
		return nil, err
	}
	var public httpx.PublicURL
	if cfg.PublicAPIURL != "" {
		if public, err = httpx.ParsePublicURL(cfg.PublicAPIURL); err != nil {
			return nil, fmt.Errorf("API_URL: %w", err)
		}
	}
	store, _, err := settingsdb.NewAudited(db, cfg.SitesTable, cfg.AuditTable)
	if err != nil {
		return nil, err
	}
	states, err := paymentsdb.NewGrantStates(db, cfg.SitesTable)
	if err != nil {
		return nil, err
	}
	secrets, err := paymentsecrets.NewStore(sm, cfg.SecretPrefix)
	if err != nil {
		return nil, err
	}
	perms, err := paypal.NewClient(hc, map[provider.Env]paypal.Endpoints{
		provider.Sandbox: {API: cfg.PayPalSandboxAPI, Web: cfg.PayPalSandboxWeb},
		provider.Live:    {API: cfg.PayPalLiveAPI, Web: cfg.PayPalLiveWeb},
	}, paypal.PlatformCredentials(paymentsecrets.NewReader(sm, 0, nil), cfg.PayPalPlatformSecret))
	if err != nil {
		return nil, err
	}
	m, err := setup.NewManager(setup.Deps{
		Settings: settings.NewManager(store, time.Now), Secrets: secrets, Permissions: perms, States: states,
		SecretPrefix: cfg.SecretPrefix, Now: time.Now, Log: log,
	})
	if err != nil {
		return nil, err
	}
	return setuphttp.NewHandler(setuphttp.Deps{Providers: m, PublicURL: public, Log: log}), nil
}
