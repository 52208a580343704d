package localenv

import (
	"net/url"

	payflowstandin "github.com/boxofficehq/boxoffice/infra/payflow"
	paypalstandin "github.com/boxofficehq/boxoffice/infra/paypal"
	worldpaystandin "github.com/boxofficehq/boxoffice/infra/worldpay"
	"github.com/boxofficehq/boxoffice/internal/payments/payflow"
)

// StandIns are the base URLs of the local provider stand-ins; an empty one leaves its
// provider's hosts as the template has them.
type StandIns struct {
	PayPal   string // Permissions API, Express Checkout NVP API and PayPal's pages
	Payflow  string // the Payflow gateway and its hosted page
	WorldPay string // WorldPay's payment page and remote administration
	API      string // the local gateway: the API's public URL (the template's PublicApiUrl)
	// PayPalCA is the PayPal stand-in's CA (PEM), which the webhooks function trusts for
	// REST webhook signatures instead of the system's roots ("": the system's).
	PayPalCA string
}

// standInVars are the environment variables that name a provider's hosts, and what each
// becomes locally.
var standInVars = map[string]func(StandIns) string{
	"PAYPAL_SANDBOX_API": paypalBase, "PAYPAL_SANDBOX_WEB": paypalBase, "PAYPAL_LIVE_API": paypalBase, "PAYPAL_LIVE_WEB": paypalBase,
	"PAYPAL_SANDBOX_NVP": paypalBase, "PAYPAL_LIVE_NVP": paypalBase,
	"PAYPAL_SANDBOX_IPN": paypalPath("/cgi-bin/webscr"), "PAYPAL_LIVE_IPN": paypalPath("/cgi-bin/webscr"),
	"PAYPAL_SANDBOX_WEBHOOK_ID": paypalConst(PayPalSandboxWebhookID), "PAYPAL_LIVE_WEBHOOK_ID": paypalConst(PayPalLiveWebhookID),
	"PAYPAL_WEBHOOK_CERT_URL_PREFIXES": paypalPath("/_standin/certs/"), "PAYPAL_WEBHOOK_CA": func(s StandIns) string { return s.PayPalCA },
	"PAYFLOW_SANDBOX_API": payflowBase, "PAYFLOW_LIVE_API": payflowBase,
	"PAYFLOW_SANDBOX_PAGE": payflowPage, "PAYFLOW_LIVE_PAGE": payflowPage,
	"WORLDPAY_SANDBOX_PURCHASE": worldpayPath("/wcc/purchase"), "WORLDPAY_LIVE_PURCHASE": worldpayPath("/wcc/purchase"),
	"WORLDPAY_SANDBOX_ADMIN": worldpayPath("/wcc/itransaction"), "WORLDPAY_LIVE_ADMIN": worldpayPath("/wcc/itransaction"),
}

func paypalBase(s StandIns) string  { return s.PayPal }
func payflowBase(s StandIns) string { return s.Payflow }

func paypalPath(path string) func(StandIns) string {
	return func(s StandIns) string {
		if s.PayPal == "" {
			return ""
		}
		return s.PayPal + path
	}
}

// paypalConst is v when the PayPal stand-in is there.
func paypalConst(v string) func(StandIns) string {
	return func(s StandIns) string {
		if s.PayPal == "" {
			return ""
		}
		return v
	}
}

func payflowPage(s StandIns) string {
	if s.Payflow == "" {
		return ""
	}
	return s.Payflow + payflowstandin.PagePath
}

func worldpayPath(path string) func(StandIns) string {
	return func(s StandIns) string {
		if s.WorldPay == "" {
			return ""
		}
		return s.WorldPay + path
	}
}

// PayflowMerchant is the Payflow login the local Payflow stand-in accepts: set up a Payflow
// Pro or Website Payments Pro (UK) provider with it to pay locally.
var PayflowMerchant = payflow.Credentials{Partner: "PayPal", Vendor: "localmerchant", User: "localmerchant", Password: "local-payflow-password"}

// WorldPayInstallation is the purchase installation the local WorldPay stand-in knows, with
// its MD5 secret and callback password; WorldPayRemoteAdmin is its remote administration
// installation.
var (
	WorldPayInstallation = worldpaystandin.Installation{ID: "100000", MD5Secret: "LocalMd5Secret2026abcd", CallbackPassword: "local-callback-password"}
	WorldPayRemoteAdmin  = worldpaystandin.RemoteAdmin{ID: "100001", Password: "local-remote-password", For: "100000"}
)

// PayPalMerchantEmail is the PayPal account the local PayPal stand-in's notifications name
// as their receiver: set an Express Checkout provider up with it as its paypalEmail for its
// IPNs to be accepted locally.
const PayPalMerchantEmail = "merchant@paypal.local"

// The webhook IDs the PayPal stand-in's listener has locally, per environment: the stand-in
// signs its events (all sandbox ones, as its IPNs are) for the sandbox one.
const (
	PayPalSandboxWebhookID = "LOCAL-SANDBOX-WEBHOOK"
	PayPalLiveWebhookID    = "LOCAL-LIVE-WEBHOOK"
)

// PayPalNotify is where the PayPal stand-in at paypalURL sends its notifications after
// every Express Checkout payment, as PayPal does: IPNs to site's IPN route at api (unless
// the transaction gave its own notify URL), and REST events to site's REST route, as the
// platform registered that listener with PayPal (PayPalSandboxWebhookID).
func PayPalNotify(paypalURL, api, site string) paypalstandin.NotifyConfig {
	routes := api + "/webhooks/" + url.PathEscape(site) + "/paypal/"
	return paypalstandin.NotifyConfig{BaseURL: paypalURL, IPNURL: routes + "ipn", WebhookURL: routes + "rest", WebhookID: PayPalSandboxWebhookID,
		ReceiverEmail: PayPalMerchantEmail, ReceiverID: "LOCALMERCHANT1", OnPayment: true}
}
