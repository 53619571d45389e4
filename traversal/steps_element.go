package traversal

import (
	"strings"

	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// testP evaluates a predicate, raising errors against step.
func testP(step string, p *value.P, v any) bool {
	if bs, ok := v.(*bulkSet); ok {
		v = bs.public()
	}
	ok, err := fn.TestP(p, v)
	if err != nil {
		throwf(step, "%v", err)
	}
	return ok
}

func eqP(v any) *value.P { return &value.P{Operator: "eq", Values: []any{v}} }

// toP turns a has()/is() argument into a predicate.
func toP(a any) *value.P {
	if p, ok := a.(*value.P); ok {
		return p
	}
	return eqP(a)
}

func withinP(vals []any) *value.P {
	if len(vals) == 1 {
		if p, ok := vals[0].(*value.P); ok {
			return p
		}
		return eqP(vals[0])
	}
	return &value.P{Operator: "within", Values: vals}
}

// hasCond is one has() container.
type hasCond struct {
	tkey string // "id", "label", "key", "value" for T tokens; "" for a property key
	key  string
	pred *value.P  // nil: existence only
	trav *pipeline // has(key, traversal): values(key) then the traversal
	// idString: an id test whose predicate values are all Strings compares
	// them with the id's String form (TinkerPop's HasContainer), so
	// hasId("1") matches the element whose id is the integer 1.
	idString bool
	never    bool // the condition can never hold (a null property key)
}

// stringIDTest reports whether an id predicate compares String forms:
// its value (or its non-empty collection of values) is a String or, in a
// collection, a String or null.
func stringIDTest(p *value.P) bool {
	if p == nil || p.Text {
		return false
	}
	switch p.Operator {
	case "and", "or", "not":
		return false
	}
	vals := p.Values
	if len(vals) == 1 {
		if l, ok := vals[0].([]any); ok {
			vals = l
		} else if st, ok := vals[0].(*value.Set); ok {
			vals = st.Items()
		} else {
			_, ok := vals[0].(string)
			return ok
		}
	}
	if len(vals) == 0 {
		return false
	}
	for _, v := range vals {
		if _, ok := v.(string); !ok && v != nil {
			return false
		}
	}
	return true
}

func (x *exec) testHas(step string, c *hasCond, v any) bool {
	if c.never {
		return false
	}
	switch c.tkey {
	case "id":
		id, ok := elementID(v)
		if !ok {
			return false
		}
		if c.idString {
			return testP(step, c.pred, fn.ToJavaString(id))
		}
		return testP(step, c.pred, id)
	case "label":
		l, ok := elementLabel(v)
		if !ok {
			return false
		}
		return testP(step, c.pred, l)
	case "key":
		switch p := v.(type) {
		case *value.VertexProperty:
			return testP(step, c.pred, p.Key)
		case *value.Property:
			return testP(step, c.pred, p.Key)
		}
		return false
	case "value":
		switch p := v.(type) {
		case *value.VertexProperty:
			return testP(step, c.pred, p.Value)
		case *value.Property:
			return testP(step, c.pred, p.Value)
		}
		return false
	}
	if !isElement(v) {
		return false
	}
	vals := x.propValues(v, c.key)
	if c.pred == nil {
		return len(vals) > 0
	}
	for _, pv := range vals {
		if testP(step, c.pred, pv) {
			return true
		}
	}
	return false
}

func tToken(a any) (string, bool) {
	return enumArg(a, "T")
}

func hasStep(c *compiler, name string, conds []*hasCond) step {
	for _, hc := range conds {
		hc.idString = hc.tkey == "id" && stringIDTest(hc.pred)
	}
	return &filterStep{stepBase: stepBase{name: name}, f: func(x *exec, t *trav) bool {
		for _, hc := range conds {
			if hc.trav != nil && hc.tkey == "" && !hc.never {
				// has(key, traversal) is filter(values(key).traversal)
				// in TinkerPop: the child starts from the element's
				// traverser and sees all of its values together.
				if !isElement(t.val) || !x.evalTest(hc.trav, t) {
					return false
				}
				continue
			}
			if !x.testHas(name, hc, t.val) {
				return false
			}
		}
		return true
	}}
}

func (r *stepSet) addElementSteps() {
	r.register("has", func(c *compiler, args []any) (step, error) {
		var conds []*hasCond
		keyCond := func(k any) (*hasCond, error) {
			if tk, ok := tToken(k); ok {
				return &hasCond{tkey: tk}, nil
			}
			if k == nil {
				// No property has a null key: has(null), has(null, v)
				// and has(label, null, v) filter everything out.
				return &hasCond{never: true}, nil
			}
			s, ok := k.(string)
			if !ok {
				return nil, errorf("has", "the property key must be a String or T, got %s", typeName(k))
			}
			return &hasCond{key: s}, nil
		}
		setVal := func(hc *hasCond, v any) error {
			if bc, ok := v.(*value.Bytecode); ok && hc.tkey == "" && !hc.never {
				// has(key, traversal) filters on values(key) followed
				// by the traversal (GraphTraversal.has).
				withValues := &value.Bytecode{Sources: bc.Sources,
					Steps: append([]value.Instruction{{Operator: "values", Args: []any{hc.key}}}, bc.Steps...)}
				p, err := c.child("has", withValues)
				if err != nil {
					return err
				}
				hc.trav = p
				return nil
			}
			if isTraversal(v) {
				p, err := c.child("has", v)
				if err != nil {
					return err
				}
				hc.trav = p
				return nil
			}
			hc.pred = toP(v)
			return nil
		}
		switch len(args) {
		case 1:
			hc, err := keyCond(args[0])
			if err != nil {
				return nil, err
			}
			if hc.tkey != "" {
				return nil, errorf("has", "has(T) is not supported, use has(T, value)")
			}
			conds = append(conds, hc)
		case 2:
			hc, err := keyCond(args[0])
			if err != nil {
				return nil, err
			}
			if err := setVal(hc, args[1]); err != nil {
				return nil, err
			}
			if hc.tkey != "" && hc.trav != nil {
				return nil, errorf("has", "has(T, traversal) is not supported")
			}
			conds = append(conds, hc)
		case 3:
			label, ok := args[0].(string)
			if !ok {
				return nil, errorf("has", "the label must be a String, got %s", typeName(args[0]))
			}
			conds = append(conds, &hasCond{tkey: "label", pred: eqP(label)})
			hc, err := keyCond(args[1])
			if err != nil {
				return nil, err
			}
			if err := setVal(hc, args[2]); err != nil {
				return nil, err
			}
			conds = append(conds, hc)
		default:
			return nil, errorf("has", "expected 1 to 3 arguments, got %d", len(args))
		}
		return hasStep(c, "has", conds), nil
	})
	r.register("hasLabel", func(c *compiler, args []any) (step, error) {
		if len(args) == 0 {
			return nil, errorf("hasLabel", "expected at least one label")
		}
		vals := flattenArgs(args)
		for _, v := range vals {
			switch v.(type) {
			case string, *value.P:
			case nil:
			default:
				return nil, errorf("hasLabel", "labels must be Strings or a P, got %s", typeName(v))
			}
		}
		return hasStep(c, "hasLabel", []*hasCond{{tkey: "label", pred: withinP(vals)}}), nil
	})
	r.register("hasId", func(c *compiler, args []any) (step, error) {
		vals := flattenArgs(args)
		for i, v := range vals {
			if id, ok := elementID(v); ok {
				vals[i] = id
			}
		}
		if len(vals) == 0 {
			return &filterStep{f: func(*exec, *trav) bool { return false }}, nil
		}
		return hasStep(c, "hasId", []*hasCond{{tkey: "id", pred: withinP(vals)}}), nil
	})
	r.register("hasKey", func(c *compiler, args []any) (step, error) {
		vals := flattenArgs(args)
		return hasStep(c, "hasKey", []*hasCond{{tkey: "key", pred: withinP(vals)}}), nil
	})
	r.register("hasValue", func(c *compiler, args []any) (step, error) {
		vals := flattenArgs(args)
		return hasStep(c, "hasValue", []*hasCond{{tkey: "value", pred: withinP(vals)}}), nil
	})
	r.register("hasNot", func(c *compiler, args []any) (step, error) {
		k, err := argString("hasNot", args, 0)
		if err != nil {
			return nil, err
		}
		return &filterStep{f: func(x *exec, t *trav) bool {
			if !isElement(t.val) {
				return true
			}
			return len(x.propValues(t.val, k)) == 0
		}}, nil
	})

	r.register("properties", func(c *compiler, args []any) (step, error) {
		keys, err := argStrings("properties", args)
		if err != nil {
			return nil, err
		}
		return &flatMapStep{f: func(x *exec, t *trav) valIter {
			ps, ok := x.properties(t.val, keys)
			if !ok {
				throwf("properties", "expected an Element but got %s", typeName(t.val))
			}
			return sliceVals(ps)
		}}, nil
	})
	r.register("values", func(c *compiler, args []any) (step, error) {
		keys, err := argStrings("values", args)
		if err != nil {
			return nil, err
		}
		return &flatMapStep{f: func(x *exec, t *trav) valIter {
			if m, ok := t.val.(*value.Map); ok {
				var out []any
				for _, k := range keys {
					if v, ok := m.Get(k); ok {
						out = append(out, v)
					}
				}
				return sliceVals(out)
			}
			ps, ok := x.properties(t.val, keys)
			if !ok {
				throwf("values", "expected an Element but got %s", typeName(t.val))
			}
			for i, p := range ps {
				ps[i] = propValue(p)
			}
			return sliceVals(ps)
		}}, nil
	})
	r.register("id", func(c *compiler, args []any) (step, error) {
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			id, ok := elementID(t.val)
			if !ok {
				throwf("id", "expected an Element but got %s", typeName(t.val))
			}
			return id, true
		}}, nil
	})
	r.register("label", func(c *compiler, args []any) (step, error) {
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			if p, ok := t.val.(*value.Property); ok {
				return p.Key, true
			}
			l, ok := elementLabel(t.val)
			if !ok {
				throwf("label", "expected an Element but got %s", typeName(t.val))
			}
			return l, true
		}}, nil
	})
	r.register("key", func(c *compiler, args []any) (step, error) {
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			switch p := t.val.(type) {
			case *value.VertexProperty:
				return p.Key, true
			case *value.Property:
				return p.Key, true
			}
			throwf("key", "expected a Property but got %s", typeName(t.val))
			return nil, false
		}}, nil
	})
	r.register("value", func(c *compiler, args []any) (step, error) {
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			switch p := t.val.(type) {
			case *value.VertexProperty:
				return p.Value, true
			case *value.Property:
				return p.Value, true
			}
			throwf("value", "expected a Property but got %s", typeName(t.val))
			return nil, false
		}}, nil
	})
	r.register("valueMap", func(c *compiler, args []any) (step, error) {
		s := &propMapStep{kind: "valueMap"}
		for _, a := range args {
			if b, ok := a.(bool); ok {
				if b {
					s.tokens = tokAll
				}
				continue
			}
			if a == nil {
				continue // a null key names no property
			}
			k, ok := a.(string)
			if !ok {
				return nil, errorf("valueMap", "property keys must be Strings, got %s", typeName(a))
			}
			s.keys = append(s.keys, k)
		}
		return s, nil
	})
	r.register("propertyMap", func(c *compiler, args []any) (step, error) {
		keys, err := argStrings("propertyMap", args)
		if err != nil {
			return nil, err
		}
		return &propMapStep{kind: "propertyMap", keys: keys}, nil
	})
	r.register("elementMap", func(c *compiler, args []any) (step, error) {
		keys, err := argStrings("elementMap", args)
		if err != nil {
			return nil, err
		}
		return &propMapStep{kind: "elementMap", keys: keys, tokens: tokAll}, nil
	})
}

// flattenArgs expands list/set arguments.
func flattenArgs(args []any) []any {
	var out []any
	for _, a := range args {
		switch t := a.(type) {
		case []any:
			out = append(out, t...)
		case *value.Set:
			out = append(out, t.Items()...)
		default:
			out = append(out, a)
		}
	}
	return out
}

const (
	tokIDs    = 1
	tokLabels = 2
	tokKeys   = 4
	tokValues = 8
	tokAll    = 15
)

// propMapStep implements valueMap, propertyMap and elementMap.
type propMapStep struct {
	stepBase
	kind   string
	keys   []string
	tokens int
	bys    []*byMod
}

func (s *propMapStep) addBy(c *compiler, args []any) error {
	if len(s.bys) > 0 {
		return errorf(s.kind, "%s step can only have one by modulator", stepTitle(s.kind))
	}
	b, err := c.parseBy(s.kind, args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

func (s *propMapStep) addWith(c *compiler, key string, val any) error {
	if key == "~tinkerpop.valueMap.tokens" {
		// with(WithOptions.tokens) alone (true) means all tokens, false none.
		if b, isBool := val.(bool); isBool {
			s.tokens = 0
			if b {
				s.tokens = 1 | 2 | 4 | 8
			}
			return nil
		}
		n, ok := toInt64(val)
		if !ok {
			return errorf(s.kind, "with(tokens) expects an int, got %s", typeName(val))
		}
		s.tokens = int(n)
	}
	return nil
}

func tEnum(name string) value.Enum { return value.Enum{Type: "T", Name: name} }

func (s *propMapStep) open(x *exec, in iter) iter {
	ms := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) { return s.build(x, t), true }}
	return ms.open(x, in)
}

func (s *propMapStep) build(x *exec, t *trav) any {
	m := value.NewMap()
	el := t.val
	if !isElement(el) {
		throwf(s.kind, "expected an Element but got %s", typeName(el))
	}
	if s.tokens&tokIDs != 0 {
		id, _ := elementID(el)
		m.Put(tEnum("id"), id)
	}
	if s.tokens&tokLabels != 0 {
		switch e := el.(type) {
		case *value.VertexProperty:
			if s.kind != "elementMap" {
				m.Put(tEnum("key"), e.Key)
			} else {
				m.Put(tEnum("key"), e.Key)
			}
		default:
			l, _ := elementLabel(el)
			m.Put(tEnum("label"), l)
		}
	}
	if vp, ok := el.(*value.VertexProperty); ok && s.kind == "valueMap" {
		if s.tokens&tokKeys != 0 {
			m.Put(tEnum("key"), vp.Key)
		}
		if s.tokens&tokValues != 0 {
			m.Put(tEnum("value"), vp.Value)
		}
	}
	if e, ok := el.(*value.Edge); ok && s.kind == "elementMap" {
		for _, d := range []struct {
			name string
			v    *value.Vertex
		}{{"IN", e.InV}, {"OUT", e.OutV}} {
			vm := value.NewMap()
			vm.Put(tEnum("id"), d.v.ID)
			vm.Put(tEnum("label"), d.v.Label)
			m.Put(value.Enum{Type: "Direction", Name: d.name}, vm)
		}
	}
	ps, _ := x.properties(el, s.keys)
	_, isVertex := el.(*value.Vertex)
	bi := 0
	for _, p := range ps {
		var key string
		var val any
		switch pp := p.(type) {
		case *value.VertexProperty:
			key, val = pp.Key, pp.Value
		case *value.Property:
			key, val = pp.Key, pp.Value
		}
		switch s.kind {
		case "elementMap":
			if _, ok := m.Get(key); !ok {
				m.Put(key, val)
			}
		case "propertyMap":
			if isVertex {
				old, _ := m.Get(key)
				l, _ := old.([]any)
				m.Put(key, append(l, p))
			} else {
				m.Put(key, p)
			}
		default:
			if isVertex {
				old, _ := m.Get(key)
				l, _ := old.([]any)
				m.Put(key, append(l, val))
			} else {
				m.Put(key, val)
			}
		}
	}
	if len(s.bys) > 0 {
		for _, e := range m.Entries() {
			if _, isT := e.Key.(value.Enum); isT {
				continue
			}
			b := s.bys[bi%len(s.bys)]
			bi++
			v, ok := x.applyBy(s.kind, b, e.Value, nil)
			if ok {
				m.Put(e.Key, v)
			}
		}
	}
	return m
}

// stepTitle is a step's name as TinkerPop's messages start it
// ("valueMap" → "ValueMap").
func stepTitle(name string) string {
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
