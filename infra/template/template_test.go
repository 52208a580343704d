package template

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
	fn := Function{LogicalID: "F", Env: map[string]string{"T": "${Ref:Table}", "L": "literal", "S": "${Sub:app/${AWS::StackName}/x/${Table}}",
		"G": "${GetAtt:Name.Value}", "GS": "${Sub:arn:::${Name.Value}/k}"}}
	env, err := fn.ResolveEnv(map[string]string{"Table": "local-table", "AWS::StackName": "stack", "Name.Value": "bucket"})
	if err != nil || env["T"] != "local-table" || env["L"] != "literal" || env["S"] != "app/stack/x/local-table" ||
		env["G"] != "bucket" || env["GS"] != "arn:::bucket/k" {
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

// TestNoCircularDependency: CloudFormation refuses a stack whose resources depend on each
// other in a circle (an S3-evented bucket that its function refers to, for one).
func TestNoCircularDependency(t *testing.T) {
	tpl, err := LoadNearest()
	if err != nil {
		t.Fatal(err)
	}
	cycle, err := tpl.Cycle()
	if err != nil {
		t.Fatal(err)
	}
	if cycle != nil {
		t.Errorf("circular dependency: %s", strings.Join(cycle, " -> "))
	}
}

// TestCycleFollowsEveryKindOfReference: Ref, GetAtt, Sub and DependsOn are edges, and an
// S3 event makes its bucket depend on the function (not the function on the bucket).
func TestCycleFollowsEveryKindOfReference(t *testing.T) {
	cases := map[string]struct {
		resources string
		cycle     bool
	}{
		"s3 event alone": {`
  Bucket: {Type: AWS::S3::Bucket}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Up: {Type: S3, Properties: {Bucket: !Ref Bucket, Events: "s3:ObjectCreated:*"}}}`, false},
		"s3 event and env ref": {`
  Bucket: {Type: AWS::S3::Bucket}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment: {Variables: {B: !Ref Bucket}}
      Events: {Up: {Type: S3, Properties: {Bucket: !Ref Bucket, Events: "s3:ObjectCreated:*"}}}`, true},
		"getatt and sub": {`
  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt B.QueueName}}
  B: {Type: AWS::SQS::Queue, Properties: {QueueName: !Sub "x-${A.QueueName}"}}`, true},
		"depends on": {`
  A: {Type: AWS::SQS::Queue, DependsOn: B}
  B: {Type: AWS::SQS::Queue, DependsOn: [A]}`, true},
		"chain": {`
  A: {Type: AWS::SQS::Queue, DependsOn: B}
  B: {Type: AWS::SQS::Queue, Properties: {QueueName: !Sub "${C}"}}
  C: {Type: AWS::SQS::Queue}`, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), FileName)
			src := "Transform: AWS::Serverless-2016-10-31\nResources:" + c.resources + "\n"
			if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			tpl, err := Load(p)
			if err != nil {
				t.Fatal(err)
			}
			cycle, err := tpl.Cycle()
			if err != nil {
				t.Fatal(err)
			}
			if (cycle != nil) != c.cycle {
				t.Errorf("cycle %v, want one: %t", cycle, c.cycle)
			}
		})
	}
}
