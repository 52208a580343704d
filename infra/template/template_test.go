package template

import "testing"

func TestFunctionDir(t *testing.T) {
	for id, want := range map[string]string{
		"SettingsFunction":    "settings",
		"PromoCreateFunction": "promo-create",
		"WebhooksFunction":    "webhooks",
	} {
		if got := FunctionDir(id); got != want {
			t.Errorf("FunctionDir(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestMarkers(t *testing.T) {
	if x, ok := RefTarget("${Ref:SitesTable}"); !ok || x != "SitesTable" {
		t.Errorf("RefTarget = %q %v", x, ok)
	}
	if _, ok := RefTarget("SitesTable"); ok {
		t.Error("a literal is not a Ref")
	}
	if r, a, ok := GetAttTarget("${GetAtt:SitesTable.Arn}"); !ok || r != "SitesTable" || a != "Arn" {
		t.Errorf("GetAttTarget = %q %q %v", r, a, ok)
	}
}

func TestRoutePattern(t *testing.T) {
	if p := (Route{Method: "POST", Path: "/hooks/{proxy+}"}).Pattern(); p != "POST /hooks/{proxy...}" {
		t.Errorf("greedy pattern = %q", p)
	}
}

func TestResolveEnv(t *testing.T) {
	fn := Function{LogicalID: "F", Env: map[string]string{"T": "${Ref:Table}", "L": "literal", "S": "${Sub:app/${AWS::StackName}/x/${Table}}"}}
	env, err := fn.ResolveEnv(map[string]string{"Table": "local-table", "AWS::StackName": "stack"})
	if err != nil || env["T"] != "local-table" || env["L"] != "literal" || env["S"] != "app/stack/x/local-table" {
		t.Fatalf("env = %v, %v", env, err)
	}
	if _, err := fn.ResolveEnv(nil); err == nil {
		t.Fatal("an unresolvable reference must be an error")
	}
	if _, err := fn.ResolveEnv(map[string]string{"Table": "t"}); err == nil {
		t.Fatal("an unresolvable reference inside a Sub must be an error")
	}
}

func TestLoadNearestReadsTheRepositoryTemplate(t *testing.T) {
	tpl, err := LoadNearest()
	if err != nil {
		t.Fatal(err)
	}
	tables := tpl.Tables()
	if len(tables) == 0 {
		t.Fatal("no tables")
	}
	in := tables[0].Create("x")
	if *in.TableName != "x" || len(in.KeySchema) == 0 || len(in.AttributeDefinitions) == 0 {
		t.Fatalf("create input = %+v", in)
	}
}
