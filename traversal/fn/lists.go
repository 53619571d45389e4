package fn

import (
	"fmt"
	"strings"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// iterItems returns the items of an iterable Gremlin value: list, set,
// path or bulk set (expanded). Maps are not iterable, as in Java.
func iterItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case *value.Set:
		if x == nil {
			return nil, false
		}
		return x.Items(), true
	case *value.Path:
		if x == nil {
			return nil, false
		}
		return x.Objects, true
	case *value.BulkSet:
		if x == nil {
			return nil, false
		}
		var out []any
		for _, it := range x.Items {
			for n := int64(0); n < it.Bulk; n++ {
				out = append(out, it.Value)
			}
		}
		return out, true
	}
	return nil, false
}

// AsIterable returns the items of a list, set, path or bulk set; ok=false
// for anything else (including maps and nil). The engine can use it to
// check traversal arguments of the list steps before calling them.
func AsIterable(v any) ([]any, bool) { return iterItems(v) }

// listArgs validates the incoming value and argument of a list step.
func listArgs(step string, a, b any) ([]any, []any, error) {
	if a == nil {
		return nil, nil, fmt.Errorf("Incoming traverser for %s step can't be null", step)
	}
	x, ok := iterItems(a)
	if !ok {
		return nil, nil, fmt.Errorf("%s step can only take an array or an Iterable type for incoming traversers, encountered %s", step, gremlinTypeName(a))
	}
	y, err := listArg(step, b)
	return x, y, err
}

func listArg(step string, b any) ([]any, error) {
	if b == nil {
		return nil, fmt.Errorf("Argument provided for %s step can't be null", step)
	}
	y, ok := iterItems(b)
	if !ok {
		return nil, fmt.Errorf("%s step can only take an array or an Iterable as an argument, encountered %s", step, gremlinTypeName(b))
	}
	return y, nil
}

func combine(a, b any) (any, error) {
	x, y, err := listArgs("combine", a, b)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(x)+len(y))
	return append(append(out, x...), y...), nil
}

func merge(a, b any) (any, error) {
	if m, ok := a.(*value.Map); ok && m != nil {
		if b == nil {
			return nil, fmt.Errorf("Argument provided for merge step can't be null")
		}
		n, ok := b.(*value.Map)
		if !ok {
			return nil, fmt.Errorf("merge step expected provided argument to evaluate to a Map, encountered %s", gremlinTypeName(b))
		}
		out := value.NewMap()
		for _, e := range m.Entries() {
			out.Put(e.Key, e.Value)
		}
		for _, e := range n.Entries() {
			out.Put(e.Key, e.Value)
		}
		return out, nil
	}
	if _, ok := b.(*value.Map); ok && a != nil {
		if _, ok := iterItems(a); ok {
			return nil, fmt.Errorf("merge step type mismatch: expected argument to be Iterable but got Map")
		}
	}
	x, y, err := listArgs("merge", a, b)
	if err != nil {
		return nil, err
	}
	s := value.NewSet(x...)
	for _, it := range y {
		s.Add(it)
	}
	return s, nil
}

func product(a, b any) (any, error) {
	x, y, err := listArgs("product", a, b)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(x)*len(y))
	for _, i := range x {
		for _, j := range y {
			out = append(out, []any{i, j})
		}
	}
	return out, nil
}

func intersect(a, b any) (any, error) {
	x, y, err := listArgs("intersect", a, b)
	if err != nil {
		return nil, err
	}
	other := value.NewSet(y...)
	out := value.NewSet()
	for _, it := range x {
		if other.Contains(it) {
			out.Add(it)
		}
	}
	return out, nil
}

func difference(a, b any) (any, error) {
	x, y, err := listArgs("difference", a, b)
	if err != nil {
		return nil, err
	}
	other := value.NewSet(y...)
	out := value.NewSet()
	for _, it := range x {
		if !other.Contains(it) {
			out.Add(it)
		}
	}
	return out, nil
}

func disjunct(a, b any) (any, error) {
	x, y, err := listArgs("disjunct", a, b)
	if err != nil {
		return nil, err
	}
	sx, sy := value.NewSet(x...), value.NewSet(y...)
	out := value.NewSet()
	for _, it := range sx.Items() {
		if !sy.Contains(it) {
			out.Add(it)
		}
	}
	for _, it := range sy.Items() {
		if !sx.Contains(it) {
			out.Add(it)
		}
	}
	return out, nil
}

func conjoin(l any, d string) (any, error) {
	if l == nil {
		return nil, fmt.Errorf("Incoming traverser for conjoin step can't be null")
	}
	items, ok := iterItems(l)
	if !ok {
		return nil, fmt.Errorf("conjoin step can only take an array or an Iterable type for incoming traversers, encountered %s", gremlinTypeName(l))
	}
	var sb strings.Builder
	first := true
	for _, it := range items {
		if it == nil {
			continue
		}
		if !first {
			sb.WriteString(d)
		}
		first = false
		sb.WriteString(javaString(it))
	}
	return sb.String(), nil
}
