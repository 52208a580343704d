package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
)

// rules are one kind's fields and constraints (SPEC 2).
type rules struct {
	fields []string
	// cards lists, per account type, the cards that may be chosen; an account type with no
	// cards offers no card choice. Nil when the kind has no account type.
	cards map[AccountType][]Card
	// currencies may be chosen; defaultCurrency applies when none is sent ("" = required).
	currencies      []Currency
	defaultCurrency Currency
}

var payflowCredentials = []string{"partnerId", "vendor", "userId", "accountType", "cards"}

var kindRules = map[Kind]rules{
	PayflowPro: {
		fields: append(slices.Clone(payflowCredentials), "expressCheckout", "currency", string(SecretPassword)),
		cards: map[AccountType][]Card{
			AccountWebsitePaymentsPro:        nil,
			AccountPaymentsProPayflowEdition: {Visa, MasterCard, Amex, Discover},
			AccountPayflowPro:                {Visa, MasterCard, Amex, Discover, DinersClub, JCB},
		},
		currencies: []Currency{USD}, defaultCurrency: USD,
	},
	ExpressCheckoutUS: {
		fields:     []string{"paypalEmail", "currency"},
		currencies: []Currency{USD, CAD, GBP}, defaultCurrency: USD,
	},
	ExpressCheckoutCA: {
		fields:     []string{"paypalEmail", "currency"},
		currencies: []Currency{USD, CAD, GBP}, defaultCurrency: CAD,
	},
	WebsitePaymentsProUK: {
		fields: append(slices.Clone(payflowCredentials), "currency", string(SecretPassword)),
		cards: map[AccountType][]Card{
			AccountWebsitePaymentsPro:               nil,
			AccountWebsitePaymentsProPayflowEdition: {Visa, VisaDebit, VisaElectron, MasterCard},
		},
		currencies: []Currency{USD, CAD, GBP}, defaultCurrency: GBP,
	},
	WorldPay: {
		fields: []string{"installationId", "currency", string(SecretCallbackPassword), string(SecretMD5),
			"remoteAdminInstallationId", string(SecretRemoteAdminPassword)},
		currencies: []Currency{USD, CAD, GBP, EUR},
	},
}

// Formats of the identifiers. Payflow's PARTNER is at most 12 alphanumerics, VENDOR and USER
// are logins of at most 64; WorldPay installation IDs are numeric.
var (
	// Compiled on first use, not in package init: init is paid by every cold start.
	partnerIDFormat      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9]{1,12}$`) })
	loginFormat          = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`) })
	installationIDFormat = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,10}$`) })
	md5SecretFormat      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9]{20,30}$`) })
)

// Validate checks in against SPEC 2 and returns the setup it describes and the secrets it
// sends. prev is the provider being replaced (nil if none): with the same kind, secrets left
// out keep their stored values, and an Express Checkout permission survives when the PayPal
// login stays the same. Every problem is reported at once, each naming its field; no
// message ever quotes a secret.
func (in Input) Validate(prev *Setup) (Setup, Secrets, error) {
	var v apperr.Errors
	r, ok := kindRules[in.Kind]
	if !ok {
		v.Add("kind", fmt.Sprintf("must be one of %s", joinKinds()))
		return Setup{}, nil, v.Err()
	}
	for _, f := range in.fieldsSent() {
		if !slices.Contains(r.fields, f) {
			v.Add(f, fmt.Sprintf("is not a field of %s", in.Kind))
		}
	}
	next := Setup{Kind: in.Kind}
	has := func(f string) bool { return slices.Contains(r.fields, f) }

	if has("partnerId") {
		next.PartnerID = required(&v, "partnerId", in.PartnerID, partnerIDFormat(), "at most 12 letters and digits, as PayPal or your reseller gave it (e.g. PayPal)")
		next.Vendor = required(&v, "vendor", in.Vendor, loginFormat(), "your merchant login: at most 64 letters, digits and . _ @ -")
		next.UserID = required(&v, "userId", in.UserID, loginFormat(), "the API user: at most 64 letters, digits and . _ @ - (the merchant login if you added no users)")
		next.AccountType, next.Cards = checkCards(&v, in.Kind, r.cards, in.AccountType, in.Cards)
	}
	if has("expressCheckout") && in.ExpressCheckout != nil {
		next.ExpressCheckout = *in.ExpressCheckout
	}
	if has("paypalEmail") {
		switch email := trimmed(in.PayPalEmail); {
		case email == "":
			v.Add("paypalEmail", "is required: the e-mail address you log in to PayPal with")
		case !emailaddr.Valid(email):
			v.Add("paypalEmail", "is not a valid e-mail address")
		default:
			next.PayPalEmail = email
			if prev != nil && prev.Kind == in.Kind && strings.EqualFold(prev.PayPalEmail, email) {
				next.Permission = prev.Permission
			}
		}
	}
	if has("installationId") {
		next.InstallationID = required(&v, "installationId", in.InstallationID, installationIDFormat(), "your WorldPay installation ID: digits only (e.g. 204596)")
	}
	next.Currency = checkCurrency(&v, in.Kind, r, in.Currency)
	secrets := checkSecrets(&v, in, prev)
	if has("remoteAdminInstallationId") {
		next.RemoteAdminInstallationID = checkRemoteAdmin(&v, in, prev, next.InstallationID, secrets)
	}
	if err := v.Err(); err != nil {
		return Setup{}, nil, err
	}
	return next, secrets, nil
}

// checkRemoteAdmin checks WorldPay's remote administration: its installation ID and its
// password come both or neither (the password sent, or kept from prev). Without the
// installation, a password kept from prev is removed in secrets, as a PUT replaces it all.
func checkRemoteAdmin(v *apperr.Errors, in Input, prev *Setup, purchaseID string, secrets Secrets) string {
	id := trimmed(in.RemoteAdminInstallationID)
	wasSent := in.RemoteAdminPassword != nil
	sent := ""
	if wasSent {
		sent = *in.RemoteAdminPassword
	}
	kept := prev != nil && prev.Kind == in.Kind && prev.Secrets[SecretRemoteAdminPassword].Set
	if id == "" {
		switch {
		case wasSent && sent != "":
			v.Add("remoteAdminInstallationId", "is required with remoteAdminPassword: the ID of your remote administration installation")
		case kept:
			secrets[SecretRemoteAdminPassword] = "" // the installation goes, and its password with it
		}
		return ""
	}
	switch {
	case !installationIDFormat().MatchString(id):
		v.Add("remoteAdminInstallationId", "must be your WorldPay remote administration installation ID: digits only")
	case id == purchaseID:
		v.Add("remoteAdminInstallationId", "must be the remote administration installation's own ID, not the purchase installation's (installationId)")
	}
	if wasSent && sent == "" || !wasSent && !kept {
		v.Add(string(SecretRemoteAdminPassword), "is required with remoteAdminInstallationId: the remote administration installation's password")
	}
	return id
}

func trimmed(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func required(v *apperr.Errors, field string, p *string, format *regexp.Regexp, want string) string {
	s := trimmed(p)
	switch {
	case s == "":
		v.Add(field, "is required: "+want)
	case !format.MatchString(s):
		v.Add(field, "must be "+want)
	}
	return s
}

func checkCards(v *apperr.Errors, kind Kind, byType map[AccountType][]Card, at *AccountType, cards []Card) (AccountType, []Card) {
	if at == nil || *at == "" {
		v.Add("accountType", "is required: one of "+joinAccountTypes(byType))
		return "", nil
	}
	allowed, ok := byType[*at]
	if !ok {
		v.Add("accountType", fmt.Sprintf("%q is not an account type of %s; use one of %s", *at, kind, joinAccountTypes(byType)))
		return "", nil
	}
	if len(allowed) == 0 {
		if len(cards) > 0 {
			v.Add("cards", fmt.Sprintf("account type %s offers no card choice; leave cards empty", *at))
		}
		return *at, nil
	}
	if len(cards) == 0 {
		v.Add("cards", fmt.Sprintf("choose at least one card for account type %s: %s", *at, joinCards(allowed)))
		return *at, nil
	}
	seen := map[Card]bool{}
	for i, c := range cards {
		field := fmt.Sprintf("cards[%d]", i)
		switch {
		case seen[c]:
			v.Add(field, fmt.Sprintf("%q is listed twice", c))
		case !slices.Contains(allowed, c):
			v.Add(field, fmt.Sprintf("%q is not accepted with account type %s; choose from %s", c, *at, joinCards(allowed)))
		}
		seen[c] = true
	}
	return *at, slices.Clone(cards)
}

func checkCurrency(v *apperr.Errors, kind Kind, r rules, c *Currency) Currency {
	if c == nil || *c == "" {
		if r.defaultCurrency == "" {
			v.Add("currency", "is required for "+string(kind)+": one of "+joinCurrencies(r.currencies))
		}
		return r.defaultCurrency
	}
	cur := Currency(strings.ToUpper(string(*c)))
	if slices.Contains(r.currencies, cur) {
		return cur
	}
	switch {
	case len(r.currencies) == 1:
		v.Add("currency", fmt.Sprintf("%s accepts %s only", kind, r.currencies[0]))
	case cur == EUR:
		v.Add("currency", "EUR is accepted with worldpay only; "+string(kind)+" accepts "+joinCurrencies(r.currencies))
	default:
		v.Add("currency", fmt.Sprintf("must be one of %s", joinCurrencies(r.currencies)))
	}
	return ""
}

// checkSecrets validates the secrets sent and checks every required one is either sent or
// kept. It never quotes a value.
func checkSecrets(v *apperr.Errors, in Input, prev *Setup) Secrets {
	required, optional := SecretFields(in.Kind)
	sent := in.secretsSent()
	out := Secrets{}
	kept := func(name SecretName) bool {
		return prev != nil && prev.Kind == in.Kind && prev.Secrets[name].Set
	}
	for _, name := range required {
		val, ok := sent[name]
		switch {
		case !ok && !kept(name):
			v.Add(string(name), "is required")
		case ok:
			if reason := checkSecret(name, val); reason != "" {
				v.Add(string(name), reason)
			} else {
				out[name] = val
			}
		}
	}
	for _, name := range optional {
		val, ok := sent[name]
		if !ok {
			continue
		}
		if val == "" {
			out[name] = "" // removes it
			continue
		}
		if reason := checkSecret(name, val); reason != "" {
			v.Add(string(name), reason)
		} else {
			out[name] = val
		}
	}
	return out
}

func checkSecret(name SecretName, val string) string {
	for _, r := range val {
		if r < 0x20 || r > 0x7e {
			return "must be printable ASCII characters without line breaks"
		}
	}
	if val != strings.TrimSpace(val) {
		return "must not start or end with a space"
	}
	n := len(val)
	switch name {
	case SecretPassword:
		if n < 6 || n > 32 {
			return fmt.Sprintf("must be 6 to 32 characters (has %d)", n)
		}
	case SecretCallbackPassword, SecretRemoteAdminPassword:
		if n < 1 || n > 64 {
			return fmt.Sprintf("must be 1 to 64 characters (has %d)", n)
		}
	case SecretMD5:
		if !md5SecretFormat().MatchString(val) || !strings.ContainsAny(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ||
			!strings.ContainsAny(val, "abcdefghijklmnopqrstuvwxyz") || !strings.ContainsAny(val, "0123456789") {
			return "must be 20 to 30 letters and digits with at least one upper-case letter, one lower-case letter and one digit, as WorldPay requires"
		}
	}
	return ""
}

func joinKinds() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func joinAccountTypes(m map[AccountType][]Card) string {
	var s []string
	for at := range m {
		s = append(s, string(at))
	}
	slices.Sort(s)
	return strings.Join(s, ", ")
}

func joinCards(cards []Card) string {
	s := make([]string, len(cards))
	for i, c := range cards {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

func joinCurrencies(cs []Currency) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
