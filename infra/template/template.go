// Package template reads the SAM template, the single source of truth for the functions,
// their environment, permissions and routes, and the table schemas. The local stack and the
// tests build what they run from it.
package template

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"
)

// FileName is the template's name at the repository root.
const FileName = "template.yaml"

// Template is a parsed SAM template.
type Template struct {
	cf *cloudformation.Template
}

// Load parses the template at path. Intrinsic functions are kept as markers, "${Ref:X}",
// "${GetAtt:X.Arn}", "${Sub:...}", so callers can tell what refers to what; a Ref to a
// parameter becomes its default value.
func Load(path string) (*Template, error) {
	cf, err := goformation.OpenWithOptions(path, &intrinsics.ProcessorOptions{
		IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
			"Ref":        refHandler,
			"Fn::GetAtt": markerHandler("GetAtt"),
			"Fn::Sub":    markerHandler("Sub"),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return &Template{cf: cf}, nil
}

// Locate finds template.yaml in dir or the nearest directory above it, so tests in any
// package find the repository's template.
func Locate(dir string) (string, error) {
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("template.yaml not found in any parent directory")
		}
		dir = parent
	}
}

// LoadNearest loads the template found by Locate from the working directory.
func LoadNearest() (*Template, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	p, err := Locate(wd)
	if err != nil {
		return nil, err
	}
	return Load(p)
}

func refHandler(_ string, input any, tpl any) any {
	name := fmt.Sprint(input)
	if m, ok := tpl.(map[string]any); ok {
		if params, ok := m["Parameters"].(map[string]any); ok {
			if p, ok := params[name].(map[string]any); ok {
				if d, ok := p["Default"]; ok {
					return d
				}
			}
		}
	}
	return "${Ref:" + name + "}"
}

func markerHandler(kind string) intrinsics.IntrinsicHandler {
	return func(_ string, input any, _ any) any {
		if parts, ok := input.([]any); ok && kind == "GetAtt" {
			strs := make([]string, len(parts))
			for i, p := range parts {
				strs[i] = fmt.Sprint(p)
			}
			input = strings.Join(strs, ".")
		}
		return "${" + kind + ":" + fmt.Sprint(input) + "}"
	}
}

// RefTarget returns X when v is exactly a "${Ref:X}" marker.
func RefTarget(v string) (string, bool) { return markerTarget(v, "Ref") }

// SubTarget returns the string S when v is exactly a "${Sub:S}" marker.
func SubTarget(v string) (string, bool) { return markerTarget(v, "Sub") }

// ParameterDefault returns the default of a parameter, if it has one.
func (t *Template) ParameterDefault(name string) (string, bool) {
	p, ok := t.cf.Parameters[name]
	if !ok || p.Default == nil {
		return "", false
	}
	return fmt.Sprint(p.Default), true
}

// GetAttTarget returns the resource X when v is exactly a "${GetAtt:X.Attr}" marker.
func GetAttTarget(v string) (resource, attr string, ok bool) {
	t, ok := markerTarget(v, "GetAtt")
	if !ok {
		return "", "", false
	}
	resource, attr, _ = strings.Cut(t, ".")
	return resource, attr, true
}

func markerTarget(v, kind string) (string, bool) {
	p := "${" + kind + ":"
	if !strings.HasPrefix(v, p) || !strings.HasSuffix(v, "}") {
		return "", false
	}
	return v[len(p) : len(v)-1], true
}

// Parameters lists the template's parameter names.
func (t *Template) Parameters() []string {
	names := make([]string, 0, len(t.cf.Parameters))
	for n := range t.cf.Parameters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Buckets lists the logical IDs of the template's S3 buckets, sorted.
func (t *Template) Buckets() []string {
	var ids []string
	for id := range t.cf.GetAllS3BucketResources() {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// BucketOf returns the bucket an environment value names: a !Ref to it, or the very
// expression its BucketName is given by (a bucket that S3 events start a function from
// must be named without referring to it, or the stack has a circular dependency).
func (t *Template) BucketOf(v string) (string, bool) {
	for id, b := range t.cf.GetAllS3BucketResources() {
		if ref, ok := RefTarget(v); ok && ref == id {
			return id, true
		}
		if b.BucketName != nil && *b.BucketName == v {
			return id, true
		}
	}
	return "", false
}

// ObjectsARN returns the template's expression for the ARN of the keys matching pattern in
// a bucket: built on the expression of its BucketName when it has one, on its Arn if not.
func (t *Template) ObjectsARN(bucket, pattern string) string {
	b, ok := t.cf.GetAllS3BucketResources()[bucket]
	if ok && b.BucketName != nil {
		if res, attr, ok := GetAttTarget(*b.BucketName); ok {
			return "${Sub:arn:${AWS::Partition}:s3:::${" + res + "." + attr + "}/" + pattern + "}"
		}
	}
	return "${Sub:${" + bucket + ".Arn}/" + pattern + "}"
}

// BucketNameAttributes maps each bucket whose BucketName is another resource's attribute
// to that attribute ("X.Value"), the name under which ResolveEnv looks the bucket's name up.
func (t *Template) BucketNameAttributes() map[string]string {
	out := map[string]string{}
	for id, b := range t.cf.GetAllS3BucketResources() {
		if b.BucketName == nil {
			continue
		}
		if res, attr, ok := GetAttTarget(*b.BucketName); ok {
			out[id] = res + "." + attr
		}
	}
	return out
}

// GeneratedSecrets lists the logical IDs of the Secrets Manager secrets the template creates
// (such as the report's cursor key).
func (t *Template) GeneratedSecrets() []string {
	var ids []string
	for id := range t.cf.GetAllSecretsManagerSecretResources() {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// CF exposes the parsed template for checks that need more than this package offers.
func (t *Template) CF() *cloudformation.Template { return t.cf }
