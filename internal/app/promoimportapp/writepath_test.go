package promoimportapp_test

import (
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestImportThroughTransactionConflicts: on AWS, the mails' records all count on the job's
// item, and DynamoDB cancels transactions that overlap on an item (TransactionConflict),
// which the SDK does not retry. Here every transaction of the import is cancelled so on its
// first try; each is tried again, and the import ends with one code and one mail per recipient.
func TestImportThroughTransactionConflicts(t *testing.T) {
	r := newRig(t)
	job, key := r.startImport(t, r.recipientsFile(70))
	var calls, cancelled atomic.Int64
	var mu sync.Mutex
	seen := map[string]bool{}
	// Each transaction is cancelled the first time it is tried, and only then: which attempt
	// of which transaction is cancelled must not depend on how the workers interleave.
	firstTry := func(in *dynamodb.TransactWriteItemsInput) bool {
		sig, err := json.Marshal(in.TransactItems)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if seen[string(sig)] {
			return false
		}
		seen[string(sig)] = true
		return true
	}
	r.db.transact = func(_ int, in *dynamodb.TransactWriteItemsInput) error {
		calls.Add(1)
		if firstTry(in) {
			cancelled.Add(1)
			reasons := make([]types.CancellationReason, len(in.TransactItems))
			for i := range reasons {
				reasons[i].Code = aws.String("None")
			}
			reasons[0].Code = aws.String("TransactionConflict")
			return &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
		}
		return nil
	}
	if err := r.invoke(s3Event(t, "recipients-uploaded", key), "req-1"); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, r, job, 70)
	// The recipients' batches (3), the audit of the import, and 70 mail records, each once
	// cancelled, plus the store of the batches.
	if cancelled.Load() < 70 {
		t.Fatalf("%d of %d transactions cancelled: the test did not exercise the retries", cancelled.Load(), calls.Load())
	}
}

// TestUploadAgainToAFinishedImportLeavesANotice: once the import is done, the administrator
// uploads a corrected file to the same presigned URL. S3's event for it (another upload:
// another ETag and sequencer) does not import it: the job keeps its codes and mails and
// gains a notice saying to start a new import. A duplicate of the first event is still a
// no-op, and leaves no notice.
func TestUploadAgainToAFinishedImportLeavesANotice(t *testing.T) {
	r := newRig(t)
	job, key := r.startImport(t, r.recipientsFile(5))
	first := s3Event(t, "recipients-uploaded", key)
	if err := r.invoke(first, "req-1"); err != nil {
		t.Fatal(err)
	}
	if err := r.invoke(first, "req-1-again"); err != nil {
		t.Fatal(err)
	}
	if n := r.job(t, job).Notice; n != nil {
		t.Fatalf("a duplicate delivery left a notice: %+v", n)
	}
	r.upload(t, key, r.recipientsFile(8))
	second := s3Event(t, "recipients-uploaded", key)
	second.Records[0].S3.Object.Sequencer = "0A1B2C3D4E5F678902"
	if err := r.invoke(second, "req-2"); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, r, job, 5)
	n := r.job(t, job).Notice
	if n == nil || n.Code != issue.NoticeUploadedAgain || !n.At.Equal(second.Records[0].EventTime) || !strings.Contains(n.Message, "start a new import") {
		t.Fatalf("notice %+v; want %s at the event's time, telling to start a new import", n, issue.NoticeUploadedAgain)
	}
	// The administrator sees it where they follow the job.
	a := testenv.CallJSON(t, r.create, "GET", "/sites/demo/promo-codes/imports/"+job, "", testenv.Claims("admin-1", "demo"))
	a.Want(t, 200, map[string]any{"state": "done", "notice.code": issue.NoticeUploadedAgain, "notice.message": n.Message, "notice.at": "2026-11-28T10:00:05.123Z"})
}
