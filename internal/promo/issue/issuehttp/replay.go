package issuehttp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// A retried creation (the same Idempotency-Key and request) answers again from what its
// first answer remembered, kept small for DynamoDB's 400 KB item: 10,000 codes of 32
// characters would not fit with the rest.

// rememberCreated is what a creation keeps of its answer: all of it but the codes, which
// the creation's steps hold (issuedb.Codes records each transaction's codes).
func rememberCreated(body map[string]any) (string, error) {
	rest := make(map[string]any, len(body))
	for k, v := range body {
		if k != "codes" {
			rest[k] = v
		}
	}
	raw, err := json.Marshal(rest)
	return string(raw), err
}

// replayCreated answers a creation again: what it remembered, with the codes its steps
// hold, in the order they were answered; for a creation left to a generation job, the job
// as it is now.
func replayCreated(is *issue.Issuer) idempotency.Replay {
	return func(w http.ResponseWriter, r *http.Request, first idempotency.Answer) error {
		if first.Status != http.StatusAccepted {
			return replayCodes(w, r, first)
		}
		j, err := is.Job(r.Context(), r.PathValue("site"), first.Ref)
		if err != nil {
			return err
		}
		acceptedJob(w, j)
		return nil
	}
}

func replayCodes(w http.ResponseWriter, r *http.Request, first idempotency.Answer) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(first.Ref)))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		return apperr.Internal(fmt.Errorf("replay creation %s: %w", first.ID, err))
	}
	steps, err := first.Steps(r.Context())
	if err != nil {
		return err
	}
	codes := []string{}
	for _, n := range slices.Sorted(maps.Keys(steps)) {
		codes = append(codes, steps[n]...)
	}
	if count, _ := body["count"].(json.Number); count.String() != fmt.Sprint(len(codes)) {
		return apperr.Internal(fmt.Errorf("replay creation %s: it answered %s codes, its steps hold %d", first.ID, count, len(codes)))
	}
	body["codes"] = codes
	httpx.JSON(w, first.Status, body)
	return nil
}

// replayImport answers a started import again: the job as it is now, with its upload URL
// signed anew (the first one is not kept: it carries the function's credentials).
func replayImport(is *issue.Issuer) idempotency.Replay {
	return func(w http.ResponseWriter, r *http.Request, first idempotency.Answer) error {
		job, upload, err := is.ImportUpload(r.Context(), r.PathValue("site"), first.Ref)
		if err != nil {
			return err
		}
		httpx.JSON(w, first.Status, importView(job, upload))
		return nil
	}
}
