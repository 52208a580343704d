package auditdb

import (
	"reflect"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo/dynamotest"
)

var auditAt = time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC)

// changedEntry has every field, and changes of each kind: a value replaced, a secret
// changed (no values), values that are not strings.
func changedEntry() audit.Entry {
	return audit.Entry{
		ID: "20261128T120000.000000500Z-0123456789ab", Site: "acme", At: auditAt, Actor: "u1", Action: "settings.set_mode", Target: "events",
		Changes: []audit.Change{
			{Field: "events.config.mode", Before: "test", After: "production"},
			{Field: "provider.secrets.password", Secret: true},
			{Field: "n", Before: 1.5, After: map[string]any{"a": []any{true}}},
		},
	}
}

// TestAuditItemLayout pins the attribute names and value shapes of an audit entry's item,
// the names within its changes JSON included.
func TestAuditItemLayout(t *testing.T) {
	l := &Log{table: "audit"}
	for name, tc := range map[string]struct {
		entry  audit.Entry
		golden string
	}{
		"with changes": {changedEntry(), `{
			"action": "settings.set_mode",
			"actor": "u1",
			"at": "2026-11-28T12:00:00.0000005Z",
			"changes": "[{\"field\":\"events.config.mode\",\"before\":\"test\",\"after\":\"production\"},{\"field\":\"provider.secrets.password\",\"secret\":true},{\"field\":\"n\",\"before\":1.5,\"after\":{\"a\":[true]}}]",
			"pk": "acme",
			"sk": "20261128T120000.000000500Z-0123456789ab",
			"target": "events"
		}`},
		"without changes": {audit.Entry{ID: "x", Site: "acme", At: auditAt}, `{
			"action": "",
			"actor": "",
			"at": "2026-11-28T12:00:00.0000005Z",
			"changes": "null",
			"pk": "acme",
			"sk": "x",
			"target": ""
		}`},
	} {
		put, err := l.Put(tc.entry)
		if err != nil {
			t.Fatal(err)
		}
		dynamotest.AssertStored(t, name, put.Put.Item, tc.golden)
	}
}

// TestAuditItemRoundTrip: an entry written by Put and read back is the entry again (values
// as JSON reads them: numbers float64, objects maps).
func TestAuditItemRoundTrip(t *testing.T) {
	l := &Log{table: "audit"}
	for _, e := range []audit.Entry{changedEntry(), {ID: "x", Site: "acme", At: auditAt}, {ID: "y", Site: "acme", At: auditAt, Changes: []audit.Change{}}} {
		put, err := l.Put(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeAudit(put.Put.Item)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, e)
		}
	}
}
