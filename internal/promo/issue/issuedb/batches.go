package issuedb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// MaxBatch is the most recipients one CreateBatch takes: each is two items of the
// transaction (the recipient and the code), beside the batch's mark and the job's count.
const MaxBatch = (maxTransactItems - 2) / 2

// Validated writes the batches and moves the job from validating to creating with its
// recipient count, in one transaction. The batches need no condition: the job's state
// guards them, and a validation that died before this wrote nothing.
func (s *Jobs) Validated(ctx context.Context, site, id string, batches []issue.Batch) error {
	if len(batches)+1 > maxTransactItems {
		return apperr.Internal(fmt.Errorf("job %s: %d batches are more than one write holds", id, len(batches)))
	}
	n := 0
	items := make([]types.TransactWriteItem, 0, len(batches)+1)
	for _, b := range batches {
		item, err := dynamo.Marshal(newBatchItem(site, id, b))
		if err != nil {
			return apperr.Internal(err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: item}})
		n += len(b.Recipients)
	}
	cond := expression.Name("state").Equal(expression.Value(issue.JobValidating))
	job, err := s.transactUpdate(site, jobSK(id), expression.Set(expression.Name("state"), expression.Value(issue.JobCreating)).
		Set(expression.Name("recipients"), expression.Value(n)).Set(expression.Name("updatedAt"), expression.Value(now())), &cond)
	if err != nil {
		return err
	}
	err = dynamo.TransactWrite(ctx, s.db, &dynamodb.TransactWriteItemsInput{TransactItems: append(items, job)})
	if dynamo.ConditionFailedAt(err, len(items)) {
		return issue.ErrWrongState
	}
	if err != nil {
		return apperr.Internal(fmt.Errorf("store the recipients of job %s: %w", id, err))
	}
	return nil
}

// Pending lists the job's batches not created yet, in order.
func (s *Jobs) Pending(ctx context.Context, site, id string) ([]issue.Batch, error) {
	items, err := queryPrefix[batchItem](ctx, s, site, jobSK(id)+"#b#")
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("list the batches of job %s: %w", id, err))
	}
	var out []issue.Batch
	for _, it := range items {
		if !it.Created {
			out = append(out, it.batch())
		}
	}
	return out, nil
}

// The items of a batch's transaction, in order: its mark, the job's count, then the codes
// (so a code's index in the cancellation reasons is firstCode plus its index in the batch),
// then the recipients.
const (
	markAt    = 0
	countAt   = 1
	firstCode = 2
)

// CreateBatch writes the batch's codes and its recipients with them, counts them on the job
// and marks the batch created, in one transaction: the mark's condition makes a batch
// created already a no-op, each code's makes a taken code a refusal, and the count's
// refuses a job that is not creating.
func (s *Jobs) CreateBatch(ctx context.Context, j issue.Job, b issue.Batch, codes []promo.Code) error {
	if len(b.Recipients) != len(codes) || len(codes) > MaxBatch {
		return apperr.Internal(fmt.Errorf("job %s batch %d: %d recipients, %d codes (at most %d)", j.ID, b.N, len(b.Recipients), len(codes), MaxBatch))
	}
	open := expression.Name("created").Equal(expression.Value(false))
	mark, err := s.transactUpdate(j.Site, batchSK(j.ID, b.N),
		expression.Set(expression.Name("created"), expression.Value(true)).Remove(expression.Name("recipients")), &open)
	if err != nil {
		return err
	}
	creating := expression.Name("state").Equal(expression.Value(issue.JobCreating))
	count, err := s.transactUpdate(j.Site, jobSK(j.ID), expression.Add(expression.Name("codesCreated"), expression.Value(len(codes))).
		Set(expression.Name("updatedAt"), expression.Value(now())), &creating)
	if err != nil {
		return err
	}
	items := make([]types.TransactWriteItem, 0, firstCode+2*len(codes))
	items = append(items, mark, count)
	if items, err = s.appendCodePuts(items, codes); err != nil {
		return err
	}
	for i, r := range b.Recipients {
		r.Code, r.CodeCreated = codes[i].Code, true
		item, err := dynamo.Marshal(newRecipientItem(j.Site, j.ID, r))
		if err != nil {
			return apperr.Internal(err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: item}})
	}
	err = dynamo.TransactWrite(ctx, s.db, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	switch {
	case dynamo.ConditionFailedAt(err, markAt):
		return nil // created already, by an earlier run
	case dynamo.ConditionFailedAt(err, countAt):
		return issue.ErrWrongState
	}
	return codesRefused(err, firstCode, len(codes), fmt.Sprintf("job %s batch %d", j.ID, b.N))
}

// appendCodePuts appends to items the put of each code, with the condition that it does not
// exist, so that an existing code is never overwritten.
func (s *Jobs) appendCodePuts(items []types.TransactWriteItem, codes []promo.Code) ([]types.TransactWriteItem, error) {
	for _, c := range codes {
		item, err := promodb.MarshalCode(c)
		if err != nil {
			return nil, apperr.Internal(err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}})
	}
	return items, nil
}

// codesRefused is the outcome of a transaction of codes that failed: the codes the site has
// already (the n items from first) as *issue.CodesTaken, anything else an internal error
// about what.
func codesRefused(err error, first, n int, what string) error {
	c := dynamo.Cancellation(err)
	if len(c.Failed) == 0 {
		return apperr.Internal(fmt.Errorf("create the codes of %s: %w", what, err))
	}
	taken := &issue.CodesTaken{}
	for _, i := range c.Failed {
		if i < first || i >= first+n {
			return apperr.Internal(fmt.Errorf("%s: item %d refused: %w", what, i, err))
		}
		taken.Indexes = append(taken.Indexes, i-first)
	}
	return taken
}
