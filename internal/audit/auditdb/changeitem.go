package auditdb

import "github.com/boxofficehq/boxoffice/internal/audit"

// changeItem is one change within an entry's "changes" attribute, a JSON string: these
// json tags are the stored names, this store's own rather than the API's (item_test.go pins
// them). Before and after are the values as they were recorded.
type changeItem struct {
	Field  string `json:"field"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
	Secret bool   `json:"secret,omitempty"`
}

// newChangeItems keeps nil apart from empty: an entry without changes is stored as null.
func newChangeItems(cs []audit.Change) []changeItem {
	if cs == nil {
		return nil
	}
	out := make([]changeItem, len(cs))
	for i, c := range cs {
		out[i] = changeItem{Field: c.Field, Before: c.Before, After: c.After, Secret: c.Secret}
	}
	return out
}

func changesOf(items []changeItem) []audit.Change {
	if items == nil {
		return nil
	}
	out := make([]audit.Change, len(items))
	for i, it := range items {
		out[i] = audit.Change{Field: it.Field, Before: it.Before, After: it.After, Secret: it.Secret}
	}
	return out
}
