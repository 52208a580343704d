package local

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/testenv"
)

// TestUploadStartsTheImport is the bulk flow of `make run` end to end: ask the API for an
// upload, PUT the file to the presigned URL of the local S3, and the local S3's event runs
// promo-import, which creates the codes and sends the mails the SES emulator shows.
func TestUploadStartsTheImport(t *testing.T) {
	testenv.Endpoint(t, testenv.EnvDynamoDB)
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(context.Background(), Options{Root: root, StateDir: t.TempDir(), Log: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	token, _ := s.Signer.Mint("admin", "admin@demo.example", []string{"demo"}, time.Hour)
	if status, body := do(t, "PATCH", s.APIURL+"/sites/demo/settings/events", token, `{"enabled":true,"promoCodesEnabled":true,"merchantName":"Demo Academy"}`); status != 200 {
		t.Fatalf("settings: %d %s", status, body)
	}
	status, body := do(t, "POST", s.APIURL+"/sites/demo/promo-codes/imports", token,
		`{"service":"events","usage":{"kind":"once"},"discount":{"kind":"amount","amountMinor":1000,"currency":"CAD"},"expiresOn":"2034-01-01"}`)
	if status != 201 {
		t.Fatalf("create import: %d %s", status, body)
	}
	var out struct {
		Job    struct{ ID string }
		Upload struct{ URL string }
	}
	_ = json.Unmarshal([]byte(body), &out)
	domain := fmt.Sprintf("e2e%d.example", time.Now().UnixNano())
	file := fmt.Sprintf("a@%[1]s,Ann\r\nb@%[1]s,Bob\r\nc@%[1]s\r\n", domain)
	if status, body := do(t, "PUT", out.Upload.URL, "", file); status != 200 {
		t.Fatalf("upload: %d %s", status, body)
	}
	var job struct {
		State        string
		MailsSent    int
		CodesCreated int
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		_, body := do(t, "GET", s.APIURL+"/sites/demo/promo-codes/imports/"+out.Job.ID, token, "")
		_ = json.Unmarshal([]byte(body), &job)
		if job.State == "done" || job.State == "failed" {
			break
		}
	}
	if job.State != "done" || job.CodesCreated != 3 || job.MailsSent != 3 {
		t.Fatalf("job = %+v", job)
	}
	_, store := do(t, "GET", s.SESURL+"/store", "", "")
	for _, who := range []string{"Ann", "Bob", "Hello c,"} {
		if !strings.Contains(store, who) {
			t.Errorf("no mail for %s", who)
		}
	}
	if n := strings.Count(store, "@"+domain); n != 3 {
		t.Errorf("%d mails to the file's addresses, want 3", n)
	}
}
