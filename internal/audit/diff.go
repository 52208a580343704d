package audit

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
)

// Diff lists the leaf fields that differ between two values of the same JSON-serialisable
// type, named by dotted JSON paths ("paymentPage.header"). Paths listed in secret are
// recorded as changed without their values.
func Diff(before, after any, secret ...string) []Change {
	b, a := flatten(before), flatten(after)
	keys := make(map[string]bool, len(b)+len(a))
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	paths := make([]string, 0, len(keys))
	for k := range keys {
		paths = append(paths, k)
	}
	sort.Strings(paths)
	var changes []Change
	for _, p := range paths {
		if reflect.DeepEqual(b[p], a[p]) {
			continue
		}
		if slices.Contains(secret, p) {
			changes = append(changes, Change{Field: p, Secret: true})
			continue
		}
		changes = append(changes, Change{Field: p, Before: b[p], After: a[p]})
	}
	return changes
}

// flatten turns v into a map from dotted JSON path to leaf value; arrays are leaves.
func flatten(v any) map[string]any {
	out := map[string]any{}
	if v == nil {
		return out
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return out
	}
	var generic any
	if json.Unmarshal(raw, &generic) != nil {
		return out
	}
	walk("", generic, out)
	return out
}

func walk(prefix string, v any, out map[string]any) {
	m, ok := v.(map[string]any)
	if !ok {
		out[prefix] = v
		return
	}
	for k, child := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		walk(p, child, out)
	}
}
