package dynamo

import (
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/backoff"
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

// transactBackoff spaces the retries of a throttled or conflicting write: from up to
// 20 ms for the first retry to up to about 5 s.
var transactBackoff = backoff.Policy{Base: 20 * time.Millisecond, Max: 20 * time.Millisecond << 8}

// Backoff is the pause before retry number attempt (0 for the first) of a throttled or
// conflicting write.
func Backoff(attempt int) time.Duration { return transactBackoff.Pause(attempt) }
