// Package awssecrets is a small AWS Secrets Manager client for the calls Boxoffice makes:
// CreateSecret, GetSecretValue and DeleteSecret, over the JSON 1.1 protocol. It signs
// plain HTTP requests (internal/platform/awsrequest) instead of linking the SDK's client,
// and its refusals are the SDK's errors: a smithy.APIError with Secrets Manager's code
// (ResourceNotFoundException, ResourceExistsException, ...).
package awssecrets

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest"
)

var service = awsrequest.Service{ID: "Secrets Manager", SigningName: "secretsmanager", EndpointPrefix: "secretsmanager"}

// Options adjust a client.
type Options struct {
	// Endpoint replaces Secrets Manager's regional endpoint (a local stand-in's URL).
	Endpoint string
}

// Client calls Secrets Manager.
type Client struct {
	api *awsrequest.Client
}

// New returns a client configured by cfg (region, credentials, endpoint settings, HTTP
// client and retryer, as the SDK's client would use them) and opt.
func New(cfg aws.Config, opt Options) (*Client, error) {
	api, err := awsrequest.New(cfg, service, awsrequest.Options{Endpoint: opt.Endpoint})
	if err != nil {
		return nil, err
	}
	return &Client{api: api}, nil
}

// CreateSecret stores value as a new secret called name. Like the SDK, it sends a fresh
// idempotency token, the same in every retry: a retry of a call whose answer was lost finds
// its own secret rather than a conflict.
func (c *Client) CreateSecret(ctx context.Context, name, value, description string) error {
	in := map[string]string{"Name": name, "SecretString": value, "ClientRequestToken": newToken()}
	if description != "" {
		in["Description"] = description
	}
	return c.call(ctx, "CreateSecret", in, nil)
}

// SecretValue is a secret's current value.
type SecretValue struct {
	// String is the value of a secret that holds text; nil for one that holds bytes.
	String *string `json:"SecretString"`
}

// GetSecretValue reads the current value of the secret id (a name or an ARN).
func (c *Client) GetSecretValue(ctx context.Context, id string) (*SecretValue, error) {
	var out SecretValue
	if err := c.call(ctx, "GetSecretValue", map[string]string{"SecretId": id}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSecret removes the secret id at once (force), or schedules its removal after
// recoveryDays (7 to 30), until when it can be restored.
func (c *Client) DeleteSecret(ctx context.Context, id string, force bool, recoveryDays int) error {
	in := map[string]any{"SecretId": id}
	if force {
		in["ForceDeleteWithoutRecovery"] = true
	} else {
		in["RecoveryWindowInDays"] = recoveryDays
	}
	return c.call(ctx, "DeleteSecret", in, nil)
}

// call makes one operation: its input as JSON, its answer decoded into out (unless nil).
func (c *Client) call(ctx context.Context, operation string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	u := c.api.Endpoint()
	u.Path += "/"
	resp, err := c.api.Send(ctx, awsrequest.Request{
		Operation: operation, Method: http.MethodPost, URL: u, Body: body,
		Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {"secretsmanager." + operation}},
	})
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		// The answer may hold the secret: say only that it was not the JSON expected.
		return &smithy.OperationError{ServiceID: service.ID, OperationName: operation,
			Err: &smithy.DeserializationError{Err: fmt.Errorf("the answer is not the JSON object of %s", operation)}}
	}
	return nil
}

// newToken is a random UUID (version 4), the form Secrets Manager's tokens take.
func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
