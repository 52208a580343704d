// Package localenv is what the template's functions are given when they run outside AWS
// (under `make run` and in tests): local values for the template's references and pseudo
// parameters, the provider stand-ins in place of PayPal's, Payflow's and WorldPay's hosts,
// and the credentials the stand-ins accept.
package localenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// StackName stands in for AWS::StackName.
const StackName = "boxoffice-local"

// PayPalPlatform is the platform's PayPal API credentials locally: the PayPal stand-in
// accepts these and nothing else.
var PayPalPlatform = paypal.Credentials{
	UserID: "platform_api1.boxoffice.local", Password: "local-platform-password",
	Signature: "local-platform-signature", AppID: "APP-LOCAL-BOXOFFICE",
}

// Refs returns the local value of every template reference: the resources' local names
// plus the pseudo parameters.
func Refs(resources map[string]string) map[string]string {
	refs := maps.Clone(resources)
	if refs == nil {
		refs = map[string]string{}
	}
	refs["AWS::StackName"] = StackName
	refs["AWS::Region"] = "us-east-1"
	refs["AWS::AccountId"] = "000000000000"
	refs["AWS::Partition"] = "aws"
	return refs
}

// BucketName is the local name of a template bucket: UploadsBucket is "uploads".
func BucketName(logicalID string) string {
	return strings.ToLower(strings.TrimSuffix(logicalID, "Bucket"))
}

// Resources names the template's resources locally: tables as given (each environment
// creates its own), buckets by BucketName (and so the attribute a bucket's name is taken
// from, when the template computes it elsewhere).
func Resources(tpl *template.Template, tables map[string]string) map[string]string {
	out := maps.Clone(tables)
	if out == nil {
		out = map[string]string{}
	}
	for _, id := range tpl.Buckets() {
		out[id] = BucketName(id)
	}
	for id, attr := range tpl.BucketNameAttributes() {
		out[attr] = BucketName(id)
	}
	for _, id := range tpl.GeneratedSecrets() {
		out[id] = "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + StackName + "-" + id
	}
	return out
}

// dynamicSecret is a CloudFormation dynamic reference to a secret's value, which
// CloudFormation resolves at deploy time.
var dynamicSecret = regexp.MustCompile(`\{\{resolve:secretsmanager:([^:}]+(?::[^:}]+)*?):SecretString\}\}`)

// resolveDynamic gives each dynamic secret reference a local value of its own: stable for
// the secret, so that what it signs survives a restart, and never a real secret.
func resolveDynamic(v string) string {
	return dynamicSecret.ReplaceAllStringFunc(v, func(m string) string {
		sum := sha256.Sum256([]byte("boxoffice local value of " + dynamicSecret.FindStringSubmatch(m)[1]))
		return hex.EncodeToString(sum[:])
	})
}

// Env resolves a function's template environment locally: references to local resources,
// every provider's hosts replaced by its stand-in, and the API's public URL by the local
// gateway's.
func Env(fn template.Function, refs map[string]string, local StandIns) (map[string]string, error) {
	env, err := fn.ResolveEnv(refs)
	if err != nil {
		return nil, err
	}
	for k, v := range env {
		env[k] = resolveDynamic(v)
		if standIn, ok := standInVars[k]; ok && standIn(local) != "" {
			env[k] = standIn(local)
		}
	}
	if _, ok := env["API_URL"]; ok {
		env["API_URL"] = local.API
	}
	return env, nil
}

// PlatformSecretName is the name the template gives the PayPal platform secret by default.
func PlatformSecretName(tpl *template.Template) (string, error) {
	name, ok := tpl.ParameterDefault("PayPalPlatformSecretName")
	if !ok {
		return "", fmt.Errorf("the template has no PayPalPlatformSecretName parameter with a default")
	}
	return name, nil
}

// CreateSecretAPI is what seeding needs of Secrets Manager.
type CreateSecretAPI interface {
	CreateSecret(ctx context.Context, name, value, description string) error
}

// SeedPlatformSecret stores the local platform credentials under name, for both
// environments, unless the secret exists already.
func SeedPlatformSecret(ctx context.Context, api CreateSecretAPI, name string) error {
	raw, err := json.Marshal(map[provider.Env]paypal.Credentials{provider.Sandbox: PayPalPlatform, provider.Live: PayPalPlatform})
	if err != nil {
		return err
	}
	err = api.CreateSecret(ctx, name, string(raw), "")
	var refused smithy.APIError
	if err != nil && !(errors.As(err, &refused) && refused.ErrorCode() == "ResourceExistsException") {
		return fmt.Errorf("seed the PayPal platform secret: %w", err)
	}
	return nil
}
