// Package api holds openapi.yaml, the API's description; this test keeps it true.
package api_test

import (
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/boxofficehq/boxoffice/infra/template"
)

type operation struct {
	Security  *[]map[string][]string `yaml:"security"`
	Responses map[string]any         `yaml:"responses"`
}

// TestOpenAPIMatchesTheTemplate: openapi.yaml describes exactly the routes template.yaml
// gives the functions, the public ones (and only those) without the JWT, each with its
// answers.
func TestOpenAPIMatchesTheTemplate(t *testing.T) {
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                          `yaml:"openapi"`
		Paths   map[string]map[string]operation `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	tpl, err := template.LoadNearest()
	if err != nil {
		t.Fatal(err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	public := map[string]bool{}
	var want []string
	for _, fn := range fns {
		for _, r := range fn.Routes {
			route := r.Method + " " + r.Path
			want = append(want, route)
			public[route] = r.Public
		}
	}
	var got []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			route := strings.ToUpper(method) + " " + path
			got = append(got, route)
			isPublic := op.Security != nil && len(*op.Security) == 0
			if isPublic != public[route] {
				t.Errorf("%s: public %t in openapi.yaml, %t in the template", route, isPublic, public[route])
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses described", route)
			}
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("routes differ:\n template: %v\n openapi:  %v", want, got)
	}
}

// TestThrottledRoutesDocument429: the routes that look promotion codes up (and so throttle
// guessing) describe the 429 and its Retry-After.
func TestThrottledRoutesDocument429(t *testing.T) {
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]operation `yaml:"paths"`
		Components struct {
			Responses map[string]struct {
				Headers map[string]any `yaml:"headers"`
			} `yaml:"responses"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	for _, path := range []string{"/sites/{site}/checkout/quote", "/sites/{site}/checkout/orders"} {
		ref, _ := doc.Paths[path]["post"].Responses["429"].(map[string]any)
		name, ok := strings.CutPrefix(refOf(ref["$ref"]), "#/components/responses/")
		if !ok {
			t.Errorf("POST %s: no 429 response: %v", path, ref)
			continue
		}
		if _, ok := doc.Components.Responses[name].Headers["Retry-After"]; !ok {
			t.Errorf("POST %s: the 429 (%s) has no Retry-After header", path, name)
		}
	}
}

// refOf is a $ref value, "" when it is none.
func refOf(v any) string { s, _ := v.(string); return s }
