package change

import (
	"context"
	"errors"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Deleter deletes selected codes (SPEC 3.6). A deleted code keeps its item, so it stays in
// the report with who deleted it and when; deleting it again changes nothing.
type Deleter struct {
	codes Codes
	now   func() time.Time
}

// NewDeleter returns a Deleter over a site's codes; now is the clock (time.Now when nil).
func NewDeleter(codes Codes, now func() time.Time) (*Deleter, error) {
	if codes == nil {
		return nil, errors.New("promo deleter: codes are required")
	}
	if now == nil {
		now = time.Now
	}
	return &Deleter{codes: codes, now: now}, nil
}

// DeleteResult is what a delete did to one code. DeletedAt and DeletedBy say when and by
// whom the code was deleted: by this request (deleted) or before (already_deleted).
type DeleteResult struct {
	Code      string
	Result    promo.ChangeResult
	DeletedAt time.Time
	DeletedBy string
}

// DeleteReport is the answer to a delete: a result per distinct code, in request order.
type DeleteReport struct {
	Results []DeleteResult
}

// Delete deletes in's codes of site as actor, concurrently, each with one conditional
// write that only a code not yet deleted passes: a code deleted twice, even at the same
// moment, is deleted and audited once. An error of the store stops the request; deleting
// again is safe.
func (d *Deleter) Delete(ctx context.Context, actor, site string, in promo.DeleteInput) (DeleteReport, error) {
	req, err := in.Validate()
	if err != nil {
		return DeleteReport{}, err
	}
	results := make([]DeleteResult, len(req.Codes))
	err = each(ctx, len(req.Codes), Workers, func(ctx context.Context, i int) error {
		r, err := d.deleteOne(ctx, actor, site, req.Codes[i])
		results[i] = r
		return err
	})
	if err != nil {
		return DeleteReport{}, err
	}
	return DeleteReport{Results: results}, nil
}

func (d *Deleter) deleteOne(ctx context.Context, actor, site, code string) (DeleteResult, error) {
	for range maxAttempts {
		now := d.now()
		entry := audit.NewEntry(site, actor, promo.ActionDelete, code, now,
			[]audit.Change{{Field: "status", After: string(promo.StatusDeleted)}})
		w, err := d.codes.MarkDeleted(ctx, site, code, actor, now, entry)
		if err != nil {
			return DeleteResult{}, err
		}
		if w.Applied {
			return DeleteResult{Code: code, Result: promo.ChangeDeleted, DeletedAt: now.UTC(), DeletedBy: actor}, nil
		}
		if res, done := promo.DecideDelete(w.Current, w.Found); done {
			return DeleteResult{Code: code, Result: res, DeletedAt: w.Current.DeletedAt, DeletedBy: w.Current.DeletedBy}, nil
		}
	}
	return DeleteResult{}, apperr.New(apperr.CodeConflict, "code %s kept changing while it was being deleted; try again", code)
}
