package issuedb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// JobsAPI is the part of DynamoDB the import jobs need.
type JobsAPI interface {
	Transacter
	auditdb.Querier
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

// Jobs keeps import jobs (sk "job#<id>"), the batches of recipients validation stored
// (sk "job#<id>#b#<n>") and the recipients with their codes (sk "job#<id>#r#<line>") in the
// promotion codes table. Every write is retried while DynamoDB cancels it for a conflict
// with another transaction on the job's item (the mails' counts all touch it).
type Jobs struct {
	db    JobsAPI
	table string
	audit *auditdb.Log
}

var _ issue.Jobs = (*Jobs)(nil)

// NewJobs returns the job store of table, auditing into log.
func NewJobs(db JobsAPI, table string, log *auditdb.Log) (*Jobs, error) {
	if db == nil || table == "" || log == nil {
		return nil, fmt.Errorf("promo jobs: a client, a table name and an audit log are required")
	}
	return &Jobs{db: db, table: table, audit: log}, nil
}

func jobSK(id string) string                 { return promodb.JobSKPrefix + id }
func recipientSK(id string, line int) string { return fmt.Sprintf("%s#r#%06d", jobSK(id), line) }

func (s *Jobs) key(site, sk string) map[string]types.AttributeValue { return dynamo.Key(site, sk) }

// CreateJob stores a new job with its first recipients and audit entry, at once, unless a
// job has its ID (issue.ErrJobExists).
func (s *Jobs) CreateJob(ctx context.Context, j issue.Job, rs []issue.JobRecipient, entry audit.Entry) error {
	if len(rs) > maxTransactItems-2 {
		return apperr.Internal(fmt.Errorf("create job %s: %d recipients is more than one write holds", j.ID, len(rs)))
	}
	item, err := dynamo.Marshal(newJobItem(j))
	if err != nil {
		return apperr.Internal(err)
	}
	items := []types.TransactWriteItem{{Put: &types.Put{
		TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}}
	for _, r := range rs {
		ri, err := dynamo.Marshal(newRecipientItem(j.Site, j.ID, r))
		if err != nil {
			return apperr.Internal(err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: ri}})
	}
	if entry.ID != "" {
		put, err := s.audit.Put(entry)
		if err != nil {
			return apperr.Internal(err)
		}
		items = append(items, put)
	}
	err = dynamo.TransactWrite(ctx, s.db, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	switch {
	case dynamo.ConditionFailedAt(err, 0):
		return issue.ErrJobExists
	case err != nil:
		return apperr.Internal(fmt.Errorf("create job %s: %w", j.ID, err))
	}
	return nil
}

// Job reads a job, strongly consistently (runs decide on what they read).
func (s *Jobs) Job(ctx context.Context, site, id string) (issue.Job, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: s.key(site, jobSK(id)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return issue.Job{}, apperr.Internal(fmt.Errorf("get job %s: %w", id, err))
	}
	if out.Item == nil {
		return issue.Job{}, issue.ErrJobNotFound
	}
	return decodeJob(out.Item)
}

func decodeJob(item map[string]types.AttributeValue) (issue.Job, error) {
	var it jobItem
	if err := dynamo.Unmarshal(item, &it); err != nil {
		return issue.Job{}, apperr.Internal(fmt.Errorf("decode job: %w", err))
	}
	return it.job(), nil
}

// update runs a conditional UpdateItem on one item and reports a failed condition as
// failed.
func (s *Jobs) update(ctx context.Context, sk, site string, upd expression.UpdateBuilder, cond expression.ConditionBuilder, failed error) (map[string]types.AttributeValue, error) {
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var out *dynamodb.UpdateItemOutput
	err = dynamo.Retry(ctx, func() (err error) {
		out, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String(s.table), Key: s.key(site, sk),
			UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
			ReturnValues: types.ReturnValueAllNew,
		})
		return err
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return nil, failed
	}
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("update %s/%s: %w", site, sk, err))
	}
	return out.Attributes, nil
}

func exists() expression.ConditionBuilder {
	return expression.AttributeExists(expression.Name(dynamo.PK))
}

// Lease takes the job for owner if it is free, expired, or already owner's.
func (s *Jobs) Lease(ctx context.Context, site, id, owner string, until, now time.Time) (issue.Job, error) {
	free := expression.AttributeNotExists(expression.Name("leaseOwner")).
		Or(expression.Name("leaseOwner").Equal(expression.Value(owner))).
		Or(expression.Name("leaseUntilKey").LessThan(expression.Value(dynamo.FormatTime(now))))
	upd := expression.Set(expression.Name("leaseOwner"), expression.Value(owner)).
		Set(expression.Name("leaseUntil"), expression.Value(until.UTC().Format(time.RFC3339Nano))).
		Set(expression.Name("leaseUntilKey"), expression.Value(dynamo.FormatTime(until)))
	item, err := s.update(ctx, jobSK(id), site, upd, exists().And(free), issue.ErrLeased)
	if errors.Is(err, issue.ErrLeased) {
		if _, gerr := s.Job(ctx, site, id); gerr != nil {
			return issue.Job{}, gerr
		}
	}
	if err != nil {
		return issue.Job{}, err
	}
	return decodeJob(item)
}

// Release gives the lease up, if owner still holds it.
func (s *Jobs) Release(ctx context.Context, site, id, owner string) error {
	upd := expression.Remove(expression.Name("leaseOwner")).Remove(expression.Name("leaseUntil")).Remove(expression.Name("leaseUntilKey"))
	_, err := s.update(ctx, jobSK(id), site, upd, expression.Name("leaseOwner").Equal(expression.Value(owner)), nil)
	return err
}

// Take moves a job waiting for its file to validating, with the upload that arrived.
func (s *Jobs) Take(ctx context.Context, site, id string, file issue.UploadedFile) error {
	upd := expression.Set(expression.Name("state"), expression.Value(issue.JobValidating)).
		Set(expression.Name("updatedAt"), expression.Value(now()))
	if f := newFileItem(file); f != nil {
		upd = upd.Set(expression.Name("file"), expression.Value(f))
	}
	_, err := s.update(ctx, jobSK(id), site, upd, expression.Name("state").Equal(expression.Value(issue.JobAwaitingUpload)), issue.ErrWrongState)
	return err
}

// Fail ends a job whose file is being checked, with the file's problems.
func (s *Jobs) Fail(ctx context.Context, j issue.Job, code string, problems []issue.ProblemLine) error {
	av, err := attributevalue.Marshal(newProblemLineItems(problems))
	if err != nil {
		return apperr.Internal(err)
	}
	upd := expression.Set(expression.Name("state"), expression.Value(issue.JobFailed)).
		Set(expression.Name("errorCode"), expression.Value(code)).
		Set(expression.Name("errors"), expression.Value(av)).
		Set(expression.Name("updatedAt"), expression.Value(now()))
	_, err = s.update(ctx, jobSK(j.ID), j.Site, upd, expression.Name("state").Equal(expression.Value(issue.JobValidating)), issue.ErrWrongState)
	return err
}

// Note sets the job's notice.
func (s *Jobs) Note(ctx context.Context, site, id string, n issue.JobNotice) error {
	upd := expression.Set(expression.Name("notice"), expression.Value(newNoticeItem(&n))).
		Set(expression.Name("updatedAt"), expression.Value(now()))
	_, err := s.update(ctx, jobSK(id), site, upd, exists(), issue.ErrJobNotFound)
	return err
}

// now is the time updates stamp, as the codec encodes a time.
func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// Advance moves a job from one state to another, with its audit entry when given.
func (s *Jobs) Advance(ctx context.Context, site, id string, from, to issue.JobState, entry audit.Entry) error {
	upd := expression.Set(expression.Name("state"), expression.Value(to)).
		Set(expression.Name("updatedAt"), expression.Value(now()))
	cond := expression.Name("state").Equal(expression.Value(from))
	if entry.ID == "" {
		_, err := s.update(ctx, jobSK(id), site, upd, cond, issue.ErrWrongState)
		return err
	}
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return apperr.Internal(err)
	}
	put, err := s.audit.Put(entry)
	if err != nil {
		return apperr.Internal(err)
	}
	err = dynamo.TransactWrite(ctx, s.db, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName: aws.String(s.table), Key: s.key(site, jobSK(id)), UpdateExpression: expr.Update(),
			ConditionExpression: expr.Condition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		}},
		put,
	}})
	if dynamo.ConditionFailedAt(err, 0) {
		return issue.ErrWrongState
	}
	if err != nil {
		return apperr.Internal(fmt.Errorf("advance job %s: %w", id, err))
	}
	return nil
}

// Recipients lists a job's recipients in line order.
func (s *Jobs) Recipients(ctx context.Context, site, id string) ([]issue.JobRecipient, error) {
	items, err := queryPrefix[recipientItem](ctx, s, site, jobSK(id)+"#r#")
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("list recipients of job %s: %w", id, err))
	}
	out := make([]issue.JobRecipient, 0, len(items))
	for _, it := range items {
		out = append(out, it.recipient())
	}
	return out, nil
}

// queryPrefix reads, strongly consistently, the items of site whose sort keys begin with
// prefix, in sort key order.
func queryPrefix[T any](ctx context.Context, s *Jobs, site, prefix string) ([]T, error) {
	keyCond := expression.Key(dynamo.PK).Equal(expression.Value(site)).And(expression.Key(dynamo.SK).BeginsWith(prefix))
	expr, err := expression.NewBuilder().WithKeyCondition(keyCond).Build()
	if err != nil {
		return nil, err
	}
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ConsistentRead: aws.Bool(true),
	})
	var out []T
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			var it T
			if err := dynamo.Unmarshal(item, &it); err != nil {
				return nil, err
			}
			out = append(out, it)
		}
	}
	return out, nil
}

// transactUpdate is one Update of a transaction.
func (s *Jobs) transactUpdate(site, sk string, upd expression.UpdateBuilder, cond *expression.ConditionBuilder) (types.TransactWriteItem, error) {
	b := expression.NewBuilder().WithUpdate(upd)
	if cond != nil {
		b = b.WithCondition(*cond)
	}
	expr, err := b.Build()
	if err != nil {
		return types.TransactWriteItem{}, apperr.Internal(err)
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.table), Key: s.key(site, sk), UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}}, nil
}

// count adds delta to a counter of the job.
func (s *Jobs) count(site, id, counter string, delta int) (types.TransactWriteItem, error) {
	return s.transactUpdate(site, jobSK(id), expression.Add(expression.Name(counter), expression.Value(delta)).
		Set(expression.Name("updatedAt"), expression.Value(now())), nil)
}

// RecordMail records a pending mail's outcome and counts it, in one transaction.
func (s *Jobs) RecordMail(ctx context.Context, site, id string, r issue.JobRecipient) error {
	upd := expression.Set(expression.Name("mail"), expression.Value(r.Mail)).
		Set(expression.Name("mailAt"), expression.Value(r.MailAt.UTC().Format(time.RFC3339Nano)))
	counter := "mailsSent"
	if r.Mail == issue.MailFailed {
		upd, counter = upd.Set(expression.Name("mailReason"), expression.Value(r.MailReason)), "mailsFailed"
	} else {
		upd = upd.Set(expression.Name("messageId"), expression.Value(r.MessageID)).Remove(expression.Name("mailReason"))
	}
	cond := expression.Name("mail").Equal(expression.Value(issue.MailPending))
	return s.moveMail(ctx, site, id, r.Line, upd, cond, counter, 1)
}

// Retry puts a failed mail back to pending and uncounts the failure, in one transaction.
func (s *Jobs) Retry(ctx context.Context, site, id string, line int) error {
	upd := expression.Set(expression.Name("mail"), expression.Value(issue.MailPending))
	cond := expression.Name("mail").Equal(expression.Value(issue.MailFailed))
	return s.moveMail(ctx, site, id, line, upd, cond, "mailsFailed", -1)
}

func (s *Jobs) moveMail(ctx context.Context, site, id string, line int, upd expression.UpdateBuilder, cond expression.ConditionBuilder, counter string, delta int) error {
	rec, err := s.transactUpdate(site, recipientSK(id, line), upd, &cond)
	if err != nil {
		return err
	}
	count, err := s.count(site, id, counter, delta)
	if err != nil {
		return err
	}
	err = dynamo.TransactWrite(ctx, s.db, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{rec, count}})
	if dynamo.ConditionFailedAt(err, 0) {
		return issue.ErrNotPending
	}
	if err != nil {
		return apperr.Internal(fmt.Errorf("record mail of job %s line %d: %w", id, line, err))
	}
	return nil
}
