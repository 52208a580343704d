package dynamo

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// cancelled is why a transaction failed.
type cancelled struct {
	// failed are the items whose condition failed; items holds, for those written with
	// ReturnValuesOnConditionCheckFailure, the item as DynamoDB found it (empty if none).
	failed []int
	items  map[int]map[string]types.AttributeValue
	// retry says the same transaction may succeed if tried again: it conflicted with
	// another one, or was throttled.
	retry bool
}

// cancellation reads a failed TransactWriteItems.
func cancellation(err error) cancelled {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		var throttled *types.ProvisionedThroughputExceededException
		var conflict *types.TransactionConflictException
		var inProgress *types.TransactionInProgressException
		return cancelled{retry: errors.As(err, &throttled) || errors.As(err, &conflict) || errors.As(err, &inProgress)}
	}
	c := cancelled{items: map[int]map[string]types.AttributeValue{}}
	for i, r := range tce.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "ConditionalCheckFailed":
			c.failed = append(c.failed, i)
			c.items[i] = r.Item
		case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded":
			c.retry = true
		}
	}
	return c
}

// backoff is exponential with full jitter, from 20 ms up to about 5 s.
func backoff(attempt int) time.Duration {
	limit := 20 * time.Millisecond << min(attempt, 8)
	return time.Duration(rand.Int64N(int64(limit))) + time.Millisecond
}
