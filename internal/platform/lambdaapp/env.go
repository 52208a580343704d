// Package lambdaapp wires functions: typed configuration read from the environment once, the AWS
// clients, and the handler lambda.Start receives. Each function's wiring lives in a
// subpackage so that main, the local server and the tests build the very same handler.
package lambdaapp

import (
	"fmt"
	"reflect"
	"strings"
)

// Lookup reads one environment variable (os.LookupEnv, or a map in tests and locally).
type Lookup func(string) (string, bool)

// MapLookup looks variables up in m.
func MapLookup(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// EnvVar describes one variable a function's config reads: its name and the actions the
// function performs on what it names (the template must grant exactly those): DynamoDB
// actions on a table, Secrets Manager actions on a secret or on the secrets under a prefix.
type EnvVar struct {
	Name                  string
	DynamoDBActions       []string
	SecretsManagerActions []string
	// S3Actions are performed on the objects of the bucket named, under S3Keys (key
	// patterns such as "imports/*").
	S3Actions []string
	S3Keys    []string
	// SESActions are performed as the SES identity named.
	SESActions []string
}

// EnvVars lists the variables a config struct reads, from its `env` tags and the tags of
// the actions performed: `dynamodb`, `secretsmanager`, `s3` (with `s3keys`), `ses`.
func EnvVars(cfg any) []EnvVar {
	t := reflect.TypeOf(cfg)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []EnvVar
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _ := envTag(f)
		if name == "" {
			continue
		}
		out = append(out, EnvVar{
			Name:                  name,
			DynamoDBActions:       actions("dynamodb", f.Tag.Get("dynamodb")),
			SecretsManagerActions: actions("secretsmanager", f.Tag.Get("secretsmanager")),
			S3Actions:             actions("s3", f.Tag.Get("s3")),
			S3Keys:                list(f.Tag.Get("s3keys")),
			SESActions:            actions("ses", f.Tag.Get("ses")),
		})
	}
	return out
}

// LoadEnv fills the string fields of the struct dst points to from their `env` tags. Every
// variable is required, so a function does not start half-configured, but one tagged
// `env:"NAME,optional"`: the template sets it, possibly empty, and the function says what it
// cannot do without it.
func LoadEnv(dst any, lookup Lookup) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("LoadEnv: want a pointer to a struct, got %T", dst)
	}
	v = v.Elem()
	var missing []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		name, optional := envTag(f)
		if name == "" {
			continue
		}
		if f.Type.Kind() != reflect.String {
			return fmt.Errorf("LoadEnv: field %s must be a string", f.Name)
		}
		val, ok := lookup(name)
		if !ok || strings.TrimSpace(val) == "" {
			if !optional {
				missing = append(missing, name)
			}
			continue
		}
		v.Field(i).SetString(val)
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing environment variables: %s", strings.Join(missing, ", "))
	}
	return nil
}

// envTag reads a field's `env` tag: the variable's name, and whether it is optional.
func envTag(f reflect.StructField) (name string, optional bool) {
	name, opts, _ := strings.Cut(f.Tag.Get("env"), ",")
	return name, opts == "optional"
}

// actions turns a tag "GetItem,PutItem" into IAM actions "service:GetItem", "service:PutItem".
func actions(service, tag string) []string {
	var out []string
	for _, a := range list(tag) {
		out = append(out, service+":"+a)
	}
	return out
}

// list splits a comma-separated tag.
func list(tag string) []string {
	if tag == "" {
		return nil
	}
	var out []string
	for _, a := range strings.Split(tag, ",") {
		out = append(out, strings.TrimSpace(a))
	}
	return out
}
