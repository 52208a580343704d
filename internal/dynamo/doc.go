// Package dynamo implements the domain's storage ports on DynamoDB. Every table has a string
// partition key "pk" and sort key "sk"; items carry the domain's JSON field names.
package dynamo

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Key attribute names shared by every table.
const (
	attrPK = "pk"
	attrSK = "sk"
)

// conditionFailedAt reports whether a cancelled transaction failed on the condition of its
// item at index i.
func conditionFailedAt(err error, i int) bool {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || i >= len(tce.CancellationReasons) {
		return false
	}
	r := tce.CancellationReasons[i]
	return r.Code != nil && *r.Code == "ConditionalCheckFailed"
}
