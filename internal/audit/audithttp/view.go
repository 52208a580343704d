package audithttp

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
)

// pageView is a page of the audit list as the API shows it, newest first; next is the
// cursor of the following page.
type pageView struct {
	Entries []entryView `json:"entries"`
	Next    string      `json:"next,omitempty"`
}

type entryView struct {
	ID      string       `json:"id"`
	Site    string       `json:"site"`
	At      time.Time    `json:"at"`
	Actor   string       `json:"actor"`
	Action  string       `json:"action"`
	Target  string       `json:"target"`
	Changes []changeView `json:"changes"`
}

// changeView is one changed field; a secret shows as changed, never with its values.
type changeView struct {
	Field  string `json:"field"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
	Secret bool   `json:"secret,omitempty"`
}

// viewPage keeps a nil list apart from an empty one, as the entries were recorded.
func viewPage(p audit.Page) pageView {
	v := pageView{Next: p.Next}
	if p.Entries != nil {
		v.Entries = make([]entryView, len(p.Entries))
	}
	for i, e := range p.Entries {
		v.Entries[i] = entryView{ID: e.ID, Site: e.Site, At: e.At, Actor: e.Actor, Action: e.Action, Target: e.Target}
		if e.Changes != nil {
			v.Entries[i].Changes = make([]changeView, len(e.Changes))
		}
		for j, c := range e.Changes {
			v.Entries[i].Changes[j] = changeView{Field: c.Field, Before: c.Before, After: c.After, Secret: c.Secret}
		}
	}
	return v
}
