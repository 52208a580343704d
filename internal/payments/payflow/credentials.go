package payflow

import (
	"errors"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// ErrNoPassword reports a Payflow setup whose secret holds no password: nothing can be
// asked of Payflow for it.
var ErrNoPassword = errors.New("payflow: the setup has no password set")

// CredentialsOf is the login of a Payflow setup (Payflow Pro or Website Payments Pro UK)
// with its secret values: the checkout's pages and the webhooks' inquiries use the same.
func CredentialsOf(s provider.Setup, secrets provider.Secrets) (Credentials, error) {
	password := secrets[provider.SecretPassword]
	if password == "" {
		return Credentials{}, ErrNoPassword
	}
	user := s.UserID
	if user == "" { // Payflow's USER is the vendor login when no other user is set up
		user = s.Vendor
	}
	return Credentials{Partner: s.PartnerID, Vendor: s.Vendor, User: user, Password: password}, nil
}
