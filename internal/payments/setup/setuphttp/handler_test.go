package setuphttp_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/payments/setup/setuphttp"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// The ports the providers use case needs, as structs of func fields.

type fakeSecrets struct {
	create func(name string, values provider.Secrets) error
	read   func(name string) (provider.Secrets, error)
	delete func(name string, force bool) error
}

func (f *fakeSecrets) Create(_ context.Context, name string, values provider.Secrets) error {
	return f.create(name, values)
}

func (f *fakeSecrets) Read(_ context.Context, name string) (provider.Secrets, error) {
	return f.read(name)
}

func (f *fakeSecrets) Delete(_ context.Context, name string, force bool) error {
	return f.delete(name, force)
}

type fakePermissions struct {
	request func(env provider.Env, callbackURL string) (setup.PermissionRequest, error)
	verify  func(env provider.Env, requestToken, verifier string) (setup.Grant, error)
}

func (f *fakePermissions) Request(_ context.Context, env provider.Env, callbackURL string) (setup.PermissionRequest, error) {
	return f.request(env, callbackURL)
}

func (f *fakePermissions) Verify(_ context.Context, env provider.Env, requestToken, verifier string) (setup.Grant, error) {
	return f.verify(env, requestToken, verifier)
}

type fakeStates struct {
	put  func(key string, st setup.GrantState, expires time.Time) error
	take func(key string, now time.Time) (setup.GrantState, error)
}

func (f *fakeStates) Put(_ context.Context, key string, st setup.GrantState, expires time.Time) error {
	return f.put(key, st, expires)
}

func (f *fakeStates) Take(_ context.Context, key string, now time.Time) (setup.GrantState, error) {
	return f.take(key, now)
}

var (
	_ setup.SecretStore = (*fakeSecrets)(nil)
	_ setup.Permissions = (*fakePermissions)(nil)
	_ setup.States      = (*fakeStates)(nil)
)

var (
	now   = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	admin = testenv.Claims("admin-1", "acme")
	// publicURL is the API's public URL as configured: a custom domain with a base path.
	publicURL = mustPublicURL("https://api.boxoffice.example/v1/")
)

func mustPublicURL(raw string) httpx.PublicURL {
	u, err := httpx.ParsePublicURL(raw)
	if err != nil {
		panic(err)
	}
	return u
}

// world is what the fakes hold for one test: the sites' settings, the secrets, the grant
// states, and the callback URL PayPal was last given.
type world struct {
	mu       sync.Mutex
	secrets  map[string]provider.Secrets
	states   map[string]setup.GrantState
	callback string
	// public is the API's configured public URL.
	public httpx.PublicURL

	sites       *testenv.MemSettings
	settings    *testenv.SettingsStore
	secretStore *fakeSecrets
	permissions *fakePermissions
	stateStore  *fakeStates
}

// newWorld starts with sites as saved.
func newWorld(sites ...settings.Site) *world {
	w := &world{secrets: map[string]provider.Secrets{}, states: map[string]setup.GrantState{}, sites: testenv.NewMemSettings(sites...)}
	w.settings = w.sites.Store()
	w.public = publicURL
	w.secretStore = &fakeSecrets{
		create: func(name string, v provider.Secrets) error {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.secrets[name] = v
			return nil
		},
		read: func(name string) (provider.Secrets, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			if v, ok := w.secrets[name]; ok {
				return v, nil
			}
			return nil, errors.New("no such secret")
		},
		delete: func(name string, _ bool) error { w.mu.Lock(); defer w.mu.Unlock(); delete(w.secrets, name); return nil },
	}
	w.permissions = &fakePermissions{
		request: func(env provider.Env, cb string) (setup.PermissionRequest, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.callback = cb
			return setup.PermissionRequest{Token: "REQ-1", GrantURL: "https://www." + string(env) + ".paypal.example/grant?request_token=REQ-1"}, nil
		},
		verify: func(_ provider.Env, token, verifier string) (setup.Grant, error) {
			if verifier != "good" {
				return setup.Grant{}, apperr.New(apperr.CodeInvalid, "PayPal refused the verification code")
			}
			return setup.Grant{Token: "ACCESS", TokenSecret: "TOKEN-SECRET", Scopes: []string{"EXPRESS_CHECKOUT"}}, nil
		},
	}
	w.stateStore = &fakeStates{
		put: func(key string, st setup.GrantState, _ time.Time) error {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.states[key] = st
			return nil
		},
		take: func(key string, _ time.Time) (setup.GrantState, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			st, ok := w.states[key]
			if !ok {
				return setup.GrantState{}, setup.ErrUnknownState
			}
			delete(w.states, key)
			return st, nil
		},
	}
	return w
}

func (w *world) handler(t *testing.T) lambdaapp.HTTPLambda {
	t.Helper()
	m, err := setup.NewManager(setup.Deps{
		Settings: settings.NewManager(w.settings, func() time.Time { return now }), Secrets: w.secretStore,
		Permissions: w.permissions, States: w.stateStore, SecretPrefix: "boxoffice/test/providers/",
		Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return lambdaapp.NewHTTPLambda(setuphttp.NewHandler(setuphttp.Deps{Providers: m, PublicURL: w.public, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
}

const payflow = `{"kind":"payflow_pro","partnerId":"PayPal","vendor":"acme","userId":"acme-api","password":"Payfl0w-Secret-1","accountType":"payflow_pro","cards":["visa","amex"],"currency":"USD"}`

// TestProviderLifecycle: none set up reads as null; a PUT sets one up, with its secret kept
// in the secret store and shown only as set; a DELETE removes it.
func TestProviderLifecycle(t *testing.T) {
	w := newWorld()
	h := w.handler(t)
	path := "/sites/acme/providers/events"
	testenv.CallJSON(t, h, "GET", path, "", admin).Want(t, 200, map[string]any{
		"site": "acme", "service": "events", "provider": nil, "mode": "test", "env": "sandbox", "shared": false,
	})
	a := testenv.CallJSON(t, h, "PUT", path, payflow, admin)
	a.Want(t, 200, map[string]any{
		"provider.kind": "payflow_pro", "provider.vendor": "acme", "provider.cards.1": "amex",
		"provider.secrets.password.set": true, "provider.updatedBy": "admin-1 <admin-1@example.com>",
	})
	if strings.Contains(a.Raw, "Payfl0w-Secret-1") || strings.Contains(a.Raw, "secretRef") || len(w.secrets) != 1 {
		t.Fatalf("the secret is not kept apart: %d stored, answer %s", len(w.secrets), a.Raw)
	}
	testenv.CallJSON(t, h, "GET", path, "", admin).Want(t, 200, map[string]any{"provider.kind": "payflow_pro", "provider.secrets.password.set": true})
	testenv.CallJSON(t, h, "DELETE", path, "", admin).Want(t, 200, map[string]any{"provider": nil})
	testenv.CallJSON(t, h, "GET", path, "", admin).Want(t, 200, map[string]any{"provider": nil})
}

// TestWorldPayRemoteAdmin: the remote administration password is a secret like the others:
// kept in the secret store, shown only as set, never in the answer or the settings.
func TestWorldPayRemoteAdmin(t *testing.T) {
	w := newWorld()
	h := w.handler(t)
	path := "/sites/acme/providers/events"
	a := testenv.CallJSON(t, h, "PUT", path, `{"kind":"worldpay","installationId":"204596","callbackPassword":"cb-pass",`+
		`"remoteAdminInstallationId":"204597","remoteAdminPassword":"Remote-Admin-Pw-9","currency":"GBP"}`, admin)
	a.Want(t, 200, map[string]any{
		"provider.remoteAdminInstallationId": "204597", "provider.secrets.remoteAdminPassword.set": true,
		"provider.secrets.callbackPassword.set": true,
	})
	if strings.Contains(a.Raw, "Remote-Admin-Pw-9") {
		t.Fatalf("the password is in the answer: %s", a.Raw)
	}
	for name, values := range w.secrets {
		if values[provider.SecretRemoteAdminPassword] != "Remote-Admin-Pw-9" {
			t.Errorf("secret %s holds no remote admin password", name)
		}
	}
	saved, err := w.sites.Store().Get(context.Background(), "acme")
	if err != nil || saved.Provider(settings.Events).RemoteAdminInstallationID != "204597" || !saved.Provider(settings.Events).RemoteAdmin() {
		t.Fatalf("saved: %+v, %v", saved.Provider(settings.Events), err)
	}
	// Left out, the installation goes with its password.
	testenv.CallJSON(t, h, "PUT", path, `{"kind":"worldpay","installationId":"204596","currency":"GBP"}`, admin).Want(t, 200, map[string]any{
		"provider.secrets.remoteAdminPassword.set": false, "provider.secrets.callbackPassword.set": true,
	})
	testenv.CallJSON(t, h, "PUT", path, `{"kind":"worldpay","installationId":"204596","currency":"GBP","remoteAdminPassword":"x-pass"}`, admin).
		Want(t, 400, map[string]any{"error.details.0.field": "remoteAdminInstallationId"})
}

// TestProviderRefusals: a bad body is a 400 naming the field, an unknown service a 404,
// and nothing is saved.
func TestProviderRefusals(t *testing.T) {
	w := newWorld()
	h := w.handler(t)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"not JSON", "PUT", "/sites/acme/providers/events", `{"kind":`, 400, ""},
		{"unknown field", "PUT", "/sites/acme/providers/events", `{"kind":"worldpay","colour":"red"}`, 400, "colour"},
		{"wrong type", "PUT", "/sites/acme/providers/events", `{"kind":"payflow_pro","cards":"visa"}`, 400, "cards"},
		{"bad card", "PUT", "/sites/acme/providers/events", `{"kind":"payflow_pro","partnerId":"PayPal","vendor":"a","userId":"a","password":"p","accountType":"payments_pro_payflow_edition","cards":["visa","jcb"]}`, 400, "cards[1]"},
		{"unknown service: read", "GET", "/sites/acme/providers/shop", ``, 404, ""},
		{"unknown service: set up", "PUT", "/sites/acme/providers/shop", payflow, 404, ""},
		{"unknown service: remove", "DELETE", "/sites/acme/providers/shop", ``, 404, ""},
		{"unknown service: permission", "POST", "/sites/acme/providers/shop/permission", ``, 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := testenv.CallJSON(t, h, tc.method, tc.path, tc.body, admin)
			a.Want(t, tc.status, map[string]any{"error.code": map[int]string{400: "invalid_input", 404: "not_found"}[tc.status]})
			if tc.field != "" {
				a.Want(t, tc.status, map[string]any{"error.details.0.field": tc.field})
			}
		})
	}
	if saved := w.sites.Audited(); len(saved) != 0 || len(w.secrets) != 0 {
		t.Fatalf("refused requests saved %d changes, %d secrets", len(saved), len(w.secrets))
	}
}

// grant sets up Express Checkout and asks for a permission link; it returns the state value
// of the callback URL PayPal was given.
func grant(t *testing.T, w *world, h lambdaapp.HTTPLambda) string {
	t.Helper()
	testenv.CallJSON(t, h, "PUT", "/sites/acme/providers/events", `{"kind":"express_checkout_us","paypalEmail":"pay@acme.example","currency":"USD"}`, admin).Want(t, 200,
		map[string]any{"provider.apiPermission.granted": false})
	a := testenv.CallJSON(t, h, "POST", "/sites/acme/providers/events/permission", "", admin)
	a.Want(t, 201, map[string]any{"env": "sandbox", "url": "https://www.sandbox.paypal.example/grant?request_token=REQ-1", "expiresAt": "2026-11-28T13:00:00Z"})
	cb, err := url.Parse(w.callback)
	if err != nil || cb.Scheme+"://"+cb.Host+cb.Path != publicURL.String()+setuphttp.CallbackPath || cb.Query().Get("state") == "" {
		t.Fatalf("PayPal was given the callback %q", w.callback)
	}
	return cb.Query().Get("state")
}

// TestPermissionFlow: the link's callback comes back to this API, without a token; it
// records the permission once and answers a page for the merchant's browser.
func TestPermissionFlow(t *testing.T) {
	w := newWorld()
	h := w.handler(t)
	state := grant(t, w, h)
	callback := setuphttp.CallbackPath + "?" + url.Values{"state": {state}, "request_token": {"REQ-1"}, "verification_code": {"good"}}.Encode()
	page := testenv.CallHTTP(t, h, "GET", callback, "", nil)
	if page.Status != 200 || !strings.HasPrefix(page.Headers["Content-Type"], "text/html") || page.Headers["Cache-Control"] != "no-store" {
		t.Fatalf("callback: %d %v %s", page.Status, page.Headers, page.Raw)
	}
	if !strings.Contains(page.Raw, "<strong>acme</strong>") || !strings.Contains(page.Raw, "events") || !strings.Contains(page.Raw, "sandbox") {
		t.Fatalf("the page does not say what was granted: %s", page.Raw)
	}
	testenv.CallJSON(t, h, "GET", "/sites/acme/providers/events", "", admin).Want(t, 200, map[string]any{
		"provider.apiPermission.granted": true, "provider.apiPermission.env": "sandbox", "provider.apiPermission.scopes.0": "EXPRESS_CHECKOUT",
	})
	// The link serves once.
	testenv.CallJSON(t, h, "GET", callback, "", nil).Want(t, 400, map[string]any{"error.code": "invalid_input"})
}

func TestPermissionRefusals(t *testing.T) {
	w := newWorld()
	h := w.handler(t)
	// Only Express Checkout takes the permission.
	testenv.CallJSON(t, h, "POST", "/sites/acme/providers/events/permission", "", admin).Want(t, 409, map[string]any{"error.code": "conflict"})
	state := grant(t, w, h)
	for name, q := range map[string]url.Values{
		"no verifier":   {"state": {state}, "request_token": {"REQ-1"}},
		"unknown state": {"state": {"forged"}, "request_token": {"REQ-1"}, "verification_code": {"good"}},
	} {
		a := testenv.CallJSON(t, h, "GET", setuphttp.CallbackPath+"?"+q.Encode(), "", nil)
		if a.Status != 400 || a.Get("error.code") != "invalid_input" {
			t.Errorf("%s: %d %s", name, a.Status, a.Raw)
		}
	}
	// The provider changed after the link was made: the callback is refused as a conflict.
	testenv.CallJSON(t, h, "PUT", "/sites/acme/providers/events", `{"kind":"express_checkout_us","paypalEmail":"other@acme.example","currency":"USD"}`, admin).Want(t, 200, nil)
	q := url.Values{"state": {state}, "request_token": {"REQ-1"}, "verification_code": {"good"}}
	testenv.CallJSON(t, h, "GET", setuphttp.CallbackPath+"?"+q.Encode(), "", nil).Want(t, 409, map[string]any{"error.code": "conflict"})
}

// TestPermissionPageEscapes: what the page shows comes from stored state; markup in it is
// shown as text, never run.
func TestPermissionPageEscapes(t *testing.T) {
	evil := `<script>alert("x")</script>&`
	ec := &provider.Setup{Kind: provider.ExpressCheckoutUS, PayPalEmail: "pay@acme.example", Currency: "USD"}
	site, err := settings.New(evil).SetProvider(settings.Events, ec)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(site)
	w.states[setup.StateKey("s1")] = setup.GrantState{Site: evil, Service: "events", Env: provider.Sandbox, Kind: ec.Kind, PayPalEmail: ec.PayPalEmail, RequestToken: "REQ-1", Actor: "admin-1"}
	q := url.Values{"state": {"s1"}, "request_token": {"REQ-1"}, "verification_code": {"good"}}
	page := testenv.CallHTTP(t, w.handler(t), "GET", setuphttp.CallbackPath+"?"+q.Encode(), "", nil)
	if page.Status != 200 || strings.Contains(page.Raw, "<script>") || !strings.Contains(page.Raw, "&lt;script&gt;") {
		t.Fatalf("page: %d %s", page.Status, page.Raw)
	}
}

// TestRoutesNeedTheSite: the provider routes want a token (401) for the site in the path
// (403), before anything is read; the callback alone is public.
func TestRoutesNeedTheSite(t *testing.T) {
	w := newWorld()
	w.settings.GetFn = func(string) (settings.Site, error) {
		t.Error("the settings were read")
		return settings.Site{}, nil
	}
	h := w.handler(t)
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/sites/acme/providers/events", ""},
		{"PUT", "/sites/acme/providers/events", payflow},
		{"DELETE", "/sites/acme/providers/events", ""},
		{"POST", "/sites/acme/providers/events/permission", ""},
	} {
		testenv.CallJSON(t, h, r.method, r.path, r.body, nil).Want(t, 401, map[string]any{"error.code": "unauthenticated"})
		testenv.CallJSON(t, h, r.method, r.path, r.body, testenv.Claims("admin-2", "globex")).Want(t, 403, map[string]any{"error.code": "forbidden"})
	}
	// Public, so a bad callback is refused for what it is, not for the missing token.
	testenv.CallJSON(t, h, "GET", setuphttp.CallbackPath, "", nil).Want(t, 400, map[string]any{"error.code": "invalid_input"})
	testenv.CallJSON(t, h, "PATCH", "/sites/acme/providers/events", "", admin).Want(t, 405, map[string]any{"error.code": "method_not_allowed"})
}
