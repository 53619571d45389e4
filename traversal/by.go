package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

const (
	byIdentity = iota
	byKey
	byT
	byTrav
	byColumn
)

// byMod is one by() modulator.
type byMod struct {
	kind  int
	key   string // property key, T token or Column name
	trav  *pipeline
	order string // asc, desc, shuffle ("" when not given)
	ordP  bool   // an order was given explicitly
}

func (c *compiler) parseBy(step string, args []any) (*byMod, error) {
	b := &byMod{}
	if len(args) == 0 {
		return b, nil
	}
	a := args[0]
	rest := args[1:]
	switch t := a.(type) {
	case string:
		b.kind, b.key = byKey, t
	case *value.Bytecode:
		p, err := c.pipeline(t, false)
		if err != nil {
			return nil, err
		}
		b.kind, b.trav = byTrav, p
	case value.Enum:
		switch t.Type {
		case "T":
			b.kind, b.key = byT, t.Name
		case "Column":
			b.kind, b.key = byColumn, t.Name
		case "Order":
			b.order, b.ordP = t.Name, true
		default:
			return nil, errorf(step, "by() does not accept %s.%s", t.Type, t.Name)
		}
	case nil:
		return nil, errorf(step, "by() does not accept null")
	default:
		return nil, errorf(step, "by() does not accept an argument of type %s", typeName(a))
	}
	if len(rest) > 0 {
		o, ok := enumArg(rest[0], "Order")
		if !ok {
			return nil, errorf(step, "the second by() argument must be an Order, got %s", typeName(rest[0]))
		}
		b.order, b.ordP = o, true
	}
	return b, nil
}

// applyBy evaluates the modulator for v. ok is false when the modulator
// is unproductive.
//
// A traversal modulator runs for a start made from t (its path, sack and
// loops, at bulk 1) when v is t's current object: TinkerPop applies such
// modulators to a split of the traverser (project(), order(), group(),
// dedup(), sack(), ... and math()'s "_"). When v comes from elsewhere (a
// path element, a selected label, a collection item, a property value),
// callers pass a nil t: TinkerPop then applies the modulator to the bare
// object (TraversalUtil.apply with a start object), which starts a fresh
// traverser whose path is just the object, whose sack is the initial one
// and which has no loops (see freshStart).
func (x *exec) applyBy(step string, b *byMod, v any, t *trav) (any, bool) {
	if b == nil {
		return v, true
	}
	r, ok := x.applyBy0(step, b, v, t)
	if !ok && x.src.productiveBy {
		return nil, true
	}
	return r, ok
}

func (x *exec) applyBy0(step string, b *byMod, v any, t *trav) (any, bool) {
	switch b.kind {
	case byIdentity:
		return v, true
	case byKey:
		switch e := v.(type) {
		case *value.Vertex, *value.Edge, *value.VertexProperty:
			vals := x.propValues(e, b.key)
			if len(vals) == 0 {
				return nil, false
			}
			if len(vals) > 1 {
				throwf(step, "Multiple properties exist for the provided key, use Vertex.properties(%s)", b.key)
			}
			return vals[0], true
		case *value.Map:
			r, ok := e.Get(b.key)
			return r, ok
		}
		throwf(step, "The by(\"%s\") modulator can only be applied to a traverser that is an Element or a Map - it is being applied to [%s] a %s class instead",
			b.key, javaStr(v), javaClass(v))
	case byT:
		return tokenValue(step, b.key, v)
	case byColumn:
		return columnValue(step, b.key, v), true
	case byTrav:
		var st *trav
		if t != nil {
			st = subStart(t)
			st.val = v
		} else {
			st = x.freshStart(v)
		}
		it := b.trav.open(x, sliceIter([]*trav{st}))
		r := it.next()
		if r == nil {
			return nil, false
		}
		return r.val, true
	}
	return nil, false
}

func tokenValue(step, tok string, v any) (any, bool) {
	switch tok {
	case "id":
		if id, ok := elementID(v); ok {
			return id, true
		}
	case "label":
		if l, ok := elementLabel(v); ok {
			return l, true
		}
	case "key":
		switch p := v.(type) {
		case *value.VertexProperty:
			return p.Key, true
		case *value.Property:
			return p.Key, true
		}
	case "value":
		switch p := v.(type) {
		case *value.VertexProperty:
			return p.Value, true
		case *value.Property:
			return p.Value, true
		}
	}
	throwf(step, "T.%s cannot be applied to %s", tok, typeName(v))
	return nil, false
}

// mapEntry is a single key/value pair traversing on its own (unfold of a
// map, order(local) of a map).
type mapEntry struct {
	k, v any
}

func columnValue(step, col string, v any) any {
	switch m := v.(type) {
	case *value.Map:
		var out []any
		for _, e := range m.Entries() {
			if col == "keys" {
				out = append(out, e.Key)
			} else {
				out = append(out, e.Value)
			}
		}
		if col == "keys" {
			return value.NewSet(out...)
		}
		if out == nil {
			out = []any{}
		}
		return out
	case *mapEntry:
		if col == "keys" {
			return m.k
		}
		return m.v
	case *value.Path:
		if col == "keys" {
			var out []any
			for _, ls := range m.Labels {
				s := make([]any, len(ls))
				for i, l := range ls {
					s[i] = l
				}
				out = append(out, value.NewSet(s...))
			}
			return out
		}
		return append([]any{}, m.Objects...)
	}
	throwf(step, "Column.%s expects a Map, Map.Entry or Path but got %s", col, typeName(v))
	return nil
}

// javaClass names v's Java runtime class: typeName's name, except for
// lists and maps, whose classes (ArrayList, LinkedHashMap) Java's messages
// show rather than the Gremlin types.
func javaClass(v any) string {
	switch v.(type) {
	case []any:
		return "ArrayList"
	case *value.Map:
		return "LinkedHashMap"
	}
	return typeName(v)
}

func javaStr(v any) string {
	return fn.ToJavaString(v)
}

// PublicValue implements fn.Internal: a Map.Entry.
func (e *mapEntry) PublicValue() any { return value.MapEntry{Key: e.k, Value: e.v} }
