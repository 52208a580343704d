package issue

import (
	"context"
	"errors"
	"fmt"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// MaxSyncQuantity is the most generated codes a creation makes inside its request; a larger
// quantity is made by a generation job in promo-import. Measured (README, Benchmarks): 1,000
// codes take a few seconds through the API even with DynamoDB Local's data on disk, where
// 10,000 took longer than API Gateway's 29 seconds.
const MaxSyncQuantity = 1000

// GenerationsPrefix is where a creation made by a job drops the marker object
// (generations/<site>/<job>) whose S3 event starts promo-import. The object only names the
// job: what to make is on the job's item, which the request wrote.
const GenerationsPrefix = "generations/"

// generationBatch is how many codes of a generation one write makes: a DynamoDB transaction
// holds 100 items, the job's count and 99 codes.
const generationBatch = 99

// startGeneration stores a generation job for plan's codes and drops the marker that starts
// it; the job is what the creation answers. A retry of a keyed request finds the job its
// first try made (the same ID) and drops the marker again: a second event of a job only
// finds it leased, under way or done.
func (is *Issuer) startGeneration(ctx context.Context, cr creation, actor, site string, plan Plan) (Created, error) {
	if is.Uploads == nil {
		return Created{}, apperr.Internal(errors.New("promo issue: no uploads bucket configured"))
	}
	id := cr.newID("job")
	job := Job{
		Site: site, ID: id, Kind: KindGeneration, Plan: ImportPlan{Params: plan.Params, Length: plan.Length},
		Quantity: plan.Quantity, State: JobCreating, Bucket: is.Uploads.Bucket(), Key: GenerationsPrefix + site + "/" + id,
		CreatedAt: cr.now, CreatedBy: actor, UpdatedAt: cr.now,
	}
	err := is.Jobs.CreateJob(ctx, job, nil, audit.Entry{})
	if errors.Is(err, ErrJobExists) {
		job, err = is.Jobs.Job(ctx, site, id)
	}
	if err != nil {
		return Created{}, err
	}
	if err := is.Uploads.Put(ctx, job.Key, nil); err != nil {
		is.abandon(ctx, cr, job)
		return Created{}, err
	}
	return Created{Job: &job}, nil
}

// abandon ends a generation whose marker could not be dropped, which nothing would run: its
// request fails, and a job left creating would wait for ever. A keyed request keeps it: its
// retry, with the same job, drops the marker again.
func (is *Issuer) abandon(ctx context.Context, cr creation, j Job) {
	if cr.seed != "" {
		return
	}
	if err := is.Jobs.Advance(context.WithoutCancel(ctx), j.Site, j.ID, JobCreating, JobFailed, audit.Entry{}); err != nil {
		is.Log.WarnContext(ctx, "a generation whose marker was not dropped is left creating", "job", j.ID, "error", err)
	}
}

// generateCodes makes a generation's codes batch after batch, then finishes the job with the
// creation's audit entry. A batch counts its codes on the job only if the job has made
// exactly as many as this run read, so a batch written already (by a run that died before
// hearing back, or by another run) is refused: the run reads the count again and goes on
// from there, and the job never makes more than its quantity.
func (is *Issuer) generateCodes(ctx context.Context, j Job) error {
	sc, err := is.context(ctx, j.Site, j.Plan.Params.Service)
	if err != nil {
		return err
	}
	for j.CodesCreated < j.Quantity {
		if err := stopping(ctx); err != nil {
			return err
		}
		now := is.Now().UTC()
		fresh := freshCodes(j.Plan.Length)
		codes := make([]promo.Code, min(generationBatch, j.Quantity-j.CodesCreated))
		for i := range codes {
			codes[i] = newCode(j.Site, fresh(), j.Plan.Params, nil, sc.loc, now, j.CreatedBy, j.ID)
		}
		err := writeFresh(j, codes, fresh, func(codes []promo.Code) error { return is.Jobs.CreateGenerated(ctx, j, codes) })
		switch {
		case errors.Is(err, ErrWrongState):
			if j, err = is.Jobs.Job(ctx, j.Site, j.ID); err != nil || j.State != JobCreating {
				return err
			}
		case err != nil:
			return err
		default:
			j.CodesCreated += len(codes)
		}
	}
	changes := append(creationChanges(j.Plan.Params, "", j.Quantity, nil), audit.Change{Field: "job", After: j.ID})
	entry := audit.NewEntry(j.Site, j.CreatedBy, ActionCreate, j.Plan.Params.Service, is.Now().UTC(), changes)
	return is.Jobs.Advance(ctx, j.Site, j.ID, JobCreating, JobDone, entry)
}

// freshCodes returns a source of generated codes of length, none the same as another it gave.
func freshCodes(length int) func() string {
	mine := map[string]bool{} // no two codes of one write may be the same item
	return func() string {
		for {
			if c := promo.Generate(length); !mine[c] {
				mine[c] = true
				return c
			}
		}
	}
}

// writeFresh writes codes with write; codes the site has already are generated again with
// fresh and written anew, a bounded number of times.
func writeFresh(j Job, codes []promo.Code, fresh func() string, write func([]promo.Code) error) error {
	for attempt := 0; ; attempt++ {
		err := write(codes)
		var taken *CodesTaken
		if !errors.As(err, &taken) {
			return err
		}
		if attempt == maxCollisions {
			return apperr.Internal(fmt.Errorf("job %s: %d times in a row, generated codes collided", j.ID, attempt+1))
		}
		for _, i := range taken.Indexes {
			codes[i].Code = fresh()
		}
	}
}
