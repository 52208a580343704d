package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Transacter is the part of DynamoDB that writes several items at once, all or none.
type Transacter interface {
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// WriteAttempts is how often Retry tries one write: Backoff's eight pauses add up to at
// most about five seconds, which outlasts a conflict between a few writers.
const WriteAttempts = 9

// Retry runs write until it succeeds, fails for a reason that stays, or has been tried
// WriteAttempts times. DynamoDB cancels a transaction that overlaps another one on an item
// (TransactionConflict), and refuses a single write to an item a transaction holds
// (TransactionConflictException); the SDK retries neither, throttling only a few times.
// Those are tried again after Backoff; a failed condition never is. The last error is
// returned as it came, so callers read it with Cancellation or ConditionFailedAt.
func Retry(ctx context.Context, write func() error) error {
	for attempt := 0; ; attempt++ {
		err := write()
		if err == nil || attempt+1 == WriteAttempts || !passing(err) {
			return err
		}
		t := time.NewTimer(retryPause(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// retryPause is Backoff; tests shorten it.
var retryPause = Backoff

// passing reports whether err is a cancellation that may not happen again: no condition
// failed, and something conflicted or was throttled.
func passing(err error) bool {
	c := Cancellation(err)
	return c.Retry && len(c.Failed) == 0
}

// TransactWrite writes in with Retry. Each attempt is a new transaction with a new
// idempotency token: the SDK fills in the token and keeps it across its own retries of one
// attempt, and a cancelled transaction must not be answered as the same one again.
func TransactWrite(ctx context.Context, db Transacter, in *dynamodb.TransactWriteItemsInput) error {
	return Retry(ctx, func() error {
		in.ClientRequestToken = nil
		_, err := db.TransactWriteItems(ctx, in)
		return err
	})
}
