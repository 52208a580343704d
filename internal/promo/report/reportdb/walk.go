package reportdb

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"

	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// Walk hands the codes of site that pass f, after cursor, in report order to emit (see
// report.Store). f must have passed report.Filter.Check and have its instant At; both bounds
// of o must be at least 1.
//
// No code is skipped or repeated across cursors: a cursor is the key of the last code taken,
// or, when every item up to DynamoDB's LastEvaluatedKey was taken or filtered out, that key.
func (r *Report) Walk(ctx context.Context, site string, f report.Filter, cursor string, o report.WalkOptions, emit func(promo.Code) bool) (string, error) {
	if o.MaxRows < 1 || o.MaxEvaluated < 1 {
		return "", fmt.Errorf("promo report: walk bounds %+v", o)
	}
	p := planFor(site, f)
	pos, err := p.startKey(r.key, cursor)
	if err != nil {
		return "", err
	}
	expr, err := p.expression()
	if err != nil {
		return "", fmt.Errorf("promo report expression: %w", err)
	}
	var calls, evaluated, returned, taken int
	for ; ; calls++ {
		in := &dynamodb.QueryInput{
			TableName:                 aws.String(r.table),
			KeyConditionExpression:    expr.KeyCondition(),
			FilterExpression:          expr.Filter(),
			ExpressionAttributeNames:  expr.Names(),
			ExpressionAttributeValues: expr.Values(),
			ScanIndexForward:          aws.Bool(p.forward),
			ExclusiveStartKey:         pos,
			Limit:                     aws.Int32(int32(queryLimit(p.filter != nil, o, evaluated, returned, taken))),
		}
		if p.index != "" {
			in.IndexName = aws.String(p.index)
		}
		out, err := r.db.Query(ctx, in)
		if err != nil {
			var ae smithy.APIError
			if cursor != "" && calls == 0 && errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" {
				// The checks of startKey should make this unreachable; a start key DynamoDB still
				// refuses is the client's cursor, not our failure.
				return "", fmt.Errorf("%w: DynamoDB refused its start key: %w", report.ErrBadCursor, err)
			}
			return "", fmt.Errorf("query promo codes: %w", err)
		}
		evaluated += int(out.ScannedCount)
		returned += len(out.Items)
		for i, item := range out.Items {
			c, err := promodb.UnmarshalCode(item)
			if err != nil {
				return "", err
			}
			if !emit(c) {
				if pos == nil {
					return "", errors.New("promo report: the first code of a report was refused")
				}
				return p.encodeCursor(r.key, pos)
			}
			taken++
			pos = p.keyOf(item)
			if taken == o.MaxRows {
				if i < len(out.Items)-1 {
					// Codes after this one came back too: the next page reads them again.
					return p.encodeCursor(r.key, pos)
				}
				break
			}
		}
		if out.LastEvaluatedKey == nil {
			return "", nil // the end of the data
		}
		// Everything up to LastEvaluatedKey was taken or filtered out.
		pos = out.LastEvaluatedKey
		if taken == o.MaxRows || evaluated >= o.MaxEvaluated {
			return p.encodeCursor(r.key, pos)
		}
	}
}

// queryLimit is the Limit of the next Query of a walk that has evaluated, returned and taken
// so many items, filtered or not.
//
// DynamoDB applies Limit before the filter: it bounds what a call evaluates, not what it
// returns. Without a filter ask for exactly the rows still wanted. With one, ask for as many
// as the share the filter has kept so far says are needed (at least the rows still wanted);
// never more than the cap allows, so the cap is never overshot.
func queryLimit(filtered bool, o report.WalkOptions, evaluated, returned, taken int) int {
	want := o.MaxRows - taken
	limit := want
	if filtered {
		switch {
		case returned > 0:
			limit = int(int64(want)*int64(evaluated)/int64(returned)) + 1
		case evaluated > 0:
			limit = 2 * evaluated
		}
		limit = max(limit, want, minFilteredLimit)
	}
	return min(limit, o.MaxEvaluated-evaluated)
}

// minFilteredLimit is the least a filtered Query asks DynamoDB to evaluate: a filter that
// keeps one item in ten must not cost one round trip per row.
const minFilteredLimit = 25
