package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// addV()/addE() and the property() calls folded into them.
//
// As GraphTraversal.property() does, a property(key, value) that directly
// follows addV()/addE() (possibly after other property() steps) is folded
// into the add step, so that it is part of the element's creation: T.id and
// T.label may be given that way, a key given several times becomes several
// values, and keys and values may be traversals evaluated per traverser.
// Vertex properties are folded only without meta-properties and without an
// explicit cardinality (property(single, k, v) twice keeps the last value).

// foldedProp is one property() folded into an add step.
type foldedProp struct {
	key *argValue // a String, T token or traversal
	val *argValue
}

type addVStep struct {
	stepBase
	label *argValue // nil: the default label
	props []foldedProp
}

type addEStep struct {
	stepBase
	label    *argValue
	from, to *argValue
	props    []foldedProp
}

func (r *stepSet) addAddSteps() {
	r.register("addV", func(c *compiler, args []any) (step, error) {
		c.mutating = true
		s := &addVStep{}
		if len(args) > 1 {
			return nil, errorf("addV", "expected at most one argument, the label")
		}
		if len(args) == 1 && args[0] != nil {
			var err error
			if s.label, err = c.argValue("addV", args[0]); err != nil {
				return nil, err
			}
		}
		return s, nil
	})
	r.register("addE", func(c *compiler, args []any) (step, error) {
		c.mutating = true
		if len(args) != 1 {
			return nil, errorf("addE", "expected an edge label")
		}
		label, err := c.argValue("addE", args[0])
		if err != nil {
			return nil, err
		}
		return &addEStep{label: label}, nil
	})
}

// foldProperty folds property(args) into the add step at the end of steps
// (skipping property() steps), reporting whether it did.
func (c *compiler) foldProperty(steps []step, args []any) (bool, error) {
	card := ""
	if len(args) > 0 {
		if e, ok := enumArg(args[0], "Cardinality"); ok {
			card = e
			args = args[1:]
		}
	}
	if len(args) < 2 {
		return false, nil
	}
	i := len(steps) - 1
	for i >= 0 {
		if _, ok := steps[i].(*propertyStep); !ok {
			break
		}
		i--
	}
	if i < 0 {
		return false, nil
	}
	var props *[]foldedProp
	switch s := steps[i].(type) {
	case *addVStep:
		if len(args) != 2 || card != "" {
			return false, nil
		}
		props = &s.props
	case *addEStep:
		if len(args) != 2 {
			return false, nil
		}
		props = &s.props
	default:
		return false, nil
	}
	key, err := c.argValue("property", args[0])
	if err != nil {
		return false, err
	}
	if key.trav == nil {
		switch k := key.v.(type) {
		case string:
		case value.Enum:
			if k.Type != "T" || (k.Name != "id" && k.Name != "label") {
				return false, errorf("property", "the key must be a String, T.id or T.label, got %s.%s", k.Type, k.Name)
			}
		default:
			return false, errorf("property", "the property key must be a String, got %s", typeName(key.v))
		}
	}
	val, err := c.argValue("property", args[1])
	if err != nil {
		return false, err
	}
	*props = append(*props, foldedProp{key: key, val: val})
	return true, nil
}

// creation is the id, label and properties an add step creates an element
// with.
type creation struct {
	id    any
	label string
	props []storage.KeyValue
}

func (x *exec) evalFolded(step string, props []foldedProp, t *trav, c *creation) {
	for _, p := range props {
		k, ok := x.argEval("property", p.key, t)
		if !ok {
			throwf("property", "The provided traverser does not map to a value for the property key")
		}
		v, ok := x.argEval("property", p.val, t)
		if !ok {
			throwf("property", "The provided traverser does not map to a value for the property %s", javaStr(k))
		}
		v = plainValue(v)
		switch key := k.(type) {
		case string:
			if err := validatePropertyKey("property", key); err != nil {
				throw(err)
			}
			c.props = append(c.props, storage.KeyValue{Key: key, Value: v})
		case value.Enum:
			if key.Type == "T" && key.Name == "id" {
				c.id = v
				continue
			}
			if key.Type == "T" && key.Name == "label" {
				l, isStr := v.(string)
				if !isStr {
					throwf(step, "T.label must be a String, got %s", typeName(v))
				}
				if err := validateLabel(step, l); err != nil {
					throw(err)
				}
				c.label = l
				continue
			}
			throwf("property", "the property key must be a String, T.id or T.label, got %s.%s", key.Type, key.Name)
		default:
			throwf("property", "the property key must be a String, got %s", typeName(k))
		}
	}
}

func (x *exec) addLabel(step string, a *argValue, t *trav, def string) string {
	if a == nil {
		return def
	}
	v, ok := x.argEval(step, a, t)
	if !ok || v == nil {
		if a.trav != nil {
			throwf(step, "the label traversal produced no value")
		}
		return def
	}
	s, isStr := v.(string)
	if !isStr {
		throwf(step, "the label must be a String, got %s", typeName(v))
	}
	if err := validateLabel(step, s); err != nil {
		throw(err)
	}
	return s
}

func (s *addVStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		c := &creation{label: x.addLabel("addV", s.label, t, "vertex")}
		x.evalFolded("addV", s.props, t, c)
		v, err := x.tx.AddVertex(c.id, c.label, x.partitionProps(c.props))
		if err != nil {
			throw(err)
		}
		return v, true
	}}
	return m.open(x, in)
}

func (s *addEStep) addFromTo(c *compiler, from bool, a any) error {
	av, err := c.argValue("addE", a)
	if err != nil {
		return err
	}
	if l, ok := a.(string); ok {
		c.needLabels = true
		av = &argValue{v: selectLabel(l)}
		// TinkerPop turns from(label) into a select(label) child: the
		// label is one the step reads from the path.
		m := c.stepMeta(s)
		m.scope = append(m.scope, l)
	}
	if from {
		s.from = av
	} else {
		s.to = av
	}
	return nil
}

type selectLabel string

// endpoint resolves the from()/to() vertex of addE(label); without the
// modulator it is the incoming traverser.
func (x *exec) endpoint(label, side string, a *argValue, t *trav) *value.Vertex {
	var v any
	if a == nil {
		v = t.val
		if isRoot(t) {
			v = nil
		}
	} else if l, ok := a.v.(selectLabel); ok {
		var found bool
		v, found = x.scopeValue(t, "last", string(l), true)
		if !found {
			throwf("addE", "The provided key %q does not exist in the path for addE(%s).%s()", string(l), label, side)
		}
	} else {
		var ok bool
		v, ok = x.argEval("addE", a, t)
		if !ok {
			throwf("addE", "addE(%s) failed because the %s() traversal (which should give a Vertex) produced no value", label, side)
		}
	}
	if v == nil {
		throwf("addE", "The value given to addE(%s).%s() must resolve to a Vertex or the ID of a Vertex present in the graph, but null was specified instead", label, side)
	}
	id := v
	switch vx := v.(type) {
	case *value.Vertex:
		id = vx.ID
	case *value.Edge, *value.VertexProperty, *value.Property, *value.Map, []any:
		id = nil
	}
	if id != nil {
		vs, err := x.tx.Vertices([]any{id})
		if err != nil && !isNotFound(err) {
			throw(err)
		}
		if len(vs) > 0 {
			return vs[0]
		}
	}
	throwf("addE", "The value given to addE(%s).%s() must resolve to a Vertex or the ID of a Vertex present in the graph. The provided value does not match any vertices in the graph", label, side)
	return nil
}

func (s *addEStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		c := &creation{label: x.addLabel("addE", s.label, t, "edge")}
		from := x.endpoint(c.label, "from", s.from, t)
		to := x.endpoint(c.label, "to", s.to, t)
		x.evalFolded("addE", s.props, t, c)
		e, err := x.tx.AddEdge(c.id, c.label, from.ID, to.ID, x.partitionProps(c.props))
		if err != nil {
			throw(err)
		}
		return e, true
	}}
	return m.open(x, in)
}
