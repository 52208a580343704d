package settingshttp_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/settings"
	"github.com/boxofficehq/boxoffice/internal/settings/settingshttp"
)

// fakeLister is audit.Lister with a func field.
type fakeLister struct {
	list func(site, cursor string, limit int) (audit.Page, error)
}

func (f *fakeLister) List(_ context.Context, site, cursor string, limit int) (audit.Page, error) {
	return f.list(site, cursor, limit)
}

var _ audit.Lister = (*fakeLister)(nil)

var (
	now   = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	admin = testenv.Claims("admin-1", "acme")
)

func handler(store settings.Store, lister audit.Lister) lambdaapp.HTTPLambda {
	return handlerAt(store, lister, func() time.Time { return now })
}

func handlerAt(store settings.Store, lister audit.Lister, clock func() time.Time) lambdaapp.HTTPLambda {
	return lambdaapp.NewHTTPLambda(settingshttp.NewHandler(settingshttp.Deps{
		Settings: settings.NewManager(store, clock), Audit: lister,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
}

// noLister fails a test that reaches the audit list.
func noLister(t *testing.T) *fakeLister {
	return &fakeLister{list: func(string, string, int) (audit.Page, error) {
		t.Error("the audit list was read")
		return audit.Page{}, nil
	}}
}

func newHandler(t *testing.T) (lambdaapp.HTTPLambda, *testenv.MemSettings) {
	mem := testenv.NewMemSettings()
	return handler(mem.Store(), noLister(t)), mem
}

func TestReadSettings(t *testing.T) {
	h, _ := newHandler(t)
	a := testenv.CallJSON(t, h, "GET", "/sites/acme/settings", "", admin)
	a.Want(t, 200, map[string]any{
		"site": "acme", "version": 0.0, "shared": false, "updatedAt": nil,
		"services.events.enabled": false, "services.events.config.mode": "test", "services.events.config.timeZone": "UTC",
		"services.training.config.promoCodesEnabled": false,
	})
	a = testenv.CallJSON(t, h, "GET", "/sites/acme/settings/training", "", admin)
	a.Want(t, 200, map[string]any{"site": "acme", "service": "training", "enabled": false, "config.mode": "test", "version": 0.0})
	a = testenv.CallJSON(t, h, "GET", "/sites/acme/settings/shop", "", admin)
	a.Want(t, 404, map[string]any{"error.code": "not_found"})
}

// TestPatchService: a change is saved as the next version, by the caller, audited with what
// changed; enabling the second service shares the first's configuration.
func TestPatchService(t *testing.T) {
	h, mem := newHandler(t)
	a := testenv.CallJSON(t, h, "PATCH", "/sites/acme/settings/events", `{"enabled":true,"merchantName":"  Acme Academy ","supportInfo":"help@acme.example"}`, admin)
	a.Want(t, 200, map[string]any{
		"site": "acme", "service": "events", "enabled": true, "shared": false, "version": 1.0,
		"config.merchantName": "Acme Academy", "config.supportInfo": "help@acme.example",
		"updatedAt": "2026-11-28T12:00:00Z", "updatedBy": "admin-1 <admin-1@example.com>",
	})
	entries := mem.Audited()
	if len(entries) != 1 || entries[0].Action != settings.ActionUpdate || entries[0].Target != "events" || entries[0].Actor != "admin-1 <admin-1@example.com>" || len(entries[0].Changes) == 0 {
		t.Fatalf("audited %+v", entries)
	}

	a = testenv.CallJSON(t, h, "PATCH", "/sites/acme/settings/training", `{"enabled":true}`, admin)
	a.Want(t, 200, map[string]any{"service": "training", "shared": true, "version": 2.0, "config.merchantName": "Acme Academy"})
	a = testenv.CallJSON(t, h, "GET", "/sites/acme/settings", "", admin)
	a.Want(t, 200, map[string]any{"shared": true, "services.training.config.supportInfo": "help@acme.example"})
}

// TestPatchRefusals: a bad body is a 400 naming the field where there is one, an unknown
// service a 404; nothing is saved.
func TestPatchRefusals(t *testing.T) {
	h, mem := newHandler(t)
	for _, tc := range []struct {
		name, service, body string
		status              int
		field               string
	}{
		{"not JSON", "events", `{"enabled":`, 400, ""},
		{"empty body", "events", ``, 400, ""},
		{"changes nothing", "events", `{}`, 400, ""},
		{"unknown field", "events", `{"colour":"red"}`, 400, "colour"},
		{"wrong type", "events", `{"merchantName":7}`, 400, "merchantName"},
		{"the mode has its own route", "events", `{"mode":"production"}`, 400, "mode"},
		{"empty merchant name", "events", `{"merchantName":"  "}`, 400, "merchantName"},
		{"support that reaches nobody", "events", `{"supportInfo":"12"}`, 400, "supportInfo"},
		{"not a time zone", "events", `{"timeZone":"Mars/Olympus"}`, 400, "timeZone"},
		{"control character in the header", "events", `{"paymentPage":{"header":"a\u0007b"}}`, 400, "paymentPage.header"},
		{"unknown service", "shop", `{"enabled":true}`, 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := testenv.CallJSON(t, h, "PATCH", "/sites/acme/settings/"+tc.service, tc.body, admin)
			code := map[int]string{400: "invalid_input", 404: "not_found"}[tc.status]
			a.Want(t, tc.status, map[string]any{"error.code": code})
			if tc.field != "" {
				a.Want(t, tc.status, map[string]any{"error.details.0.field": tc.field})
			}
		})
	}
	if n := len(mem.Audited()); n != 0 {
		t.Fatalf("%d refused changes were saved", n)
	}
}

func TestPutMode(t *testing.T) {
	h, mem := newHandler(t)
	a := testenv.CallJSON(t, h, "PUT", "/sites/acme/settings/events/mode", `{"mode":"production"}`, admin)
	a.Want(t, 200, map[string]any{"service": "events", "config.mode": "production", "version": 1.0})
	if e := mem.Audited(); len(e) != 1 || e[0].Action != settings.ActionSetMode {
		t.Fatalf("audited %+v", e)
	}
	for _, tc := range []struct {
		path, body string
		status     int
		field      string
	}{
		{"/sites/acme/settings/events/mode", `{}`, 400, "mode"},
		{"/sites/acme/settings/events/mode", `{"mode":"live"}`, 400, "mode"},
		{"/sites/acme/settings/events/mode", `{"mode":"test","enabled":true}`, 400, "enabled"},
		{"/sites/acme/settings/shop/mode", `{"mode":"test"}`, 404, ""},
	} {
		a := testenv.CallJSON(t, h, "PUT", tc.path, tc.body, admin)
		if a.Status != tc.status || (tc.field != "" && a.Get("error.details.0.field") != tc.field) {
			t.Errorf("PUT %s %s: %d %s, want %d naming %q", tc.path, tc.body, a.Status, a.Raw, tc.status, tc.field)
		}
	}
}

// TestConcurrentChangesConflict: when every save meets a newer version, the change is
// retried, then refused as a conflict once its time is up. The retries are timed on the
// manager's clock, which here moves a second each time it is read.
func TestConcurrentChangesConflict(t *testing.T) {
	var ticks atomic.Int64
	clock := func() time.Time { return now.Add(time.Duration(ticks.Add(1)) * time.Second) }
	saves := 0
	store := &testenv.SettingsStore{
		GetFn: func(site string) (settings.Site, error) { return settings.New(site), nil },
		SaveFn: func(settings.Site, audit.Entry) error {
			saves++
			return settings.ErrVersionConflict
		},
	}
	a := testenv.CallJSON(t, handlerAt(store, noLister(t), clock), "PATCH", "/sites/acme/settings/events", `{"enabled":true}`, admin)
	a.Want(t, 409, map[string]any{"error.code": "conflict"})
	if saves < 2 {
		t.Fatalf("%d saves: a conflict is retried from a fresh read first", saves)
	}
}

// TestStoreFailureIsHidden: a failing store is a 500 that tells the caller nothing of why.
func TestStoreFailureIsHidden(t *testing.T) {
	store := &testenv.SettingsStore{GetFn: func(string) (settings.Site, error) {
		return settings.Site{}, errors.New("table sites-prod unavailable")
	}}
	a := testenv.CallJSON(t, handler(store, noLister(t)), "GET", "/sites/acme/settings", "", admin)
	a.Want(t, 500, map[string]any{"error.code": "internal"})
	if strings.Contains(a.Raw, "sites-prod") {
		t.Fatalf("the cause leaked: %s", a.Raw)
	}
}

// TestAuditListIsMounted: the audit list answers the store's page, with the limit and cursor
// asked for, and refuses a bad limit naming it.
func TestAuditListIsMounted(t *testing.T) {
	lister := &fakeLister{list: func(site, cursor string, limit int) (audit.Page, error) {
		if site != "acme" || cursor != "c1" || limit != 2 {
			t.Errorf("listed %s from %q, %d", site, cursor, limit)
		}
		return audit.Page{Entries: []audit.Entry{{ID: "e2", Site: "acme", Action: settings.ActionUpdate}}, Next: "c2"}, nil
	}}
	h := handler(testenv.NewMemSettings().Store(), lister)
	a := testenv.CallJSON(t, h, "GET", "/sites/acme/audit?limit=2&cursor=c1", "", admin)
	a.Want(t, 200, map[string]any{"entries.0.id": "e2", "entries.0.action": "settings.update", "next": "c2"})
	a = testenv.CallJSON(t, h, "GET", "/sites/acme/audit?limit=0", "", admin)
	a.Want(t, 400, map[string]any{"error.details.0.field": "limit"})
}

// TestRoutesNeedTheSite: every route wants a token (401) for the site in the path (403),
// before anything is read; a path or method the API lacks is a 404 or 405.
func TestRoutesNeedTheSite(t *testing.T) {
	store := &testenv.SettingsStore{
		GetFn: func(string) (settings.Site, error) {
			t.Error("the settings were read")
			return settings.Site{}, nil
		},
	}
	h := handler(store, noLister(t))
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/sites/acme/settings", ""},
		{"GET", "/sites/acme/settings/events", ""},
		{"PATCH", "/sites/acme/settings/events", `{"enabled":true}`},
		{"PUT", "/sites/acme/settings/events/mode", `{"mode":"test"}`},
		{"GET", "/sites/acme/audit", ""},
	} {
		a := testenv.CallJSON(t, h, r.method, r.path, r.body, nil)
		a.Want(t, 401, map[string]any{"error.code": "unauthenticated"})
		a = testenv.CallJSON(t, h, r.method, r.path, r.body, testenv.Claims("admin-2", "globex"))
		a.Want(t, 403, map[string]any{"error.code": "forbidden"})
	}
	testenv.CallJSON(t, h, "GET", "/sites/acme/nothing", "", admin).Want(t, 404, map[string]any{"error.code": "not_found"})
	testenv.CallJSON(t, h, "DELETE", "/sites/acme/settings", "", admin).Want(t, 405, map[string]any{"error.code": "method_not_allowed"})
}
