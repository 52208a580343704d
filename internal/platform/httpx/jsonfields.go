package httpx

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// jsonField is a struct field as encoding/json decodes it: the JSON name that reaches it,
// its type (pointers removed), and how encoding/json names it in a type error (the Go
// names of the embedded structs it is promoted through, then its JSON name).
type jsonField struct {
	name  string
	typ   reflect.Type
	stack string
	index []int
}

var fieldCache sync.Map // reflect.Type -> []jsonField

// fieldFor returns the field of struct type t that encoding/json decodes key into: the
// field of that exact name, else the first whose name matches ignoring case.
func fieldFor(t reflect.Type, key string) (jsonField, bool) {
	fields := fieldsOf(t)
	for _, f := range fields {
		if f.name == key {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, key) {
			return f, true
		}
	}
	return jsonField{}, false
}

// fieldsOf lists the JSON fields of struct type t in declaration order, with encoding/json's
// rules: a tag names a field and "-" hides it, unexported fields are skipped, and the fields
// of an embedded struct without a tag are promoted unless a shallower field has their name
// (among fields of one depth, the only tagged one wins; with none or several, none does).
func fieldsOf(t reflect.Type) []jsonField {
	if cached, ok := fieldCache.Load(t); ok {
		return cached.([]jsonField)
	}
	type found struct {
		jsonField
		depth  int
		tagged bool
	}
	var all []found
	type level struct {
		typ   reflect.Type
		index []int
		stack []string
	}
	visited := map[reflect.Type]bool{}
	next := []level{{typ: t}}
	for depth := 0; len(next) > 0; depth++ {
		current := next
		next = nil
		for _, l := range current {
			if visited[l.typ] {
				continue
			}
			visited[l.typ] = true
			for i := 0; i < l.typ.NumField(); i++ {
				sf := l.typ.Field(i)
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.IsExported() && !(sf.Anonymous && ft.Kind() == reflect.Struct) {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				index := append(slices.Clone(l.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, level{typ: ft, index: index, stack: append(slices.Clone(l.stack), sf.Name)})
					continue
				}
				tagged := name != ""
				if !tagged {
					name = sf.Name
				}
				stack := strings.Join(append(slices.Clone(l.stack), name), ".")
				all = append(all, found{jsonField{name: name, typ: ft, stack: stack, index: index}, depth, tagged})
			}
		}
	}
	var fields []jsonField
	for _, f := range all {
		winner := true
		for _, g := range all {
			if g.name != f.name || slices.Equal(g.index, f.index) {
				continue
			}
			if g.depth < f.depth || g.depth == f.depth && (g.tagged || !f.tagged) {
				winner = false
				break
			}
		}
		if winner {
			fields = append(fields, f.jsonField)
		}
	}
	slices.SortStableFunc(fields, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })
	fieldCache.Store(t, fields)
	return fields
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodesItself reports whether values of t decode through their own method, so that what
// is inside them is theirs to judge.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(unmarshalerType) || p.Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || p.Implements(textUnmarshalerType)
}
