package issuehttp_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency/idempotencydb"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuehttp"
)

// generationPorts are ports whose job store keeps the one job a creation stores, and whose
// code writer fails the test: a creation made by a job writes no code in the request.
func generationPorts(t *testing.T) (*ports, *[]issue.Job, *[]string) {
	p := newPorts(true)
	p.codes = func([]promo.Code, audit.Entry) ([]promo.Code, error) {
		t.Error("the request wrote codes")
		return nil, nil
	}
	var jobs []issue.Job
	var markers []string
	p.jobs.createJob = func(j issue.Job, _ []issue.JobRecipient, _ audit.Entry) error {
		for _, stored := range jobs {
			if stored.ID == j.ID {
				return issue.ErrJobExists
			}
		}
		jobs = append(jobs, j)
		return nil
	}
	p.jobs.job = func(_, id string) (issue.Job, error) {
		for _, j := range jobs {
			if j.ID == id {
				return j, nil
			}
		}
		return issue.Job{}, issue.ErrJobNotFound
	}
	p.uploads.put = func(key string) error {
		markers = append(markers, key)
		return nil
	}
	return p, &jobs, &markers
}

var manyCodes = strings.Replace(generated, `"quantity":3`, `"quantity":5000`, 1)

// TestCreateManyAnswersTheJob: 5,000 codes are a 202 with the generation job and where to
// follow it; the request stores the job and drops its marker, and writes no code.
func TestCreateManyAnswersTheJob(t *testing.T) {
	p, jobs, markers := generationPorts(t)
	a := testenv.CallJSON(t, p.handler(t), "POST", "/sites/acme/promo-codes", manyCodes, admin)
	if len(*jobs) != 1 {
		t.Fatalf("%d jobs stored", len(*jobs))
	}
	id := (*jobs)[0].ID
	a.Want(t, 202, map[string]any{
		"job.id": id, "job.kind": "generation", "job.state": "creating", "job.quantity": 5000.0, "job.codesCreated": 0.0, "job.percent": 0.0,
		"job.plan.length": 10.0, "job.plan.params.discount.percentBasisPoints": 1250.0, "job.plan.emailTemplate": nil,
		"job.key": "generations/acme/" + id, "job.createdBy": "admin-1 <admin-1@example.com>", "codes": nil, "count": nil,
	})
	if loc := a.Headers["Location"]; loc != "/sites/acme/promo-codes/imports/"+id {
		t.Errorf("Location %q", loc)
	}
	if len(*markers) != 1 || (*markers)[0] != "generations/acme/"+id {
		t.Errorf("markers %v", *markers)
	}
	p.jobs.job = func(string, string) (issue.Job, error) {
		j := (*jobs)[0]
		j.CodesCreated = 2500
		return j, nil
	}
	testenv.CallJSON(t, p.handler(t), "GET", "/sites/acme/promo-codes/imports/"+id, "", admin).Want(t, 200, map[string]any{
		"kind": "generation", "state": "creating", "quantity": 5000.0, "codesCreated": 2500.0, "percent": 50.0,
	})
}

// TestKeyedCreationOfManyReplaysTheJob: a keyed 5,000-code creation whose marker could not
// be dropped fails, and its retry drops the marker of the same job; a retry after that
// answers the same job as it is now, with where to follow it, and stores no second job and
// drops no second marker.
func TestKeyedCreationOfManyReplaysTheJob(t *testing.T) {
	db := testenv.DynamoDB(t)
	keys, err := idempotencydb.New(db, testenv.Tables(t, db)["IdempotencyTable"])
	if err != nil {
		t.Fatal(err)
	}
	once, err := idempotency.NewGuard(keys, idempotency.Options{Log: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	p, jobs, markers := generationPorts(t)
	is, err := issue.New(issue.Deps{Sites: p.sites, Codes: p.codes, Jobs: p.jobs, Mailer: noMailer{}, Uploads: p.uploads, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	h := lambdaapp.NewHTTPLambda(issuehttp.NewHandler(issuehttp.Deps{Issuer: is, Once: once, Log: testenv.Logger(t)}))
	key := map[string]string{"idempotency-key": "3b9d7c1e-6f2a-4d8b-9e0c-5a1f7b3d2c64"}
	put := p.uploads.put
	p.uploads.put = func(string) error { return errors.New("the bucket is unreachable") }
	testenv.CallWithHeaders(t, h, "POST", "/sites/acme/promo-codes", manyCodes, admin, key).Want(t, 500, map[string]any{"error.code": "internal"})
	p.uploads.put = put
	first := testenv.CallWithHeaders(t, h, "POST", "/sites/acme/promo-codes", manyCodes, admin, key)
	first.Want(t, 202, map[string]any{"job.kind": "generation", "job.quantity": 5000.0, "job.state": "creating"})
	if len(*jobs) != 1 || len(*markers) != 1 || (*markers)[0] != "generations/acme/"+(*jobs)[0].ID {
		t.Fatalf("%d jobs stored, markers %v; want one job and its marker", len(*jobs), *markers)
	}
	(*jobs)[0].State, (*jobs)[0].CodesCreated = issue.JobDone, 5000
	again := testenv.CallWithHeaders(t, h, "POST", "/sites/acme/promo-codes", manyCodes, admin, key)
	again.Want(t, 202, map[string]any{"job.id": (*jobs)[0].ID, "job.state": "done", "job.codesCreated": 5000.0, "job.percent": 100.0})
	if again.Headers["Idempotent-Replayed"] != "true" || again.Headers["Location"] != first.Headers["Location"] || first.Headers["Location"] == "" {
		t.Errorf("the retry: replayed %q, Location %q; the first Location %q", again.Headers["Idempotent-Replayed"], again.Headers["Location"], first.Headers["Location"])
	}
	if len(*jobs) != 1 || len(*markers) != 1 {
		t.Errorf("after the retry: %d jobs, markers %v; want the first only", len(*jobs), *markers)
	}
	testenv.CallWithHeaders(t, h, "POST", "/sites/acme/promo-codes", strings.Replace(manyCodes, "5000", "6000", 1), admin, key).
		Want(t, 409, map[string]any{"error.code": "idempotency_key_reused"})
}
