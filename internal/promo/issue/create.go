package issue

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// Audit actions.
const (
	ActionCreate      = "promo.create"
	ActionImportStart = "promo.import_start"
	ActionImport      = "promo.import"
)

// Created is the outcome of a creation: the codes, and for a recipient the job that
// records their e-mail and its state; or, for more codes than a request makes, only the
// generation job that makes them.
type Created struct {
	Codes     []promo.Code  `json:"codes"`
	Job       *Job          `json:"job,omitempty"`
	Recipient *JobRecipient `json:"recipient,omitempty"`
}

// Queued reports whether the codes are left to a generation job.
func (c Created) Queued() bool { return c.Job != nil && c.Job.Kind == KindGeneration }

// Create creates codes as in asks (SPEC 3.1) and, for a recipient, mails the code at once.
// More than MaxSyncQuantity generated codes are left to a generation job, which Create
// starts and answers. invocation names this request, so its e-mail run can be told from
// others.
func (is *Issuer) Create(ctx context.Context, actor, site string, in CreateInput, invocation string) (Created, error) {
	sc, err := is.context(ctx, site, in.Service)
	if err != nil {
		return Created{}, err
	}
	cr := is.creation(ctx)
	now := cr.now
	plan, err := in.Validate(promo.Today(now, sc.loc))
	if err != nil {
		return Created{}, err
	}
	if err := requireEnabled(sc, plan.Service); err != nil {
		return Created{}, err
	}
	if plan.Quantity > MaxSyncQuantity {
		return is.startGeneration(ctx, cr, actor, site, plan)
	}
	jobID := ""
	if plan.Recipient != nil {
		jobID = cr.newID("job")
	}
	codes := make([]promo.Code, plan.Quantity)
	for i := range codes {
		code := plan.Custom
		if code == "" {
			code = promo.Generate(plan.Length)
		}
		codes[i] = newCode(site, code, plan.Params, plan.Recipient, sc.loc, now, actor, jobID)
	}
	regenerate := func(c promo.Code) (promo.Code, bool) {
		if plan.Custom != "" {
			return c, false
		}
		c.Code = promo.Generate(plan.Length)
		return c, true
	}
	entry := audit.NewEntry(site, actor, ActionCreate, plan.Service, now, creationChanges(plan.Params, plan.Custom, len(codes), plan.Recipient))
	written, err := is.Codes.Insert(ctx, codes, entry, regenerate)
	if errors.Is(err, ErrCodeExists) {
		return Created{}, &apperr.Error{Code: apperr.CodeConflict, Message: fmt.Sprintf("the site already has the code %s", plan.Custom),
			Details: []apperr.Detail{{Field: "code", Reason: "already exists (codes are case-insensitive)"}}}
	}
	if err != nil {
		return Created{}, err
	}
	out := Created{Codes: written}
	if plan.Recipient == nil {
		return out, nil
	}
	job, rec, err := is.mailOne(ctx, actor, site, jobID, plan, written[0], invocation)
	if err != nil {
		return Created{}, err
	}
	out.Job, out.Recipient = &job, &rec
	return out, nil
}

// mailOne records a single recipient's code as a job of one, already created, and sends its
// e-mail now. A failure to send is recorded on the recipient (and can be re-sent), not
// returned: the code exists either way.
func (is *Issuer) mailOne(ctx context.Context, actor, site, jobID string, plan Plan, code promo.Code, invocation string) (Job, JobRecipient, error) {
	now := code.CreatedAt
	job := Job{
		Site: site, ID: jobID, Kind: KindRecipient, State: JobSending, CreatedAt: now, CreatedBy: actor, UpdatedAt: now,
		Plan:       ImportPlan{Params: plan.Params, Length: len(code.Code), Template: plan.Template},
		Recipients: 1, CodesCreated: 1,
	}
	rec := JobRecipient{Line: 1, Email: plan.Recipient.Email, Name: plan.Recipient.Name, Code: code.Code, CodeCreated: true, Mail: MailPending}
	// A retry of the request finds the job its first try made (the same ID): it goes on.
	if err := is.Jobs.CreateJob(ctx, job, []JobRecipient{rec}, audit.Entry{}); err != nil && !errors.Is(err, ErrJobExists) {
		return Job{}, JobRecipient{}, err
	}
	if err := is.runLeased(ctx, site, jobID, invocation, false, UploadedFile{}); err != nil {
		is.Log.WarnContext(ctx, "the code's e-mail was not sent now; it stays pending", "job", jobID, "error", err)
	}
	job, err := is.Jobs.Job(ctx, site, jobID)
	if err != nil {
		return Job{}, JobRecipient{}, err
	}
	rs, err := is.Jobs.Recipients(ctx, site, jobID)
	if err != nil || len(rs) != 1 {
		return Job{}, JobRecipient{}, apperr.Internal(fmt.Errorf("job %s: read its recipient: %v", jobID, err))
	}
	return job, rs[0], nil
}

// creationChanges is what the audit says of a creation: how many codes and with what (the
// generated codes themselves are in the report).
func creationChanges(p promo.Params, custom string, count int, r *promo.Recipient) []audit.Change {
	changes := []audit.Change{
		{Field: "count", After: strconv.Itoa(count)},
		{Field: "usage", After: p.Usage},
		{Field: "discount", After: promo.FormatDiscount(p.Discount)},
		{Field: "expiresOn", After: p.ExpiresOn},
		{Field: "appliesTo", After: p.AppliesTo},
	}
	if custom != "" {
		changes = append(changes, audit.Change{Field: "code", After: custom})
	}
	if r != nil {
		changes = append(changes, audit.Change{Field: "recipient", After: r.Email})
	}
	return changes
}
