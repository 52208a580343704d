package issuehttp

import (
	"encoding/json"
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/mail"
	"github.com/boxofficehq/boxoffice/internal/promo/promoview"
)

// jobView is a job as the API shows it: what it makes, its progress, for a progress bar,
// and a refused file's problems line by line. The lease is the runs' business and is not
// shown.
type jobView struct {
	ID           string        `json:"id"`
	Kind         string        `json:"kind"`
	State        string        `json:"state"`
	Percent      int           `json:"percent"`
	Quantity     int           `json:"quantity,omitempty"`
	Recipients   int           `json:"recipients"`
	CodesCreated int           `json:"codesCreated"`
	MailsSent    int           `json:"mailsSent"`
	MailsFailed  int           `json:"mailsFailed"`
	ErrorCode    string        `json:"errorCode,omitempty"`
	Errors       []problemView `json:"errors,omitempty"`
	Plan         planView      `json:"plan"`
	Bucket       string        `json:"bucket,omitempty"`
	Key          string        `json:"key,omitempty"`
	CreatedAt    time.Time     `json:"createdAt"`
	CreatedBy    string        `json:"createdBy"`
	UpdatedAt    time.Time     `json:"updatedAt"`
	Notice       *noticeView   `json:"notice,omitempty"`
}

// problemView is one problem of a refused file: its line (none for the whole file) and why.
type problemView struct {
	Field  string `json:"field,omitempty"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

// planView is what the job's codes are made with, as the import request gave it.
type planView struct {
	Params paramsView `json:"params"`
	Length int        `json:"length"`
	// Template is the e-mail of an import or a recipient's code; a generation mails nothing.
	Template *templateView `json:"emailTemplate,omitempty"`
	FileName string        `json:"fileName,omitempty"`
}

type paramsView struct {
	Service   string       `json:"service"`
	Usage     usageView    `json:"usage"`
	Discount  discountView `json:"discount"`
	ExpiresOn string       `json:"expiresOn"`
	AppliesTo string       `json:"appliesTo"`
}

type usageView struct {
	Kind string `json:"kind"`
	Max  int    `json:"max,omitempty"`
}

type discountView struct {
	Kind               string `json:"kind"`
	AmountMinor        int64  `json:"amountMinor,omitempty"`
	Currency           string `json:"currency,omitempty"`
	PercentBasisPoints int    `json:"percentBasisPoints,omitempty"`
}

type templateView struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

func viewJob(j issue.Job) jobView {
	v := jobView{
		ID: j.ID, Kind: string(j.Kind), State: string(j.State), Percent: j.Percent(), Quantity: j.Quantity,
		Recipients: j.Recipients, CodesCreated: j.CodesCreated,
		MailsSent: j.MailsSent, MailsFailed: j.MailsFailed, ErrorCode: string(j.ErrorCode), Plan: viewPlan(j.Plan),
		Bucket: j.Bucket, Key: j.Key, CreatedAt: j.CreatedAt, CreatedBy: j.CreatedBy, UpdatedAt: j.UpdatedAt,
		Notice: viewNotice(j.Notice),
	}
	for _, d := range j.Errors {
		v.Errors = append(v.Errors, problemView{Field: d.Field, Line: d.Line, Reason: d.Reason})
	}
	return v
}

func viewPlan(p issue.ImportPlan) planView {
	u, d := p.Params.Usage, p.Params.Discount
	var template *templateView
	if p.Template != (mail.Template{}) {
		template = &templateView{Subject: p.Template.Subject, Body: p.Template.Body}
	}
	return planView{
		Params: paramsView{
			Service: p.Params.Service, Usage: usageView{Kind: string(u.Kind), Max: u.Max},
			Discount: discountView{
				Kind: string(d.Kind), AmountMinor: d.AmountMinor, Currency: d.Currency, PercentBasisPoints: d.PercentBasisPoints,
			},
			ExpiresOn: p.Params.ExpiresOn, AppliesTo: p.Params.AppliesTo,
		},
		Length: p.Length, Template: template, FileName: p.FileName,
	}
}

// recipientView is one recipient of a job: their code and their e-mail's state. Whether
// the code is written yet is the runs' business and is not shown.
type recipientView struct {
	Line       int       `json:"line"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Code       string    `json:"code"`
	Mail       string    `json:"mail"`
	MessageID  string    `json:"messageId,omitempty"`
	MailReason string    `json:"mailReason,omitempty"`
	MailAt     time.Time `json:"mailAt,omitzero"`
}

func viewRecipient(r issue.JobRecipient) recipientView {
	return recipientView{
		Line: r.Line, Email: r.Email, Name: r.Name, Code: r.Code, Mail: string(r.Mail),
		MessageID: r.MessageID, MailReason: r.MailReason, MailAt: r.MailAt,
	}
}

// viewRecipients is never null: a job without recipients yet lists none.
func viewRecipients(rs []issue.JobRecipient) []recipientView {
	out := make([]recipientView, len(rs))
	for i, r := range rs {
		out[i] = viewRecipient(r)
	}
	return out
}

// uploadView says where to put a recipients file: a presigned URL for any HTTP client, or
// the bucket and key for an S3 client.
type uploadView struct {
	Method    string    `json:"method"`
	URL       string    `json:"url"`
	Bucket    string    `json:"bucket"`
	Key       string    `json:"key"`
	ExpiresAt time.Time `json:"expiresAt"`
}

func viewUpload(u issue.Upload) uploadView {
	return uploadView{Method: u.Method, URL: u.URL, Bucket: u.Bucket, Key: u.Key, ExpiresAt: u.ExpiresAt}
}

// createdView is what a creation answers: the codes, and what they share once (10,000
// codes in full would not fit the 6 MB a Lambda may answer). With a recipient, the job of
// one that records the e-mail, and the recipient's mail state.
func createdView(out issue.Created) (map[string]any, error) {
	list := make([]string, len(out.Codes))
	for i, c := range out.Codes {
		list[i] = c.Code
	}
	raw, err := json.Marshal(promoview.NewRow(out.Codes[0], time.Now()))
	if err != nil {
		return nil, err
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, err
	}
	delete(body, "code")
	body["count"], body["codes"] = len(list), list
	if out.Job != nil {
		var mail *recipientView
		if out.Recipient != nil {
			v := viewRecipient(*out.Recipient)
			mail = &v
		}
		body["job"], body["mail"] = viewJob(*out.Job), mail
	}
	return body, nil
}
