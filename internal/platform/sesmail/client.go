package sesmail

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest"
)

var service = awsrequest.Service{ID: "SES", SigningName: "ses", EndpointPrefix: "email"}

// Email is one plain-text message to one recipient, as SendEmail sends it.
type Email struct {
	// From is the sender as SES takes it: a bare address or `"Name" <address>`.
	From, To, Subject, Body string
}

// ClientOptions adjust a Client.
type ClientOptions struct {
	// Endpoint replaces SES's regional endpoint (the SES emulator's URL).
	Endpoint string
}

// Client is SES's v1 SendEmail (the query protocol: a signed form POST, an XML answer),
// without the SDK's SES client and the megabyte it adds to a function.
type Client struct {
	api *awsrequest.Client
}

var _ SendEmailAPI = (*Client)(nil)

// NewClient returns a client configured by cfg (region, credentials, endpoint settings and
// HTTP client, as the SDK's client would use them) and opt. It makes one attempt per call:
// the Sender retries, under its sending rate.
func NewClient(cfg aws.Config, opt ClientOptions) (*Client, error) {
	api, err := awsrequest.New(cfg, service, awsrequest.Options{Endpoint: opt.Endpoint, Retryer: aws.NopRetryer{}})
	if err != nil {
		return nil, err
	}
	return &Client{api: api}, nil
}

// SendEmail sends e, its subject and body in UTF-8, and returns the message ID SES gave it.
// A refusal is the SDK's: a smithy.APIError with SES's code (Throttling, MessageRejected,
// ...) inside an error that carries the HTTP status.
func (c *Client) SendEmail(ctx context.Context, e Email) (string, error) {
	form := url.Values{
		"Action":                           {"SendEmail"},
		"Version":                          {"2010-12-01"},
		"Source":                           {e.From},
		"Destination.ToAddresses.member.1": {e.To},
		"Message.Subject.Data":             {e.Subject},
		"Message.Subject.Charset":          {"UTF-8"},
		"Message.Body.Text.Data":           {e.Body},
		"Message.Body.Text.Charset":        {"UTF-8"},
	}
	u := c.api.Endpoint()
	u.Path += "/"
	resp, err := c.api.Send(ctx, awsrequest.Request{
		Operation: "SendEmail", Method: http.MethodPost, URL: u,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   []byte(form.Encode()),
	})
	if err != nil {
		return "", err
	}
	var out struct {
		MessageID string `xml:"SendEmailResult>MessageId"`
	}
	if err := xml.Unmarshal(resp.Body, &out); err != nil {
		return "", &smithy.OperationError{ServiceID: service.ID, OperationName: "SendEmail", Err: &smithy.DeserializationError{Err: err}}
	}
	return out.MessageID, nil
}
