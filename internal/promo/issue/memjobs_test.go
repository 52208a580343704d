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
	jobs       map[string]promo.Job                  // by site/id
	recipients map[string]map[int]promo.JobRecipient // by site/id, then line
	codes      map[string]promo.Code                 // by site/code
	entries    []audit.Entry
}

func newMemJobs() *memJobs {
	return &memJobs{jobs: map[string]promo.Job{}, recipients: map[string]map[int]promo.JobRecipient{}, codes: map[string]promo.Code{}}
}

func jobKey(site, id string) string { return site + "/" + id }

// fake is a fakeJobs whose every field is the store's behaviour.
func (m *memJobs) fake() *fakeJobs {
	return &fakeJobs{
		createJob: m.createJob, job: m.job, lease: m.lease, release: m.release, fail: m.fail,
		advance: m.advance, addRecipients: m.addRecipients, recipients: m.list, createCode: m.createCode,
		reassign: m.reassign, recordMail: m.recordMail, retry: m.retry,
	}
}

func (m *memJobs) createJob(j promo.Job, rs []promo.JobRecipient, entry audit.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := jobKey(j.Site, j.ID)
	if _, ok := m.jobs[k]; ok {
		return apperr.Internal(errors.New("job exists"))
	}
	m.jobs[k], m.recipients[k] = j, map[int]promo.JobRecipient{}
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

func (m *memJobs) job(site, id string) (promo.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[jobKey(site, id)]
	if !ok {
		return promo.Job{}, issue.ErrJobNotFound
	}
	return j, nil
}

// update changes a stored job under the lock, if it exists.
func (m *memJobs) update(site, id string, change func(j *promo.Job) error) (promo.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[jobKey(site, id)]
	if !ok {
		return promo.Job{}, issue.ErrJobNotFound
	}
	if err := change(&j); err != nil {
		return promo.Job{}, err
	}
	m.jobs[jobKey(site, id)] = j
	return j, nil
}

// lease: free, the owner's own, or lapsed (its end before now).
func (m *memJobs) lease(site, id, owner string, until, now time.Time) (promo.Job, error) {
	return m.update(site, id, func(j *promo.Job) error {
		if j.LeaseOwner != "" && j.LeaseOwner != owner && !j.LeaseUntil.Before(now) {
			return issue.ErrLeased
		}
		j.LeaseOwner, j.LeaseUntil = owner, until
		return nil
	})
}

// release gives the lease up if owner still holds it, and says nothing otherwise.
func (m *memJobs) release(site, id, owner string) error {
	_, err := m.update(site, id, func(j *promo.Job) error {
		if j.LeaseOwner == owner {
			j.LeaseOwner, j.LeaseUntil = "", time.Time{}
		}
		return nil
	})
	return err
}

func (m *memJobs) fail(j promo.Job, code string, problems []issue.ProblemLine) error {
	_, err := m.update(j.Site, j.ID, func(j *promo.Job) error {
		if j.State != promo.JobAwaitingUpload {
			return issue.ErrWrongState
		}
		j.State, j.ErrorCode, j.Errors = promo.JobFailed, apperr.Code(code), nil
		for _, p := range problems {
			j.Errors = append(j.Errors, apperr.Detail{Line: p.Line, Reason: p.Reason})
		}
		return nil
	})
	return err
}

func (m *memJobs) advance(site, id string, from, to promo.JobState, recipients int, entry audit.Entry) error {
	_, err := m.update(site, id, func(j *promo.Job) error {
		if j.State != from {
			return issue.ErrWrongState
		}
		j.State = to
		if recipients > 0 {
			j.Recipients = recipients
		}
		m.audit(entry)
		return nil
	})
	return err
}

// addRecipients overwrites, as the store's batch of puts does.
func (m *memJobs) addRecipients(site, id string, rs []promo.JobRecipient) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := jobKey(site, id)
	for _, r := range rs {
		m.recipients[k][r.Line] = r
	}
	return nil
}

// list is the recipients in line order.
func (m *memJobs) list(site, id string) ([]promo.JobRecipient, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []promo.JobRecipient
	for _, r := range m.recipients[jobKey(site, id)] {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b promo.JobRecipient) int { return a.Line - b.Line })
	return out, nil
}

// createCode is the store's transaction: the code if it is new, the recipient's mark if
// its code is not created yet and still c's, and the job's count, all or nothing. A
// recipient already created makes it a no-op, before the code's own condition.
func (m *memJobs) createCode(j promo.Job, r promo.JobRecipient, c promo.Code) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := jobKey(j.Site, j.ID)
	rec, ok := m.recipients[k][r.Line]
	if !ok || rec.CodeCreated || rec.Code != c.Code {
		return nil
	}
	if _, taken := m.codes[c.Site+"/"+c.Code]; taken {
		return issue.ErrCodeExists
	}
	m.codes[c.Site+"/"+c.Code] = c
	rec.CodeCreated = true
	m.recipients[k][r.Line] = rec
	stored := m.jobs[k]
	stored.CodesCreated++
	m.jobs[k] = stored
	return nil
}

func (m *memJobs) reassign(site, id string, line int, code string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := jobKey(site, id)
	if rec, ok := m.recipients[k][line]; ok && !rec.CodeCreated {
		rec.Code = code
		m.recipients[k][line] = rec
	}
	return nil
}

// recordMail and retry move one recipient's mail and the job's counters together.
func (m *memJobs) recordMail(site, id string, r promo.JobRecipient) error {
	return m.moveMail(site, id, r.Line, promo.MailPending, func(rec *promo.JobRecipient, j *promo.Job) {
		rec.Mail, rec.MailAt = r.Mail, r.MailAt
		if r.Mail == promo.MailFailed {
			rec.MailReason = r.MailReason
			j.MailsFailed++
		} else {
			rec.MessageID, rec.MailReason = r.MessageID, ""
			j.MailsSent++
		}
	})
}

func (m *memJobs) retry(site, id string, line int) error {
	return m.moveMail(site, id, line, promo.MailFailed, func(rec *promo.JobRecipient, j *promo.Job) {
		rec.Mail = promo.MailPending
		j.MailsFailed--
	})
}

func (m *memJobs) moveMail(site, id string, line int, from promo.MailState, move func(*promo.JobRecipient, *promo.Job)) error {
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
