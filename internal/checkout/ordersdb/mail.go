package ordersdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
)

var _ checkout.MailLedger = (*Store)(nil)

// An order's buyer e-mail on authorisation is one item beside the order (sk
// "order#<ref>#mail#authorised", so Get reads it with the order), written due in the
// transaction of the move to authorised. While it is unsent it is in the deadline index
// under mailPartition, keyed by when it is due (its lease's end), for the sweep; sent or
// refused, it leaves the index.
const (
	mailSKSuffix  = "#mail#authorised"
	mailPartition = "mail"
)

func mailSK(ref string) string { return orderSK(ref) + mailSKSuffix }

func isMailSK(sk string) bool { return strings.HasSuffix(sk, mailSKSuffix) }

// mailItem is an order's buyer e-mail.
type mailItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Ref         string `dynamodbav:"ref"`
	SweepKey    string `dynamodbav:"sweepKey,omitempty"`
	DeadlineKey string `dynamodbav:"deadlineKey,omitempty"`
	DueAt       string `dynamodbav:"dueAt"`
	LeaseID     string `dynamodbav:"leaseId,omitempty"`
	LeaseUntil  string `dynamodbav:"leaseUntil,omitempty"`
	Attempts    int    `dynamodbav:"attempts"`
	SentAt      string `dynamodbav:"sentAt,omitempty"`
	MessageID   string `dynamodbav:"messageId,omitempty"`
	Refused     string `dynamodbav:"refused,omitempty"`
	LastError   string `dynamodbav:"lastError,omitempty"`
}

func mailDeadline(site, ref string, at time.Time) string {
	return dynamo.FormatTime(at) + "#" + site + "#" + ref
}

// newMailItem is the e-mail due from the move to at.
func newMailItem(to checkout.Order) mailItem {
	return mailItem{PK: to.Site, SK: mailSK(to.Ref), Ref: to.Ref, SweepKey: mailPartition,
		DeadlineKey: mailDeadline(to.Site, to.Ref, to.UpdatedAt), DueAt: dynamo.FormatTime(to.UpdatedAt)}
}

func (it mailItem) state() *checkout.MailState {
	return &checkout.MailState{LeaseUntil: dynamo.ParseTime(it.LeaseUntil), SentAt: dynamo.ParseTime(it.SentAt),
		MessageID: it.MessageID, Refused: it.Refused, Attempts: it.Attempts}
}

// update makes one conditional change of an order's e-mail; false when cond failed.
func (s *Store) update(ctx context.Context, site, ref string, upd expression.UpdateBuilder, cond expression.ConditionBuilder) (bool, error) {
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return false, apperr.Internal(err)
	}
	err = dynamo.Retry(ctx, func() error {
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String(s.table), Key: dynamo.Key(site, mailSK(ref)),
			UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		})
		return err
	})
	var failed *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &failed):
		return false, nil
	}
	return false, apperr.Internal(fmt.Errorf("update the buyer e-mail of order %s of %s: %w", ref, site, err))
}

// ClaimMail takes the e-mail for lease until until if it is unsent, not refused and no
// other lease is in force at now, in one conditional update.
func (s *Store) ClaimMail(ctx context.Context, site, ref, lease string, until, now time.Time) (bool, error) {
	free := expression.AttributeNotExists(expression.Name("leaseUntil")).
		Or(expression.Name("leaseUntil").LessThanEqual(expression.Value(dynamo.FormatTime(now))))
	cond := expression.AttributeExists(expression.Name(dynamo.PK)).
		And(expression.AttributeNotExists(expression.Name("sentAt")), expression.AttributeNotExists(expression.Name("refused")), free)
	upd := expression.Set(expression.Name("leaseId"), expression.Value(lease)).
		Set(expression.Name("leaseUntil"), expression.Value(dynamo.FormatTime(until))).
		Set(expression.Name("deadlineKey"), expression.Value(mailDeadline(site, ref, until))).
		Add(expression.Name("attempts"), expression.Value(1))
	return s.update(ctx, site, ref, upd, cond)
}

// MailSent records the e-mail sent and takes it out of the sweep's index. It is recorded
// whoever holds the lease now: the e-mail went.
func (s *Store) MailSent(ctx context.Context, site, ref, lease, messageID string, at time.Time) error {
	upd := expression.Set(expression.Name("sentAt"), expression.Value(dynamo.FormatTime(at))).
		Set(expression.Name("messageId"), expression.Value(messageID)).
		Remove(expression.Name("sweepKey")).Remove(expression.Name("deadlineKey")).Remove(expression.Name("leaseId"))
	_, err := s.update(ctx, site, ref, upd, expression.AttributeNotExists(expression.Name("sentAt")))
	return err
}

// MailFailed ends lease, if it is still in force: the e-mail is due again from at, or
// refused for good (out of the sweep's index).
func (s *Store) MailFailed(ctx context.Context, site, ref, lease, why string, refused bool, at time.Time) error {
	upd := expression.Set(expression.Name("lastError"), expression.Value(why)).Remove(expression.Name("leaseId"))
	if refused {
		upd = upd.Set(expression.Name("refused"), expression.Value(why)).
			Remove(expression.Name("sweepKey")).Remove(expression.Name("deadlineKey"))
	} else {
		upd = upd.Set(expression.Name("leaseUntil"), expression.Value(dynamo.FormatTime(at))).
			Set(expression.Name("deadlineKey"), expression.Value(mailDeadline(site, ref, at)))
	}
	_, err := s.update(ctx, site, ref, upd, expression.Name("leaseId").Equal(expression.Value(lease)))
	return err
}

// MailsDue lists up to limit orders whose e-mail is due at now, soonest due first, from the
// deadline index (eventually consistent: each is claimed on a condition).
func (s *Store) MailsDue(ctx context.Context, now time.Time, limit int) ([]checkout.OrderID, error) {
	items, err := s.dueBy(ctx, mailPartition, now, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]checkout.OrderID, 0, len(items))
	for _, item := range items {
		var it mailItem
		if err := dynamo.Unmarshal(item, &it); err != nil {
			return nil, apperr.Internal(err)
		}
		ids = append(ids, checkout.OrderID{Site: it.PK, Ref: it.Ref})
	}
	return ids, nil
}
