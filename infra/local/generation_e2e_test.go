package local

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/testenv"
)

// TestLargeCreationRunsAsAJob is a large creation under `make run` end to end: the API
// answers 5,000 codes with a generation job (202, where to follow it), its marker object's
// local S3 event runs promo-import, and the job, followed as the console follows an import,
// reaches done with 5,000 codes, which the site then has.
func TestLargeCreationRunsAsAJob(t *testing.T) {
	s, token := startedStack(t)
	if status, body := do(t, "PATCH", s.APIURL+"/sites/demo/settings/events", token, `{"enabled":true,"promoCodesEnabled":true}`); status != 200 {
		t.Fatalf("settings: %d %s", status, body)
	}
	req, _ := http.NewRequest("POST", s.APIURL+"/sites/demo/promo-codes", strings.NewReader(
		`{"service":"events","type":"generated","quantity":5000,"usage":{"kind":"once"},"discount":{"kind":"percent","percent":10},"expiresOn":"2034-01-01"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Job struct{ ID, Kind, State string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 202 || out.Job.Kind != "generation" {
		t.Fatalf("create 5,000 codes: %d, job %+v (%v); want 202 with a generation job", resp.StatusCode, out.Job, err)
	}
	if loc := resp.Header.Get("Location"); loc != "/sites/demo/promo-codes/imports/"+out.Job.ID {
		t.Fatalf("Location %q", loc)
	}
	progress := -1
	j := followJob(t, s, token, "demo", out.Job.ID, func(j importJob) {
		if j.CodesCreated < progress {
			t.Errorf("the job's count went back from %d to %d", progress, j.CodesCreated)
		}
		progress = j.CodesCreated
	})
	if j.State != "done" || j.CodesCreated != 5000 {
		t.Fatalf("job = %+v; want done with 5,000 codes", j)
	}
	if n := len(testenv.StoredCodes(t, localaws.DynamoDB(s.DynamoURL), s.Tables["PromoCodesTable"], "demo")); n != 5000 {
		t.Fatalf("the site has %d codes, want 5,000", n)
	}
}
