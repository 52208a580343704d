package issuedb

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// recipientItem is one recipient of a job as stored (sk "job#<id>#r#<line>"): the code
// assigned to them, whether it is written, and their e-mail's state. items_test.go pins
// the attribute names.
type recipientItem struct {
	PK          string    `dynamodbav:"pk"`
	SK          string    `dynamodbav:"sk"`
	Line        int       `dynamodbav:"line"`
	Email       string    `dynamodbav:"email"`
	Name        string    `dynamodbav:"name"`
	Code        string    `dynamodbav:"code"`
	CodeCreated bool      `dynamodbav:"codeCreated"`
	Mail        string    `dynamodbav:"mail"`
	MessageID   string    `dynamodbav:"messageId,omitempty"`
	MailReason  string    `dynamodbav:"mailReason,omitempty"`
	MailAt      time.Time `dynamodbav:"mailAt"`
}

func newRecipientItem(site, id string, r issue.JobRecipient) recipientItem {
	return recipientItem{
		PK: site, SK: recipientSK(id, r.Line), Line: r.Line, Email: r.Email, Name: r.Name, Code: r.Code,
		CodeCreated: r.CodeCreated, Mail: string(r.Mail), MessageID: r.MessageID, MailReason: r.MailReason, MailAt: r.MailAt,
	}
}

func (it recipientItem) recipient() issue.JobRecipient {
	return issue.JobRecipient{
		Line: it.Line, Email: it.Email, Name: it.Name, Code: it.Code, CodeCreated: it.CodeCreated,
		Mail: issue.MailState(it.Mail), MessageID: it.MessageID, MailReason: it.MailReason, MailAt: it.MailAt,
	}
}
