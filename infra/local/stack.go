package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	bolt "go.etcd.io/bbolt"

	"github.com/boxofficehq/boxoffice/infra/emulators"
	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/infra/secretsmanager"
	"github.com/boxofficehq/boxoffice/infra/tables"
	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// Options places the local stack. Ports of 0 are picked free.
type Options struct {
	Root string
	// StateDir keeps what survives a restart: DynamoDB Local's data, the S3 objects, the
	// token signing key.
	StateDir    string
	APIPort     int
	DynamoPort  int
	SESPort     int
	S3Port      int
	SecretsPort int
	PayPalPort  int
	// PayflowPort and WorldPayPort place the Payflow and WorldPay stand-ins.
	PayflowPort  int
	WorldPayPort int
	// PayPalNotifySite is the site whose routes the PayPal stand-in posts its
	// notifications to ("" for none): its REST route, as the platform registers its
	// listener with PayPal, and its IPN route for a transaction that names no NOTIFYURL of
	// its own, as a merchant registers it in the PayPal account.
	PayPalNotifySite string
	// SESRate overrides the e-mails per second the functions may send (the template's
	// SesMaxSendRate default) when set.
	SESRate string
	// EmulatorLog receives the emulators' own output.
	EmulatorLog io.Writer
	// Progress, when set, is told each step of the start as it begins (the first start
	// installs the emulators and takes a while).
	Progress io.Writer
	// Log receives the functions' and the gateway's logs.
	Log *slog.Logger
}

// Stack is the running local system.
type Stack struct {
	APIURL     string
	DynamoURL  string
	SESURL     string
	S3URL      string
	SecretsURL string
	PayPalURL  string
	// PayflowURL and WorldPayURL are the Payflow and WorldPay stand-ins.
	PayflowURL  string
	WorldPayURL string
	Signer      *Signer
	Tables      map[string]string

	stops []func() error
}

// Start starts everything: the emulators (data kept under .local/ across restarts), the
// in-process S3 and Secrets Manager, the template's tables, and the gateway with every
// function mounted. On error, whatever had started is stopped again.
func Start(ctx context.Context, opt Options) (_ *Stack, err error) {
	s := &Stack{}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	state := opt.StateDir
	if err := os.MkdirAll(filepath.Join(state, "dynamodb"), 0o755); err != nil {
		return nil, err
	}
	step := func(what string) {
		if opt.Progress != nil {
			fmt.Fprintln(opt.Progress, "  "+what+"...")
		}
	}
	paths := emulators.Paths{} // installed once per machine, outside the checkout
	step("checking the emulators (the first start installs DynamoDB Local and the SES emulator: a minute or two)")
	if err := paths.Ensure(ctx, opt.EmulatorLog); err != nil {
		return nil, fmt.Errorf("install emulators: %w", err)
	}
	step("starting DynamoDB Local and the SES emulator")
	ddb, err := emulators.StartDynamoDB(ctx, paths, emulators.DynamoOptions{Port: opt.DynamoPort, DataDir: filepath.Join(state, "dynamodb"), Log: opt.EmulatorLog})
	if err != nil {
		return nil, err
	}
	s.stops = append(s.stops, ddb.Stop)
	s.DynamoURL = ddb.Endpoint
	ses, err := emulators.StartSES(ctx, paths, emulators.SESOptions{Port: opt.SESPort, Log: opt.EmulatorLog})
	if err != nil {
		return nil, err
	}
	s.stops = append(s.stops, ses.Stop)
	s.SESURL = ses.Endpoint

	tpl, err := template.Load(filepath.Join(opt.Root, template.FileName))
	if err != nil {
		return nil, err
	}
	boltDB, err := bolt.Open(filepath.Join(state, "s3.bolt"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open local S3 store (is another `make run` running?): %w", err)
	}
	s.stops = append(s.stops, boltDB.Close)
	store, err := newS3Store(s3bolt.New(boltDB), tpl, opt.Log)
	if err != nil {
		return nil, err
	}
	if s.S3URL, err = s.serve(opt.S3Port, gofakes3.New(store).Server()); err != nil {
		return nil, err
	}
	// Stopped before the S3 server (stops run newest first), so imports under way can still
	// read their object.
	s.stops = append(s.stops, store.Close)
	secrets, err := secretsmanager.Open(filepath.Join(state, "secrets.json"))
	if err != nil {
		return nil, err
	}
	if s.SecretsURL, err = s.serve(opt.SecretsPort, secrets); err != nil {
		return nil, err
	}
	paypalStandIn := paypal.NewServer(localenv.PayPalPlatform)
	if s.PayPalURL, err = s.serve(opt.PayPalPort, paypalStandIn); err != nil {
		return nil, err
	}
	if err := s.serveProviders(opt); err != nil {
		return nil, err
	}

	step("creating the tables of template.yaml")
	db := localaws.DynamoDB(s.DynamoURL)
	s.Tables, err = tables.Create(ctx, db, tpl, func(id string) string { return id })
	if err != nil {
		return nil, err
	}
	sm, err := localaws.SecretsManager(s.SecretsURL)
	if err != nil {
		return nil, err
	}
	platform, err := localenv.PlatformSecretName(tpl)
	if err != nil {
		return nil, err
	}
	if err := localenv.SeedPlatformSecret(ctx, sm, platform); err != nil {
		return nil, err
	}
	if s.Signer, err = LoadSigner(SignerKeyPath(state)); err != nil {
		return nil, err
	}
	clients := registry.Clients{DynamoDB: db, SecretsManager: sm}
	if clients.S3, err = localaws.S3Objects(s.S3URL); err != nil {
		return nil, err
	}
	if clients.SES, err = localaws.SES(s.SESURL); err != nil {
		return nil, err
	}
	// The functions are told the gateway's URL, so it listens before they are built.
	api, err := listen(opt.APIPort)
	if err != nil {
		return nil, err
	}
	s.APIURL = "http://" + api.Addr().String()
	ca, err := paypalStandIn.CACertPEM()
	if err != nil {
		_ = api.Close()
		return nil, err
	}
	standIns := localenv.StandIns{PayPal: s.PayPalURL, Payflow: s.PayflowURL, WorldPay: s.WorldPayURL, API: s.APIURL, PayPalCA: string(ca)}
	gw, err := mountAll(tpl, localenv.Refs(localenv.Resources(tpl, s.Tables)), standIns, opt.SESRate, clients, store, s.Signer, opt.Log)
	if err != nil {
		_ = api.Close()
		return nil, err
	}
	s.serveOn(api, gw)
	if opt.PayPalNotifySite != "" {
		paypalStandIn.SetNotify(localenv.PayPalNotify(s.PayPalURL, s.APIURL, opt.PayPalNotifySite))
	}
	stopSchedules, err := startSchedules(tpl, localenv.Refs(localenv.Resources(tpl, s.Tables)), standIns, clients, ScheduleEvery, opt.Log)
	if err != nil {
		return nil, err
	}
	s.stops = append(s.stops, stopSchedules)
	return s, nil
}

// mountAll builds every function the template declares, with its template environment
// resolved to the local resources, mounts its routes on a gateway and subscribes it to its
// S3 events.
func mountAll(tpl *template.Template, refs map[string]string, standIns localenv.StandIns, sesRate string, clients registry.Clients, s3 *NotifyingBackend, signer *Signer, log *slog.Logger) (*Gateway, error) {
	fns, err := tpl.Functions()
	if err != nil {
		return nil, err
	}
	gw := NewGateway(signer, log)
	if c, ok := tpl.CORS(); ok {
		gw.SetCORS(c)
	}
	for _, fn := range fns {
		reg, ok := registry.ByName(fn.Name)
		if !ok {
			return nil, fmt.Errorf("%s is declared in the template but not in the registry", fn.LogicalID)
		}
		env, err := localEnv(fn, refs, standIns)
		if err != nil {
			return nil, err
		}
		if _, ok := env["SES_MAX_SEND_RATE"]; ok && sesRate != "" {
			env["SES_MAX_SEND_RATE"] = sesRate
		}
		if reg.HTTP != nil {
			rt, err := reg.HTTP(lambdaapp.MapLookup(env), clients, log.With("function", fn.Name))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", fn.Name, err)
			}
			gw.Mount(fn, lambdaapp.NewHTTPLambda(rt))
		}
		if err := subscribe(s3, fn, reg, env, refs, clients, log); err != nil {
			return nil, err
		}
	}
	return gw, nil
}

// serve listens on 127.0.0.1:port and serves h until Close.
func (s *Stack) serve(port int, h http.Handler) (string, error) {
	ln, err := listen(port)
	if err != nil {
		return "", err
	}
	s.serveOn(ln, h)
	return "http://" + ln.Addr().String(), nil
}

func listen(port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, fmt.Errorf("listen on port %d: %w (is another `make run` running?)", port, err)
	}
	return ln, nil
}

// serveOn serves h on ln until Close.
func (s *Stack) serveOn(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	s.stops = append(s.stops, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	})
}

// Close stops everything, newest first.
func (s *Stack) Close() error {
	var errs []error
	for i := len(s.stops) - 1; i >= 0; i-- {
		errs = append(errs, s.stops[i]())
	}
	s.stops = nil
	return errors.Join(errs...)
}
