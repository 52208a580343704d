// Package change is the use cases of the promo-extend and promo-delete functions (SPEC
// 3.5, 3.6): give selected codes a new expiry date, and delete selected codes. Each code is
// changed by one conditional write together with its audit entry, so a concurrent change
// (another extend, a delete, a checkout using the code) is never lost, and the answer says
// code by code what happened.
package change

import (
	"context"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Codes is where a site's promotion codes are kept.
type Codes interface {
	// Get reads a code strongly consistently; found is false when the site has no such code.
	Get(ctx context.Context, site, code string) (c promo.Code, found bool, err error)
	// SetExpiry writes to's expiry (expiresOn, expiresAt and the key derived from them) and
	// its updatedAt/updatedBy, with entry, in one transaction, only if the stored code still
	// exists, is not deleted and still expires on from.ExpiresOn. Otherwise it writes nothing
	// and returns the code as it now is.
	SetExpiry(ctx context.Context, from, to promo.Code, entry audit.Entry) (Written, error)
	// MarkDeleted stores the code deleted by actor at now (status, the key derived from it,
	// deletedAt/By, updatedAt/By), with entry, in one transaction, only if the code exists and
	// is not deleted yet. Otherwise it writes nothing and returns the code as it now is.
	MarkDeleted(ctx context.Context, site, code, actor string, now time.Time, entry audit.Entry) (Written, error)
}

// Written is what a conditional write did.
type Written struct {
	// Applied is true when the change and its audit entry were written.
	Applied bool
	// Current is the code as it was when the write was refused; Found is false when there
	// is no such code.
	Current promo.Code
	Found   bool
}

// Sites reads a site's settings: the time zones its codes expire in.
type Sites interface {
	Get(ctx context.Context, site string) (settings.Site, error)
}
