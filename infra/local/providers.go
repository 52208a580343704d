package local

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/payflow"
	"github.com/boxofficehq/boxoffice/infra/worldpay"
)

// serveProviders starts the Payflow and WorldPay stand-ins. What they post server to server
// (Payflow's Silent Post, WorldPay's payment response) is posted for real, as the providers
// would, to whatever URL the payment named.
func (s *Stack) serveProviders(opt Options) error {
	notify := notifier(opt.Log)
	pf := payflow.NewServer(localenv.PayflowMerchant)
	pf.SilentPost = notify
	var err error
	if s.PayflowURL, err = s.serve(opt.PayflowPort, pf); err != nil {
		return err
	}
	// The WorldPay stand-in posts its payment responses itself, and shows the buyer the page
	// the callback answered, as WorldPay does.
	wp := worldpay.NewServer([]worldpay.Installation{localenv.WorldPayInstallation}, []worldpay.RemoteAdmin{localenv.WorldPayRemoteAdmin})
	s.WorldPayURL, err = s.serve(opt.WorldPayPort, wp)
	return err
}

// notifier posts a provider's notification form to its URL and logs how it went.
func notifier(log *slog.Logger) func(ctx context.Context, to string, fields url.Values) {
	hc := &http.Client{Timeout: 10 * time.Second}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return func(ctx context.Context, to string, fields url.Values) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, to, strings.NewReader(fields.Encode()))
		if err != nil {
			log.WarnContext(ctx, "provider notification not sent", "url", to, "error", err)
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := hc.Do(req)
		if err != nil {
			log.WarnContext(ctx, "provider notification failed", "url", to, "error", err)
			return
		}
		resp.Body.Close()
		log.InfoContext(ctx, "provider notification posted", "url", to, "status", resp.StatusCode)
	}
}
