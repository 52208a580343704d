// Package reportdb reads the promotion code report (SPEC 3.4) from the promotion codes
// table: it is the report.Store of the promo-report function. It reads with Query only, on
// the base table or one of its report indexes, never with Scan: the time of a page must not
// grow with the number of codes a site has.
//
// plan.go chooses the index and the key condition of a filter, walk.go pages through them,
// and cursor.go hands out and checks the cursors that resume a walk.
package reportdb

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

// Querier is the part of DynamoDB the report needs: Query, and nothing else.
type Querier interface {
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Report reads the report of the codes of one table.
type Report struct {
	db    Querier
	table string
	// key signs the cursors handed out, so that an edited one is refused.
	key []byte
}

// MinCursorKey is the shortest cursor signing key accepted, in bytes.
const MinCursorKey = 32

var _ report.Store = (*Report)(nil)

// New returns the report of the codes in table, its cursors signed with cursorKey (at
// least MinCursorKey bytes). It needs Query only.
func New(db Querier, table string, cursorKey []byte) (*Report, error) {
	if db == nil || table == "" {
		return nil, errors.New("promo report: a client and a table name are required")
	}
	if len(cursorKey) < MinCursorKey {
		return nil, fmt.Errorf("promo report: the cursor signing key has %d bytes, at least %d are required", len(cursorKey), MinCursorKey)
	}
	return &Report{db: db, table: table, key: cursorKey}, nil
}

// CheckCursor says whether Walk can continue the report of site filtered by f from cursor:
// nil, report.ErrForeignCursor or report.ErrBadCursor. It reads nothing.
func (r *Report) CheckCursor(site string, f report.Filter, cursor string) error {
	_, err := planFor(site, f).startKey(r.key, cursor)
	return err
}
