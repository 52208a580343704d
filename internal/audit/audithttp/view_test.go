package audithttp

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
)

// TestPageView pins what the audit list shows, field by field: a secret change without
// values, values of any JSON type, an entry recorded without changes as null.
func TestPageView(t *testing.T) {
	at := time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC)
	page := audit.Page{Entries: []audit.Entry{
		{
			ID: "20261128T120000.000000500Z-0123456789ab", Site: "acme", At: at, Actor: "u1", Action: "settings.set_mode", Target: "events",
			Changes: []audit.Change{
				{Field: "events.config.mode", Before: "test", After: "production"},
				{Field: "provider.secrets.password", Secret: true},
				{Field: "n", Before: 1.5, After: map[string]any{"a": []any{true}}},
			},
		},
		{ID: "x", Site: "acme", At: at},
		{ID: "y", Site: "acme", At: at, Changes: []audit.Change{}},
	}, Next: "n1"}
	for name, tc := range map[string]struct {
		page   audit.Page
		golden string
	}{
		"entries": {page, `{
			"entries": [
				{
					"id": "20261128T120000.000000500Z-0123456789ab",
					"site": "acme",
					"at": "2026-11-28T12:00:00.0000005Z",
					"actor": "u1",
					"action": "settings.set_mode",
					"target": "events",
					"changes": [
						{"field": "events.config.mode", "before": "test", "after": "production"},
						{"field": "provider.secrets.password", "secret": true},
						{"field": "n", "before": 1.5, "after": {"a": [true]}}
					]
				},
				{
					"id": "x",
					"site": "acme",
					"at": "2026-11-28T12:00:00.0000005Z",
					"actor": "",
					"action": "",
					"target": "",
					"changes": null
				},
				{
					"id": "y",
					"site": "acme",
					"at": "2026-11-28T12:00:00.0000005Z",
					"actor": "",
					"action": "",
					"target": "",
					"changes": []
				}
			],
			"next": "n1"
		}`},
		"no entries": {audit.Page{Entries: []audit.Entry{}}, `{"entries": []}`},
	} {
		var want bytes.Buffer
		_ = json.Compact(&want, []byte(tc.golden))
		if got, _ := json.Marshal(viewPage(tc.page)); string(got) != want.String() {
			t.Errorf("%s: answers\n%s\nwant\n%s", name, got, want.String())
		}
	}
}
