package coldstart

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

func envMap(t *testing.T, env []string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("%q is not NAME=value", kv)
		}
		m[k] = v
	}
	return m
}

// Each function gets what its config reads, resolved (no template marker left), and only
// the yardsticks go without the template's variables.
func TestEnvSatisfiesEveryFunctionsConfig(t *testing.T) {
	tpl, err := template.LoadNearest()
	if err != nil {
		t.Fatal(err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	for i, fn := range fns {
		env, err := Env(tpl, &fns[i], home)
		if err != nil {
			t.Fatal(err)
		}
		m := envMap(t, env)
		for _, k := range []string{"AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
			if m[k] == "" {
				t.Errorf("%s: no %s", fn.Name, k)
			}
		}
		if m["AWS_LAMBDA_FUNCTION_NAME"] != fn.Name {
			t.Errorf("%s: AWS_LAMBDA_FUNCTION_NAME = %q", fn.Name, m["AWS_LAMBDA_FUNCTION_NAME"])
		}
		for k, v := range m {
			if strings.Contains(v, "${") {
				t.Errorf("%s: %s=%s is unresolved", fn.Name, k, v)
			}
		}
		f, ok := registry.ByName(fn.Name)
		if !ok {
			t.Fatalf("the registry has no %s", fn.Name)
		}
		for _, v := range lambdaapp.EnvVars(f.Config) {
			if strings.TrimSpace(m[v.Name]) == "" {
				t.Errorf("%s: its config reads %s, which the benchmark does not set", fn.Name, v.Name)
			}
		}
	}
	env, err := Env(tpl, nil, home)
	if err != nil {
		t.Fatal(err)
	}
	for k := range envMap(t, env) {
		if k == "PROMO_TABLE" || k == "SITES_TABLE" {
			t.Errorf("the yardsticks got %s", k)
		}
	}
}
