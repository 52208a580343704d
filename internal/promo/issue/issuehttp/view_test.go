package issuehttp

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/mail"
)

var viewAt = time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC)

// TestAnswersShowViews pins what the job, recipients, upload and creation answers show, field
// by field (README "API", infra/api/openapi.yaml): the lease and whether a recipient's code is
// written are the runs' business and never shown.
func TestAnswersShowViews(t *testing.T) {
	refused := issue.Job{
		Site: "acme", ID: "job1", Kind: issue.KindImport, State: issue.JobFailed, Bucket: "b", Key: "imports/acme/job1",
		Plan: issue.ImportPlan{
			Params: promo.Params{
				Service: "events", Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 3},
				Discount:  promo.Discount{Kind: promo.DiscountAmount, AmountMinor: 500, Currency: "USD", PercentBasisPoints: 9},
				ExpiresOn: "2027-03-31", AppliesTo: "event",
			},
			Length: 10, Template: mail.Template{Subject: "S", Body: "B %PromoCode%"}, FileName: "a.csv",
		},
		CreatedAt: viewAt, CreatedBy: "u1", UpdatedAt: viewAt.Add(time.Minute), Recipients: 4, CodesCreated: 3, MailsSent: 2, MailsFailed: 1,
		Errors:    []apperr.Detail{{Line: 2, Reason: "bad"}, {Reason: "file"}, {Field: "f", Reason: "x"}},
		ErrorCode: apperr.CodeInvalid, LeaseOwner: "run1", LeaseUntil: viewAt.Add(time.Hour),
	}
	waiting := issue.Job{
		Site: "acme", ID: "job2", Kind: issue.KindImport, State: issue.JobAwaitingUpload,
		Plan: issue.ImportPlan{
			Params: promo.Params{
				Service: "training", Usage: promo.Usage{Kind: promo.UsageOnce},
				Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2000}, ExpiresOn: "2027-03-31", AppliesTo: "all",
			},
			Length: 8, Template: mail.Template{Subject: "s", Body: "b"},
		},
		CreatedAt: viewAt, CreatedBy: "u1", UpdatedAt: viewAt,
	}
	generating := issue.Job{
		Site: "acme", ID: "job3", Kind: issue.KindGeneration, State: issue.JobCreating, Quantity: 5000, CodesCreated: 2000,
		Plan: issue.ImportPlan{Params: waiting.Plan.Params, Length: 8}, Bucket: "b", Key: "generations/acme/job3",
		CreatedAt: viewAt, CreatedBy: "u1", UpdatedAt: viewAt,
	}
	rs := []issue.JobRecipient{
		{Line: 3, Email: "ann@example.com", Name: "Ann", Code: "ABC123", CodeCreated: true, Mail: issue.MailFailed, MessageID: "m1", MailReason: "refused", MailAt: viewAt},
		{Line: 1, Email: "bob@example.com", Name: "bob", Code: "XYZ789", Mail: issue.MailPending},
	}
	code := promo.Code{
		Site: "acme", Code: "ABC123", Service: "events", Recipient: &promo.Recipient{Email: "ann@example.com", Name: "Ann"},
		Usage: promo.Usage{Kind: promo.UsageOnce}, Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2000},
		ExpiresOn: "2099-03-31", ExpiresAt: time.Date(2099, 4, 1, 0, 0, 0, 0, time.UTC), AppliesTo: "all", Stored: promo.StatusActive,
		CreatedAt: viewAt, CreatedBy: "u1", JobID: "job2",
	}
	created, err := createdView(issue.Created{Codes: []promo.Code{code}, Job: &waiting, Recipient: &rs[0]})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		view   any
		golden string
	}{
		"refused job": {viewJob(refused), `{
			"id": "job1",
			"kind": "import",
			"state": "failed",
			"percent": 0,
			"recipients": 4,
			"codesCreated": 3,
			"mailsSent": 2,
			"mailsFailed": 1,
			"errorCode": "invalid_input",
			"errors": [{"line": 2, "reason": "bad"}, {"reason": "file"}, {"field": "f", "reason": "x"}],
			"plan": {
				"params": {
					"service": "events",
					"usage": {"kind": "multiple", "max": 3},
					"discount": {"kind": "amount", "amountMinor": 500, "currency": "USD", "percentBasisPoints": 9},
					"expiresOn": "2027-03-31",
					"appliesTo": "event"
				},
				"length": 10,
				"emailTemplate": {"subject": "S", "body": "B %PromoCode%"},
				"fileName": "a.csv"
			},
			"bucket": "b",
			"key": "imports/acme/job1",
			"createdAt": "2026-11-28T12:00:00.0000005Z",
			"createdBy": "u1",
			"updatedAt": "2026-11-28T12:01:00.0000005Z"
		}`},
		"recipients": {map[string]any{"recipients": viewRecipients(rs)}, `{
			"recipients": [
				{
					"line": 3,
					"email": "ann@example.com",
					"name": "Ann",
					"code": "ABC123",
					"mail": "failed",
					"messageId": "m1",
					"mailReason": "refused",
					"mailAt": "2026-11-28T12:00:00.0000005Z"
				},
				{"line": 1, "email": "bob@example.com", "name": "bob", "code": "XYZ789", "mail": "pending"}
			]
		}`},
		"no recipients yet": {map[string]any{"recipients": viewRecipients(nil)}, `{"recipients": []}`},
		"creation for a recipient": {created, `{
			"appliesTo": "all",
			"codes": ["ABC123"],
			"count": 1,
			"createdAt": "2026-11-28T12:00:00.0000005Z",
			"createdBy": "u1",
			"discount": {"kind": "percent", "percentBasisPoints": 2000},
			"discountText": "20%",
			"expiresAt": "2099-04-01T00:00:00Z",
			"expiresOn": "2099-03-31",
			"job": {
				"id": "job2",
				"kind": "import",
				"state": "awaiting_upload",
				"percent": 0,
				"recipients": 0,
				"codesCreated": 0,
				"mailsSent": 0,
				"mailsFailed": 0,
				"plan": {
					"params": {
						"service": "training",
						"usage": {"kind": "once"},
						"discount": {"kind": "percent", "percentBasisPoints": 2000},
						"expiresOn": "2027-03-31",
						"appliesTo": "all"
					},
					"length": 8,
					"emailTemplate": {"subject": "s", "body": "b"}
				},
				"createdAt": "2026-11-28T12:00:00.0000005Z",
				"createdBy": "u1",
				"updatedAt": "2026-11-28T12:00:00.0000005Z"
			},
			"jobId": "job2",
			"mail": {
				"line": 3,
				"email": "ann@example.com",
				"name": "Ann",
				"code": "ABC123",
				"mail": "failed",
				"messageId": "m1",
				"mailReason": "refused",
				"mailAt": "2026-11-28T12:00:00.0000005Z"
			},
			"recipient": {"email": "ann@example.com", "name": "Ann"},
			"service": "events",
			"status": "active",
			"usage": {"kind": "once", "max": 1, "used": 0},
			"usageText": "0 / 1"
		}`},
		"generation under way": {viewJob(generating), `{
			"id": "job3",
			"kind": "generation",
			"state": "creating",
			"percent": 40,
			"quantity": 5000,
			"recipients": 0,
			"codesCreated": 2000,
			"mailsSent": 0,
			"mailsFailed": 0,
			"plan": {
				"params": {
					"service": "training",
					"usage": {"kind": "once"},
					"discount": {"kind": "percent", "percentBasisPoints": 2000},
					"expiresOn": "2027-03-31",
					"appliesTo": "all"
				},
				"length": 8
			},
			"bucket": "b",
			"key": "generations/acme/job3",
			"createdAt": "2026-11-28T12:00:00.0000005Z",
			"createdBy": "u1",
			"updatedAt": "2026-11-28T12:00:00.0000005Z"
		}`},
		"upload": {viewUpload(issue.Upload{Method: "PUT", URL: "http://uploads.example/k", Bucket: "b", Key: "k", ExpiresAt: viewAt}), `{
			"method": "PUT", "url": "http://uploads.example/k", "bucket": "b", "key": "k", "expiresAt": "2026-11-28T12:00:00.0000005Z"
		}`},
	} {
		var want bytes.Buffer
		_ = json.Compact(&want, []byte(tc.golden))
		if got, _ := json.Marshal(tc.view); string(got) != want.String() {
			t.Errorf("%s: answers\n%s\nwant\n%s", name, got, want.String())
		}
	}
}
