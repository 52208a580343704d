package registry_test

import (
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
	"github.com/boxofficehq/boxoffice/internal/platform/awssecrets"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/platform/s3object"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

func loadTemplate(t *testing.T) (*template.Template, []template.Function, string) {
	t.Helper()
	wd, _ := os.Getwd()
	path, err := template.Locate(wd)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Load(path)
	if err != nil {
		t.Fatalf("the template does not parse: %v", err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	if len(fns) == 0 {
		t.Fatal("the template declares no function")
	}
	return tpl, fns, filepath.Dir(path)
}

// TestFunctionsMatchPackages: every function the template declares has its functions/<name>
// package and a registry entry, and nothing exists that the template does not declare.
func TestFunctionsMatchPackages(t *testing.T) {
	_, fns, root := loadTemplate(t)
	declared := map[string]bool{}
	for _, fn := range fns {
		declared[fn.Name] = true
		if _, err := os.Stat(filepath.Join(root, "functions", fn.Name, "main.go")); err != nil {
			t.Errorf("%s: no package functions/%s: %v", fn.LogicalID, fn.Name, err)
		}
		if _, ok := registry.ByName(fn.Name); !ok {
			t.Errorf("%s: not in the registry", fn.LogicalID)
		}
		if fn.BuildMethod != "makefile" {
			t.Errorf("%s: Metadata.BuildMethod = %q, want makefile (so sam build uses our build flags)", fn.LogicalID, fn.BuildMethod)
		}
	}
	dirs, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && !declared[d.Name()] {
			t.Errorf("functions/%s is not declared in the template", d.Name())
		}
	}
	for _, f := range registry.Functions {
		if !declared[f.Name] {
			t.Errorf("registry function %s is not declared in the template", f.Name)
		}
	}
}

// TestMakefileBuildsEveryFunction: sam build calls `make build-<LogicalID>` for each function.
func TestMakefileBuildsEveryFunction(t *testing.T) {
	_, fns, root := loadTemplate(t)
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range fns {
		target := regexp.MustCompile(`(?m)^build-` + fn.LogicalID + `:|\bbuild-` + fn.LogicalID + `\b`)
		if !target.Match(mk) {
			t.Errorf("Makefile has no build-%s target for sam build", fn.LogicalID)
		}
	}
}

// TestEnvironmentIsComplete: every variable a function reads is set for it, and nothing is
// set that it does not read.
func TestEnvironmentIsComplete(t *testing.T) {
	_, fns, _ := loadTemplate(t)
	for fn, reg := range registered(fns) {
		reads := map[string]bool{}
		for _, v := range lambdaapp.EnvVars(reg.Config) {
			reads[v.Name] = true
			if _, set := fn.Env[v.Name]; !set {
				t.Errorf("%s reads %s, which the template does not set", fn.LogicalID, v.Name)
			}
		}
		for name := range fn.Env {
			if !reads[name] {
				t.Errorf("%s: the template sets %s, which the function does not read", fn.LogicalID, name)
			}
		}
	}
}

// tableOf returns the table a statement resource names: its ARN, or its indexes.
var indexArn = regexp.MustCompile(`^\$\{Sub:\$\{([A-Za-z0-9]+)\.Arn\}/index/\*\}$`)

func tableOf(resource string) (string, bool) {
	if res, attr, ok := template.GetAttTarget(resource); ok && attr == "Arn" {
		return res, true
	}
	if m := indexArn.FindStringSubmatch(resource); m != nil {
		return m[1], true
	}
	return "", false
}

// TestTablesLeastPrivilege: each function is granted on each table exactly the DynamoDB
// actions its code declares it performs there, and nothing on any other table.
func TestTablesLeastPrivilege(t *testing.T) {
	tpl, fns, _ := loadTemplate(t)
	isTable := map[string]bool{}
	for _, tb := range tpl.Tables() {
		isTable[tb.LogicalID] = true
	}
	for fn, reg := range registered(fns) {
		want := map[string][]string{}
		for _, v := range lambdaapp.EnvVars(reg.Config) {
			if v.DynamoDBActions == nil {
				continue
			}
			table, ok := template.RefTarget(fn.Env[v.Name])
			if !ok || !isTable[table] {
				t.Errorf("%s: %s = %q is not a !Ref to a table of the template", fn.LogicalID, v.Name, fn.Env[v.Name])
				continue
			}
			want[table] = append(want[table], v.DynamoDBActions...)
		}
		got := map[string][]string{}
		for _, st := range fn.Statements {
			for _, res := range st.Resources {
				table, ok := tableOf(res)
				if !ok {
					continue
				}
				for _, a := range st.Actions {
					if !strings.HasPrefix(a, "dynamodb:") || strings.Contains(a, "*") {
						t.Errorf("%s: action %q on %s: grant named DynamoDB actions only", fn.LogicalID, a, table)
					}
				}
				got[table] = append(got[table], st.Actions...)
			}
		}
		compareGrants(t, fn.LogicalID, want, got)
	}
}

// registered pairs each function of the template with its registry entry, skipping those
// without one (TestFunctionsMatchPackages reports them).
func registered(fns []template.Function) iter.Seq2[template.Function, registry.Function] {
	return func(yield func(template.Function, registry.Function) bool) {
		for _, fn := range fns {
			if reg, ok := registry.ByName(fn.Name); ok && !yield(fn, reg) {
				return
			}
		}
	}
}

// granted lists, per resource, the actions fn's statements grant of the services named by
// prefixes ("s3:"), reporting wildcard actions; with alone, also a statement that mixes
// them with other services' actions.
func granted(t *testing.T, fn template.Function, alone bool, prefixes ...string) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for _, st := range fn.Statements {
		var ours []string
		for _, a := range st.Actions {
			if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(a, p) }) {
				continue
			}
			ours = append(ours, a)
			if strings.Contains(a, "*") {
				t.Errorf("%s: wildcard action %q", fn.LogicalID, a)
			}
		}
		if ours == nil {
			continue
		}
		if alone && len(ours) != len(st.Actions) {
			t.Errorf("%s: a statement mixes %v with other actions: %v", fn.LogicalID, prefixes, st.Actions)
		}
		for _, res := range st.Resources {
			got[res] = append(got[res], ours...)
		}
	}
	return got
}

// compareGrants reports every resource on which the actions granted (got) are not exactly
// the actions needed (want).
func compareGrants(t *testing.T, fn string, want, got map[string][]string) {
	t.Helper()
	for res := range union(want, got) {
		w, g := normalize(want[res]), normalize(got[res])
		if !slices.Equal(w, g) {
			t.Errorf("%s on %s: granted %v, needs %v", fn, res, g, w)
		}
	}
}

func union(a, b map[string][]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func normalize(actions []string) []string {
	out := slices.Clone(actions)
	sort.Strings(out)
	return slices.Compact(out)
}

// offlineClients are clients of nothing: building a handler touches no AWS service.
func offlineClients(t *testing.T) registry.Clients {
	t.Helper()
	cfg := aws.Config{Region: "us-east-1", Credentials: aws.AnonymousCredentials{}}
	objects, err := s3object.New(cfg, s3object.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mail, err := sesmail.NewClient(cfg, sesmail.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	secrets, err := awssecrets.New(cfg, awssecrets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return registry.Clients{DynamoDB: dynamodb.NewFromConfig(cfg), SecretsManager: secrets, S3: objects, SES: mail}
}

// offlineEnv is a function's template environment with every resource named locally.
func offlineEnv(t *testing.T, tpl *template.Template, fn template.Function) lambdaapp.Lookup {
	t.Helper()
	tables := map[string]string{}
	for _, tb := range tpl.Tables() {
		tables[tb.LogicalID] = "offline-" + tb.LogicalID
	}
	env, err := localenv.Env(fn, localenv.Refs(localenv.Resources(tpl, tables)), localenv.StandIns{PayPal: "http://paypal.invalid", API: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	return lambdaapp.MapLookup(env)
}

// TestRoutesAgree: the HTTP routes the template declares for a function are exactly the
// routes its handler registers, with the same public/authorized split.
func TestRoutesAgree(t *testing.T) {
	tpl, fns, _ := loadTemplate(t)
	for _, fn := range fns {
		reg, ok := registry.ByName(fn.Name)
		if !ok || reg.HTTP == nil {
			if len(fn.Routes) > 0 {
				t.Errorf("%s has HTTP routes in the template but no HTTP handler", fn.LogicalID)
			}
			continue
		}
		rt, err := reg.HTTP(offlineEnv(t, tpl, fn), offlineClients(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		var code, want []string
		for _, r := range rt.Routes() {
			code = append(code, r.Pattern()+public(r.Public)+scopes([]string{r.Scope}))
		}
		for _, r := range fn.Routes {
			want = append(want, r.Pattern()+public(r.Public)+scopes(r.Scopes))
		}
		sort.Strings(code)
		sort.Strings(want)
		if !slices.Equal(code, want) {
			t.Errorf("%s routes differ:\n template: %v\n handler:  %v", fn.LogicalID, want, code)
		}
	}
}

// scopes marks a route with the scopes its token needs.
func scopes(s []string) string {
	s = slices.DeleteFunc(slices.Clone(s), func(x string) bool { return x == "" })
	if len(s) == 0 {
		return ""
	}
	return " (scopes " + strings.Join(s, " ") + ")"
}

// TestS3EventsReachAnS3Handler: a function the template starts from S3 has an S3 handler
// (and one that has a handler is started), its events are object creations in a bucket of
// the template, and its failed invocations go to an on-failure destination.
func TestS3EventsReachAnS3Handler(t *testing.T) {
	tpl, fns, _ := loadTemplate(t)
	buckets := map[string]bool{}
	for _, b := range tpl.Buckets() {
		buckets[b] = true
	}
	cfFns := tpl.CF().GetAllServerlessFunctionResources()
	started := 0
	for fn, reg := range registered(fns) {
		if (len(fn.S3Events) > 0) != (reg.S3 != nil) {
			t.Errorf("%s: %d S3 events in the template, S3 handler %t", fn.LogicalID, len(fn.S3Events), reg.S3 != nil)
			continue
		}
		if reg.S3 == nil {
			continue
		}
		started++
		for _, ev := range fn.S3Events {
			bucket, ok := template.RefTarget(ev.Bucket)
			if !ok || !buckets[bucket] {
				t.Errorf("%s: event %s on %q, not a bucket of the template", fn.LogicalID, ev.Event, ev.Bucket)
			}
			if !slices.Equal(ev.Events, []string{"s3:ObjectCreated:*"}) || ev.Prefix == "" {
				t.Errorf("%s: event %s = %v prefix %q; want object creations under a prefix", fn.LogicalID, ev.Event, ev.Events, ev.Prefix)
			}
		}
		if _, err := reg.S3(offlineEnv(t, tpl, fn), offlineClients(t), nil); err != nil {
			t.Errorf("%s: %v", fn.LogicalID, err)
		}
		eic := cfFns[fn.LogicalID].EventInvokeConfig
		if eic == nil || eic.DestinationConfig == nil || eic.DestinationConfig.OnFailure == nil || eic.DestinationConfig.OnFailure.Destination == "" {
			t.Errorf("%s: no on-failure destination for its asynchronous invocations", fn.LogicalID)
		}
	}
	if started == 0 {
		t.Error("no function is started by S3")
	}
}

// TestBucketAndIdentityLeastPrivilege: each function may perform on the uploads bucket
// exactly the S3 actions its code declares, on exactly the key patterns it declares, and
// send mail only as the SES identity its environment names.
func TestBucketAndIdentityLeastPrivilege(t *testing.T) {
	tpl, fns, _ := loadTemplate(t)
	const identity = "${Sub:arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${%s}}"
	for fn, reg := range registered(fns) {
		want := map[string][]string{}
		for _, v := range lambdaapp.EnvVars(reg.Config) {
			if v.S3Actions != nil {
				bucket, ok := tpl.BucketOf(fn.Env[v.Name])
				if !ok || len(v.S3Keys) == 0 {
					t.Errorf("%s: %s = %q with keys %v: want a bucket of the template (by !Ref or by its BucketName) and key patterns", fn.LogicalID, v.Name, fn.Env[v.Name], v.S3Keys)
					continue
				}
				for _, k := range v.S3Keys {
					res := tpl.ObjectsARN(bucket, k)
					want[res] = append(want[res], v.S3Actions...)
				}
			}
			if v.SESActions != nil {
				param, ok := parameterOf(tpl, fn.Env[v.Name])
				if !ok {
					t.Errorf("%s: %s = %q is not a template parameter", fn.LogicalID, v.Name, fn.Env[v.Name])
					continue
				}
				res := fmt.Sprintf(identity, param)
				want[res] = append(want[res], v.SESActions...)
			}
		}
		compareGrants(t, fn.LogicalID, want, granted(t, fn, false, "s3:", "ses:"))
	}
}

// parameterOf names the parameter whose default the template resolved value from.
func parameterOf(tpl *template.Template, value string) (string, bool) {
	for _, p := range tpl.Parameters() {
		if d, ok := tpl.ParameterDefault(p); ok && d == value {
			return p, true
		}
	}
	return "", false
}

func public(p bool) string {
	if p {
		return " (public)"
	}
	return ""
}

// TestEveryFunctionHasALogGroup: logs are kept for a bounded time, not forever.
func TestEveryFunctionHasALogGroup(t *testing.T) {
	tpl, fns, _ := loadTemplate(t)
	groups := map[string]bool{}
	for _, g := range tpl.CF().GetAllLogsLogGroupResources() {
		if g.LogGroupName != nil && g.RetentionInDays != nil {
			groups[*g.LogGroupName] = true
		}
	}
	for _, fn := range fns {
		if !groups["${Sub:/aws/lambda/${"+fn.LogicalID+"}}"] {
			t.Errorf("%s has no log group /aws/lambda/${%s} with a retention", fn.LogicalID, fn.LogicalID)
		}
	}
}

// TestHTTPAPIHasJWTAuthorizer: the API's default authorizer is a JWT authorizer whose issuer
// and audience are template parameters.
func TestHTTPAPIHasJWTAuthorizer(t *testing.T) {
	tpl, _, _ := loadTemplate(t)
	apis := tpl.CF().GetAllServerlessHttpApiResources()
	if len(apis) != 1 {
		t.Fatalf("want one HTTP API, have %d", len(apis))
	}
	for id, api := range apis {
		if api.Auth == nil || api.Auth.DefaultAuthorizer == nil {
			t.Fatalf("%s: no default authorizer", id)
		}
		def := *api.Auth.DefaultAuthorizer
		authorizers, _ := api.Auth.Authorizers.(map[string]any)
		a, _ := authorizers[def].(map[string]any)
		jwt, _ := a["JwtConfiguration"].(map[string]any)
		if def == "" || jwt == nil {
			t.Fatalf("%s: no default JWT authorizer: %v", id, api.Auth)
		}
		if jwt["issuer"] != "${Ref:JwtIssuer}" {
			t.Errorf("issuer = %v, want the JwtIssuer parameter", jwt["issuer"])
		}
		if aud, _ := jwt["audience"].([]any); len(aud) != 1 || aud[0] != "${Ref:JwtAudience}" {
			t.Errorf("audience = %v, want [the JwtAudience parameter]", jwt["audience"])
		}
	}
	params := tpl.Parameters()
	for _, p := range []string{"JwtIssuer", "JwtAudience"} {
		if !slices.Contains(params, p) {
			t.Errorf("parameter %s is missing", p)
		}
	}
}

// secretArn is the ARN pattern of the secrets named by a Secrets Manager variable: the
// secrets under a name prefix (a !Sub value), or one secret named by a parameter (whose
// ARN Secrets Manager suffixes with six random characters).
func secretArn(tpl *template.Template, value string) (string, bool) {
	const arn = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"
	if prefix, ok := template.SubTarget(value); ok && strings.HasSuffix(prefix, "/") {
		return "${Sub:" + arn + prefix + "*}", true
	}
	if p, ok := parameterOf(tpl, value); ok {
		return "${Sub:" + arn + "${" + p + "}-*}", true
	}
	return "", false
}

// TestSecretsLeastPrivilege: each function may perform on secrets exactly the Secrets
// Manager actions its code declares, and only on the secrets its variables name: provider
// secrets under the stack's own prefix, the platform secret by its parameter.
func TestSecretsLeastPrivilege(t *testing.T) {
	tpl, fns, _ := loadTemplate(t)
	for fn, reg := range registered(fns) {
		want := map[string][]string{}
		for _, v := range lambdaapp.EnvVars(reg.Config) {
			if v.SecretsManagerActions == nil {
				continue
			}
			res, ok := secretArn(tpl, fn.Env[v.Name])
			if !ok {
				t.Errorf("%s: %s = %q is neither a !Sub name prefix ending in / nor a parameter", fn.LogicalID, v.Name, fn.Env[v.Name])
				continue
			}
			want[res] = append(want[res], v.SecretsManagerActions...)
		}
		compareGrants(t, fn.LogicalID, want, granted(t, fn, true, "secretsmanager:"))
	}
}

// TestConsoleMayCallTheAPI: the browser console's origin (a parameter) may call the API and
// read the report's continuation header.
func TestConsoleMayCallTheAPI(t *testing.T) {
	tpl, _, _ := loadTemplate(t)
	origin, _ := tpl.ParameterDefault("ConsoleOrigin")
	for id, api := range tpl.CF().GetAllServerlessHttpApiResources() {
		if api.CorsConfiguration == nil || api.CorsConfiguration.CorsConfigurationObject == nil {
			t.Fatalf("%s: no CORS configuration", id)
		}
		cors := api.CorsConfiguration.CorsConfigurationObject
		if origin == "" || !slices.Equal(cors.AllowOrigins, []string{origin}) {
			t.Errorf("%s: allowed origins %v, want the ConsoleOrigin parameter", id, cors.AllowOrigins)
		}
		if !slices.Contains(cors.ExposeHeaders, "x-next-cursor") || !slices.Contains(cors.AllowHeaders, "authorization") ||
			!slices.Contains(cors.AllowHeaders, "idempotency-key") || !slices.Contains(cors.ExposeHeaders, "retry-after") {
			t.Errorf("%s: CORS %+v must allow the Authorization and Idempotency-Key headers and expose X-Next-Cursor and Retry-After", id, cors)
		}
	}
}
