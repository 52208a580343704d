package issue

import (
	"context"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
)

// creation is what a creation takes from the keyed request it runs in, if any (see
// idempotency.Attempt): every try of a retried request creates as of its first try's start
// and names what it makes alike, so a try that finishes a dead one's work makes the same
// job, and its codes store records what each try wrote (issuedb.Codes).
type creation struct {
	now  time.Time
	seed string
}

func (is *Issuer) creation(ctx context.Context) creation {
	if a, ok := idempotency.FromContext(ctx); ok {
		return creation{now: a.Began.UTC(), seed: a.ID}
	}
	return creation{now: is.Now().UTC()}
}

// newID is the ID of the creation's job (what names it: "job"): by chance for a request
// without a key, alike in every try of a keyed one.
func (c creation) newID(what string) string {
	if c.seed == "" {
		return audit.NewID(c.now)
	}
	return audit.DerivedID(c.now, c.seed+"/"+what)
}
