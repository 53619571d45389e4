package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
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

func init() {
	register("addV", func(c *compiler, args []any) (step, error) {
		c.mutating = true
		var label *argValue
		if len(args) > 0 {
			var err error
			if label, err = c.argValue("addV", args[0]); err != nil {
				return nil, err
			}
		}
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			l := "vertex"
			if label != nil {
				v, ok := x.argEval("addV", label, t)
				s, isStr := v.(string)
				if !ok || !isStr {
					throwf("addV", "the label must be a String, got %s", typeName(v))
				}
				l = s
			}
			v, err := x.tx.AddVertex(nil, l, x.partitionProps(nil))
			if err != nil {
				throw(err)
			}
			return v, true
		}}, nil
	})
	register("addE", func(c *compiler, args []any) (step, error) {
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
	register("property", func(c *compiler, args []any) (step, error) {
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
		s.key = args[0]
		var err error
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
	register("drop", func(c *compiler, args []any) (step, error) {
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
	register("mergeV", func(c *compiler, args []any) (step, error) {
		c.mutating = true
		s := &mergeStep{edge: false}
		if len(args) > 0 {
			var err error
			if s.search, err = c.argValue("mergeV", args[0]); err != nil {
				return nil, err
			}
		}
		return s, nil
	})
	register("mergeE", func(c *compiler, args []any) (step, error) {
		c.mutating = true
		s := &mergeStep{edge: true}
		if len(args) > 0 {
			var err error
			if s.search, err = c.argValue("mergeE", args[0]); err != nil {
				return nil, err
			}
		}
		return s, nil
	})
	register("fail", func(c *compiler, args []any) (step, error) {
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

// addEStep implements addE(label).from().to().
type addEStep struct {
	stepBase
	label    *argValue
	from, to *argValue
}

func (s *addEStep) addFromTo(c *compiler, from bool, a any) error {
	av, err := c.argValue("addE", a)
	if err != nil {
		return err
	}
	if l, ok := a.(string); ok {
		c.needLabels = true
		av = &argValue{v: selectLabel(l)}
	}
	if from {
		s.from = av
	} else {
		s.to = av
	}
	return nil
}

type selectLabel string

func (x *exec) endpoint(step string, a *argValue, t *trav) *value.Vertex {
	var v any
	if a == nil {
		v = t.val
	} else if l, ok := a.v.(selectLabel); ok {
		var found bool
		v, found = x.scopeValue(t, "last", string(l), true)
		if !found {
			throwf(step, "The provided key %q does not exist in the path", string(l))
		}
	} else {
		var ok bool
		v, ok = x.argEval(step, a, t)
		if !ok {
			throwf(step, "The provided traverser does not map to a value: the from()/to() traversal produced nothing")
		}
	}
	switch vx := v.(type) {
	case *value.Vertex:
		return vx
	case nil:
		throwf(step, "The from()/to() vertex cannot be null")
	}
	vs, err := x.tx.Vertices([]any{v})
	if err != nil {
		throw(err)
	}
	if len(vs) == 0 {
		throwf(step, "The vertex %v does not exist", v)
	}
	return vs[0]
}

func (s *addEStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		lv, _ := x.argEval("addE", s.label, t)
		l, ok := lv.(string)
		if !ok {
			throwf("addE", "the label must be a String, got %s", typeName(lv))
		}
		from := x.endpoint("addE", s.from, t)
		to := x.endpoint("addE", s.to, t)
		e, err := x.tx.AddEdge(nil, l, from.ID, to.ID, x.partitionProps(nil))
		if err != nil {
			throw(err)
		}
		return e, true
	}}
	return m.open(x, in)
}

// propertyStep implements property([cardinality,] key, value, meta...).
type propertyStep struct {
	stepBase
	card   int
	key    any
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
			v, ok := x.argEval("property", s.val, t)
			if !ok {
				throwf("property", "The provided traverser does not map to a value")
			}
			s.set(x, t, s.key, v, s.meta)
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
		if s.card >= 0 {
			card = storage.Cardinality(s.card)
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
		if s.card >= 0 && s.card != int(storage.Single) {
			throwf("property", "Edge properties do not have multiple values, so cardinality %s is not supported", cardName(s.card))
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

// mergeStep implements mergeV() and mergeE() with option(onCreate/onMatch
// /outV/inV).
type mergeStep struct {
	stepBase
	edge     bool
	search   *argValue
	onCreate *argValue
	onMatch  *argValue
	outV     *argValue
	inV      *argValue
}

func (s *mergeStep) addOption(c *compiler, args []any) error {
	if len(args) != 2 {
		return errorf("option", "expected a Merge token and a Map or traversal")
	}
	tok, ok := enumArg(args[0], "Merge")
	if !ok {
		return errorf("option", "expected a Merge token, got %s", typeName(args[0]))
	}
	av, err := c.argValue("option", args[1])
	if err != nil {
		return err
	}
	switch tok {
	case "onCreate":
		s.onCreate = av
	case "onMatch":
		s.onMatch = av
	case "outV":
		s.outV = av
	case "inV":
		s.inV = av
	}
	return nil
}

func (s *mergeStep) name0() string {
	if s.edge {
		return "mergeE"
	}
	return "mergeV"
}

func (x *exec) mapArg(step string, a *argValue, t *trav, what string) *value.Map {
	if a == nil {
		return nil
	}
	v, ok := x.argEval(step, a, t)
	if !ok || v == nil {
		return nil
	}
	m, isMap := v.(*value.Map)
	if !isMap {
		throwf(step, "%s must be a Map, got %s", what, typeName(v))
	}
	return m
}

func (s *mergeStep) open(x *exec, in iter) iter {
	name := s.name0()
	f := &flatMapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) valIter {
		var search *value.Map
		if s.search != nil {
			search = x.mapArg(name, s.search, t, "the merge argument")
		} else if m, ok := t.val.(*value.Map); ok && !isRoot(t) {
			search = m
		}
		if search == nil {
			search = value.NewMap()
		}
		if s.edge {
			return s.mergeEdge(x, t, search)
		}
		return s.mergeVertex(x, t, search)
	}}
	return f.open(x, in)
}

func (s *mergeStep) matchesProps(x *exec, el any, search *value.Map) bool {
	for _, e := range search.Entries() {
		switch k := e.Key.(type) {
		case value.Enum:
			switch {
			case k.Type == "T" && k.Name == "id":
				id, _ := elementID(el)
				if !fn.Equal(id, e.Value) && !sameID(id, e.Value) {
					return false
				}
			case k.Type == "T" && k.Name == "label":
				l, _ := elementLabel(el)
				if l != e.Value {
					return false
				}
			case k.Type == "Direction":
				ed, ok := el.(*value.Edge)
				if !ok {
					return false
				}
				want := e.Value
				var got any
				if k.Name == "OUT" {
					got = ed.OutV.ID
				} else {
					got = ed.InV.ID
				}
				if vx, ok := want.(*value.Vertex); ok {
					want = vx.ID
				}
				if !fn.Equal(got, want) && !sameID(got, want) {
					return false
				}
			}
		case string:
			found := false
			for _, pv := range x.propValues(el, k) {
				if fn.Equal(pv, e.Value) || value.Key(pv) == value.Key(e.Value) {
					found = true
				}
			}
			if !found {
				return false
			}
		}
	}
	return true
}

func splitMap(step string, m *value.Map) (id any, label string, props []storage.KeyValue) {
	for _, e := range m.Entries() {
		switch k := e.Key.(type) {
		case value.Enum:
			if k.Type == "T" && k.Name == "id" {
				id = e.Value
			} else if k.Type == "T" && k.Name == "label" {
				l, ok := e.Value.(string)
				if !ok {
					throwf(step, "T.label must be a String, got %s", typeName(e.Value))
				}
				label = l
			}
		case string:
			props = append(props, storage.KeyValue{Key: k, Value: e.Value})
		default:
			throwf(step, "merge keys must be Strings, T or Direction, got %s", typeName(e.Key))
		}
	}
	return
}

func (s *mergeStep) applyOnMatch(x *exec, t *trav, el any) any {
	m := x.mapArg(s.name0(), s.onMatch, t, "option(onMatch)")
	if m == nil {
		return el
	}
	for _, e := range m.Entries() {
		k, ok := e.Key.(string)
		if !ok {
			throwf(s.name0(), "option(onMatch) cannot update T or Direction keys")
		}
		var err error
		switch ee := el.(type) {
		case *value.Vertex:
			_, err = x.tx.SetVertexProperty(ee.ID, storage.Single, nil, k, e.Value, nil)
		case *value.Edge:
			_, err = x.tx.SetEdgeProperty(ee.ID, k, e.Value)
		}
		if err != nil {
			throw(err)
		}
	}
	switch ee := el.(type) {
	case *value.Vertex:
		return x.fullVertex(&value.Vertex{ID: ee.ID, Label: ee.Label})
	case *value.Edge:
		return x.fullEdge(&value.Edge{ID: ee.ID, Label: ee.Label, OutV: ee.OutV, InV: ee.InV})
	}
	return el
}

func (s *mergeStep) mergeVertex(x *exec, t *trav, search *value.Map) valIter {
	var candidates []any
	if id, ok := search.Get(tEnum("id")); ok {
		vs, err := x.tx.Vertices([]any{id})
		if err != nil {
			throw(err)
		}
		for _, v := range vs {
			candidates = append(candidates, v)
		}
	} else {
		label := ""
		if l, ok := search.Get(tEnum("label")); ok {
			label, _ = l.(string)
		}
		it := x.vertexIter(x.tx.ScanVertices(label))
		for v, ok := it(); ok; v, ok = it() {
			candidates = append(candidates, v)
		}
	}
	var matched []any
	for _, c := range candidates {
		if x.vertexOK(c.(*value.Vertex)) && s.matchesProps(x, c, search) {
			matched = append(matched, c)
		}
	}
	if len(matched) > 0 {
		for i, m := range matched {
			matched[i] = s.applyOnMatch(x, t, m)
		}
		return sliceVals(matched)
	}
	full := value.NewMap()
	for _, e := range search.Entries() {
		full.Put(e.Key, e.Value)
	}
	if oc := x.mapArg("mergeV", s.onCreate, t, "option(onCreate)"); oc != nil {
		for _, e := range oc.Entries() {
			if old, ok := search.Get(e.Key); ok && !fn.Equal(old, e.Value) {
				throwf("mergeV", "option(onCreate) cannot override values from the merge argument: %v", e.Key)
			}
			full.Put(e.Key, e.Value)
		}
	}
	id, label, props := splitMap("mergeV", full)
	if label == "" {
		label = "vertex"
	}
	v, err := x.tx.AddVertex(id, label, x.partitionProps(props))
	if err != nil {
		throw(err)
	}
	return sliceVals([]any{v})
}

func (s *mergeStep) mergeEdge(x *exec, t *trav, search *value.Map) valIter {
	resolve := func(dir string, opt *argValue) any {
		v, ok := search.Get(value.Enum{Type: "Direction", Name: dir})
		if !ok {
			return nil
		}
		if e, isEnum := v.(value.Enum); isEnum && e.Type == "Merge" {
			m := x.mapArg("mergeE", opt, t, "option(Merge."+e.Name+")")
			if m == nil {
				throwf("mergeE", "option(Merge.%s) must be given when Merge.%s is used", e.Name, e.Name)
			}
			id, _, _ := splitMap("mergeE", m)
			vs, err := x.tx.Vertices([]any{id})
			if err != nil {
				throw(err)
			}
			if len(vs) == 0 {
				throwf("mergeE", "Vertex %v does not exist", id)
			}
			search.Put(value.Enum{Type: "Direction", Name: dir}, id)
			return id
		}
		if vx, isV := v.(*value.Vertex); isV {
			return vx.ID
		}
		return v
	}
	outID := resolve("OUT", s.outV)
	inID := resolve("IN", s.inV)
	var candidates []any
	if id, ok := search.Get(tEnum("id")); ok {
		es, err := x.tx.Edges([]any{id})
		if err != nil {
			throw(err)
		}
		for _, e := range es {
			candidates = append(candidates, e)
		}
	} else if outID != nil {
		it := x.edgeIter(x.tx.EdgesOf(outID, storage.Out, nil), nil)
		for e, ok := it(); ok; e, ok = it() {
			candidates = append(candidates, e)
		}
	} else if inID != nil {
		it := x.edgeIter(x.tx.EdgesOf(inID, storage.In, nil), nil)
		for e, ok := it(); ok; e, ok = it() {
			candidates = append(candidates, e)
		}
	} else {
		it := x.edgeIter(x.tx.ScanEdges(""), nil)
		for e, ok := it(); ok; e, ok = it() {
			candidates = append(candidates, e)
		}
	}
	var matched []any
	for _, c := range candidates {
		if s.matchesProps(x, c, search) {
			matched = append(matched, c)
		}
	}
	if len(matched) > 0 {
		for i, m := range matched {
			matched[i] = s.applyOnMatch(x, t, m)
		}
		return sliceVals(matched)
	}
	full := value.NewMap()
	for _, e := range search.Entries() {
		full.Put(e.Key, e.Value)
	}
	if oc := x.mapArg("mergeE", s.onCreate, t, "option(onCreate)"); oc != nil {
		for _, e := range oc.Entries() {
			full.Put(e.Key, e.Value)
		}
	}
	if v, ok := full.Get(value.Enum{Type: "Direction", Name: "OUT"}); ok {
		if vx, isV := v.(*value.Vertex); isV {
			v = vx.ID
		}
		outID = v
	}
	if v, ok := full.Get(value.Enum{Type: "Direction", Name: "IN"}); ok {
		if vx, isV := v.(*value.Vertex); isV {
			v = vx.ID
		}
		inID = v
	}
	if outID == nil || inID == nil {
		throwf("mergeE", "Out and In vertices must be specified to create an edge")
	}
	var id any
	label := ""
	var props []storage.KeyValue
	for _, e := range full.Entries() {
		switch k := e.Key.(type) {
		case value.Enum:
			if k.Type == "T" && k.Name == "id" {
				id = e.Value
			} else if k.Type == "T" && k.Name == "label" {
				label, _ = e.Value.(string)
			}
		case string:
			props = append(props, storage.KeyValue{Key: k, Value: e.Value})
		}
	}
	if label == "" {
		label = "edge"
	}
	e, err := x.tx.AddEdge(id, label, outID, inID, x.partitionProps(props))
	if err != nil {
		throw(err)
	}
	return sliceVals([]any{e})
}
