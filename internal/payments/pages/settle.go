package pages

import (
	"context"
	"fmt"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/worldpay"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

var _ checkout.Settlements = (*Pages)(nil)

// Capture captures an authorised order in full through its provider: Payflow's delayed
// capture (TRXTYPE=D, ORIGID=PNREF), Express Checkout's DoCapture of the authorisation, or
// WorldPay's remote administration (op=postAuth-full) with the remote admin installation.
func (p *Pages) Capture(ctx context.Context, r checkout.PageRequest) (checkout.Settled, error) {
	out, err := p.capture(ctx, r)
	if err != nil {
		return checkout.Settled{}, p.failed(ctx, r, "capture not made", err)
	}
	return out, nil
}

// Void voids an authorised order through its provider: Payflow TRXTYPE=V, Express
// Checkout DoVoid. WorldPay's authorisations are cancelled in its merchant interface.
func (p *Pages) Void(ctx context.Context, r checkout.PageRequest) (checkout.Settled, error) {
	out, err := p.void(ctx, r)
	if err != nil {
		return checkout.Settled{}, p.failed(ctx, r, "void not made", err)
	}
	return out, nil
}

func (p *Pages) capture(ctx context.Context, r checkout.PageRequest) (checkout.Settled, error) {
	o := r.Order
	switch k := r.Provider.Kind; {
	case k.Payflow():
		return p.onPayflow(ctx, r, func(creds payflow.Credentials) (checkout.Settled, error) {
			pnref, err := p.d.Payflow.Capture(ctx, r.Env, creds, o.Refs.PNREF, o.Amounts.TotalMinor, o.Amounts.Currency)
			return checkout.Settled{Refs: checkout.ProviderRefs{CaptureID: pnref}, Note: "captured through Payflow, PNREF " + pnref}, err
		})
	case k.ExpressCheckout():
		return p.onExpress(ctx, r, func(perm paypal.Permission) (checkout.Settled, error) {
			cp, err := p.d.Express.DoCapture(ctx, r.Env, perm, o.Refs.TransactionID, o.Amounts.TotalMinor, o.Amounts.Currency, o.Ref)
			if err == nil && cp.Amount != o.Amounts.TotalMinor {
				err = apperr.New(apperr.CodeConflict, "PayPal captured another amount than order %s's; check the payment on PayPal", o.Ref)
			}
			return checkout.Settled{Refs: checkout.ProviderRefs{CaptureID: cp.TransactionID},
				Note: fmt.Sprintf("captured on PayPal, transaction %s (%s)", cp.TransactionID, cp.Status)}, err
		})
	case k == provider.WorldPay:
		admin, err := p.remoteAdmin(ctx, r.Provider)
		if err == nil {
			err = p.d.WorldPay.Capture(ctx, r.Env, admin, o.Refs.TransactionID)
		}
		return checkout.Settled{Note: "captured through WorldPay's remote administration, transaction " + o.Refs.TransactionID}, err
	}
	return checkout.Settled{}, apperr.New(apperr.CodeConflict, "payment provider %q cannot capture", r.Provider.Kind)
}

func (p *Pages) void(ctx context.Context, r checkout.PageRequest) (checkout.Settled, error) {
	o := r.Order
	switch k := r.Provider.Kind; {
	case k.Payflow():
		return p.onPayflow(ctx, r, func(creds payflow.Credentials) (checkout.Settled, error) {
			pnref, err := p.d.Payflow.Void(ctx, r.Env, creds, o.Refs.PNREF)
			return checkout.Settled{Note: "voided through Payflow, PNREF " + pnref}, err
		})
	case k.ExpressCheckout():
		return p.onExpress(ctx, r, func(perm paypal.Permission) (checkout.Settled, error) {
			return checkout.Settled{Note: "voided on PayPal"}, p.d.Express.DoVoid(ctx, r.Env, perm, o.Refs.TransactionID)
		})
	}
	return checkout.Settled{}, apperr.New(apperr.CodeConflict, "Boxoffice does not void %s payments: cancel the authorisation in the provider's merchant interface", r.Provider.Kind)
}

// onPayflow calls do with the merchant's Payflow login.
func (p *Pages) onPayflow(ctx context.Context, r checkout.PageRequest, do func(payflow.Credentials) (checkout.Settled, error)) (checkout.Settled, error) {
	creds, err := p.payflowCredentials(ctx, r.Provider)
	if err != nil {
		return checkout.Settled{}, err
	}
	return do(creds)
}

// onExpress calls do with the merchant's Express Checkout permission in the order's
// environment.
func (p *Pages) onExpress(ctx context.Context, r checkout.PageRequest, do func(paypal.Permission) (checkout.Settled, error)) (checkout.Settled, error) {
	perm, err := p.permission(ctx, r.Provider, r.Env)
	if err != nil {
		return checkout.Settled{}, err
	}
	return do(perm)
}

// remoteAdmin is WorldPay's remote administration installation with its password; a setup
// without one cannot capture through Boxoffice.
func (p *Pages) remoteAdmin(ctx context.Context, s provider.Setup) (worldpay.RemoteAdmin, error) {
	secrets, err := p.secrets(ctx, s)
	if err != nil {
		return worldpay.RemoteAdmin{}, err
	}
	admin := worldpay.RemoteAdmin{InstallationID: s.RemoteAdminInstallationID, Password: secrets[provider.SecretRemoteAdminPassword]}
	if admin.InstallationID == "" || admin.Password == "" {
		return worldpay.RemoteAdmin{}, apperr.New(apperr.CodeConflict,
			"the WorldPay setup has no remote administration installation: capture in WorldPay's merchant interface and record it")
	}
	return admin, nil
}
