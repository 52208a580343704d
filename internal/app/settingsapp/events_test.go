package settingsapp_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/internal/app"
	"github.com/boxofficehq/boxoffice/internal/app/settingsapp"
	"github.com/boxofficehq/boxoffice/internal/testenv"
)

const eventsDir = "../../../events/settings"

// handler builds the exact function main passes to lambda.Start, against DynamoDB Local.
func handler(t *testing.T) app.HTTPLambda {
	t.Helper()
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	env := app.MapLookup(map[string]string{"SITES_TABLE": tables["SitesTable"], "AUDIT_TABLE": tables["AuditTable"]})
	rt, err := settingsapp.New(env, db, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return app.NewHTTPLambda(rt)
}

func loadEvent(t *testing.T, name string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(eventsDir, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ev
}

type answer struct {
	status int
	body   map[string]any
}

func (a answer) get(path string) any {
	var cur any = a.body
	for _, k := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// TestEvents feeds every sample event, in an order that tells a story, through the handler.
func TestEvents(t *testing.T) {
	h := handler(t)
	steps := []struct {
		event  string
		status int
		want   map[string]any
	}{
		{"patch-service-settings", 200, map[string]any{
			"enabled": true, "shared": false, "config.merchantName": "Demo Academy", "config.mode": "test",
			"config.timeZone": "Europe/Amsterdam", "config.paymentPage.header": "Secure payment\nfor Demo Academy", "version": 1.0,
		}},
		// Enabling training while events is enabled: training joins the shared configuration.
		{"patch-training-enable", 200, map[string]any{"service": "training", "shared": true, "config.merchantName": "Demo Academy"}},
		{"put-service-mode", 200, map[string]any{"service": "training", "config.mode": "production", "version": 3.0}},
		// The mode switched through training is the mode of events too.
		{"get-service-settings", 200, map[string]any{"service": "events", "config.mode": "production", "shared": true}},
		{"get-settings", 200, map[string]any{"shared": true, "services.events.config.mode": "production", "services.training.config.supportInfo": "support@demo.example"}},
		{"list-audit", 200, map[string]any{
			"entries.0.action": "settings.set_mode", "entries.0.actor": "admin-1 <admin@demo.example>", "entries.0.target": "training",
			"entries.2.action": "settings.update", "entries.2.target": "events",
		}},
		{"patch-invalid-support-info", 400, map[string]any{"error.code": "invalid_input", "error.details.0.field": "supportInfo"}},
		{"get-settings-other-site", 403, map[string]any{"error.code": "forbidden"}},
		{"get-settings-no-token", 401, map[string]any{"error.code": "unauthenticated"}},
		// The refused change left nothing behind.
		{"get-settings", 200, map[string]any{"version": 3.0, "services.events.config.supportInfo": "support@demo.example"}},
	}
	covered := map[string]bool{}
	for i, s := range steps {
		covered[s.event] = true
		ev := loadEvent(t, s.event)
		resp, err := h(context.Background(), ev)
		if err != nil {
			t.Fatalf("step %d %s: handler error %v", i, s.event, err)
		}
		if ct := resp.Headers["Content-Type"]; !strings.HasPrefix(ct, "application/json") {
			t.Errorf("step %d %s: Content-Type %q", i, s.event, ct)
		}
		a := answer{status: resp.StatusCode}
		if err := json.Unmarshal([]byte(resp.Body), &a.body); err != nil {
			t.Fatalf("step %d %s: body %q: %v", i, s.event, resp.Body, err)
		}
		if a.status != s.status {
			t.Fatalf("step %d %s: status %d, want %d: %s", i, s.event, a.status, s.status, resp.Body)
		}
		for path, want := range s.want {
			if got := a.get(path); got != want {
				t.Errorf("step %d %s: %s = %#v, want %#v", i, s.event, path, got, want)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(eventsDir, "*.json"))
	var missing []string
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".json"); !covered[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(files) == 0 || len(missing) > 0 {
		t.Fatalf("events not fed through the handler: %v (found %d files)", missing, len(files))
	}
}
