// Package provider holds the payment provider a site's configuration sells through
// (SPEC 2): the five provider kinds, their fields and the rules that tie them together.
// It is a leaf package: the settings configuration embeds a Setup, so a provider follows
// the site's shared or separate configuration without further code.
package provider

import (
	"encoding/json"
	"time"
)

// Kind is a payment provider.
type Kind string

// The providers of SPEC 2.
const (
	PayflowPro           Kind = "payflow_pro"
	ExpressCheckoutUS    Kind = "express_checkout_us"
	ExpressCheckoutCA    Kind = "express_checkout_ca"
	WebsitePaymentsProUK Kind = "website_payments_pro_uk"
	WorldPay             Kind = "worldpay"
)

// Kinds lists every provider in a stable order.
var Kinds = []Kind{PayflowPro, ExpressCheckoutUS, ExpressCheckoutCA, WebsitePaymentsProUK, WorldPay}

// ExpressCheckout reports whether k is one of the Express Checkout providers, whose API
// permission the merchant grants on PayPal.
func (k Kind) ExpressCheckout() bool { return k == ExpressCheckoutUS || k == ExpressCheckoutCA }

// Payflow reports whether k is one of the Payflow gateway's providers (Payflow Pro and
// Website Payments Pro UK): a Secure Token's hosted page, reported by Silent Post.
func (k Kind) Payflow() bool { return k == PayflowPro || k == WebsitePaymentsProUK }

// PayflowKinds are the kinds whose Payflow() is true.
var PayflowKinds = []Kind{PayflowPro, WebsitePaymentsProUK}

// Currency is an ISO 4217 code the platform knows.
type Currency string

// The currencies of SPEC 2.
const (
	USD Currency = "USD"
	CAD Currency = "CAD"
	GBP Currency = "GBP"
	EUR Currency = "EUR"
)

// AccountType is the PayPal account type of Payflow Pro and Website Payments Pro (UK).
type AccountType string

// The account types; which cards may be chosen depends on them.
const (
	AccountWebsitePaymentsPro               AccountType = "website_payments_pro"
	AccountPaymentsProPayflowEdition        AccountType = "payments_pro_payflow_edition"
	AccountPayflowPro                       AccountType = "payflow_pro"
	AccountWebsitePaymentsProPayflowEdition AccountType = "website_payments_pro_payflow_edition"
)

// Card is a card brand a site accepts.
type Card string

// The card brands of SPEC 2.
const (
	Visa         Card = "visa"
	VisaDebit    Card = "visa_debit"
	VisaElectron Card = "visa_electron"
	MasterCard   Card = "mastercard"
	Amex         Card = "amex"
	Discover     Card = "discover"
	DinersClub   Card = "diners_club"
	JCB          Card = "jcb"
)

// Env is the PayPal or WorldPay environment: the sandbox in test mode, live in production.
type Env string

// The environments.
const (
	Sandbox Env = "sandbox"
	Live    Env = "live"
)

// Permission is the Express Checkout API permission the merchant granted on PayPal. It is
// valid only in the environment it was granted in.
type Permission struct {
	Env       Env       `json:"env"`
	GrantedAt time.Time `json:"grantedAt"`
	Scopes    []string  `json:"scopes,omitempty"`
}

// SecretStatus says whether a secret is set, and since when; never its value.
type SecretStatus struct {
	Set       bool      `json:"set"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// Setup is a configuration's payment provider as stored. Secret values are not here: they
// are in the secret store under SecretRef, and Secrets says which are set.
type Setup struct {
	Kind            Kind        `json:"kind"`
	PartnerID       string      `json:"partnerId,omitempty"`
	Vendor          string      `json:"vendor,omitempty"`
	UserID          string      `json:"userId,omitempty"`
	AccountType     AccountType `json:"accountType,omitempty"`
	ExpressCheckout bool        `json:"expressCheckout,omitempty"`
	Cards           []Card      `json:"cards,omitempty"`
	PayPalEmail     string      `json:"paypalEmail,omitempty"`
	Permission      *Permission `json:"apiPermission,omitempty"`
	InstallationID  string      `json:"installationId,omitempty"`
	// RemoteAdminInstallationID is WorldPay's remote administration installation, through
	// which Boxoffice captures; its password is the secret SecretRemoteAdminPassword.
	RemoteAdminInstallationID string                      `json:"remoteAdminInstallationId,omitempty"`
	Currency                  Currency                    `json:"currency"`
	Secrets                   map[SecretName]SecretStatus `json:"secrets,omitempty"`
	// SecretRef names the secret holding this setup's secret values. Each change of a
	// secret writes a new one, so a reference never changes meaning and may be cached.
	SecretRef string    `json:"secretRef,omitempty"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
}

// MarshalJSON leaves out where the secrets are kept: the API and the audit log say only
// whether each secret is set. (The table codec reads the struct tags, not this method.)
func (s Setup) MarshalJSON() ([]byte, error) {
	type plain Setup
	p := plain(s)
	p.SecretRef = ""
	return json.Marshal(p)
}

// RemoteAdmin reports whether a WorldPay setup has remote administration: Boxoffice can
// capture its payments (both the installation and its password are set up).
func (s *Setup) RemoteAdmin() bool {
	return s != nil && s.Kind == WorldPay && s.RemoteAdminInstallationID != "" && s.Secrets[SecretRemoteAdminPassword].Set
}

// Granted reports whether the Express Checkout permission holds in env.
func (s *Setup) Granted(env Env) bool {
	return s != nil && s.Permission != nil && s.Permission.Env == env
}
