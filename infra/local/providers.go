package local

import (
	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/payflow"
	"github.com/boxofficehq/boxoffice/infra/worldpay"
)

// serveProviders starts the Payflow and WorldPay stand-ins. They post what they send server
// to server (Payflow's Silent Post, WorldPay's payment response) themselves, for real, as
// the providers do, to whatever URL the payment named: the local gateway's webhook routes.
func (s *Stack) serveProviders(opt Options) error {
	pf := payflow.NewServer(localenv.PayflowMerchant)
	var err error
	if s.PayflowURL, err = s.serve(opt.PayflowPort, pf); err != nil {
		return err
	}
	// WorldPay's stand-in also shows the buyer the page the callback answered, as WorldPay does.
	wp := worldpay.NewServer([]worldpay.Installation{localenv.WorldPayInstallation}, []worldpay.RemoteAdmin{localenv.WorldPayRemoteAdmin})
	s.WorldPayURL, err = s.serve(opt.WorldPayPort, wp)
	return err
}
