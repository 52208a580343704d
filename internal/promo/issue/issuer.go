package issue

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// Deps are the issuer's collaborators; Objects is needed by imports only, Uploads by the
// API only.
type Deps struct {
	Sites   Sites
	Codes   Codes
	Jobs    Jobs
	Mailer  Mailer
	Objects Objects
	Uploads Uploads
	Now     func() time.Time
	Log     *slog.Logger
	// LeaseTTL bounds how long a run that died holds its job: a duplicate event after that
	// may take the job over. It must exceed the function's timeout.
	LeaseTTL time.Duration
	// UploadTTL is how long a presigned upload URL is valid.
	UploadTTL time.Duration
	// Workers is how many mails are sent at once.
	Workers int
	// BatchSize is how many recipients of an import get their codes in one write (each
	// recipient is two items of the transaction, which holds 100); 0 means DefaultBatchSize.
	BatchSize int
}

// DefaultBatchSize makes 1,000 recipients 31 writes of 68 items: few enough writes, and a
// first code soon after the upload.
const DefaultBatchSize = 33

// Issuer is the code issuing use cases.
type Issuer struct{ Deps }

// New checks d and returns an Issuer.
func New(d Deps) (*Issuer, error) {
	if d.Sites == nil || d.Codes == nil || d.Jobs == nil || d.Mailer == nil {
		return nil, fmt.Errorf("promo issue: sites, codes, jobs and a mailer are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.LeaseTTL == 0 {
		d.LeaseTTL = 16 * time.Minute
	}
	if d.UploadTTL == 0 {
		d.UploadTTL = 15 * time.Minute
	}
	if d.Workers <= 0 {
		d.Workers = 8
	}
	if d.BatchSize <= 0 {
		d.BatchSize = DefaultBatchSize
	}
	return &Issuer{d}, nil
}

// siteContext is what issuing for one service of a site needs from its settings.
type siteContext struct {
	config settings.Config
	loc    *time.Location
}

// context reads the service's settings; an unknown service reads as UTC so validation can
// name the field instead of failing here.
func (is *Issuer) context(ctx context.Context, site, service string) (siteContext, error) {
	s, err := is.Sites.Get(ctx, site)
	if err != nil {
		return siteContext{}, err
	}
	svc := settings.Service(service)
	if !svc.Valid() {
		return siteContext{config: settings.DefaultConfig(), loc: time.UTC}, nil
	}
	return siteContext{config: s.Services[svc].Config, loc: s.Location(svc)}, nil
}

// requireEnabled refuses to issue codes where the site switched them off.
func requireEnabled(sc siteContext, service string) error {
	if !sc.config.PromoCodesEnabled {
		return apperr.New(apperr.CodeConflict, "promotion codes are switched off for %s on this site; switch them on in the settings (promoCodesEnabled)", service)
	}
	return nil
}

// newCode is a code of plan made now by actor.
func newCode(site, code string, p promo.Params, r *promo.Recipient, loc *time.Location, now time.Time, actor, job string) promo.Code {
	return promo.Code{
		Site: site, Code: code, Service: p.Service, Recipient: r, Usage: p.Usage, Discount: p.Discount,
		ExpiresOn: p.ExpiresOn, ExpiresAt: promo.Expiry(p.ExpiresOn, loc), AppliesTo: p.AppliesTo,
		Stored: promo.StatusActive, CreatedAt: now, CreatedBy: actor, JobID: job,
	}
}
