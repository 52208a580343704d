package httpx

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
)

// A checkout client's machine token may call only the routes registered for its scope, and
// an administrator's token may not call those.
func TestScopedRoutes(t *testing.T) {
	rt := NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ok := func(w http.ResponseWriter, r *http.Request) error {
		JSON(w, http.StatusOK, map[string]any{"scopes": Caller(r).Scopes})
		return nil
	}
	rt.Handle("GET /sites/{site}/admin", ok)
	rt.HandleScoped("checkout", "GET /sites/{site}/sell", ok)
	admin := map[string]string{"sub": "a", "sites": "[acme]"}
	machine := map[string]string{"sub": "m", "sites": "[acme]", "scope": "read checkout"}
	other := map[string]string{"sub": "m", "sites": "[acme]", "scope": "read"}
	for _, tc := range []struct {
		path   string
		claims map[string]string
		status int
	}{
		{"/sites/acme/admin", admin, 200},
		{"/sites/acme/admin", machine, 403},
		{"/sites/acme/admin", other, 200}, // only the checkout scope marks a checkout client
		{"/sites/acme/sell", machine, 200},
		{"/sites/acme/sell", admin, 403},
		{"/sites/acme/sell", other, 403},
		{"/sites/globex/sell", machine, 403},
	} {
		status, body, _ := invoke(t, rt, "GET", tc.path, "", tc.claims)
		if status != tc.status || status == 403 && errCode(body) != "forbidden" {
			t.Errorf("%s with %v: %d %v, want %d", tc.path, tc.claims, status, body, tc.status)
		}
	}
	for _, r := range rt.Routes() {
		if want := map[string]string{"/sites/{site}/admin": "", "/sites/{site}/sell": "checkout"}[r.Path]; r.Scope != want {
			t.Errorf("%s: scope %q, want %q", r.Path, r.Scope, want)
		}
	}
}
