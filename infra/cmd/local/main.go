// Command local runs the whole of Boxoffice on this machine (`make run`): emulators, tables
// from the template, every function on one port. Ctrl-C stops everything.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/boxofficehq/boxoffice/infra/local"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "make run:", err)
		os.Exit(1)
	}
}

func run() error {
	var opt local.Options
	flag.IntVar(&opt.APIPort, "api-port", 3000, "port of the HTTP API (every function)")
	flag.IntVar(&opt.DynamoPort, "dynamodb-port", 8000, "port of DynamoDB Local")
	flag.IntVar(&opt.SESPort, "ses-port", 8005, "port of the SES emulator and its mail viewer")
	flag.IntVar(&opt.S3Port, "s3-port", 9000, "port of the local S3")
	flag.IntVar(&opt.SecretsPort, "secrets-port", 9100, "port of the local Secrets Manager")
	flag.IntVar(&opt.PayPalPort, "paypal-port", 9200, "port of the local PayPal stand-in (permission flow, Express Checkout)")
	flag.IntVar(&opt.PayflowPort, "payflow-port", 9300, "port of the local Payflow stand-in (gateway and hosted page)")
	flag.IntVar(&opt.WorldPayPort, "worldpay-port", 9400, "port of the local WorldPay stand-in (payment page, remote admin)")
	flag.StringVar(&opt.SESRate, "ses-rate", "", "e-mails per second the functions may send (default: the template's SesMaxSendRate)")
	consolePort := flag.Int("console-port", 3001, "port of the web console")
	site := flag.String("site", "demo", "site the printed token administers")
	flag.Parse()
	opt.PayPalNotifySite = *site // the PayPal stand-in's REST events (and IPNs without a NOTIFYURL) go to this site's routes

	root, err := local.RepoRoot()
	if err != nil {
		return err
	}
	opt.Root, opt.StateDir = root, local.StateDir(root)
	if err := os.MkdirAll(opt.StateDir, 0o755); err != nil {
		return err
	}
	emuLog, err := os.OpenFile(filepath.Join(opt.StateDir, "emulators.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer emuLog.Close()
	opt.EmulatorLog = emuLog
	opt.Log = slog.New(slog.NewJSONHandler(os.Stderr, nil))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Println("Starting Boxoffice locally:")
	opt.Progress = os.Stdout
	stack, err := local.Start(ctx, opt)
	if err != nil {
		return fmt.Errorf("%w\n(emulator output: %s)", err, emuLog.Name())
	}
	defer func() {
		fmt.Println("\nStopping...")
		if err := stack.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "stop:", err)
		}
	}()
	consoleURL, err := stack.ServeConsole(*consolePort, local.ConsoleDir(root))
	if err != nil {
		return err
	}
	token, err := stack.Signer.Mint("local-admin", "admin@example.com", []string{*site}, 24*time.Hour)
	if err != nil {
		return err
	}
	checkoutToken, err := stack.Signer.MintScoped("local-platform", "", []string{*site}, "checkout", 24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Printf(`
Boxoffice is running.

  Web console    %[10]s   (sign in with a site of your choice)
  API            %[1]s
  Mail viewer    %[2]s
  S3             %[3]s   (path-style; credentials local/local)
  DynamoDB       %[4]s
  Secrets        %[5]s
  PayPal         %[9]s   (stand-in: Express Checkout permission flow, NVP API, approval page)
  Payflow        %[11]s   (stand-in: gateway; hosted page at /checkout)
  WorldPay       %[12]s   (stand-in: payment page /wcc/purchase, remote admin)
  Data kept in   %[6]s

  Token for site %[7]q (24 h; more with: make token SITE=other):
  export TOKEN=%[8]s
  The platform's checkout token (checkout routes only; more with: make token SCOPE=checkout):
  export CHECKOUT=%[13]s

  Try:
  curl -s -H "Authorization: Bearer $TOKEN" %[1]s/sites/%[7]s/settings

Ctrl-C stops everything.
`, stack.APIURL, stack.SESURL, stack.S3URL, stack.DynamoURL, stack.SecretsURL, opt.StateDir, *site, token, stack.PayPalURL, consoleURL, stack.PayflowURL, stack.WorldPayURL, checkoutToken)
	<-ctx.Done()
	return nil
}
