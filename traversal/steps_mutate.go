package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// argValue is a step argument that may be a constant or a traversal
// evaluated per traverser.
type argValue struct {
	v    any
	trav *pipeline
}

func (c *compiler) argValue(step string, a any) (*argValue, error) {
	if isTraversal(a) {
		p, err := c.child(step, a)
		if err != nil {
			return nil, err
		}
		return &argValue{trav: p}, nil
	}
	return &argValue{v: a}, nil
}

func (x *exec) argEval(step string, a *argValue, t *trav) (any, bool) {
	if a == nil {
		return nil, false
	}
	if a.trav != nil {
		return x.evalFirst(a.trav, t)
	}
	return a.v, true
}

func (x *exec) partitionProps(props []storage.KeyValue) []storage.KeyValue {
	if p := x.src.partition; p != nil && p.write != "" {
		props = append(props, storage.KeyValue{Key: p.key, Value: p.write})
	}
	return props
}

func (r *stepSet) addMutateSteps() {
	r.register("property", func(c *compiler, args []any) (step, error) {
		c.mutating = true
		s := &propertyStep{card: -1}
		if len(args) > 0 {
			if e, ok := enumArg(args[0], "Cardinality"); ok {
				switch e {
				case "single":
					s.card = int(storage.Single)
				case "list":
					s.card = int(storage.List)
				case "set":
					s.card = int(storage.Set)
				}
				args = args[1:]
			}
		}
		if len(args) == 1 {
			m, ok := args[0].(*value.Map)
			if !ok {
				return nil, errorf("property", "expected a key and a value, or a Map")
			}
			s.mapArg = m
			return s, nil
		}
		if len(args) < 2 || len(args)%2 != 0 {
			return nil, errorf("property", "expected a key, a value and key/value pairs of meta-properties")
		}
		var err error
		if s.key, err = c.argValue("property", args[0]); err != nil {
			return nil, err
		}
		if s.val, err = c.argValue("property", args[1]); err != nil {
			return nil, err
		}
		for i := 2; i+1 < len(args); i += 2 {
			k, ok := args[i].(string)
			if !ok {
				return nil, errorf("property", "meta-property keys must be Strings, got %s", typeName(args[i]))
			}
			s.meta = append(s.meta, storage.KeyValue{Key: k, Value: args[i+1]})
		}
		return s, nil
	})
	r.register("drop", func(c *compiler, args []any) (step, error) {
		c.mutating = true
		return &filterStep{f: func(x *exec, t *trav) bool {
			var err error
			switch e := t.val.(type) {
			case *value.Vertex:
				err = x.tx.RemoveVertex(e.ID)
			case *value.Edge:
				err = x.tx.RemoveEdge(e.ID)
			case *value.VertexProperty:
				if e.Vertex == nil {
					throwf("drop", "the vertex property has no owner")
				}
				err = x.tx.RemoveVertexProperty(e.Vertex.ID, e.ID)
			case *value.Property:
				switch o := e.Element.(type) {
				case *value.Edge:
					err = x.tx.RemoveEdgeProperty(o.ID, e.Key)
				case *value.VertexProperty:
					if o.Vertex != nil {
						err = x.tx.RemoveMetaProperty(o.Vertex.ID, o.ID, e.Key)
					}
				}
			default:
				// drop() of a non-element is a no-op filter.
			}
			if err != nil && !isNotFound(err) {
				throw(err)
			}
			return false
		}}, nil
	})
	r.register("fail", func(c *compiler, args []any) (step, error) {
		msg := "fail() step triggered"
		if len(args) > 0 {
			if s, ok := args[0].(string); ok {
				msg = s
			}
		}
		return &filterStep{f: func(x *exec, t *trav) bool {
			throw(&Error{Step: "fail", Msg: msg})
			return false
		}}, nil
	})
}

func isNotFound(err error) bool {
	return err == storage.ErrVertexNotFound || err == storage.ErrEdgeNotFound
}

// propertyStep implements property([cardinality,] key, value, meta...).
type propertyStep struct {
	stepBase
	card   int
	key    *argValue
	val    *argValue
	meta   []storage.KeyValue
	mapArg *value.Map
}

func (s *propertyStep) open(x *exec, in iter) iter {
	f := &travStep{stepBase: s.stepBase, f: func(x *exec, t *trav) iter {
		if s.mapArg != nil {
			for _, e := range s.mapArg.Entries() {
				s.set(x, t, e.Key, e.Value, nil)
			}
		} else {
			k, ok := x.argEval("property", s.key, t)
			if !ok {
				throwf("property", "The provided traverser does not map to a value for the property key")
			}
			v, ok := x.argEval("property", s.val, t)
			if !ok {
				throwf("property", "The provided traverser does not map to a value")
			}
			s.set(x, t, k, v, s.meta)
		}
		// Elements are detached copies: continue with a reference so that
		// later steps read the updated properties.
		c := t.clone()
		switch e := t.val.(type) {
		case *value.Vertex:
			c.val = &value.Vertex{ID: e.ID, Label: e.Label}
		case *value.Edge:
			c.val = &value.Edge{ID: e.ID, Label: e.Label, OutV: e.OutV, InV: e.InV}
		}
		return sliceIter([]*trav{c})
	}}
	return f.open(x, in)
}

func (s *propertyStep) set(x *exec, t *trav, k, v any, meta []storage.KeyValue) {
	if tk, ok := tToken(k); ok {
		throwf("property", "T.%s cannot be set by property() on an existing element", tk)
	}
	key, ok := k.(string)
	if !ok {
		throwf("property", "the property key must be a String, got %s", typeName(k))
	}
	explicit := s.card
	if cv, ok := asCardValue(v); ok {
		explicit, v = int(cv.card), cv.v
	}
	var err error
	switch e := t.val.(type) {
	case *value.Vertex:
		if v == nil {
			for _, vp := range x.vprops(e, []string{key}) {
				if err := x.tx.RemoveVertexProperty(e.ID, vp.ID); err != nil {
					throw(err)
				}
			}
			return
		}
		card := storage.Single
		if explicit >= 0 {
			card = storage.Cardinality(explicit)
		}
		if p := x.src.partition; p != nil && p.metaProp && p.write != "" {
			meta = append(append([]storage.KeyValue{}, meta...), storage.KeyValue{Key: p.key, Value: p.write})
		}
		if its, ok := v.([]any); ok && card != storage.Single {
			for _, it := range its {
				if _, err = x.tx.SetVertexProperty(e.ID, card, nil, key, it, meta); err != nil {
					throw(err)
				}
			}
			return
		}
		_, err = x.tx.SetVertexProperty(e.ID, card, nil, key, v, meta)
	case *value.Edge:
		if explicit >= 0 && explicit != int(storage.Single) {
			throwf("property", "Edge properties do not have multiple values, so cardinality %s is not supported", cardName(explicit))
		}
		if v == nil {
			err = x.tx.RemoveEdgeProperty(e.ID, key)
		} else {
			_, err = x.tx.SetEdgeProperty(e.ID, key, v)
		}
	case *value.VertexProperty:
		if e.Vertex == nil {
			throwf("property", "the vertex property has no owner")
		}
		if v == nil {
			err = x.tx.RemoveMetaProperty(e.Vertex.ID, e.ID, key)
		} else {
			_, err = x.tx.SetMetaProperty(e.Vertex.ID, e.ID, key, v)
		}
	default:
		throwf("property", "expected an Element but got %s", typeName(t.val))
	}
	if err != nil {
		throw(err)
	}
}

func cardName(c int) string {
	switch storage.Cardinality(c) {
	case storage.List:
		return "list"
	case storage.Set:
		return "set"
	}
	return "single"
}
