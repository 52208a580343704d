// Package registry lists every function the template declares, with how to build it. The
// local server mounts them all, and the tests walk them all, so a new function added here is
// served and checked without further wiring.
package registry

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/app/checkoutapp"
	"github.com/boxofficehq/boxoffice/internal/app/promocreateapp"
	"github.com/boxofficehq/boxoffice/internal/app/promodeleteapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoextendapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoimportapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoreportapp"
	"github.com/boxofficehq/boxoffice/internal/app/providersapp"
	"github.com/boxofficehq/boxoffice/internal/app/settingsapp"
	"github.com/boxofficehq/boxoffice/internal/app/webhooksapp"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/platform/s3object"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

// Clients are the AWS clients a process builds once and hands to its functions.
type Clients struct {
	DynamoDB       *dynamodb.Client
	SecretsManager *awssecrets.Client
	S3             *s3object.Client
	SES            *sesmail.Client
	// HTTP calls payment providers' APIs (nil: a client with a timeout).
	HTTP *http.Client
}

// Function is one Lambda function.
type Function struct {
	// Name is its directory under functions/ (and the template's logical ID, in kebab case,
	// without "Function").
	Name string
	// Config is its zero config value: the variables it reads and the access it needs.
	Config any
	// HTTP builds the router of an HTTP function.
	HTTP func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error)
	// S3 builds the handler of a function that S3 events start.
	S3 func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (lambdaapp.S3Lambda, error)
	// Schedule builds what a function's Schedule event runs (locally, on a timer).
	Schedule func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (func(ctx context.Context) error, error)
}

// Functions is every function of Boxoffice.
var Functions = []Function{
	{
		Name:   "settings",
		Config: settingsapp.Config{},
		HTTP: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			return settingsapp.New(env, c.DynamoDB, log)
		},
	},
	{
		Name:   "providers",
		Config: providersapp.Config{},
		HTTP: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			return providersapp.New(env, c.DynamoDB, c.SecretsManager, c.HTTP, log)
		},
	},
	{
		Name:   "promo-create",
		Config: promocreateapp.Config{},
		HTTP: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			return promocreateapp.New(env, c.promo(), log)
		},
	},
	{
		Name:   "promo-import",
		Config: promoimportapp.Config{},
		S3: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (lambdaapp.S3Lambda, error) {
			return promoimportapp.New(env, c.promo(), log)
		},
	},
	{
		Name:   "promo-report",
		Config: promoreportapp.Config{},
		HTTP: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			return promoreportapp.New(env, c.DynamoDB, log)
		},
	},
	{
		Name:   "promo-extend",
		Config: promoextendapp.Config{},
		HTTP: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			return promoextendapp.New(env, c.DynamoDB, log)
		},
	},
	{
		Name:   "checkout",
		Config: checkoutapp.Config{},
		HTTP: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			app, err := c.checkout(env, log)
			return app.Router, err
		},
		Schedule: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (func(ctx context.Context) error, error) {
			app, err := c.checkout(env, log)
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) error { _, err := app.Sweep(ctx); return err }, nil
		},
	},
	{
		Name:   "webhooks",
		Config: webhooksapp.Config{},
		HTTP: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			var sm webhooksapp.Secrets
			if c.SecretsManager != nil { // a nil *awssecrets.Client must stay a nil interface, so wiring can refuse it
				sm = c.SecretsManager
			}
			return webhooksapp.New(env, c.DynamoDB, sm, c.ses(), c.HTTP, log)
		},
	},
	{
		Name:   "promo-delete",
		Config: promodeleteapp.Config{},
		HTTP: func(env lambdaapp.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			return promodeleteapp.New(env, c.DynamoDB, log)
		},
	},
}

func (c Clients) promo() promoissueapp.Clients {
	return promoissueapp.Clients{DynamoDB: c.DynamoDB, Idempotency: c.DynamoDB, S3: c.S3, SES: c.ses()}
}

// ses is the SES client as the wiring takes it.
func (c Clients) ses() sesmail.SendEmailAPI {
	if c.SES == nil { // a nil *sesmail.Client must stay a nil interface, so wiring can refuse it
		return nil
	}
	return c.SES
}

func (c Clients) checkout(env lambdaapp.Lookup, log *slog.Logger) (checkoutapp.App, error) {
	var sm checkoutapp.Secrets
	if c.SecretsManager != nil { // a nil *awssecrets.Client must stay a nil interface, so wiring can refuse it
		sm = c.SecretsManager
	}
	pages, err := checkoutapp.NewPages(env, sm, c.HTTP, log)
	if err != nil {
		return checkoutapp.App{}, err
	}
	return checkoutapp.New(env, c.DynamoDB, pages, c.ses(), log)
}

// ByName returns the function called name.
func ByName(name string) (Function, bool) {
	for _, f := range Functions {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}
