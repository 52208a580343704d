// Package setup is the use cases of the providers function (SPEC 2): set up, read
// and remove a configuration's payment provider with its secrets in a secret store, and the
// Express Checkout API permission the merchant grants on PayPal.
package setup

import (
	"context"
	"errors"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// SecretStore keeps provider secrets, one secret (a set of values) per name.
type SecretStore interface {
	// Create stores a new secret; the name must not exist yet.
	Create(ctx context.Context, name string, values provider.Secrets) error
	// Read returns a secret's values; ErrSecretGone when the secret is deleted or
	// scheduled for deletion.
	Read(ctx context.Context, name string) (provider.Secrets, error)
	// Delete removes a secret: at once when force (it was never in use), else after the
	// store's recovery window.
	Delete(ctx context.Context, name string, force bool) error
}

// PermissionRequest is what PayPal answers to a request for the merchant's permission.
type PermissionRequest struct {
	Token    string // PayPal's request token
	GrantURL string // where the merchant grants the permission
}

// Grant is the permission the merchant granted: an access token and its secret, which the
// platform signs its API calls on the merchant's behalf with.
type Grant struct {
	Token       string
	TokenSecret string
	Scopes      []string
}

// Permissions is PayPal's Permissions API.
type Permissions interface {
	Request(ctx context.Context, env provider.Env, callbackURL string) (PermissionRequest, error)
	Verify(ctx context.Context, env provider.Env, requestToken, verifier string) (Grant, error)
}

// GrantState is what a permission link was made for; it is kept under the hash of the
// link's single-use state value until the callback takes it.
type GrantState struct {
	Site         string        `json:"site"`
	Service      string        `json:"service"`
	Env          provider.Env  `json:"env"`
	Kind         provider.Kind `json:"kind"`
	PayPalEmail  string        `json:"paypalEmail"`
	RequestToken string        `json:"requestToken"`
	Actor        string        `json:"actor"`
}

// States keeps grant states until they are used or expire.
type States interface {
	Put(ctx context.Context, key string, st GrantState, expires time.Time) error
	// Take returns and deletes the state under key, atomically, so it serves once; a
	// missing, used or expired state is ErrUnknownState.
	Take(ctx context.Context, key string, now time.Time) (GrantState, error)
}

// ErrSecretGone reports a secret that no longer exists or is scheduled for deletion: another
// change of the provider retired it after this one read the settings.
var ErrSecretGone = errors.New("the secret is deleted or scheduled for deletion")

// ErrUnknownState reports a state value that was never issued, was used, or expired.
var ErrUnknownState = errors.New("unknown grant state")
