package issue_test

import (
	"context"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestJobIDsThatCannotExistAreNotLookedUp: a job ID too long for a DynamoDB key (which
// gave a 500) or of another shape answers 404 before any store call; an S3 event for such
// a key is ignored without one.
func TestJobIDsThatCannotExistAreNotLookedUp(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for _, id := range []string{strings.Repeat("j", 1100), "x", "../20261128T120000.000000000Z-0123456789ab"} {
		if _, err := r.is.Job(ctx, site, id); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Errorf("Job(%.20q…): %v, want not_found", id, err)
		}
		if _, err := r.is.Recipients(ctx, site, id); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Errorf("Recipients(%.20q…): %v, want not_found", id, err)
		}
		if _, err := r.is.RequestResend(ctx, site, id); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Errorf("RequestResend(%.20q…): %v, want not_found", id, err)
		}
		if err := r.is.HandleObject(ctx, issue.Object{Bucket: bucket, Key: "imports/" + site + "/" + id}, "inv-1"); err != nil {
			t.Errorf("HandleObject(%.20q…): %v, want ignored", id, err)
		}
	}
	if calls := r.callsSoFar(); len(calls) != 0 {
		t.Errorf("the store was called: %v", calls)
	}
}
