// Package checkoutapp wires the checkout function: its HTTP routes (quotes, orders, the
// buyer's return and cancel) and the scheduled sweep of expired reservations.
package checkoutapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/checkout/checkouthttp"
	"github.com/boxofficehq/boxoffice/internal/checkout/ordersdb"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

// Config is the checkout function's environment. The dynamodb tags name the actions it
// performs on each table; the template must grant exactly those. Orders are written by
// TransactWriteItems, which IAM authorises per item (PutItem).
type Config struct {
	SitesTable string `env:"SITES_TABLE" dynamodb:"GetItem"`
	// AuditTable is only named: the settings store is built with its audit log, which
	// checkout never writes (it changes no settings).
	AuditTable  string `env:"AUDIT_TABLE"`
	PromoTable  string `env:"PROMO_TABLE" dynamodb:"GetItem,UpdateItem"`
	OrdersTable string `env:"ORDERS_TABLE" dynamodb:"GetItem,PutItem,Query"`
	// ReservationMinutes is how long an unpaid order holds its code use (the template's
	// ReservationMinutes parameter, 30 by default: Payflow's secure token lives 30 minutes).
	ReservationMinutes string `env:"RESERVATION_MINUTES"`
	// AllowLoopbackURLs accepts http return URLs to a loopback host: "true" on the local
	// stack only.
	AllowLoopbackURLs string `env:"ALLOW_LOOPBACK_URLS"`
}

// DB is the DynamoDB the checkout function uses.
type DB interface {
	settingsdb.API
	auditdb.Querier
	promodb.UsesAPI
	ordersdb.API
}

// App is the checkout function: its router and its sweep.
type App struct {
	Router *httpx.Router
	Sweep  func(ctx context.Context) (checkout.SweepResult, error)
}

// New builds the checkout function from its environment. pages gets the providers'
// payment pages.
func New(env lambdaapp.Lookup, db DB, pages checkout.PaymentPages, log *slog.Logger) (App, error) {
	var cfg Config
	if err := lambdaapp.LoadEnv(&cfg, env); err != nil {
		return App{}, err
	}
	minutes, err := strconv.Atoi(cfg.ReservationMinutes)
	if err != nil || minutes < 1 || minutes > 24*60 {
		return App{}, fmt.Errorf("RESERVATION_MINUTES = %q: want whole minutes from 1 to 1440", cfg.ReservationMinutes)
	}
	loopback, err := strconv.ParseBool(cfg.AllowLoopbackURLs)
	if err != nil {
		return App{}, fmt.Errorf("ALLOW_LOOPBACK_URLS = %q: want true or false", cfg.AllowLoopbackURLs)
	}
	sites, _, err := settingsdb.NewAudited(db, cfg.SitesTable, cfg.AuditTable)
	if err != nil {
		return App{}, err
	}
	uses, err := promodb.NewUses(db, cfg.PromoTable)
	if err != nil {
		return App{}, err
	}
	orders, err := ordersdb.New(db, cfg.OrdersTable)
	if err != nil {
		return App{}, err
	}
	c, err := checkout.New(checkout.Deps{Sites: sites, Codes: uses, Orders: orders, Pages: pages, Now: time.Now,
		Reservation: time.Duration(minutes) * time.Minute, AllowLoopback: loopback})
	if err != nil {
		return App{}, err
	}
	return App{Router: checkouthttp.NewHandler(checkouthttp.Deps{Checkout: c, Orders: orders, Now: time.Now, Log: log}), Sweep: c.Sweep}, nil
}

// Unwired is the payment pages until the providers' clients are wired in: every page is
// refused, so an order that must be paid fails (its code use given back) with a clear
// error, and free orders work.
// TODO(lead): wire the Payflow, Express Checkout and WorldPay clients (branch h-pages).
var Unwired checkout.PaymentPages = unwired{}

type unwired struct{}

func (unwired) Start(context.Context, checkout.PageRequest) (checkout.Page, error) {
	return checkout.Page{}, apperr.New(apperr.CodeConflict, "payment pages are not available yet on this deployment")
}

func (unwired) Finish(context.Context, checkout.PageRequest, url.Values) (checkout.Outcome, error) {
	return checkout.Outcome{}, apperr.New(apperr.CodeConflict, "payment pages are not available yet on this deployment")
}
