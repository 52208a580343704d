package local

import (
	"encoding/json"
	"testing"
	"time"
)

// importJob is what GET .../imports/{job} says of a job, as far as these tests read it.
type importJob struct {
	State                   string
	CodesCreated, MailsSent int
}

// startImport asks the stack's API for an import on site with the creation body and returns
// the job's ID and the presigned URL its file goes to.
func startImport(tb testing.TB, s *Stack, token, site, body string) (job, uploadURL string) {
	tb.Helper()
	status, answer := do(tb, "POST", s.APIURL+"/sites/"+site+"/promo-codes/imports", token, body)
	var out struct {
		Job    struct{ ID string }
		Upload struct{ URL string }
	}
	if status != 201 || json.Unmarshal([]byte(answer), &out) != nil || out.Job.ID == "" || out.Upload.URL == "" {
		tb.Fatalf("start an import: %d %s", status, answer)
	}
	return out.Job.ID, out.Upload.URL
}

// jobPatience is how long a test or benchmark follows an import before it fails: far
// beyond what a 1,000-line import takes even on a loaded machine.
const jobPatience = 10 * time.Minute

// followJob reads the job every few milliseconds, as the console does but more often,
// telling seen each answer, until the job is done or failed, and returns that last answer.
// A job still running after jobPatience fails tb, with what the job said last.
func followJob(tb testing.TB, s *Stack, token, site, job string, seen func(importJob)) importJob {
	tb.Helper()
	for giveUp := time.Now().Add(jobPatience); ; time.Sleep(25 * time.Millisecond) {
		status, answer := do(tb, "GET", s.APIURL+"/sites/"+site+"/promo-codes/imports/"+job, token, "")
		var j importJob
		if status != 200 || json.Unmarshal([]byte(answer), &j) != nil {
			tb.Fatalf("follow import %s: %d %s", job, status, answer)
		}
		if seen != nil {
			seen(j)
		}
		if j.State == "done" || j.State == "failed" {
			return j
		}
		if time.Now().After(giveUp) {
			tb.Fatalf("import %s still %s %s after its start (waited for done or failed): %s", job, j.State, jobPatience, answer)
		}
	}
}
