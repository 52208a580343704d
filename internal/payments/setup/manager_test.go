package setup

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

const prefix = "boxoffice/test/providers/"

type rig struct {
	m       *Manager
	store   *memSettings
	secrets *memSecrets
	states  *memStates
}

func newRig(t *testing.T) rig {
	t.Helper()
	r := rig{store: &memSettings{}, secrets: &memSecrets{}, states: &memStates{}}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	m, err := NewManager(Deps{
		Settings: settings.NewManager(r.store, func() time.Time { return now }), Secrets: r.secrets, States: r.states,
		Permissions: fakePermissions{
			request: func(env provider.Env, cb string) (PermissionRequest, error) {
				return PermissionRequest{Token: "REQ-1", GrantURL: "https://www." + string(env) + ".paypal.example/grant?request_token=REQ-1"}, nil
			},
			verify: func(_ provider.Env, token, verifier string) (Grant, error) {
				if verifier != "good" {
					return Grant{}, apperr.New(apperr.CodeInvalid, "refused")
				}
				return Grant{Token: "ACCESS", TokenSecret: "TOKENSECRET", Scopes: []string{"EXPRESS_CHECKOUT"}}, nil
			},
		},
		SecretPrefix: prefix, Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	r.m = m
	return r
}

func str(s string) *string { return &s }

func payflow(password *string) provider.Input {
	at := provider.AccountWebsitePaymentsPro
	return provider.Input{Kind: provider.PayflowPro, PartnerID: str("PayPal"), Vendor: str("acme"), UserID: str("acme"), AccountType: &at, Password: password}
}

func TestPutWritesOneSecretAndKeepsItForNonSecretChanges(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("first-pw")))
	if err != nil {
		t.Fatal(err)
	}
	ref := s.Provider(settings.Events).SecretRef
	if !strings.HasPrefix(ref, prefix+"acme/payflow_pro/") || r.secrets.live[ref][provider.SecretPassword] != "first-pw" {
		t.Fatalf("secret %q = %v", ref, r.secrets.live[ref])
	}
	in := payflow(nil)
	in.Vendor = str("acme2")
	s, err = r.m.Put(ctx, "u1", "acme", settings.Events, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Provider(settings.Events); got.SecretRef != ref || got.Vendor != "acme2" || len(r.secrets.live) != 1 {
		t.Errorf("a non-secret change moved the secret: %q, %d live", got.SecretRef, len(r.secrets.live))
	}
	// The same setup again changes nothing and audits nothing.
	before := len(r.store.entries)
	if _, err := r.m.Put(ctx, "u1", "acme", settings.Events, in); err != nil {
		t.Fatal(err)
	}
	if len(r.store.entries) != before {
		t.Error("an identical PUT was audited")
	}
}

func TestNewPasswordReplacesTheSecretAndRetiresTheOld(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s, _ := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("first-pw")))
	old := s.Provider(settings.Events).SecretRef
	s, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("second-pw")))
	if err != nil {
		t.Fatal(err)
	}
	ref := s.Provider(settings.Events).SecretRef
	if ref == old || r.secrets.live[ref][provider.SecretPassword] != "second-pw" {
		t.Fatalf("new secret %q", ref)
	}
	if len(r.secrets.scheduled) != 1 || r.secrets.scheduled[0] != old {
		t.Errorf("scheduled = %v, want the old secret", r.secrets.scheduled)
	}
	// Removing the provider retires its secret too.
	if _, err := r.m.Remove(ctx, "u1", "acme", settings.Events); err != nil {
		t.Fatal(err)
	}
	if len(r.secrets.live) != 0 || len(r.secrets.scheduled) != 2 {
		t.Errorf("after removal: %d live, scheduled %v", len(r.secrets.live), r.secrets.scheduled)
	}
}

func TestFailedSaveRemovesTheNewSecret(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.store.onSave = func(settings.Site) error { return apperr.Internal(errors.New("table unavailable")) }
	if _, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("first-pw"))); err == nil {
		t.Fatal("want the save error")
	}
	if len(r.secrets.live) != 0 || len(r.secrets.forced) != 1 {
		t.Errorf("after a failed save: %d live, forced %v", len(r.secrets.live), r.secrets.forced)
	}
}

func TestSharedSecretIsRetiredOnlyWhenUnreferenced(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	sm := settings.NewManager(r.store, nil)
	for _, svc := range settings.Services {
		if _, err := sm.Update(ctx, "u1", "acme", svc, settings.Patch{Enabled: func() *bool { b := true; return &b }()}); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("first-pw")))
	ref := s.Provider(settings.Training).SecretRef
	if ref == "" || ref != s.Provider(settings.Events).SecretRef {
		t.Fatal("a shared configuration should share the provider")
	}
	// Training goes its own way (disabled, keeps its copy); events gets a new password.
	if _, err := sm.Update(ctx, "u1", "acme", settings.Training, settings.Patch{Enabled: func() *bool { b := false; return &b }()}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("second-pw"))); err != nil {
		t.Fatal(err)
	}
	if len(r.secrets.scheduled) != 0 {
		t.Errorf("a secret training still uses was retired: %v", r.secrets.scheduled)
	}
}

func TestConcurrentProviderChangeIsRefused(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("first-pw"))); err != nil {
		t.Fatal(err)
	}
	// Between this Put's read and its save, someone else replaces the provider.
	raced := false
	r.store.onSave = func(next settings.Site) error {
		if raced {
			return nil
		}
		raced = true
		other := newRig(t)
		other.store = r.store
		cur, _ := r.store.Get(ctx, "acme")
		p := *cur.Provider(settings.Events)
		p.SecretRef, p.UpdatedAt = prefix+"acme/payflow_pro/other", p.UpdatedAt.Add(time.Second)
		cur, _ = cur.SetProvider(settings.Events, &p)
		cur.Version++
		r.store.sites["acme"] = cur
		return settings.ErrVersionConflict
	}
	_, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("second-pw")))
	if apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("want conflict, got %v", err)
	}
	if len(r.secrets.forced) != 1 {
		t.Errorf("the refused change's secret was not removed: forced %v", r.secrets.forced)
	}
}

// TestSecretRetiredMeanwhileIsAConflict: between this change's read of the settings and its
// read of the provider's secret, another change replaced the provider and retired that
// secret. The change was made over a provider that is gone: 409, not a 500.
func TestSecretRetiredMeanwhileIsAConflict(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("first-pw"))); err != nil {
		t.Fatal(err)
	}
	cur, _ := r.store.Get(ctx, "acme")
	if err := r.secrets.Delete(ctx, cur.Provider(settings.Events).SecretRef, false); err != nil {
		t.Fatal(err)
	}
	_, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("second-pw")))
	if apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("want conflict, got %v", err)
	}
}

func TestGrantFlow(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.m.StartGrant(ctx, "u1", "acme", settings.Events, func(string) string { return "" }); apperr.CodeOf(err) != apperr.CodeConflict {
		t.Fatalf("a link without Express Checkout: %v", err)
	}
	if _, err := r.m.Put(ctx, "u1", "acme", settings.Events, provider.Input{Kind: provider.ExpressCheckoutUS, PayPalEmail: str("pay@acme.example")}); err != nil {
		t.Fatal(err)
	}
	var state string
	link, err := r.m.StartGrant(ctx, "u1", "acme", settings.Events, func(s string) string {
		state = s
		return "https://api.example/cb?" + url.Values{"state": {s}}.Encode()
	})
	if err != nil || link.Env != provider.Sandbox || !strings.Contains(link.URL, "sandbox") || len(state) < 40 {
		t.Fatalf("link %+v, state %q, err %v", link, state, err)
	}
	if _, ok := r.states.m[state]; ok {
		t.Error("the state is stored in the clear")
	}
	for name, tc := range map[string]struct{ state, token, verifier string }{
		"unknown state": {"forged", "REQ-1", "good"},
		"wrong token":   {state, "REQ-2", "good"},
	} {
		if _, err := r.m.CompleteGrant(ctx, tc.state, tc.token, tc.verifier); apperr.CodeOf(err) != apperr.CodeInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The wrong token used the state up: a new link is needed.
	link, _ = r.m.StartGrant(ctx, "u1", "acme", settings.Events, func(s string) string { state = s; return "cb" })
	st, err := r.m.CompleteGrant(ctx, state, "REQ-1", "good")
	if err != nil || st.Site != "acme" || st.Service != "events" {
		t.Fatalf("complete: %+v %v", st, err)
	}
	s, _ := r.m.Get(ctx, "acme")
	p := s.Provider(settings.Events)
	if !p.Granted(provider.Sandbox) || p.Granted(provider.Live) || r.secrets.live[p.SecretRef][provider.SecretPermissionTokenSecret] != "TOKENSECRET" {
		t.Errorf("after the grant: %+v", p)
	}
	if _, err := r.m.CompleteGrant(ctx, state, "REQ-1", "good"); apperr.CodeOf(err) != apperr.CodeInvalid {
		t.Errorf("a state served twice: %v", err)
	}
	// A new PayPal login drops the old login's permission and its tokens.
	ref := p.SecretRef
	s, err = r.m.Put(ctx, "u1", "acme", settings.Events, provider.Input{Kind: provider.ExpressCheckoutUS, PayPalEmail: str("new@acme.example")})
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Provider(settings.Events); p.Permission != nil || p.SecretRef != "" || len(r.secrets.live) != 0 || r.secrets.scheduled[len(r.secrets.scheduled)-1] != ref {
		t.Errorf("after a new login: %+v, live %d", p, len(r.secrets.live))
	}
}

// TestJoiningRetiresTheDroppedProvidersSecret: a service that joins the other's
// configuration drops its own provider; the settings record its secret as retired, and the
// next provider change schedules its deletion.
func TestJoiningRetiresTheDroppedProvidersSecret(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	sm := settings.NewManager(r.store, nil)
	yes := true
	if _, err := sm.Update(ctx, "u1", "acme", settings.Events, settings.Patch{Enabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("events-pw"))); err != nil {
		t.Fatal(err)
	}
	wp := provider.Input{Kind: provider.WorldPay, InstallationID: str("204596"), CallbackPassword: str("training-cb"), Currency: func() *provider.Currency { c := provider.GBP; return &c }()}
	s, err := r.m.Put(ctx, "u1", "acme", settings.Training, wp)
	if err != nil {
		t.Fatal(err)
	}
	dropped := s.Provider(settings.Training).SecretRef
	s, err = sm.Update(ctx, "u1", "acme", settings.Training, settings.Patch{Enabled: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.RetiredSecrets) != 1 || s.RetiredSecrets[0] != dropped || s.Provider(settings.Training).Kind != provider.PayflowPro {
		t.Fatalf("after joining: retired %v, training's provider %v", s.RetiredSecrets, s.Provider(settings.Training).Kind)
	}
	if _, live := r.secrets.live[dropped]; !live {
		t.Fatal("the settings function deleted a secret")
	}
	s, err = r.m.Put(ctx, "u1", "acme", settings.Events, payflow(str("events-pw-2")))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.RetiredSecrets) != 0 || !slices.Contains(r.secrets.scheduled, dropped) {
		t.Errorf("after the next provider change: retired %v, scheduled %v", s.RetiredSecrets, r.secrets.scheduled)
	}
}
