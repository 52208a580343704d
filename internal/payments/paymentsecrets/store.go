// Package paymentsecrets keeps provider secrets in AWS Secrets Manager: each secret is one JSON
// object of values, under a name the caller chooses within its prefix.
package paymentsecrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
)

// API is the part of Secrets Manager the store needs.
type API interface {
	CreateSecret(ctx context.Context, name, value, description string) error
	GetSecretValueAPI
	DeleteSecret(ctx context.Context, id string, force bool, recoveryDays int) error
}

var _ API = (*awssecrets.Client)(nil)

// RecoveryDays is how long a retired secret can still be restored.
const RecoveryDays = 7

// Store is a setup.SecretStore over Secrets Manager, confined to names under prefix.
type Store struct {
	api    API
	prefix string
}

var _ setup.SecretStore = (*Store)(nil)

// NewStore returns a store for secrets named prefix + something.
func NewStore(api API, prefix string) (*Store, error) {
	if api == nil || prefix == "" {
		return nil, fmt.Errorf("secret store: a client and a name prefix are required")
	}
	return &Store{api: api, prefix: prefix}, nil
}

func (s *Store) check(name string) error {
	if !strings.HasPrefix(name, s.prefix) {
		return apperr.Internal(fmt.Errorf("secret %q is outside the prefix %q", name, s.prefix))
	}
	return nil
}

// Create stores values as a new secret. Errors never carry the values.
func (s *Store) Create(ctx context.Context, name string, values provider.Secrets) error {
	if err := s.check(name); err != nil {
		return err
	}
	raw, err := json.Marshal(map[provider.SecretName]string(values))
	if err != nil {
		return apperr.Internal(fmt.Errorf("encode secret %s", name))
	}
	err = s.api.CreateSecret(ctx, name, string(raw), "Boxoffice payment provider secret; written by the providers function")
	if err != nil {
		return apperr.Internal(fmt.Errorf("create secret %s: %w", name, err))
	}
	return nil
}

// Read returns a secret's values.
func (s *Store) Read(ctx context.Context, name string) (provider.Secrets, error) {
	return read(ctx, s.api, name)
}

func read(ctx context.Context, api GetSecretValueAPI, name string) (provider.Secrets, error) {
	raw, err := readString(ctx, api, name)
	if err != nil {
		return nil, err
	}
	var values map[provider.SecretName]string
	if err := decode(name, raw, &values); err != nil {
		return nil, err
	}
	return provider.Secrets(values), nil
}

func readString(ctx context.Context, api GetSecretValueAPI, name string) (string, error) {
	out, err := api.GetSecretValue(ctx, name)
	if gone(err) {
		return "", fmt.Errorf("read secret %s: %w (%w)", name, setup.ErrSecretGone, err)
	}
	if err != nil {
		return "", apperr.Internal(fmt.Errorf("read secret %s: %w", name, err))
	}
	if out.String == nil {
		return "", apperr.Internal(fmt.Errorf("secret %s has no string value", name))
	}
	return *out.String, nil
}

// decode reads a secret's JSON; the decoder's own message could quote the value, so the
// error says only which secret.
func decode(name, raw string, v any) error {
	if json.Unmarshal([]byte(raw), v) != nil {
		return apperr.Internal(fmt.Errorf("secret %s does not hold the JSON document expected", name))
	}
	return nil
}

// Delete removes a secret now (force) or after RecoveryDays. A secret already gone or
// already scheduled is not an error: deleting is retried after partial failures.
func (s *Store) Delete(ctx context.Context, name string, force bool) error {
	if err := s.check(name); err != nil {
		return err
	}
	err := s.api.DeleteSecret(ctx, name, force, RecoveryDays)
	if err == nil || gone(err) {
		return nil
	}
	return apperr.Internal(fmt.Errorf("delete secret %s: %w", name, err))
}

// gone reports whether Secrets Manager refused a call because the secret does not exist or
// is scheduled for deletion.
func gone(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	return api.ErrorCode() == "ResourceNotFoundException" ||
		api.ErrorCode() == "InvalidRequestException" && strings.Contains(api.ErrorMessage(), "deletion")
}
