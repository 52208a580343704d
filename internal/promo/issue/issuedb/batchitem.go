package issuedb

import (
	"fmt"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// batchItem is a batch of a job's recipients as validation stored them (sk
// "job#<id>#b#<n>"), waiting for their codes. Creating the batch's codes marks it created
// and drops its recipients, in the same transaction, so the mark says whether the batch's
// codes exist; items_test.go pins the attribute names.
type batchItem struct {
	PK         string               `dynamodbav:"pk"`
	SK         string               `dynamodbav:"sk"`
	N          int                  `dynamodbav:"n"`
	Created    bool                 `dynamodbav:"created"`
	Recipients []batchRecipientItem `dynamodbav:"recipients,omitempty"`
}

// batchRecipientItem is a recipient as the file gave them.
type batchRecipientItem struct {
	Line  int    `dynamodbav:"line"`
	Email string `dynamodbav:"email"`
	Name  string `dynamodbav:"name"`
}

func batchSK(id string, n int) string { return fmt.Sprintf("%s#b#%04d", jobSK(id), n) }

func newBatchItem(site, id string, b issue.Batch) batchItem {
	it := batchItem{PK: site, SK: batchSK(id, b.N), N: b.N}
	for _, r := range b.Recipients {
		it.Recipients = append(it.Recipients, batchRecipientItem{Line: r.Line, Email: r.Email, Name: r.Name})
	}
	return it
}

// batch is the batch's recipients, their mail pending and their code not created yet.
func (it batchItem) batch() issue.Batch {
	b := issue.Batch{N: it.N}
	for _, r := range it.Recipients {
		b.Recipients = append(b.Recipients, issue.JobRecipient{Line: r.Line, Email: r.Email, Name: r.Name, Mail: issue.MailPending})
	}
	return b
}
