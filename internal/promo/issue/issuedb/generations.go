package issuedb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// CreateGenerated writes a generation's next batch of codes and counts them on the job, in
// one transaction: the job's item first, then the codes. The count's condition (the job is
// creating and has made exactly j.CodesCreated codes) refuses a batch written already and
// a job no longer creating, each code's condition refuses a code the site has.
func (s *Jobs) CreateGenerated(ctx context.Context, j issue.Job, codes []promo.Code) error {
	if len(codes) == 0 || len(codes) > maxTransactItems-1 {
		return apperr.Internal(fmt.Errorf("job %s: %d codes in one write (1 to %d)", j.ID, len(codes), maxTransactItems-1))
	}
	next := expression.Name("state").Equal(expression.Value(issue.JobCreating)).
		And(expression.Name("codesCreated").Equal(expression.Value(j.CodesCreated)))
	count, err := s.transactUpdate(j.Site, jobSK(j.ID), expression.Add(expression.Name("codesCreated"), expression.Value(len(codes))).
		Set(expression.Name("updatedAt"), expression.Value(now())), &next)
	if err != nil {
		return err
	}
	items, err := s.appendCodePuts(append(make([]types.TransactWriteItem, 0, 1+len(codes)), count), codes)
	if err != nil {
		return err
	}
	err = dynamo.TransactWrite(ctx, s.db, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	switch {
	case err == nil:
		return nil
	case dynamo.ConditionFailedAt(err, 0):
		return issue.ErrWrongState
	}
	return codesRefused(err, 1, len(codes), fmt.Sprintf("job %s at %d codes", j.ID, j.CodesCreated))
}
