package issuehttp_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuehttp"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// The Issuer's ports these routes reach, as func fields. The embedded interfaces are nil:
// a method no test sets is a route reaching further than the test says (a 500).

// siteSettings is issue.Sites as a func.
type siteSettings func(site string) (settings.Site, error)

func (f siteSettings) Get(_ context.Context, site string) (settings.Site, error) { return f(site) }

// insertCodes is issue.Codes as a func.
type insertCodes func(codes []promo.Code, entry audit.Entry) ([]promo.Code, error)

func (f insertCodes) Insert(_ context.Context, codes []promo.Code, entry audit.Entry, _ func(promo.Code) (promo.Code, bool)) ([]promo.Code, error) {
	return f(codes, entry)
}

type fakeJobs struct {
	issue.Jobs
	createJob  func(j issue.Job, rs []issue.JobRecipient, entry audit.Entry) error
	job        func(site, id string) (issue.Job, error)
	recipients func(site, id string) ([]issue.JobRecipient, error)
	lease      func(id, owner string) (issue.Job, error)
}

func (f *fakeJobs) CreateJob(_ context.Context, j issue.Job, rs []issue.JobRecipient, entry audit.Entry) error {
	return f.createJob(j, rs, entry)
}

func (f *fakeJobs) Job(_ context.Context, site, id string) (issue.Job, error) { return f.job(site, id) }

func (f *fakeJobs) Recipients(_ context.Context, site, id string) ([]issue.JobRecipient, error) {
	return f.recipients(site, id)
}

func (f *fakeJobs) Lease(_ context.Context, _, id, owner string, _, _ time.Time) (issue.Job, error) {
	return f.lease(id, owner)
}

type fakeUploads struct {
	issue.Uploads
	put func(key string) error
}

func (f *fakeUploads) Bucket() string { return "uploads" }

func (f *fakeUploads) PresignPut(_ context.Context, key string, _ time.Duration) (string, error) {
	return "https://uploads.example/" + key + "?signature=s", nil
}

func (f *fakeUploads) Put(_ context.Context, key string, _ []byte) error { return f.put(key) }

type noMailer struct{ issue.Mailer }

var (
	_ issue.Sites   = siteSettings(nil)
	_ issue.Codes   = insertCodes(nil)
	_ issue.Jobs    = (*fakeJobs)(nil)
	_ issue.Uploads = (*fakeUploads)(nil)
)

var (
	now   = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	admin = testenv.Claims("admin-1", "acme")
	// jobID is the job a test's store holds; otherID is a job it does not.
	jobID, otherID = audit.NewID(now), audit.NewID(now)
)

// ports are one test's fakes, with a site that issues codes for events.
type ports struct {
	sites   siteSettings
	codes   insertCodes
	jobs    *fakeJobs
	uploads *fakeUploads
}

func newPorts(promoCodes bool) *ports {
	s := settings.New("acme")
	cfg := s.Services[settings.Events]
	cfg.Enabled, cfg.Config.PromoCodesEnabled, cfg.Config.MerchantName = true, promoCodes, "Acme Academy"
	s.Services[settings.Events] = cfg
	return &ports{
		sites:   func(string) (settings.Site, error) { return s, nil },
		jobs:    &fakeJobs{},
		uploads: &fakeUploads{},
	}
}

func (p *ports) handler(t *testing.T) lambdaapp.HTTPLambda {
	t.Helper()
	is, err := issue.New(issue.Deps{
		Sites: p.sites, Codes: p.codes, Jobs: p.jobs, Mailer: noMailer{}, Uploads: p.uploads,
		Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return lambdaapp.NewHTTPLambda(issuehttp.NewHandler(issuehttp.Deps{Issuer: is, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
}

const generated = `{"service":"events","type":"generated","quantity":3,"length":10,"usage":{"kind":"multiple","max":5},"discount":{"kind":"percent","percent":"12.5"},"expiresOn":"2027-12-31","appliesTo":"live_event"}`

// TestCreateCodes: the answer lists the codes written and what they share, once.
func TestCreateCodes(t *testing.T) {
	p := newPorts(true)
	var audited audit.Entry
	p.codes = func(codes []promo.Code, e audit.Entry) ([]promo.Code, error) {
		audited = e
		return codes, nil
	}
	a := testenv.CallJSON(t, p.handler(t), "POST", "/sites/acme/promo-codes", generated, admin)
	a.Want(t, 201, map[string]any{
		"count": 3.0, "service": "events", "usage.max": 5.0, "discount.percentBasisPoints": 1250.0, "discountText": "12.5%",
		"appliesTo": "live_event", "expiresOn": "2027-12-31", "createdBy": "admin-1 <admin-1@example.com>", "code": nil, "job": nil,
	})
	codes, _ := a.Get("codes").([]any)
	if len(codes) != 3 {
		t.Fatalf("codes %v", a.Get("codes"))
	}
	for _, c := range codes {
		if s, _ := c.(string); len(s) != 10 {
			t.Errorf("code %v is not of the length asked for", c)
		}
	}
	if audited.Action != issue.ActionCreate || audited.Site != "acme" || audited.Actor != "admin-1 <admin-1@example.com>" {
		t.Errorf("audited %+v", audited)
	}
}

// TestCreateRefusals: a bad body is a 400 naming the field, a custom code the site has a
// 409 naming the code, codes switched off a 409.
func TestCreateRefusals(t *testing.T) {
	p := newPorts(true)
	p.codes = func([]promo.Code, audit.Entry) ([]promo.Code, error) { return nil, issue.ErrCodeExists }
	h := p.handler(t)
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
		field      string
	}{
		{"not JSON", `{"service":`, 400, "invalid_input", ""},
		{"empty body", ``, 400, "invalid_input", ""},
		{"unknown field", `{"service":"events","colour":"red"}`, 400, "invalid_input", "colour"},
		{"wrong type", `{"service":"events","quantity":"3"}`, 400, "invalid_input", "quantity"},
		{"too many codes", strings.Replace(generated, `"quantity":3`, `"quantity":10001`, 1), 400, "invalid_input", "quantity"},
		{"expired already", strings.Replace(generated, "2027-12-31", "2020-01-01", 1), 400, "invalid_input", "expiresOn"},
		{"custom code taken", `{"service":"events","type":"custom","code":"SPRING-2027","usage":{"kind":"unlimited"},"discount":{"kind":"amount","amountMinor":1500,"currency":"USD"},"expiresOn":"2027-06-30"}`, 409, "conflict", "code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := testenv.CallJSON(t, h, "POST", "/sites/acme/promo-codes", tc.body, admin)
			a.Want(t, tc.status, map[string]any{"error.code": tc.code})
			if tc.field != "" {
				a.Want(t, tc.status, map[string]any{"error.details.0.field": tc.field})
			}
		})
	}
	off := newPorts(false)
	testenv.CallJSON(t, off.handler(t), "POST", "/sites/acme/promo-codes", generated, admin).Want(t, 409, map[string]any{"error.code": "conflict"})
}

// TestCreateForARecipientWhoseMailWaits: the code is created and answered even when its
// e-mail cannot be sent now; the answer says the mail is pending. The mail's run is named
// after API Gateway's request.
func TestCreateForARecipientWhoseMailWaits(t *testing.T) {
	p := newPorts(true)
	p.codes = func(codes []promo.Code, _ audit.Entry) ([]promo.Code, error) { return codes, nil }
	var job issue.Job
	var recipient issue.JobRecipient
	p.jobs.createJob = func(j issue.Job, rs []issue.JobRecipient, _ audit.Entry) error {
		job, recipient = j, rs[0]
		return nil
	}
	var owner string
	p.jobs.lease = func(_, o string) (issue.Job, error) {
		owner = o
		return issue.Job{}, errors.New("the jobs table is throttling")
	}
	p.jobs.job = func(_, id string) (issue.Job, error) { return job, nil }
	p.jobs.recipients = func(_, id string) ([]issue.JobRecipient, error) { return []issue.JobRecipient{recipient}, nil }
	body := `{"service":"events","type":"generated","recipient":{"email":"ana@attendee.example","name":"Ana"},"usage":{"kind":"once"},"discount":{"kind":"amount","amountMinor":500,"currency":"GBP"},"expiresOn":"2027-01-31"}`
	a := testenv.CallJSON(t, p.handler(t), "POST", "/sites/acme/promo-codes", body, admin)
	a.Want(t, 201, map[string]any{
		"count": 1.0, "recipient.email": "ana@attendee.example", "recipient.name": "Ana",
		"job.id": job.ID, "job.state": "sending", "job.recipients": 1.0, "job.codesCreated": 1.0,
		"mail.email": "ana@attendee.example", "mail.mail": "pending", "mail.code": a.Get("codes.0"),
	})
	if !strings.HasPrefix(owner, "api-test-request-") {
		t.Errorf("the mail's run is %q, not named after the API request", owner)
	}
}

const importBody = `{"service":"events","usage":{"kind":"once"},"discount":{"kind":"percent","percent":10},"expiresOn":"2027-12-31","fileName":"spring.csv"}`

// TestStartImport: the answer is the job and where to upload its file, for fifteen minutes.
func TestStartImport(t *testing.T) {
	p := newPorts(true)
	var created issue.Job
	var audited audit.Entry
	p.jobs.createJob = func(j issue.Job, rs []issue.JobRecipient, e audit.Entry) error {
		created, audited = j, e
		return nil
	}
	a := testenv.CallJSON(t, p.handler(t), "POST", "/sites/acme/promo-codes/imports", importBody, admin)
	a.Want(t, 201, map[string]any{
		"job.id": created.ID, "job.state": "awaiting_upload", "job.percent": 0.0, "job.plan.fileName": "spring.csv",
		"upload.method": "PUT", "upload.bucket": "uploads", "upload.key": "imports/acme/" + created.ID,
		"upload.url": "https://uploads.example/imports/acme/" + created.ID + "?signature=s", "upload.expiresAt": "2026-11-28T12:15:00Z",
	})
	if created.ID == "" || audited.Action != issue.ActionImportStart {
		t.Errorf("created %+v, audited %+v", created, audited)
	}
	a = testenv.CallJSON(t, p.handler(t), "POST", "/sites/acme/promo-codes/imports", `{"service":"events","length":3}`, admin)
	a.Want(t, 400, map[string]any{"error.code": "invalid_input"})
	if !strings.Contains(a.Raw, `"field":"length"`) {
		t.Errorf("no detail names the length: %s", a.Raw)
	}
}

// onlyJob makes the job store hold one job, with its recipients.
func (p *ports) onlyJob(j issue.Job, rs ...issue.JobRecipient) {
	p.jobs.job = func(_, id string) (issue.Job, error) {
		if id != j.ID {
			return issue.Job{}, issue.ErrJobNotFound
		}
		return j, nil
	}
	p.jobs.recipients = func(_, id string) ([]issue.JobRecipient, error) { return rs, nil }
}

// TestFollowAnImport: a job's progress and its recipients; an unknown job is a 404.
func TestFollowAnImport(t *testing.T) {
	p := newPorts(true)
	p.onlyJob(issue.Job{Site: "acme", ID: jobID, State: issue.JobCreating, Recipients: 4, CodesCreated: 2, CreatedBy: "admin-1"},
		issue.JobRecipient{Line: 2, Email: "ann@example.com", Name: "Ann", Code: "ABC123", Mail: issue.MailPending})
	h := p.handler(t)
	testenv.CallJSON(t, h, "GET", "/sites/acme/promo-codes/imports/"+jobID, "", admin).Want(t, 200, map[string]any{
		"id": jobID, "state": "creating", "percent": 25.0, "recipients": 4.0, "codesCreated": 2.0, "mailsSent": 0.0, "createdBy": "admin-1",
	})
	testenv.CallJSON(t, h, "GET", "/sites/acme/promo-codes/imports/"+jobID+"/recipients", "", admin).Want(t, 200, map[string]any{
		"recipients.0.line": 2.0, "recipients.0.email": "ann@example.com", "recipients.0.code": "ABC123", "recipients.0.mail": "pending",
	})
	for _, path := range []string{"/sites/acme/promo-codes/imports/" + otherID, "/sites/acme/promo-codes/imports/" + otherID + "/recipients"} {
		testenv.CallJSON(t, h, "GET", path, "", admin).Want(t, 404, map[string]any{"error.code": "not_found"})
	}

	p.onlyJob(issue.Job{Site: "acme", ID: jobID, State: issue.JobAwaitingUpload})
	a := testenv.CallJSON(t, p.handler(t), "GET", "/sites/acme/promo-codes/imports/"+jobID+"/recipients", "", admin)
	if list, ok := a.Get("recipients").([]any); a.Status != 200 || !ok || len(list) != 0 {
		t.Fatalf("a job without recipients yet: %d %s, want an empty list", a.Status, a.Raw)
	}
}

// TestResend: a finished job's failed mails are asked for again by a marker object; a job
// still running, refused, or without failures is a conflict.
func TestResend(t *testing.T) {
	p := newPorts(true)
	var markers []string
	p.uploads.put = func(key string) error {
		markers = append(markers, key)
		return nil
	}
	p.onlyJob(issue.Job{Site: "acme", ID: jobID, State: issue.JobDone, Recipients: 5, CodesCreated: 5, MailsSent: 3, MailsFailed: 2})
	a := testenv.CallJSON(t, p.handler(t), "POST", "/sites/acme/promo-codes/imports/"+jobID+"/resend", "", admin)
	a.Want(t, 202, map[string]any{"resending": 2.0, "job.id": jobID, "job.mailsFailed": 2.0})
	if len(markers) != 1 || !strings.HasPrefix(markers[0], issue.ResendsPrefix+"acme/"+jobID+"/") {
		t.Fatalf("markers %v", markers)
	}
	for _, j := range []issue.Job{
		{Site: "acme", ID: jobID, State: issue.JobSending, MailsFailed: 1},
		{Site: "acme", ID: jobID, State: issue.JobFailed},
		{Site: "acme", ID: jobID, State: issue.JobDone},
	} {
		p.onlyJob(j)
		a := testenv.CallJSON(t, p.handler(t), "POST", "/sites/acme/promo-codes/imports/"+jobID+"/resend", "", admin)
		a.Want(t, 409, map[string]any{"error.code": "conflict"})
	}
	testenv.CallJSON(t, p.handler(t), "POST", "/sites/acme/promo-codes/imports/"+otherID+"/resend", "", admin).Want(t, 404, map[string]any{"error.code": "not_found"})
	if len(markers) != 1 {
		t.Fatalf("refused re-sends dropped markers: %v", markers)
	}
}

// TestRoutesNeedTheSite: every route wants a token (401) for the site in the path (403),
// before anything is read.
func TestRoutesNeedTheSite(t *testing.T) {
	p := newPorts(true)
	p.sites = func(string) (settings.Site, error) {
		t.Error("the settings were read")
		return settings.Site{}, nil
	}
	p.onlyJob(issue.Job{})
	p.jobs.job = func(string, string) (issue.Job, error) {
		t.Error("a job was read")
		return issue.Job{}, nil
	}
	h := p.handler(t)
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/sites/acme/promo-codes", generated},
		{"POST", "/sites/acme/promo-codes/imports", importBody},
		{"GET", "/sites/acme/promo-codes/imports/" + jobID, ""},
		{"GET", "/sites/acme/promo-codes/imports/" + jobID + "/recipients", ""},
		{"POST", "/sites/acme/promo-codes/imports/" + jobID + "/resend", ""},
	} {
		testenv.CallJSON(t, h, r.method, r.path, r.body, nil).Want(t, 401, map[string]any{"error.code": "unauthenticated"})
		testenv.CallJSON(t, h, r.method, r.path, r.body, testenv.Claims("admin-2", "globex")).Want(t, 403, map[string]any{"error.code": "forbidden"})
	}
	testenv.CallJSON(t, h, "DELETE", "/sites/acme/promo-codes/imports/"+jobID, "", admin).Want(t, 405, map[string]any{"error.code": "method_not_allowed"})
	testenv.CallJSON(t, h, "GET", "/sites/acme/promo-codes/exports", "", admin).Want(t, 404, map[string]any{"error.code": "not_found"})
}
