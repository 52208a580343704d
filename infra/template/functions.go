package template

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Function is one AWS::Serverless::Function as the template declares it.
type Function struct {
	LogicalID string
	// Name is the function's directory under functions/: the logical ID without its
	// "Function" suffix, in kebab case (PromoCreateFunction is promo-create).
	Name        string
	BuildMethod string
	Env         map[string]string
	Routes      []Route
	S3Events    []S3Event
	Statements  []Statement
}

// Route is an HTTP API route of a function.
type Route struct {
	Event  string
	Method string
	Path   string
	// Public routes have the authorizer switched off (Auth.Authorizer NONE): webhooks.
	Public bool
	// Scopes are the route's Auth.AuthorizationScopes: API Gateway refuses (403) a token
	// that carries none of them.
	Scopes []string
}

// Pattern returns the route as a Go 1.22 ServeMux pattern; greedy {proxy+} becomes {proxy...}.
func (r Route) Pattern() string {
	return r.Method + " " + strings.ReplaceAll(r.Path, "+}", "...}")
}

// S3Event is an S3 notification that invokes a function.
type S3Event struct {
	Event  string
	Bucket string
	Events []string
	Prefix string
	Suffix string
}

// Statement is one Allow statement of a function's inline policies.
type Statement struct {
	Actions   []string
	Resources []string
}

// Functions lists the template's functions, sorted by logical ID.
func (t *Template) Functions() ([]Function, error) {
	var out []Function
	for id, f := range t.cf.GetAllServerlessFunctionResources() {
		fn := Function{LogicalID: id, Name: FunctionDir(id), Env: map[string]string{}}
		if bm, ok := f.AWSCloudFormationMetadata["BuildMethod"].(string); ok {
			fn.BuildMethod = bm
		}
		if f.Environment != nil {
			for k, v := range f.Environment.Variables {
				fn.Env[k] = v
			}
		}
		for name, ev := range f.Events {
			switch {
			case ev.Properties == nil:
				return nil, fmt.Errorf("%s: event %s has no properties", id, name)
			case ev.Properties.HttpApiEvent != nil:
				h := ev.Properties.HttpApiEvent
				r := Route{Event: name}
				if h.Method != nil {
					r.Method = strings.ToUpper(*h.Method)
				}
				if h.Path != nil {
					r.Path = *h.Path
				}
				if h.Auth != nil && h.Auth.Authorizer != nil && *h.Auth.Authorizer == "NONE" {
					r.Public = true
				}
				if h.Auth != nil {
					r.Scopes = h.Auth.AuthorizationScopes
				}
				fn.Routes = append(fn.Routes, r)
			case ev.Properties.S3Event != nil:
				s := ev.Properties.S3Event
				e := S3Event{Event: name, Bucket: s.Bucket}
				if s.Events != nil {
					if s.Events.String != nil {
						e.Events = []string{*s.Events.String}
					}
					if s.Events.StringArray != nil {
						e.Events = *s.Events.StringArray
					}
				}
				if s.Filter != nil && s.Filter.S3Key != nil {
					for _, rule := range s.Filter.S3Key.Rules {
						switch strings.ToLower(rule.Name) {
						case "prefix":
							e.Prefix = rule.Value
						case "suffix":
							e.Suffix = rule.Value
						}
					}
				}
				fn.S3Events = append(fn.S3Events, e)
			}
		}
		sort.Slice(fn.Routes, func(i, j int) bool { return fn.Routes[i].Pattern() < fn.Routes[j].Pattern() })
		stmts, err := statements(f.Policies)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		fn.Statements = stmts
		out = append(out, fn)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out, nil
}

// FunctionDir turns a logical ID into the function's directory name.
func FunctionDir(logicalID string) string {
	base := strings.TrimSuffix(logicalID, "Function")
	var b strings.Builder
	for i, r := range base {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ResolveEnv returns a function's environment with each "${Ref:X}" replaced by refs[X], each
// "${GetAtt:X.Attr}" by refs["X.Attr"], and each "${Sub:...}" with its ${X} replaced the same way (refs holds pseudo parameters such
// as AWS::StackName too); a reference refs does not know is an error, so nothing runs
// half-configured.
func (f Function) ResolveEnv(refs map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(f.Env))
	for k, v := range f.Env {
		var unknown []string
		lookup := func(name string) string {
			val, known := refs[name]
			if !known {
				unknown = append(unknown, name)
			}
			return val
		}
		if target, ok := RefTarget(v); ok {
			v = lookup(target)
		} else if res, attr, ok := GetAttTarget(v); ok {
			v = lookup(res + "." + attr)
		} else if sub, ok := SubTarget(v); ok {
			v = subVar.ReplaceAllStringFunc(sub, func(m string) string { return lookup(m[2 : len(m)-1]) })
		}
		if len(unknown) > 0 {
			return nil, fmt.Errorf("%s: %s refers to %s, which has no local value", f.LogicalID, k, strings.Join(unknown, ", "))
		}
		out[k] = v
	}
	return out, nil
}

// subVar is a ${Name} reference inside an Fn::Sub string.
var subVar = regexp.MustCompile(`\$\{[A-Za-z0-9:.]+\}`)
