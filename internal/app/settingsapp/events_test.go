package settingsapp_test

import (
	"testing"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/settingsapp"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

const eventsDir = "../../../events/settings"

// handler builds the exact function main passes to lambda.Start, against DynamoDB Local.
func handler(t *testing.T) lambdaapp.HTTPLambda {
	t.Helper()
	db := testenv.DynamoDB(t)
	tables := testenv.Tables(t, db)
	env := lambdaapp.MapLookup(map[string]string{"SITES_TABLE": tables["SitesTable"], "AUDIT_TABLE": tables["AuditTable"]})
	rt, err := settingsapp.New(env, db, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return lambdaapp.NewHTTPLambda(rt)
}

// TestEvents feeds every sample event, in an order that tells a story, through the handler.
func TestEvents(t *testing.T) {
	h := handler(t)
	testenv.RunHTTPEvents(t, h, eventsDir, []testenv.Step{
		{Event: "patch-service-settings", Status: 200, Want: map[string]any{
			"enabled": true, "shared": false, "config.merchantName": "Demo Academy", "config.mode": "test",
			"config.timeZone": "Europe/Amsterdam", "config.paymentPage.header": "Secure payment\nfor Demo Academy", "version": 1.0,
		}},
		// Enabling training while events is enabled: training joins the shared configuration.
		{Event: "patch-training-enable", Status: 200, Want: map[string]any{"service": "training", "shared": true, "config.merchantName": "Demo Academy"}},
		{Event: "put-service-mode", Status: 200, Want: map[string]any{"service": "training", "config.mode": "production", "version": 3.0}},
		// The mode switched through training is the mode of events too.
		{Event: "get-service-settings", Status: 200, Want: map[string]any{"service": "events", "config.mode": "production", "shared": true}},
		{Event: "get-settings", Status: 200, Want: map[string]any{"shared": true, "services.events.config.mode": "production", "services.training.config.supportInfo": "support@demo.example"}},
		{Event: "list-audit", Status: 200, Want: map[string]any{
			"entries.0.action": "settings.set_mode", "entries.0.actor": "admin-1 <admin@demo.example>", "entries.0.target": "training",
			"entries.2.action": "settings.update", "entries.2.target": "events",
		}},
		{Event: "patch-invalid-support-info", Status: 400, Want: map[string]any{"error.code": "invalid_input", "error.details.0.field": "supportInfo"}},
		{Event: "get-settings-other-site", Status: 403, Want: map[string]any{"error.code": "forbidden"}},
		{Event: "get-settings-no-token", Status: 401, Want: map[string]any{"error.code": "unauthenticated"}},
		// The refused change left nothing behind.
		{Event: "get-settings", Status: 200, Want: map[string]any{"version": 3.0, "services.events.config.supportInfo": "support@demo.example"}},
	})
}
