package issue_test

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// memJobs is the import job store in memory, with the codes table beside it. Every write
// is refused or applied under the same condition issuedb.Jobs puts on it, so a run that
// resumes here meets what it would meet in DynamoDB.
type memJobs struct {
	mu         sync.Mutex
	jobs       map[string]issue.Job                  // by site/id
	recipients map[string]map[int]issue.JobRecipient // by site/id, then line
	batches    map[string][]memBatch                 // by site/id, in order
	codes      map[string]promo.Code                 // by site/code
	entries    []audit.Entry
}

// memBatch is a stored batch and whether its codes are created.
type memBatch struct {
	issue.Batch
	created bool
}

func newMemJobs() *memJobs {
	return &memJobs{jobs: map[string]issue.Job{}, recipients: map[string]map[int]issue.JobRecipient{}, batches: map[string][]memBatch{}, codes: map[string]promo.Code{}}
}

func jobKey(site, id string) string { return site + "/" + id }

// fake is a fakeJobs whose every field is the store's behaviour.
func (m *memJobs) fake() *fakeJobs {
	return &fakeJobs{
		createJob: m.createJob, job: m.job, lease: m.lease, release: m.release, take: m.take, fail: m.fail,
		validated: m.validated, pending: m.pending, createBatch: m.createBatch, generated: m.generated, advance: m.advance,
		recipients: m.list, recordMail: m.recordMail, retry: m.retry, note: m.note,
	}
}

func (m *memJobs) createJob(j issue.Job, rs []issue.JobRecipient, entry audit.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := jobKey(j.Site, j.ID)
	if _, ok := m.jobs[k]; ok {
		return apperr.Internal(errors.New("job exists"))
	}
	m.jobs[k], m.recipients[k] = j, map[int]issue.JobRecipient{}
	for _, r := range rs {
		m.recipients[k][r.Line] = r
	}
	m.audit(entry)
	return nil
}

func (m *memJobs) audit(e audit.Entry) {
	if e.ID != "" {
		m.entries = append(m.entries, e)
	}
}

func (m *memJobs) job(site, id string) (issue.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[jobKey(site, id)]
	if !ok {
		return issue.Job{}, issue.ErrJobNotFound
	}
	return j, nil
}

// update changes a stored job under the lock, if it exists.
func (m *memJobs) update(site, id string, change func(j *issue.Job) error) (issue.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[jobKey(site, id)]
	if !ok {
		return issue.Job{}, issue.ErrJobNotFound
	}
	if err := change(&j); err != nil {
		return issue.Job{}, err
	}
	m.jobs[jobKey(site, id)] = j
	return j, nil
}

// lease: free, the owner's own, or lapsed (its end before now).
func (m *memJobs) lease(site, id, owner string, until, now time.Time) (issue.Job, error) {
	return m.update(site, id, func(j *issue.Job) error {
		if j.LeaseOwner != "" && j.LeaseOwner != owner && !j.LeaseUntil.Before(now) {
			return issue.ErrLeased
		}
		j.LeaseOwner, j.LeaseUntil = owner, until
		return nil
	})
}

// release gives the lease up if owner still holds it, and says nothing otherwise.
func (m *memJobs) release(site, id, owner string) error {
	_, err := m.update(site, id, func(j *issue.Job) error {
		if j.LeaseOwner == owner {
			j.LeaseOwner, j.LeaseUntil = "", time.Time{}
		}
		return nil
	})
	return err
}

// take: only a job waiting for its file.
func (m *memJobs) take(site, id string, file issue.UploadedFile) error {
	_, err := m.update(site, id, func(j *issue.Job) error {
		if j.State != issue.JobAwaitingUpload {
			return issue.ErrWrongState
		}
		j.State, j.File = issue.JobValidating, file
		return nil
	})
	return err
}

func (m *memJobs) fail(j issue.Job, code string, problems []issue.ProblemLine) error {
	_, err := m.update(j.Site, j.ID, func(j *issue.Job) error {
		if j.State != issue.JobValidating {
			return issue.ErrWrongState
		}
		j.State, j.ErrorCode, j.Errors = issue.JobFailed, apperr.Code(code), nil
		for _, p := range problems {
			j.Errors = append(j.Errors, apperr.Detail{Line: p.Line, Reason: p.Reason})
		}
		return nil
	})
	return err
}

func (m *memJobs) advance(site, id string, from, to issue.JobState, entry audit.Entry) error {
	_, err := m.update(site, id, func(j *issue.Job) error {
		if j.State != from {
			return issue.ErrWrongState
		}
		j.State = to
		m.audit(entry)
		return nil
	})
	return err
}

// validated stores the batches and moves a validating job to creating with its count, at
// once, as the store's transaction does.
func (m *memJobs) validated(site, id string, batches []issue.Batch) error {
	_, err := m.update(site, id, func(j *issue.Job) error {
		if j.State != issue.JobValidating {
			return issue.ErrWrongState
		}
		j.State, j.Recipients = issue.JobCreating, 0
		stored := make([]memBatch, len(batches))
		for i, b := range batches {
			stored[i] = memBatch{Batch: b}
			j.Recipients += len(b.Recipients)
		}
		m.batches[jobKey(site, id)] = stored
		return nil
	})
	return err
}

func (m *memJobs) pending(site, id string) ([]issue.Batch, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []issue.Batch
	for _, b := range m.batches[jobKey(site, id)] {
		if !b.created {
			out = append(out, b.Batch)
		}
	}
	return out, nil
}

// createBatch is the store's transaction: nothing if the batch is created already; else
// refused with the taken codes' indexes if any code exists, or refused if the job is not
// creating; else every code, every recipient with its code, the batch's mark and the job's
// count, all at once.
func (m *memJobs) createBatch(j issue.Job, b issue.Batch, codes []promo.Code) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := jobKey(j.Site, j.ID)
	bs := m.batches[k]
	if b.N >= len(bs) || bs[b.N].created {
		return nil
	}
	if taken := m.taken(codes); taken != nil {
		return taken
	}
	stored := m.jobs[k]
	if stored.State != issue.JobCreating {
		return issue.ErrWrongState
	}
	for i, c := range codes {
		m.codes[c.Site+"/"+c.Code] = c
		r := b.Recipients[i]
		r.Code, r.CodeCreated = c.Code, true
		m.recipients[k][r.Line] = r
	}
	bs[b.N].created = true
	stored.CodesCreated += len(codes)
	m.jobs[k] = stored
	return nil
}

// generated is the store's transaction of a generation's batch: refused if the job is not
// creating or has made another count than j's; else refused with the taken codes' indexes
// if any code exists; else every code and the job's count, at once.
func (m *memJobs) generated(j issue.Job, codes []promo.Code) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := jobKey(j.Site, j.ID)
	stored := m.jobs[k]
	if stored.State != issue.JobCreating || stored.CodesCreated != j.CodesCreated {
		return issue.ErrWrongState
	}
	if taken := m.taken(codes); taken != nil {
		return taken
	}
	for _, c := range codes {
		m.codes[c.Site+"/"+c.Code] = c
	}
	stored.CodesCreated += len(codes)
	m.jobs[k] = stored
	return nil
}

// taken names the codes the site has already, or is nil; the caller holds the lock.
func (m *memJobs) taken(codes []promo.Code) *issue.CodesTaken {
	taken := &issue.CodesTaken{}
	for i, c := range codes {
		if _, ok := m.codes[c.Site+"/"+c.Code]; ok {
			taken.Indexes = append(taken.Indexes, i)
		}
	}
	if len(taken.Indexes) == 0 {
		return nil
	}
	return taken
}

func (m *memJobs) note(site, id string, n issue.JobNotice) error {
	_, err := m.update(site, id, func(j *issue.Job) error {
		j.Notice = &n
		return nil
	})
	return err
}

// list is the recipients in line order.
func (m *memJobs) list(site, id string) ([]issue.JobRecipient, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []issue.JobRecipient
	for _, r := range m.recipients[jobKey(site, id)] {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b issue.JobRecipient) int { return a.Line - b.Line })
	return out, nil
}

// recordMail and retry move one recipient's mail and the job's counters together.
func (m *memJobs) recordMail(site, id string, r issue.JobRecipient) error {
	return m.moveMail(site, id, r.Line, issue.MailPending, func(rec *issue.JobRecipient, j *issue.Job) {
		rec.Mail, rec.MailAt = r.Mail, r.MailAt
		if r.Mail == issue.MailFailed {
			rec.MailReason = r.MailReason
			j.MailsFailed++
		} else {
			rec.MessageID, rec.MailReason = r.MessageID, ""
			j.MailsSent++
		}
	})
}

func (m *memJobs) retry(site, id string, line int) error {
	return m.moveMail(site, id, line, issue.MailFailed, func(rec *issue.JobRecipient, j *issue.Job) {
		rec.Mail = issue.MailPending
		j.MailsFailed--
	})
}

func (m *memJobs) moveMail(site, id string, line int, from issue.MailState, move func(*issue.JobRecipient, *issue.Job)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := jobKey(site, id)
	rec, ok := m.recipients[k][line]
	if !ok || rec.Mail != from {
		return issue.ErrNotPending
	}
	j := m.jobs[k]
	move(&rec, &j)
	m.recipients[k][line], m.jobs[k] = rec, j
	return nil
}

// codesOf lists the codes the job created.
func (m *memJobs) codesOf(id string) []promo.Code {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []promo.Code
	for _, c := range m.codes {
		if c.JobID == id {
			out = append(out, c)
		}
	}
	return out
}

// audited counts the audit entries of action.
func (m *memJobs) audited(action string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, e := range m.entries {
		if e.Action == action {
			n++
		}
	}
	return n
}
