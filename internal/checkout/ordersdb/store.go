// Package ordersdb keeps orders in DynamoDB: each order's item with the keys of the orders
// list's indexes, its history items, and the idempotency keys orders were created under.
package ordersdb

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
)

// API is the part of DynamoDB the orders store needs: reads by key and Query, and
// transactions (which IAM authorises per item: PutItem for each item written), and
// UpdateItem for the buyer e-mails' claims and outcomes.
type API interface {
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store keeps orders, and writes the audit entries of administrators' changes with them.
type Store struct {
	db    API
	table string
	audit *auditdb.Log
}

var _ checkout.Orders = (*Store)(nil)

// New returns the orders store over table, with the audit log administrators' changes are
// recorded in.
func New(db API, table string, log *auditdb.Log) (*Store, error) {
	if db == nil || table == "" || log == nil {
		return nil, errors.New("orders store: a client, a table name and an audit log are required")
	}
	return &Store{db: db, table: table, audit: log}, nil
}

func (s *Store) put(item any, cond *expression.ConditionBuilder) (types.TransactWriteItem, error) {
	av, err := dynamo.Marshal(item)
	if err != nil {
		return types.TransactWriteItem{}, apperr.Internal(err)
	}
	p := &types.Put{TableName: aws.String(s.table), Item: av}
	if cond != nil {
		expr, err := expression.NewBuilder().WithCondition(*cond).Build()
		if err != nil {
			return types.TransactWriteItem{}, apperr.Internal(err)
		}
		p.ConditionExpression, p.ExpressionAttributeNames, p.ExpressionAttributeValues = expr.Condition(), expr.Names(), expr.Values()
	}
	return types.TransactWriteItem{Put: p}, nil
}

func notExists() *expression.ConditionBuilder {
	c := expression.AttributeNotExists(expression.Name(dynamo.PK))
	return &c
}

// Create writes a new order with its history, and its key item when key is set, all or
// nothing. When the key was taken by an order created first, it answers that one.
func (s *Store) Create(ctx context.Context, o checkout.Order, key checkout.Key) (checkout.Created, error) {
	writes := make([]types.TransactWriteItem, 0, 2+len(o.History))
	if key.Key != "" {
		w, err := s.put(keyItem{PK: o.Site, SK: keySKPrefix + key.Key, Ref: o.Ref, Fingerprint: key.Fingerprint, CreatedAt: dynamo.FormatTime(o.CreatedAt)}, notExists())
		if err != nil {
			return checkout.Created{}, err
		}
		writes = append(writes, w)
	}
	w, err := s.put(newOrderItem(o), notExists())
	if err != nil {
		return checkout.Created{}, err
	}
	writes = append(writes, w)
	for i, e := range o.History {
		w, err := s.put(newHistoryItem(o.Site, o.Ref, i, e), notExists())
		if err != nil {
			return checkout.Created{}, err
		}
		writes = append(writes, w)
	}
	err = s.transact(ctx, writes)
	if err == nil {
		return checkout.Created{Order: o, Fingerprint: key.Fingerprint, New: true}, nil
	}
	if key.Key != "" && dynamo.ConditionFailedAt(err, 0) {
		prior, found, err := s.ByKey(ctx, o.Site, key.Key)
		if err != nil {
			return checkout.Created{}, err
		}
		if !found {
			return checkout.Created{}, apperr.Internal(fmt.Errorf("idempotency key of %s names no order", o.Site))
		}
		return prior, nil
	}
	return checkout.Created{}, apperr.Internal(fmt.Errorf("create order %s of %s: %w", o.Ref, o.Site, err))
}

// transact writes one transaction, retried by dynamo.TransactWrite when it was cancelled for
// a reason that is not its condition (a conflicting transaction, throttling).
func (s *Store) transact(ctx context.Context, writes []types.TransactWriteItem) error {
	return dynamo.TransactWrite(ctx, s.db, &dynamodb.TransactWriteItemsInput{TransactItems: writes})
}

// ByKey reads the order created under an idempotency key.
func (s *Store) ByKey(ctx context.Context, site, key string) (checkout.Created, bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table), Key: dynamo.Key(site, keySKPrefix+key), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return checkout.Created{}, false, apperr.Internal(fmt.Errorf("get idempotency key of %s: %w", site, err))
	}
	if len(out.Item) == 0 {
		return checkout.Created{}, false, nil
	}
	var k keyItem
	if err := dynamo.Unmarshal(out.Item, &k); err != nil {
		return checkout.Created{}, false, apperr.Internal(err)
	}
	o, found, err := s.Get(ctx, site, k.Ref)
	if err != nil || !found {
		return checkout.Created{}, false, err
	}
	return checkout.Created{Order: o, Fingerprint: k.Fingerprint}, true, nil
}

// Get reads an order with its history in one strongly consistent Query.
func (s *Store) Get(ctx context.Context, site, ref string) (checkout.Order, bool, error) {
	cond := expression.Key(dynamo.PK).Equal(expression.Value(site)).And(expression.Key(dynamo.SK).BeginsWith(orderSK(ref)))
	expr, err := expression.NewBuilder().WithKeyCondition(cond).Build()
	if err != nil {
		return checkout.Order{}, false, apperr.Internal(err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ConsistentRead: aws.Bool(true),
	}
	var (
		o       checkout.Order
		found   bool
		history []historyItem
		mail    *checkout.MailState
	)
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return checkout.Order{}, false, apperr.Internal(fmt.Errorf("get order %s of %s: %w", ref, site, err))
		}
		for _, item := range out.Items {
			sk, _ := item[dynamo.SK].(*types.AttributeValueMemberS)
			if sk != nil && isMailSK(sk.Value) {
				var m mailItem
				if err := dynamo.Unmarshal(item, &m); err != nil {
					return checkout.Order{}, false, apperr.Internal(err)
				}
				mail = m.state()
				continue
			}
			if sk != nil && isHistorySK(sk.Value) {
				var h historyItem
				if err := dynamo.Unmarshal(item, &h); err != nil {
					return checkout.Order{}, false, apperr.Internal(err)
				}
				history = append(history, h)
				continue
			}
			var it orderItem
			if err := dynamo.Unmarshal(item, &it); err != nil {
				return checkout.Order{}, false, apperr.Internal(err)
			}
			o, found = it.order(), true
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	sort.Slice(history, func(i, j int) bool { return history[i].SK < history[j].SK })
	for _, h := range history {
		o.History = append(o.History, h.entry())
	}
	o.Mail = mail
	return o, found, nil
}

// asRead is the condition that the stored order is still as o was read: in o's state, with
// as many history entries (no one moved it), and with o's hold or none.
func asRead(o checkout.Order) *expression.ConditionBuilder {
	hold := expression.AttributeNotExists(expression.Name("holdId"))
	if o.Hold != nil {
		hold = expression.Name("holdId").Equal(expression.Value(o.Hold.ID))
	}
	c := expression.Name("state").Equal(expression.Value(string(o.State))).
		And(expression.Name("changes").Equal(expression.Value(len(o.History))), hold)
	return &c
}

// Move stores to, and its newest history entry, if the order is still as from was read.
func (s *Store) Move(ctx context.Context, from, to checkout.Order) (bool, error) {
	return s.move(ctx, from, to)
}

// Settle stores an administrator's move as Move does, with its audit entry in the same
// transaction.
func (s *Store) Settle(ctx context.Context, from, to checkout.Order, e audit.Entry) (bool, error) {
	a, err := s.audit.Put(e)
	if err != nil {
		return false, apperr.Internal(err)
	}
	return s.move(ctx, from, to, a)
}

// Notice stores to as Move does, with the notice's ledger item (written first, so that its
// condition is told apart) in the same transaction: the notice is recorded exactly when
// its change is.
func (s *Store) Notice(ctx context.Context, from, to checkout.Order, id string) (checkout.NoticeWrite, error) {
	if id == "" {
		return 0, apperr.Internal(fmt.Errorf("notice of order %s has no id", from.Ref))
	}
	seen, err := s.put(noticeItem{PK: from.Site, SK: noticeSK(id), Ref: from.Ref, At: dynamo.FormatTime(to.UpdatedAt)}, notExists())
	if err != nil {
		return 0, err
	}
	writes, err := s.moveWrites(from, to)
	if err != nil {
		return 0, err
	}
	err = s.transact(ctx, append([]types.TransactWriteItem{seen}, writes...))
	switch {
	case err == nil:
		return checkout.NoticeStored, nil
	case dynamo.ConditionFailedAt(err, 0):
		return checkout.NoticeSeen, nil
	case len(dynamo.Cancellation(err).Failed) > 0:
		return checkout.NoticeOrderChanged, nil
	}
	return 0, apperr.Internal(fmt.Errorf("record notice on order %s of %s: %w", to.Ref, to.Site, err))
}

// moveWrites are the writes of a one-step change of an order: the order if it is still as
// from was read, its new history entry, and the buyer's e-mail due on a move to authorised.
func (s *Store) moveWrites(from, to checkout.Order) ([]types.TransactWriteItem, error) {
	if len(to.History) != len(from.History)+1 || from.Ref != to.Ref || from.Site != to.Site {
		return nil, apperr.Internal(fmt.Errorf("move order %s: not one step from what was read", from.Ref))
	}
	w, err := s.put(newOrderItem(to), asRead(from))
	if err != nil {
		return nil, err
	}
	i := len(to.History) - 1
	h, err := s.put(newHistoryItem(to.Site, to.Ref, i, to.History[i]), notExists())
	if err != nil {
		return nil, err
	}
	writes := []types.TransactWriteItem{w, h}
	if to.State == checkout.StateAuthorised && from.State != checkout.StateAuthorised {
		// The buyer's e-mail is due exactly when the order is authorised (buyermail.go).
		m, err := s.put(newMailItem(to), notExists())
		if err != nil {
			return nil, err
		}
		writes = append(writes, m)
	}
	return writes, nil
}

func (s *Store) move(ctx context.Context, from, to checkout.Order, more ...types.TransactWriteItem) (bool, error) {
	writes, err := s.moveWrites(from, to)
	if err != nil {
		return false, err
	}
	err = s.transact(ctx, append(writes, more...))
	switch {
	case err == nil:
		return true, nil
	case len(dynamo.Cancellation(err).Failed) > 0:
		return false, nil
	}
	return false, apperr.Internal(fmt.Errorf("move order %s of %s to %s: %w", to.Ref, to.Site, to.State, err))
}

// Hold stores held, which differs from o by its hold only, if the order is still as o was
// read.
func (s *Store) Hold(ctx context.Context, o, held checkout.Order) (bool, error) {
	if held.State != o.State || len(held.History) != len(o.History) || held.Ref != o.Ref || held.Site != o.Site {
		return false, apperr.Internal(fmt.Errorf("hold order %s: more than the hold changed", o.Ref))
	}
	w, err := s.put(newOrderItem(held), asRead(o))
	if err != nil {
		return false, err
	}
	err = s.transact(ctx, []types.TransactWriteItem{w})
	switch {
	case err == nil:
		return true, nil
	case len(dynamo.Cancellation(err).Failed) > 0:
		return false, nil
	}
	return false, apperr.Internal(fmt.Errorf("hold order %s of %s: %w", o.Ref, o.Site, err))
}

// SetPayment stores a pending order's refs and redirect, if it is still pending as read.
func (s *Store) SetPayment(ctx context.Context, o checkout.Order) error {
	w, err := s.put(newOrderItem(o), asRead(o))
	if err != nil {
		return err
	}
	if err := s.transact(ctx, []types.TransactWriteItem{w}); err != nil {
		if len(dynamo.Cancellation(err).Failed) > 0 {
			return apperr.New(apperr.CodeConflict, "order %s changed while its payment page was made", o.Ref)
		}
		return apperr.Internal(fmt.Errorf("store payment page of order %s of %s: %w", o.Ref, o.Site, err))
	}
	return nil
}

// Overdue lists up to limit pending orders whose reservation ran out by now, oldest
// deadline first, from the deadline index (eventually consistent: each is moved on a
// condition).
func (s *Store) Overdue(ctx context.Context, now time.Time, limit int) ([]checkout.Order, error) {
	items, err := s.dueBy(ctx, sweepPartition, now, limit)
	if err != nil {
		return nil, err
	}
	orders := make([]checkout.Order, 0, len(items))
	for _, item := range items {
		var it orderItem
		if err := dynamo.Unmarshal(item, &it); err != nil {
			return nil, apperr.Internal(err)
		}
		o := it.order()
		// The index does not hold the history; Move needs only its length.
		o.History = make([]checkout.Entry, it.Changes)
		orders = append(orders, o)
	}
	return orders, nil
}

// dueBy reads up to limit items of one partition of the deadline index whose deadline is
// by now, soonest first.
func (s *Store) dueBy(ctx context.Context, partition string, now time.Time, limit int) ([]map[string]types.AttributeValue, error) {
	cond := expression.Key("sweepKey").Equal(expression.Value(partition)).
		// "$" sorts just after the "#" that follows the instant: deadlines at now are in.
		And(expression.Key("deadlineKey").LessThan(expression.Value(dynamo.FormatTime(now) + "$")))
	expr, err := expression.NewBuilder().WithKeyCondition(cond).Build()
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexByDeadline), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), Limit: aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("list the %s deadlines: %w", partition, err))
	}
	return out.Items, nil
}
