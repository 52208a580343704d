package dynamo

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Cancelled is why a transaction failed.
type Cancelled struct {
	// Failed are the items whose condition failed; Items holds, for those written with
	// ReturnValuesOnConditionCheckFailure, the item as DynamoDB found it (empty if none).
	Failed []int
	Items  map[int]map[string]types.AttributeValue
	// Retry says the same transaction may succeed if tried again: it conflicted with
	// another one, or was throttled.
	Retry bool
}

// Cancellation reads a failed TransactWriteItems.
func Cancellation(err error) Cancelled {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		var throttled *types.ProvisionedThroughputExceededException
		var conflict *types.TransactionConflictException
		var inProgress *types.TransactionInProgressException
		return Cancelled{Retry: errors.As(err, &throttled) || errors.As(err, &conflict) || errors.As(err, &inProgress)}
	}
	c := Cancelled{Items: map[int]map[string]types.AttributeValue{}}
	for i, r := range tce.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "ConditionalCheckFailed":
			c.Failed = append(c.Failed, i)
			c.Items[i] = r.Item
		case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded":
			c.Retry = true
		}
	}
	return c
}

// ConditionFailedAt reports whether a cancelled transaction failed on the condition of its
// item at index i.
func ConditionFailedAt(err error, i int) bool {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || i >= len(tce.CancellationReasons) {
		return false
	}
	r := tce.CancellationReasons[i]
	return r.Code != nil && *r.Code == "ConditionalCheckFailed"
}

// Backoff is exponential with full jitter, from 20 ms up to about 5 s.
func Backoff(attempt int) time.Duration {
	limit := 20 * time.Millisecond << min(attempt, 8)
	return time.Duration(rand.Int64N(int64(limit))) + time.Millisecond
}
