package issue

import (
	"context"
	"errors"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/mail"
	"github.com/boxofficehq/boxoffice/internal/promo/recipients"
)

// deadlineMargin is how long before its deadline a run stops starting work, so it can
// record what it did and let the invocation's retry resume the rest.
const deadlineMargin = 20 * time.Second

// errOutOfTime ends a run that must leave the rest to the invocation's retry.
var errOutOfTime = errors.New("out of time: the rest is left to the next run")

// maxCollisions bounds how often a batch is written again, with new codes for those the site
// had already.
const maxCollisions = 8

// run moves a leased job forward from wherever it is to done (or failed); file is the
// upload that started the run, which a job waiting for its file takes.
func (is *Issuer) run(ctx context.Context, j Job, file UploadedFile) error {
	for {
		var err error
		switch j.State {
		case JobAwaitingUpload:
			err = is.Jobs.Take(ctx, j.Site, j.ID, file)
		case JobValidating:
			err = is.validate(ctx, j)
		case JobCreating:
			if j.Kind == KindGeneration {
				err = is.generateCodes(ctx, j)
			} else {
				err = is.createCodes(ctx, j)
			}
		case JobSending:
			err = is.sendMails(ctx, j)
		default:
			return nil
		}
		if err != nil {
			return err
		}
		if j, err = is.Jobs.Job(ctx, j.Site, j.ID); err != nil {
			return err
		}
	}
}

// validate reads the whole file and either fails the job with every bad line, or stores
// its recipients in batches and moves on to creating. Nothing is created before the whole
// file is known to be good, and a file replaced since the job took it is not read.
func (is *Issuer) validate(ctx context.Context, j Job) error {
	body, err := is.Objects.Open(ctx, j.Bucket, j.Key, j.File.ETag, recipients.MaxBytes+1)
	if errors.Is(err, ErrFileReplaced) {
		is.Log.InfoContext(ctx, "recipients file replaced before it was read", "job", j.ID)
		return is.Jobs.Fail(ctx, j, string(apperr.CodeConflict), []ProblemLine{{Reason: "the file was uploaded again while it " +
			"was being checked, so neither upload was imported: start a new import and upload the file once"}})
	}
	if err != nil {
		return err
	}
	defer body.Close()
	rs, err := recipients.Parse(body)
	if err != nil {
		e := apperr.As(err)
		if e.Code == apperr.CodeInternal {
			return err
		}
		problems := make([]ProblemLine, len(e.Details))
		for i, d := range e.Details {
			problems[i] = ProblemLine{Line: d.Line, Reason: d.Reason}
		}
		is.Log.InfoContext(ctx, "recipients file refused", "job", j.ID, "problems", len(problems))
		return is.Jobs.Fail(ctx, j, string(e.Code), problems)
	}
	var batches []Batch
	for start := 0; start < len(rs); start += is.BatchSize {
		b := Batch{N: len(batches)}
		for _, r := range rs[start:min(start+is.BatchSize, len(rs))] {
			b.Recipients = append(b.Recipients, JobRecipient{Line: r.Line, Email: r.Email, Name: r.Name, Mail: MailPending})
		}
		batches = append(batches, b)
	}
	return is.Jobs.Validated(ctx, j.Site, j.ID, batches)
}

// createCodes creates the codes of every batch not created yet, one batch after the other,
// then moves on to sending. A batch's recipients, their codes and the job's count are one
// write, so a run that dies half-way leaves whole batches created and the others pending.
// One at a time, because each batch counts on the job's item and DynamoDB cancels
// transactions that overlap on an item.
func (is *Issuer) createCodes(ctx context.Context, j Job) error {
	sc, err := is.context(ctx, j.Site, j.Plan.Params.Service)
	if err != nil {
		return err
	}
	pending, err := is.Jobs.Pending(ctx, j.Site, j.ID)
	if err != nil {
		return err
	}
	for _, b := range pending {
		if err := stopping(ctx); err != nil {
			return err
		}
		if err := is.createBatch(ctx, j, sc, b); err != nil {
			return err
		}
	}
	entry := audit.NewEntry(j.Site, j.CreatedBy, ActionImport, j.Plan.Params.Service, is.Now().UTC(), []audit.Change{
		{Field: "job", After: j.ID}, {Field: "count", After: strconv.Itoa(j.Recipients)},
		{Field: "discount", After: promo.FormatDiscount(j.Plan.Params.Discount)}, {Field: "expiresOn", After: j.Plan.Params.ExpiresOn},
	})
	return is.Jobs.Advance(ctx, j.Site, j.ID, JobCreating, JobSending, entry)
}

// createBatch writes one batch with a new code per recipient; codes the site has already
// are generated again, a bounded number of times.
func (is *Issuer) createBatch(ctx context.Context, j Job, sc siteContext, b Batch) error {
	now := is.Now().UTC()
	fresh := freshCodes(j.Plan.Length)
	codes := make([]promo.Code, len(b.Recipients))
	for i, r := range b.Recipients {
		codes[i] = newCode(j.Site, fresh(), j.Plan.Params, &promo.Recipient{Email: r.Email, Name: r.Name}, sc.loc, now, j.CreatedBy, j.ID)
	}
	return writeFresh(j, codes, fresh, func(codes []promo.Code) error { return is.Jobs.CreateBatch(ctx, j, b, codes) })
}

// sendMails sends every pending recipient their e-mail, recording each as it goes, then
// finishes the job. A mail whose sending fails for a while (throttled past the sender's
// retries) stays pending and the run ends with an error, so the invocation's retry goes on.
func (is *Issuer) sendMails(ctx context.Context, j Job) error {
	sc, todo, err := is.todo(ctx, j, func(r JobRecipient) bool { return r.Mail == MailPending && r.CodeCreated })
	if err != nil {
		return err
	}
	vars := mail.Vars{
		Discount: promo.FormatDiscount(j.Plan.Params.Discount), ExpirationDate: promo.FormatDate(j.Plan.Params.ExpiresOn),
		MerchantName: sc.config.MerchantName, SupportInfo: sc.config.SupportInfo,
	}
	err = is.each(ctx, todo, func(ctx context.Context, r JobRecipient) error {
		v := vars
		v.AttendeeName, v.PromoCode = r.Name, r.Code
		msg := j.Plan.Template.Render(v)
		id, reason, err := is.Mailer.Send(ctx, r.Email, msg.Subject, msg.Body)
		if err != nil {
			return err
		}
		r.MailAt = is.Now().UTC()
		if reason != "" {
			r.Mail, r.MailReason = MailFailed, reason
		} else {
			r.Mail, r.MessageID = MailSent, id
		}
		if err := is.Jobs.RecordMail(ctx, j.Site, j.ID, r); err != nil && !errors.Is(err, ErrNotPending) {
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	return is.Jobs.Advance(ctx, j.Site, j.ID, JobSending, JobDone, audit.Entry{})
}

// todo reads the job's site settings and recipients, and picks the recipients left to do.
func (is *Issuer) todo(ctx context.Context, j Job, left func(JobRecipient) bool) (siteContext, []JobRecipient, error) {
	sc, err := is.context(ctx, j.Site, j.Plan.Params.Service)
	if err != nil {
		return siteContext{}, nil, err
	}
	rs, err := is.Jobs.Recipients(ctx, j.Site, j.ID)
	if err != nil {
		return siteContext{}, nil, err
	}
	var todo []JobRecipient
	for _, r := range rs {
		if left(r) {
			todo = append(todo, r)
		}
	}
	return sc, todo, nil
}

// each runs fn for every item with up to Workers at once. At the first error, or when the
// run is close to its deadline, it stops starting new items and returns that error; items
// under way finish with the caller's context, so a mail that was sent is also recorded.
func (is *Issuer) each(ctx context.Context, items []JobRecipient, fn func(context.Context, JobRecipient) error) error {
	g, failed := errgroup.WithContext(ctx) // failed ends at the first error, or with ctx
	g.SetLimit(is.Workers)
	var stop error // why the loop stopped early when no item failed
	for _, r := range items {
		if stop = stopping(ctx); stop != nil || failed.Err() != nil {
			break
		}
		g.Go(func() error { return fn(ctx, r) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if stop != nil {
		return stop
	}
	return ctx.Err()
}

// stopping says why a run must start no more work: its context ended, or its deadline is
// too close to record what it would do.
func stopping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && time.Until(d) < deadlineMargin {
		return errOutOfTime
	}
	return nil
}
