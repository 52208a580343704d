package local

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestUploadStartsTheImport is the bulk flow of `make run` end to end: ask the API for an
// upload, PUT the file to the presigned URL of the local S3, and the local S3's event runs
// promo-import, which creates the codes and sends the mails the SES emulator shows.
func TestUploadStartsTheImport(t *testing.T) {
	s, token := startedStack(t)
	if status, body := do(t, "PATCH", s.APIURL+"/sites/demo/settings/events", token, `{"enabled":true,"promoCodesEnabled":true,"merchantName":"Demo Academy"}`); status != 200 {
		t.Fatalf("settings: %d %s", status, body)
	}
	job, upload := startImport(t, s, token, "demo",
		`{"service":"events","usage":{"kind":"once"},"discount":{"kind":"amount","amountMinor":1000,"currency":"CAD"},"expiresOn":"2034-01-01"}`)
	domain := fmt.Sprintf("e2e%d.example", time.Now().UnixNano())
	file := fmt.Sprintf("a@%[1]s,Ann\r\nb@%[1]s,Bob\r\nc@%[1]s\r\n", domain)
	if status, body := do(t, "PUT", upload, "", file); status != 200 {
		t.Fatalf("upload: %d %s", status, body)
	}
	if j := followJob(t, s, token, "demo", job, nil); j.State != "done" || j.CodesCreated != 3 || j.MailsSent != 3 {
		t.Fatalf("job = %+v; want done with 3 codes and 3 mails", j)
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
