package template

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
)

// Dependencies maps each resource to the resources CloudFormation must create before it: its
// Ref, GetAtt and Sub references and DependsOn, plus the edge SAM adds for an S3 event (the
// bucket's notifications wait for the invoke permission, so the bucket depends on the
// function; the event's own Ref to the bucket is no dependency of the function).
func (t *Template) Dependencies() (map[string][]string, error) {
	deps := map[string]map[string]bool{}
	add := func(from, to string) {
		if _, ok := t.cf.Resources[to]; !ok || from == to {
			return
		}
		if deps[from] == nil {
			deps[from] = map[string]bool{}
		}
		deps[from][to] = true
	}
	for id, res := range t.cf.Resources {
		raw, err := json.Marshal(res)
		if err != nil {
			return nil, err
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, err
		}
		if props, ok := doc["Properties"].(map[string]any); ok && doc["Type"] == "AWS::Serverless::Function" {
			delete(props, "Events")
		}
		walkStrings(doc, func(s string) {
			for _, target := range referencedResources(s) {
				add(id, target)
			}
		})
		switch d := doc["DependsOn"].(type) {
		case string:
			add(id, d)
		case []any:
			for _, x := range d {
				add(id, fmt.Sprint(x))
			}
		}
	}
	fns, err := t.Functions()
	if err != nil {
		return nil, err
	}
	for _, fn := range fns {
		for _, ev := range fn.S3Events {
			if bucket, ok := RefTarget(ev.Bucket); ok {
				add(bucket, fn.LogicalID)
			}
		}
	}
	out := make(map[string][]string, len(deps))
	for from, tos := range deps {
		for to := range tos {
			out[from] = append(out[from], to)
		}
		sort.Strings(out[from])
	}
	return out, nil
}

// Cycle returns a circular dependency among the resources (the first resource repeated at
// the end), or nil when there is none.
func (t *Template) Cycle() ([]string, error) {
	deps, err := t.Dependencies()
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(t.cf.Resources))
	for id := range t.cf.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	const (
		unvisited = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(id string) []string
	visit = func(id string) []string {
		state[id] = onPath
		path = append(path, id)
		for _, next := range deps[id] {
			switch state[next] {
			case onPath:
				for i, p := range path {
					if p == next {
						return append(append([]string{}, path[i:]...), next)
					}
				}
			case unvisited:
				if c := visit(next); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		state[id] = done
		return nil
	}
	for _, id := range ids {
		if state[id] == unvisited {
			if c := visit(id); c != nil {
				return c, nil
			}
		}
	}
	return nil, nil
}

func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, x := range v {
			walkStrings(x, f)
		}
	case map[string]any:
		for _, x := range v {
			walkStrings(x, f)
		}
	}
}

// marker is a "${Ref:X}", "${GetAtt:X.Attr}" or Sub's "${X}" / "${X.Attr}" reference.
var marker = regexp.MustCompile(`\$\{(?:(?:Ref|GetAtt):)?([A-Za-z0-9]+)[.}]`)

// referencedResources lists the names a string refers to (pseudo parameters such as
// ${AWS::Region} never match; the caller keeps only resources).
func referencedResources(s string) []string {
	var out []string
	for _, m := range marker.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
