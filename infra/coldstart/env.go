package coldstart

import (
	"maps"
	"path/filepath"
	"slices"
	"sync"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	paypalstandin "github.com/boxofficehq/boxoffice/infra/paypal"
	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/payments/paypal"
)

// paypalCA is a PayPal stand-in's CA, which the webhooks function reads at init to trust
// for REST webhook signatures, as it does locally.
var paypalCA = sync.OnceValues(func() ([]byte, error) { return paypalstandin.NewServer(paypal.Credentials{}).CACertPEM() })

// Env is the whole environment a function's process gets, nothing inherited: what Lambda
// sets (region, static credentials, the function's name), the variables the template gives
// the function resolved with local names (tables "coldstart-<LogicalID>", the PayPal hosts
// and the API's public URL an unused loopback address, a stand-in's CA as PayPal's webhook root: nothing is called during init), and, so that the AWS SDK
// reads no file and asks no metadata service, shared config files under home that do not
// exist. fn is nil for a binary the template does not declare (the empty function, the
// floor).
func Env(tpl *template.Template, fn *template.Function, home string) ([]string, error) {
	env := map[string]string{
		"AWS_REGION":                      "us-east-1",
		"AWS_DEFAULT_REGION":              "us-east-1",
		"AWS_ACCESS_KEY_ID":               "coldstart",
		"AWS_SECRET_ACCESS_KEY":           "coldstart",
		"AWS_SESSION_TOKEN":               "coldstart",
		"AWS_EC2_METADATA_DISABLED":       "true",
		"AWS_CONFIG_FILE":                 filepath.Join(home, "aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE":     filepath.Join(home, "aws-credentials"),
		"HOME":                            home,
		"TZ":                              ":UTC",
		"AWS_LAMBDA_FUNCTION_NAME":        "coldstart",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
	}
	if fn != nil {
		tables := map[string]string{}
		for _, t := range tpl.Tables() {
			tables[t.LogicalID] = "coldstart-" + t.LogicalID
		}
		ca, err := paypalCA()
		if err != nil {
			return nil, err
		}
		vars, err := localenv.Env(*fn, localenv.Refs(localenv.Resources(tpl, tables)), localenv.StandIns{PayPal: "http://127.0.0.1:9", API: "http://127.0.0.1:9", PayPalCA: string(ca)})
		if err != nil {
			return nil, err
		}
		maps.Copy(env, vars)
		env["AWS_LAMBDA_FUNCTION_NAME"] = fn.Name
	}
	out := make([]string, 0, len(env))
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out, nil
}
