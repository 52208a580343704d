package promodb

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// A code's uses are counted on its own item, so that one conditional write decides each:
//   - used: confirmed uses (what the report shows); storedStatus becomes used_up when
//     used reaches the code's limit;
//   - held: confirmed uses plus reservations not given back yet; a reservation is taken
//     only while held is below the limit;
//   - "hold#<order>": one attribute per reservation, holding the instant (Unix
//     milliseconds) it runs out. Confirming, releasing or taking over a reservation
//     removes its attribute, so each happens at most once however often it is retried.
//
// A code at its limit whose reservation ran out is not refused: the new order takes over
// that reservation in place (remove the old attribute, add its own, held unchanged), on
// the condition that the old one is still there with the same instant.
//
// An unlimited code has nothing to protect: it holds no reservations (so a popular code's
// item does not grow with its pending orders), and a confirmation just counts the use; the
// order's own conditional move to authorised makes that happen once.
const (
	attrUsed     = "used"
	attrHeld     = "held"
	holdPrefix   = "hold#"
	attrStatusKy = "statusKey"
)

// usesAttempts bounds how often one reservation re-decides after losing a race (another
// order took the expired reservation it meant to take over, or gave a use back).
const usesAttempts = 16

// UsesAPI is the part of DynamoDB that counting a code's uses needs.
type UsesAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

// Uses reserves, releases and confirms uses of codes for orders.
type Uses struct {
	db    UsesAPI
	table string
}

// NewUses returns the use counter of the promotion codes table.
func NewUses(db UsesAPI, table string) (*Uses, error) {
	if db == nil || table == "" {
		return nil, errors.New("promo uses: a client and a table name are required")
	}
	return &Uses{db: db, table: table}, nil
}

func holdAttr(ref string) string { return holdPrefix + ref }

func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// holds lists an item's reservations: order ref -> when it runs out.
func holds(item map[string]types.AttributeValue) map[string]time.Time {
	out := map[string]time.Time{}
	for name, v := range item {
		ref, ok := strings.CutPrefix(name, holdPrefix)
		n, isNum := v.(*types.AttributeValueMemberN)
		if !ok || !isNum {
			continue
		}
		ms, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil {
			continue
		}
		out[ref] = time.UnixMilli(ms)
	}
	return out
}

// Lookup reads a code and how many of its uses are held at now: confirmed ones and
// reservations that run out later than now.
func (u *Uses) Lookup(ctx context.Context, site, code string, now time.Time) (promo.Code, int, bool, error) {
	out, err := u.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(u.table), Key: dynamo.Key(site, CodeSK(code)), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return promo.Code{}, 0, false, apperr.Internal(fmt.Errorf("get code %s of %s: %w", code, site, err))
	}
	if len(out.Item) == 0 {
		return promo.Code{}, 0, false, nil
	}
	c, err := UnmarshalCode(out.Item)
	if err != nil {
		return promo.Code{}, 0, false, apperr.Internal(err)
	}
	return c, c.Used + live(holds(out.Item), now), true, nil
}

// live counts the reservations that run out after now.
func live(h map[string]time.Time, now time.Time) int {
	n := 0
	for _, until := range h {
		if until.After(now) {
			n++
		}
	}
	return n
}

// usable is the condition for taking a use of a code at now: it exists, is active (not
// deleted, not used up) and has not expired.
func usable(now time.Time) expression.ConditionBuilder {
	return expression.AttributeExists(expression.Name(dynamo.PK)).
		And(expression.Name(AttrStoredStatus).Equal(expression.Value(string(promo.StatusActive)))).
		And(expression.Name("expiresAt").GreaterThan(expression.Value(dynamo.FormatTime(now))))
}

// Reserve holds one use of c for ref until until (see the comment on the attributes). It
// answers "" when ref holds a use, else the status that refused it.
func (u *Uses) Reserve(ctx context.Context, c promo.Code, ref string, until, now time.Time) (promo.Status, error) {
	limit := c.Usage.Limit()
	if limit <= 0 {
		return u.checkUsable(ctx, c, now)
	}
	hold := expression.Name(holdAttr(ref))
	take := expression.Set(expression.Name(attrHeld), expression.Plus(expression.IfNotExists(expression.Name(attrHeld), expression.Value(0)), expression.Value(1))).
		Set(hold, expression.Value(until.UnixMilli()))
	cond := usable(now).And(expression.AttributeNotExists(hold)).
		And(expression.Or(expression.AttributeNotExists(expression.Name(attrHeld)),
			expression.Name(attrHeld).LessThan(expression.Value(limit))))
	update, condition := take, cond
	for range usesAttempts {
		found, err := u.update(ctx, c.Site, c.Code, update, condition)
		if err != nil {
			return "", err
		}
		if found == nil {
			return "", nil
		}
		// Refused: decide from the item as it was.
		if _, mine := holds(found)[ref]; mine {
			return "", nil // a retry of a reservation that was made
		}
		if st, err := refusedBy(found, now); st != "" || err != nil {
			return st, err
		}
		if heldOf(found) < limit {
			update, condition = take, cond // a use came back since: take it
			continue
		}
		old, oldUntil, ok := oldestExpired(holds(found), now)
		if !ok {
			return promo.StatusUsedUp, nil
		}
		update = expression.Remove(expression.Name(holdAttr(old))).Set(hold, expression.Value(until.UnixMilli()))
		condition = usable(now).And(expression.AttributeNotExists(hold)).
			And(expression.Name(holdAttr(old)).Equal(expression.Value(oldUntil.UnixMilli())))
	}
	return "", apperr.Internal(fmt.Errorf("reserve a use of %s of %s: still contended after %d attempts", c.Code, c.Site, usesAttempts))
}

// refusedBy says which status of a code's item (as a refused write found it) refuses a
// use at now: deleted, expired or used up; "" when none does.
func refusedBy(item map[string]types.AttributeValue, now time.Time) (promo.Status, error) {
	if len(item) == 0 {
		return promo.StatusDeleted, nil // codes are never removed; none is as good as deleted
	}
	cur, err := UnmarshalCode(item)
	if err != nil {
		return "", apperr.Internal(err)
	}
	switch st := cur.StatusAt(now); {
	case cur.Stored == promo.StatusDeleted:
		return promo.StatusDeleted, nil
	case st == promo.StatusExpired:
		return promo.StatusExpired, nil
	case cur.Stored == promo.StatusUsedUp:
		return promo.StatusUsedUp, nil
	}
	return "", nil
}

// checkUsable takes a use of an unlimited code: a conditional write that changes nothing,
// so that a code deleted or expired since it was read is refused like a limited one.
func (u *Uses) checkUsable(ctx context.Context, c promo.Code, now time.Time) (promo.Status, error) {
	noop := expression.Set(expression.Name(attrUsed), expression.IfNotExists(expression.Name(attrUsed), expression.Value(0)))
	found, err := u.update(ctx, c.Site, c.Code, noop, usable(now))
	if err != nil || found == nil {
		return "", err
	}
	st, err := refusedBy(found, now)
	if st == "" && err == nil {
		st = promo.StatusDeleted // refused for no status it has: it changed under us
	}
	return st, err
}

func heldOf(item map[string]types.AttributeValue) int {
	n, ok := item[attrHeld].(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	v, _ := strconv.Atoi(n.Value)
	return v
}

// oldestExpired picks the reservation that ran out first by now.
func oldestExpired(h map[string]time.Time, now time.Time) (string, time.Time, bool) {
	refs := make([]string, 0, len(h))
	for ref, until := range h {
		if !until.After(now) {
			refs = append(refs, ref)
		}
	}
	if len(refs) == 0 {
		return "", time.Time{}, false
	}
	sort.Slice(refs, func(i, j int) bool {
		return h[refs[i]].Before(h[refs[j]]) || h[refs[i]].Equal(h[refs[j]]) && refs[i] < refs[j]
	})
	return refs[0], h[refs[0]], true
}

// Release gives back the use ref reserved; false when ref holds none (also for an unlimited
// code, which holds no reservations).
func (u *Uses) Release(ctx context.Context, site, code, ref string) (bool, error) {
	hold := expression.Name(holdAttr(ref))
	update := expression.Remove(hold).Set(expression.Name(attrHeld), expression.Name(attrHeld).Minus(expression.Value(1)))
	found, err := u.update(ctx, site, code, update, expression.AttributeExists(hold))
	return found == nil && err == nil, err
}

// Confirm turns ref's reservation into a use, and marks the code used up when that was its
// last; false when ref holds no reservation. A use of an unlimited code is just counted.
func (u *Uses) Confirm(ctx context.Context, site, code, ref string, limit int) (bool, error) {
	if limit <= 0 {
		count := expression.Set(expression.Name(attrUsed), expression.Name(attrUsed).Plus(expression.Value(1)))
		found, err := u.update(ctx, site, code, count, expression.AttributeExists(expression.Name(dynamo.PK)))
		return found == nil && err == nil, err
	}
	hold := expression.Name(holdAttr(ref))
	update := expression.Remove(hold).Set(expression.Name(attrUsed), expression.Name(attrUsed).Plus(expression.Value(1)))
	found, err := u.update(ctx, site, code, update, expression.AttributeExists(hold))
	if err != nil || found != nil {
		return false, err
	}
	// Used up once the last use is confirmed; the condition makes it a no-op otherwise.
	usedUp := expression.Set(expression.Name(AttrStoredStatus), expression.Value(string(promo.StatusUsedUp))).
		Set(expression.Name(attrStatusKy), expression.Value(site+"#"+string(promo.StatusUsedUp)))
	cond := expression.Name(AttrStoredStatus).Equal(expression.Value(string(promo.StatusActive))).
		And(expression.Name(attrUsed).GreaterThanEqual(expression.Value(limit)))
	if _, err := u.update(ctx, site, code, usedUp, cond); err != nil {
		return true, err
	}
	return true, nil
}

// Return gives back a confirmed use (a voided or fully refunded payment): used and held go
// down by one, and a used-up code is active again. The order's own conditional move makes
// this happen once per order; a code with no confirmed use left is not changed (false).
func (u *Uses) Return(ctx context.Context, site, code string, limit int) (bool, error) {
	down := expression.Set(expression.Name(attrUsed), expression.Name(attrUsed).Minus(expression.Value(1)))
	cond := expression.Name(attrUsed).GreaterThan(expression.Value(0))
	if limit > 0 {
		down = down.Set(expression.Name(attrHeld), expression.Name(attrHeld).Minus(expression.Value(1)))
	}
	found, err := u.update(ctx, site, code, down, cond)
	if err != nil || found != nil {
		return false, err
	}
	if limit <= 0 {
		return true, nil
	}
	// Active again if it was used up (never if it was deleted); a no-op otherwise.
	active := expression.Set(expression.Name(AttrStoredStatus), expression.Value(string(promo.StatusActive))).
		Set(expression.Name(attrStatusKy), expression.Value(site+"#"+string(promo.StatusActive)))
	back := expression.Name(AttrStoredStatus).Equal(expression.Value(string(promo.StatusUsedUp))).
		And(expression.Name(attrUsed).LessThan(expression.Value(limit)))
	if _, err := u.update(ctx, site, code, active, back); err != nil {
		return true, err
	}
	return true, nil
}

// update applies update to a code's item on cond. found is nil when it was applied, else
// the item as DynamoDB found it (empty when there is none).
func (u *Uses) update(ctx context.Context, site, code string, update expression.UpdateBuilder, cond expression.ConditionBuilder) (map[string]types.AttributeValue, error) {
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return nil, apperr.Internal(err)
	}
	_, err = u.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(u.table), Key: dynamo.Key(site, CodeSK(code)),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var failed *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return nil, nil
	case errors.As(err, &failed):
		if failed.Item == nil {
			return map[string]types.AttributeValue{}, nil
		}
		return failed.Item, nil
	}
	return nil, apperr.Internal(fmt.Errorf("update uses of code %s of %s: %w", code, site, err))
}
