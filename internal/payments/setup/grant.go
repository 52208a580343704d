package setup

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"maps"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// GrantTTL is how long a permission link stays usable.
const GrantTTL = time.Hour

// GrantLink is the link an administrator follows to grant the Express Checkout API
// permission on PayPal.
type GrantLink struct {
	URL       string       `json:"url"`
	Env       provider.Env `json:"env"`
	ExpiresAt time.Time    `json:"expiresAt"`
}

// StartGrant asks PayPal (sandbox or live, by the service's mode) for the merchant's
// permission and returns the link to grant it. callbackURL turns the link's single-use
// state value into the URL PayPal sends the merchant back to.
func (m *Manager) StartGrant(ctx context.Context, actor, site string, svc settings.Service, callbackURL func(state string) string) (GrantLink, error) {
	s, err := m.Settings.Get(ctx, site)
	if err != nil {
		return GrantLink{}, err
	}
	p := s.Provider(svc)
	if p == nil || !p.Kind.ExpressCheckout() {
		return GrantLink{}, apperr.New(apperr.CodeConflict, "the API permission is granted for PayPal Express Checkout; set up express_checkout_us or express_checkout_ca for %s first", svc)
	}
	state, err := newState()
	if err != nil {
		return GrantLink{}, apperr.Internal(err)
	}
	env := s.Env(svc)
	req, err := m.Permissions.Request(ctx, env, callbackURL(state))
	if err != nil {
		return GrantLink{}, err
	}
	expires := m.Now().UTC().Add(GrantTTL).Truncate(time.Second)
	st := GrantState{
		Site: site, Service: string(svc), Env: env, Kind: p.Kind, PayPalEmail: p.PayPalEmail,
		RequestToken: req.Token, Actor: actor,
	}
	if err := m.States.Put(ctx, StateKey(state), st, expires); err != nil {
		return GrantLink{}, err
	}
	return GrantLink{URL: req.GrantURL, Env: env, ExpiresAt: expires}, nil
}

// CompleteGrant records the permission PayPal reports on the callback: only for a state
// value that was issued, is unused and unexpired, and whose request token matches, and only
// once PayPal has exchanged the verifier for an access token. It returns the site and
// service the permission was granted for.
func (m *Manager) CompleteGrant(ctx context.Context, state, requestToken, verifier string) (GrantState, error) {
	if state == "" || requestToken == "" || verifier == "" {
		return GrantState{}, apperr.New(apperr.CodeInvalid, "the callback needs state, request_token and verification_code")
	}
	now := m.Now().UTC()
	st, err := m.States.Take(ctx, StateKey(state), now)
	if errors.Is(err, ErrUnknownState) {
		return GrantState{}, apperr.New(apperr.CodeInvalid, "this permission link is unknown, was used already, or expired; ask for a new one")
	}
	if err != nil {
		return GrantState{}, err
	}
	if subtle.ConstantTimeCompare([]byte(st.RequestToken), []byte(requestToken)) != 1 {
		return GrantState{}, apperr.New(apperr.CodeInvalid, "the request token does not belong to this permission link")
	}
	grant, err := m.Permissions.Verify(ctx, st.Env, requestToken, verifier)
	if err != nil {
		return GrantState{}, err
	}
	svc := settings.Service(st.Service)
	cur, err := m.Settings.Get(ctx, st.Site)
	if err != nil {
		return GrantState{}, err
	}
	prev := cur.Provider(svc)
	if prev == nil || prev.Kind != st.Kind || prev.PayPalEmail != st.PayPalEmail {
		return GrantState{}, apperr.New(apperr.CodeConflict, "the provider changed after the permission link was made; ask for a new link")
	}
	next := *prev
	next.Permission = &provider.Permission{Env: st.Env, GrantedAt: now, Scopes: grant.Scopes}
	tokens := provider.Secrets{provider.SecretPermissionToken: grant.Token, provider.SecretPermissionTokenSecret: grant.TokenSecret}
	next.Secrets = maps.Clone(prev.Secrets)
	created, err := m.writeSecrets(ctx, st.Site, prev, &next, tokens, now)
	if err != nil {
		return GrantState{}, err
	}
	next.UpdatedAt, next.UpdatedBy = now, st.Actor
	if _, err := m.save(ctx, st.Actor, st.Site, ActionGrantPermission, svc, prev, created, func(s settings.Site) (settings.Site, error) {
		return s.SetProvider(svc, &next)
	}); err != nil {
		return GrantState{}, err
	}
	return st, nil
}

// StateKey is what a state value is stored under: its hash, so the table never holds a
// usable link.
func StateKey(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

func newState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
