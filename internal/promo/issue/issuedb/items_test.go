package issuedb

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo/dynamotest"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/mail"
)

var jobCreated = time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC)

// fullJob sets every field of a job: a leased job whose file was refused.
func fullJob() issue.Job {
	return issue.Job{
		Site: "acme", ID: "job1", Kind: issue.KindImport, State: issue.JobFailed, Bucket: "b", Key: "imports/acme/job1",
		Plan: issue.ImportPlan{
			Params: promo.Params{
				Service: "events", Usage: promo.Usage{Kind: promo.UsageMultiple, Max: 3},
				Discount:  promo.Discount{Kind: promo.DiscountAmount, AmountMinor: 500, Currency: "USD", PercentBasisPoints: 9},
				ExpiresOn: "2027-03-31", AppliesTo: "event",
			},
			Length: 10, Template: mail.Template{Subject: "S", Body: "B %PromoCode%"}, FileName: "a.csv",
		},
		CreatedAt: jobCreated, CreatedBy: "u1", UpdatedAt: jobCreated.Add(time.Minute),
		Recipients: 4, CodesCreated: 3, MailsSent: 2, MailsFailed: 1,
		Errors:    []apperr.Detail{{Line: 2, Reason: "bad"}, {Reason: "file"}, {Field: "f", Reason: "x"}},
		ErrorCode: apperr.CodeInvalid, LeaseOwner: "run1", LeaseUntil: jobCreated.Add(time.Hour),
		File:   issue.UploadedFile{ETag: "e1", VersionID: "v1", Sequencer: "0A1B"},
		Notice: &issue.JobNotice{Code: issue.NoticeUploadedAgain, Message: "start a new import", At: jobCreated.Add(2 * time.Hour)},
	}
}

// newJob is a job as StartImport creates it (but for its bucket and key).
func newJob() issue.Job {
	return issue.Job{
		Site: "acme", ID: "job2", Kind: issue.KindImport, State: issue.JobAwaitingUpload,
		Plan: issue.ImportPlan{
			Params: promo.Params{
				Service: "training", Usage: promo.Usage{Kind: promo.UsageOnce},
				Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 2000}, ExpiresOn: "2027-03-31", AppliesTo: "all",
			},
			Length: 8, Template: mail.Template{Subject: "s", Body: "b"},
		},
		CreatedAt: jobCreated, CreatedBy: "u1", UpdatedAt: jobCreated,
	}
}

// generationJob is a job as a creation of 5,000 codes stores it, 2,000 made.
func generationJob() issue.Job {
	j := newJob()
	j.ID, j.Kind, j.State, j.Quantity, j.CodesCreated = "job3", issue.KindGeneration, issue.JobCreating, 5000, 2000
	j.Bucket, j.Key, j.Plan.Template = "b", "generations/acme/job3", mail.Template{}
	return j
}

// pendingBatch is a batch as validation stores it.
var pendingBatch = issue.Batch{N: 2, Recipients: []issue.JobRecipient{
	{Line: 1, Email: "bob@example.com", Name: "bob", Mail: issue.MailPending},
	{Line: 2, Email: "cy@example.com", Name: "Cy", Mail: issue.MailPending},
}}

var (
	mailedRecipient  = issue.JobRecipient{Line: 3, Email: "ann@example.com", Name: "Ann", Code: "ABC123", CodeCreated: true, Mail: issue.MailFailed, MessageID: "m1", MailReason: "refused", MailAt: jobCreated}
	pendingRecipient = issue.JobRecipient{Line: 1, Email: "bob@example.com", Name: "bob", Code: "XYZ789", Mail: issue.MailPending}
)

// TestJobItemsLayout pins the attribute names and value shapes of a job's items (the job,
// its recipients, a refused file's problems as Fail writes them), as written before the
// store had its own item structs.
func TestJobItemsLayout(t *testing.T) {
	problems, err := attributevalue.Marshal(newProblemLineItems([]issue.ProblemLine{{Line: 2, Reason: "bad"}, {Reason: "file"}}))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		item   any
		golden string
	}{
		"job with every field": {newJobItem(fullJob()), `{
			"bucket": "b",
			"codesCreated": 3,
			"createdAt": "2026-11-28T12:00:00.0000005Z",
			"createdBy": "u1",
			"errorCode": "invalid_input",
			"errors": [{"line": 2, "reason": "bad"}, {"reason": "file"}, {"field": "f", "reason": "x"}],
			"file": {"etag": "e1", "sequencer": "0A1B", "versionId": "v1"},
			"id": "job1",
			"key": "imports/acme/job1",
			"kind": "import",
			"leaseOwner": "run1",
			"leaseUntil": "2026-11-28T13:00:00.0000005Z",
			"mailsFailed": 1,
			"mailsSent": 2,
			"notice": {"at": "2026-11-28T14:00:00.0000005Z", "code": "uploaded_again", "message": "start a new import"},
			"pk": "acme",
			"plan": {
				"emailTemplate": {"body": "B %PromoCode%", "subject": "S"},
				"fileName": "a.csv",
				"length": 10,
				"params": {
					"appliesTo": "event",
					"discount": {"amountMinor": 500, "currency": "USD", "kind": "amount", "percentBasisPoints": 9},
					"expiresOn": "2027-03-31",
					"service": "events",
					"usage": {"kind": "multiple", "max": 3}
				}
			},
			"recipients": 4,
			"site": "acme",
			"sk": "job#job1",
			"state": "failed",
			"updatedAt": "2026-11-28T12:01:00.0000005Z"
		}`},
		"new job": {newJobItem(newJob()), `{
			"codesCreated": 0,
			"createdAt": "2026-11-28T12:00:00.0000005Z",
			"createdBy": "u1",
			"id": "job2",
			"kind": "import",
			"leaseUntil": "0001-01-01T00:00:00Z",
			"mailsFailed": 0,
			"mailsSent": 0,
			"pk": "acme",
			"plan": {
				"emailTemplate": {"body": "b", "subject": "s"},
				"length": 8,
				"params": {
					"appliesTo": "all",
					"discount": {"kind": "percent", "percentBasisPoints": 2000},
					"expiresOn": "2027-03-31",
					"service": "training",
					"usage": {"kind": "once"}
				}
			},
			"recipients": 0,
			"site": "acme",
			"sk": "job#job2",
			"state": "awaiting_upload",
			"updatedAt": "2026-11-28T12:00:00.0000005Z"
		}`},
		"generation": {newJobItem(generationJob()), `{
			"bucket": "b",
			"codesCreated": 2000,
			"createdAt": "2026-11-28T12:00:00.0000005Z",
			"createdBy": "u1",
			"id": "job3",
			"key": "generations/acme/job3",
			"kind": "generation",
			"leaseUntil": "0001-01-01T00:00:00Z",
			"mailsFailed": 0,
			"mailsSent": 0,
			"pk": "acme",
			"plan": {
				"emailTemplate": {"body": "", "subject": ""},
				"length": 8,
				"params": {
					"appliesTo": "all",
					"discount": {"kind": "percent", "percentBasisPoints": 2000},
					"expiresOn": "2027-03-31",
					"service": "training",
					"usage": {"kind": "once"}
				}
			},
			"quantity": 5000,
			"recipients": 0,
			"site": "acme",
			"sk": "job#job3",
			"state": "creating",
			"updatedAt": "2026-11-28T12:00:00.0000005Z"
		}`},
		"mailed recipient": {newRecipientItem("acme", "job1", mailedRecipient), `{
			"code": "ABC123",
			"codeCreated": true,
			"email": "ann@example.com",
			"line": 3,
			"mail": "failed",
			"mailAt": "2026-11-28T12:00:00.0000005Z",
			"mailReason": "refused",
			"messageId": "m1",
			"name": "Ann",
			"pk": "acme",
			"sk": "job#job1#r#000003"
		}`},
		"batch": {newBatchItem("acme", "job1", pendingBatch), `{
			"n": 2,
			"created": false,
			"pk": "acme",
			"recipients": [{"email": "bob@example.com", "line": 1, "name": "bob"}, {"email": "cy@example.com", "line": 2, "name": "Cy"}],
			"sk": "job#job1#b#0002"
		}`},
		"pending recipient": {newRecipientItem("acme", "job1", pendingRecipient), `{
			"code": "XYZ789",
			"codeCreated": false,
			"email": "bob@example.com",
			"line": 1,
			"mail": "pending",
			"mailAt": "0001-01-01T00:00:00Z",
			"name": "bob",
			"pk": "acme",
			"sk": "job#job1#r#000001"
		}`},
	}
	for name, tc := range cases {
		item, err := dynamo.Marshal(tc.item)
		if err != nil {
			t.Fatal(err)
		}
		dynamotest.AssertStored(t, name, item, tc.golden)
	}
	dynamotest.AssertStored(t, "problems", map[string]types.AttributeValue{"errors": problems}, `{"errors": [{"line": 2, "reason": "bad"}, {"reason": "file"}]}`)
}

// TestJobItemsRoundTrip: a job, a recipient and a batch mapped to their items, through the
// codec and back are the job, the recipient and the batch again.
func TestJobItemsRoundTrip(t *testing.T) {
	for _, j := range []issue.Job{fullJob(), newJob(), generationJob()} {
		item, err := dynamo.Marshal(newJobItem(j))
		if err != nil {
			t.Fatal(err)
		}
		var it jobItem
		if err := dynamo.Unmarshal(item, &it); err != nil {
			t.Fatal(err)
		}
		if got := it.job(); !reflect.DeepEqual(got, j) {
			t.Errorf("job round trip:\n got %+v\nwant %+v", got, j)
		}
	}
	for _, r := range []issue.JobRecipient{mailedRecipient, pendingRecipient} {
		item, err := dynamo.Marshal(newRecipientItem("acme", "job1", r))
		if err != nil {
			t.Fatal(err)
		}
		var it recipientItem
		if err := dynamo.Unmarshal(item, &it); err != nil {
			t.Fatal(err)
		}
		if got := it.recipient(); got != r {
			t.Errorf("recipient round trip: got %+v, want %+v", got, r)
		}
	}
	item, err := dynamo.Marshal(newBatchItem("acme", "job1", pendingBatch))
	if err != nil {
		t.Fatal(err)
	}
	var it batchItem
	if err := dynamo.Unmarshal(item, &it); err != nil {
		t.Fatal(err)
	}
	if got := it.batch(); !reflect.DeepEqual(got, pendingBatch) {
		t.Errorf("batch round trip:\n got %+v\nwant %+v", got, pendingBatch)
	}
}

// TestJobsStoredWithoutAKind: a job stored before jobs had a kind is an import where it has
// a file's key, a recipient's job of one where it has none.
func TestJobsStoredWithoutAKind(t *testing.T) {
	for key, want := range map[string]issue.JobKind{"imports/acme/job2": issue.KindImport, "": issue.KindRecipient} {
		j := newJob()
		j.Key = key
		item, err := dynamo.Marshal(newJobItem(j))
		if err != nil {
			t.Fatal(err)
		}
		delete(item, "kind")
		var it jobItem
		if err := dynamo.Unmarshal(item, &it); err != nil {
			t.Fatal(err)
		}
		if got := it.job().Kind; got != want {
			t.Errorf("a job with key %q and no kind reads as %q, want %q", key, got, want)
		}
	}
}
