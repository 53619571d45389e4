package traversal

import (
	"strings"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// mergeV()/mergeE() with option(onCreate/onMatch/outV/inV), following
// TinkerPop's MergeVertexStep and MergeEdgeStep:
//   - the merge Map (constant, traversal or, without argument, the incoming
//     Map) is the search; null means empty;
//   - every match is updated with the onMatch Map, evaluated with the
//     matched element as the traverser; otherwise an element is created from
//     the merge Map united with the onCreate Map, which may not override the
//     merge Map's values;
//   - mergeE() resolves Merge.outV/Merge.inV tokens through option(outV/inV)
//     and flattens Vertex values to their ids.

// cardValue is a value with an explicit cardinality: Cardinality.list(x)
// and friends, or every value of option(Merge, Map, Cardinality).
type cardValue struct {
	card storage.Cardinality
	v    any
}

// asCardValue recognises a cardinality-wrapped value: a cardValue or the
// CardinalityValueTraversal bytecode drivers send for Cardinality.set(x).
func asCardValue(v any) (cardValue, bool) {
	switch c := v.(type) {
	case cardValue:
		return c, true
	case *value.Bytecode:
		if len(c.Steps) != 0 || len(c.Sources) != 1 || c.Sources[0].Operator != "CardinalityValueTraversal" || len(c.Sources[0].Args) != 2 {
			return cardValue{}, false
		}
		name, ok := enumArg(unbind(c.Sources[0].Args[0]), "Cardinality")
		if !ok {
			return cardValue{}, false
		}
		card, ok := cardinalityOf(name)
		if !ok {
			return cardValue{}, false
		}
		return cardValue{card: card, v: unbind(c.Sources[0].Args[1])}, true
	}
	return cardValue{}, false
}

func cardinalityOf(name string) (storage.Cardinality, bool) {
	switch name {
	case "single":
		return storage.Single, true
	case "list":
		return storage.List, true
	case "set":
		return storage.Set, true
	}
	return storage.Single, false
}

// plainValue unwraps a cardinality-wrapped value.
func plainValue(v any) any {
	if c, ok := asCardValue(v); ok {
		return c.v
	}
	return v
}

type mergeStep struct {
	stepBase
	edge     bool
	search   *argValue // nil: the incoming traverser's Map
	onCreate *argValue
	onMatch  *argValue
	outV     *argValue
	inV      *argValue
}

func newMergeStep(c *compiler, edge bool, args []any) (step, error) {
	c.mutating = true
	s := &mergeStep{edge: edge}
	name := s.name0()
	if len(args) > 1 {
		return nil, errorf(name, "expected at most one argument, a Map or a traversal, got %d", len(args))
	}
	if len(args) == 1 {
		av, err := c.argValue(name, args[0])
		if err != nil {
			return nil, err
		}
		if av.trav == nil && av.v != nil {
			if _, ok := av.v.(*value.Map); !ok {
				return nil, errorf(name, "expected a Map or a traversal as the merge argument, got %s", typeName(av.v))
			}
		}
		s.search = av
	}
	return s, nil
}

func (r *stepSet) addMergeSteps() {
	r.register("mergeV", func(c *compiler, args []any) (step, error) { return newMergeStep(c, false, args) })
	r.register("mergeE", func(c *compiler, args []any) (step, error) { return newMergeStep(c, true, args) })
}

func (s *mergeStep) name0() string {
	if s.edge {
		return "mergeE"
	}
	return "mergeV"
}

func (s *mergeStep) addOption(c *compiler, args []any) error {
	name := s.name0()
	if len(args) != 2 && len(args) != 3 {
		return errorf("option", "%s() expects option(Merge, Map or traversal[, Cardinality])", name)
	}
	tok, ok := enumArg(args[0], "Merge")
	if !ok {
		return errorf("option", "%s() expects a Merge token, got %s", name, typeName(args[0]))
	}
	arg := args[1]
	if len(args) == 3 {
		cn, ok := enumArg(args[2], "Cardinality")
		card, known := cardinalityOf(cn)
		if !ok || !known {
			return errorf("option", "the third argument must be a Cardinality, got %s", typeName(args[2]))
		}
		m, isMap := arg.(*value.Map)
		if !isMap && arg != nil {
			return errorf("option", "option(Merge, Map, Cardinality) expects a Map, got %s", typeName(arg))
		}
		if isMap {
			w := value.NewMap()
			for _, e := range m.Entries() {
				v := e.Value
				if _, isStr := e.Key.(string); isStr {
					if _, already := asCardValue(v); !already {
						v = cardValue{card: card, v: v}
					}
				}
				w.Put(e.Key, v)
			}
			arg = w
		}
	}
	av, err := c.argValue("option", arg)
	if err != nil {
		return err
	}
	if av.trav == nil && av.v != nil {
		if _, isMap := av.v.(*value.Map); !isMap && (tok == "onCreate" || tok == "onMatch") {
			return errorf("option", "option(%s) expects a Map or a traversal, got %s", tok, typeName(av.v))
		}
	}
	switch tok {
	case "onCreate":
		s.onCreate = av
	case "onMatch":
		s.onMatch = av
	case "outV", "inV":
		if !s.edge {
			return errorf("option", "Option %s for Merge is not supported by mergeV()", tok)
		}
		if tok == "outV" {
			s.outV = av
		} else {
			s.inV = av
		}
	default:
		return errorf("option", "Option %s for Merge is not supported", tok)
	}
	return nil
}

// mergeMap evaluates a merge/onCreate/onMatch argument to a Map; null and
// no result are an empty Map.
func (x *exec) mergeMap(step string, a *argValue, t *trav, what string) *value.Map {
	if a == nil {
		return value.NewMap()
	}
	v, ok := x.argEval(step, a, t)
	if !ok || v == nil {
		return value.NewMap()
	}
	m, isMap := v.(*value.Map)
	if !isMap {
		throwf(step, "%s must be a Map, got %s", what, typeName(v))
	}
	return m
}

// validateMergeMap checks a merge or onCreate Map (tokens allowed) or an
// onMatch Map (String keys only), as MergeStep.validate does.
func validateMergeMap(op string, m *value.Map, onMatch, edge bool) error {
	for _, e := range m.Entries() {
		// A null property value is allowed: on a graph without null
		// property values it means no property (onMatch removes it).
		k, v := e.Key, e.Value
		ks, isStr := k.(string)
		if onMatch {
			if !isStr {
				return errorf(op, "option(onMatch) expects keys in Map to be of String - check: %s", keyString(k))
			}
			if err := validatePropertyKey(op, ks); err != nil {
				return err
			}
			continue
		}
		if isStr {
			if err := validatePropertyKey(op, ks); err != nil {
				return err
			}
			continue
		}
		ek, isEnum := k.(value.Enum)
		allowed := isEnum && ek.Type == "T" && (ek.Name == "id" || ek.Name == "label")
		if edge && isEnum && ek.Type == "Direction" && (ek.Name == "OUT" || ek.Name == "IN") {
			allowed = true
		}
		if !allowed {
			tokens := "[id, label]"
			if edge {
				tokens = "[id, label, IN, OUT]"
			}
			return errorf(op, "%s() and option(onCreate) args expect keys in Map to be either String or %s - check: %s", op, tokens, keyString(k))
		}
		switch {
		case ek.Type == "T" && ek.Name == "label":
			l, ok := v.(string)
			if !ok {
				return errorf(op, "%s() and option(onCreate) args expect T.label value to be of String - found: %s", op, typeName(v))
			}
			if err := validateLabel(op, l); err != nil {
				return err
			}
		case ek.Type == "Direction":
			if me, ok := v.(value.Enum); ok && me.Type == "Merge" {
				want := "outV"
				if ek.Name == "IN" {
					want = "inV"
				}
				if me.Name != want {
					return errorf(op, "Only Merge.%s token may be used for Direction.%s, found: %s", want, ek.Name, me.Name)
				}
			}
		}
	}
	return nil
}

func keyString(k any) string {
	if e, ok := k.(value.Enum); ok {
		return e.Name
	}
	return javaStr(k)
}

// validatePropertyKey is ElementHelper.validateProperty's key check.
func validatePropertyKey(step, k string) error {
	if k == "" {
		return errorf(step, "Property key can not be empty")
	}
	if strings.HasPrefix(k, "~") {
		return errorf(step, "Property key can not be a hidden key: %s", k)
	}
	return nil
}

// validateLabel is ElementHelper.validateLabel.
func validateLabel(step, l string) error {
	if l == "" {
		return errorf(step, "Label can not be empty")
	}
	if strings.HasPrefix(l, "~") {
		return errorf(step, "Label can not be a hidden key: %s", l)
	}
	return nil
}

// validateNoOverrides prohibits onCreate from changing merge Map values.
func validateNoOverrides(step string, merge, onCreate *value.Map) error {
	for _, e := range onCreate.Entries() {
		if old, ok := merge.Get(e.Key); ok && !fn.Equal(old, e.Value) && value.Key(old) != value.Key(e.Value) {
			return errorf(step, "option(onCreate) cannot override values from merge() argument: (%s, %s)", keyString(e.Key), javaStr(e.Value))
		}
	}
	return nil
}

func copyMap(m *value.Map) *value.Map {
	c := value.NewMap()
	for _, e := range m.Entries() {
		c.Put(e.Key, e.Value)
	}
	return c
}

func (s *mergeStep) open(x *exec, in iter) iter {
	f := &flatMapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) valIter {
		name := s.name0()
		var search *value.Map
		if s.search != nil {
			search = x.mergeMap(name, s.search, t, "the merge argument")
		} else if isRoot(t) || t.val == nil {
			search = value.NewMap()
		} else if m, ok := t.val.(*value.Map); ok {
			search = m
		} else {
			throwf(name, "expected a Map as the incoming traverser, got %s", typeName(t.val))
		}
		if err := validateMergeMap(name, search, false, s.edge); err != nil {
			throw(err)
		}
		// Constant options are checked before searching so that an invalid
		// option fails whether or not the element exists.
		if s.onMatch != nil && s.onMatch.trav == nil {
			if m, ok := s.onMatch.v.(*value.Map); ok {
				if err := validateMergeMap(name, m, true, s.edge); err != nil {
					throw(err)
				}
			}
		}
		if s.onCreate != nil && s.onCreate.trav == nil {
			if m, ok := s.onCreate.v.(*value.Map); ok && m.Len() > 0 {
				if err := validateMergeMap(name, m, false, s.edge); err != nil {
					throw(err)
				}
				if err := validateNoOverrides(name, search, m); err != nil {
					throw(err)
				}
			}
		}
		if s.edge {
			return s.mergeEdge(x, t, search)
		}
		return s.mergeVertex(x, t, search)
	}}
	return f.open(x, in)
}

// matches reports whether element el satisfies every entry of search.
func (s *mergeStep) matches(x *exec, el any, search *value.Map) bool {
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
				if l, _ := elementLabel(el); l != e.Value {
					return false
				}
			case k.Type == "Direction":
				ed, ok := el.(*value.Edge)
				if !ok {
					return false
				}
				got := ed.InV.ID
				if k.Name == "OUT" {
					got = ed.OutV.ID
				}
				want := e.Value
				if vx, ok := want.(*value.Vertex); ok {
					want = vx.ID
				}
				if !fn.Equal(got, want) && !sameID(got, want) {
					return false
				}
			}
		case string:
			want := plainValue(e.Value)
			found := false
			for _, pv := range x.propValues(el, k) {
				if fn.Equal(pv, want) || value.Key(pv) == value.Key(want) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
	}
	return true
}

// applyOnMatch updates a matched element with the onMatch Map, evaluated
// with the element as the traverser.
func (s *mergeStep) applyOnMatch(x *exec, t *trav, el any) any {
	if s.onMatch == nil {
		return el
	}
	name := s.name0()
	mt := t.clone()
	mt.val = el
	m := x.mergeMap(name, s.onMatch, mt, "option(onMatch)")
	if err := validateMergeMap(name, m, true, s.edge); err != nil {
		throw(err)
	}
	for _, e := range m.Entries() {
		k := e.Key.(string)
		var err error
		switch ee := el.(type) {
		case *value.Vertex:
			card, v := storage.Single, e.Value
			if cv, ok := asCardValue(v); ok {
				card, v = cv.card, cv.v
			}
			if card == storage.Single || v == nil {
				for _, vp := range x.vprops(ee, []string{k}) {
					if err := x.tx.RemoveVertexProperty(ee.ID, vp.ID); err != nil && !isNotFound(err) {
						throw(err)
					}
				}
			}
			if v != nil {
				_, err = x.tx.SetVertexProperty(ee.ID, card, nil, k, v, nil)
			}
		case *value.Edge:
			if v := plainValue(e.Value); v != nil {
				_, err = x.tx.SetEdgeProperty(ee.ID, k, v)
			} else if err = x.tx.RemoveEdgeProperty(ee.ID, k); isNotFound(err) {
				err = nil
			}
		}
		if err != nil {
			throw(err)
		}
	}
	switch ee := el.(type) {
	case *value.Vertex:
		return &value.Vertex{ID: ee.ID, Label: ee.Label}
	case *value.Edge:
		return &value.Edge{ID: ee.ID, Label: ee.Label, OutV: ee.OutV, InV: ee.InV}
	}
	return el
}

// createMap unites the merge Map with the onCreate Map.
func (s *mergeStep) createMap(x *exec, t *trav, unresolved, resolved *value.Map) *value.Map {
	if s.onCreate == nil {
		return resolved
	}
	name := s.name0()
	oc := x.mergeMap(name, s.onCreate, t, "option(onCreate)")
	if oc.Len() == 0 {
		return resolved
	}
	if err := validateMergeMap(name, oc, false, s.edge); err != nil {
		throw(err)
	}
	if err := validateNoOverrides(name, unresolved, oc); err != nil {
		throw(err)
	}
	out := copyMap(oc)
	for _, e := range resolved.Entries() {
		out.Put(e.Key, e.Value)
	}
	return out
}

func (s *mergeStep) mergeVertex(x *exec, t *trav, search *value.Map) valIter {
	var matched []any
	for _, v := range s.searchVertices(x, search) {
		matched = append(matched, v)
	}
	if len(matched) > 0 {
		for i, m := range matched {
			matched[i] = s.applyOnMatch(x, t, m)
		}
		return sliceVals(matched)
	}
	full := s.createMap(x, t, search, search)
	var id any
	label := "vertex"
	var props []storage.KeyValue
	var explicit []storage.KeyValue
	var cards []storage.Cardinality
	for _, e := range full.Entries() {
		switch k := e.Key.(type) {
		case value.Enum:
			if k.Name == "id" {
				id = e.Value
			} else if k.Name == "label" {
				label, _ = e.Value.(string)
			}
		case string:
			if cv, ok := asCardValue(e.Value); ok {
				explicit = append(explicit, storage.KeyValue{Key: k, Value: cv.v})
				cards = append(cards, cv.card)
				continue
			}
			props = append(props, storage.KeyValue{Key: k, Value: e.Value})
		}
	}
	v, err := x.tx.AddVertex(id, label, x.partitionProps(props))
	if err != nil {
		throw(err)
	}
	if len(explicit) == 0 {
		return sliceVals([]any{v})
	}
	for i, p := range explicit {
		if _, err := x.tx.SetVertexProperty(v.ID, cards[i], nil, p.Key, p.Value, nil); err != nil {
			throw(err)
		}
	}
	return sliceVals([]any{&value.Vertex{ID: v.ID, Label: v.Label}})
}

var (
	dirOut = value.Enum{Type: "Direction", Name: "OUT"}
	dirIn  = value.Enum{Type: "Direction", Name: "IN"}
)

// resolveEndpoints replaces Merge.outV/inV tokens in m by the id of the
// vertex the option(outV/inV) traversal or Map gives, and Vertex values by
// their ids.
func (s *mergeStep) resolveEndpoints(x *exec, t *trav, m *value.Map) {
	for _, d := range []struct {
		key   value.Enum
		token string
		opt   *argValue
	}{{dirOut, "outV", s.outV}, {dirIn, "inV", s.inV}} {
		v, ok := m.Get(d.key)
		if !ok {
			continue
		}
		if e, isEnum := v.(value.Enum); isEnum && e.Type == "Merge" && e.Name == d.token {
			if d.opt == nil {
				throwf("mergeE", "option(%s) must be specified if it is used for %s", d.token, d.key.Name)
			}
			r, found := x.argEval("mergeE", d.opt, t)
			var vx *value.Vertex
			switch o := r.(type) {
			case *value.Vertex:
				vx = o
			case *value.Map:
				if err := validateMergeMap("mergeV", o, false, false); err != nil {
					throw(err)
				}
				it := s.searchVertices(x, o)
				if len(it) > 0 {
					vx = it[0]
				}
			default:
				if found && r != nil {
					throwf("mergeE", "Vertex could not be resolved from mergeE: %s", javaStr(r))
				}
			}
			if vx == nil {
				throwf("mergeE", "Could not resolve vertex for option(%s)", d.token)
			}
			m.Put(d.key, vx.ID)
		} else if vx, isV := v.(*value.Vertex); isV {
			m.Put(d.key, vx.ID)
		}
	}
}

// searchVertices returns the vertices matching a mergeV-style Map.
func (s *mergeStep) searchVertices(x *exec, search *value.Map) []*value.Vertex {
	var candidates []*value.Vertex
	if id, ok := search.Get(tEnum("id")); ok {
		vs, err := x.tx.Vertices([]any{id})
		if err != nil {
			throw(err)
		}
		candidates = vs
	} else {
		label, _ := search.Get(tEnum("label"))
		l, _ := label.(string)
		it := x.vertexIter(x.tx.ScanVertices(l))
		for v, ok := it(); ok; v, ok = it() {
			candidates = append(candidates, v.(*value.Vertex))
		}
	}
	var out []*value.Vertex
	for _, c := range candidates {
		if x.vertexOK(c) && s.matches(x, c, search) {
			out = append(out, c)
		}
	}
	return out
}

// endpointVertex resolves a Direction value of the create Map to a vertex
// id that exists.
func (x *exec) endpointVertex(v any) any {
	id := v
	if vx, ok := v.(*value.Vertex); ok {
		id = vx.ID
	}
	vs, err := x.tx.Vertices([]any{id})
	if err != nil && !isNotFound(err) {
		throw(err)
	}
	if len(vs) == 0 {
		if _, ok := v.(*value.Vertex); ok {
			throwf("mergeE", "Vertex could not be resolved from mergeE: %s", javaStr(id))
		}
		throwf("mergeE", "Vertex id could not be resolved from mergeE: %s", javaStr(id))
	}
	return vs[0].ID
}

func (s *mergeStep) mergeEdge(x *exec, t *trav, unresolved *value.Map) valIter {
	search := copyMap(unresolved)
	s.resolveEndpoints(x, t, search)
	outID, hasOut := search.Get(dirOut)
	inID, hasIn := search.Get(dirIn)
	var label string
	if l, ok := search.Get(tEnum("label")); ok {
		label, _ = l.(string)
	}
	var labels []string
	if label != "" {
		labels = []string{label}
	}
	var candidates []any
	collect := func(it valIter) {
		for e, ok := it(); ok; e, ok = it() {
			candidates = append(candidates, e)
		}
	}
	id, hasID := search.Get(tEnum("id"))
	switch {
	case hasID:
		es, err := x.tx.Edges([]any{id})
		if err != nil && !isNotFound(err) {
			throw(err)
		}
		for _, e := range es {
			if x.edgeOK(e) {
				candidates = append(candidates, e)
			}
		}
	case hasOut:
		if x.vertexExists(outID) {
			collect(x.edgeIter(x.tx.EdgesOf(outID, storage.Out, labels), nil))
		}
	case hasIn:
		if x.vertexExists(inID) {
			collect(x.edgeIter(x.tx.EdgesOf(inID, storage.In, labels), nil))
		}
	default:
		collect(x.edgeIter(x.tx.ScanEdges(label), nil))
	}
	var matched []any
	for _, c := range candidates {
		if s.matches(x, c, search) {
			matched = append(matched, c)
		}
	}
	if len(matched) > 0 {
		for i, m := range matched {
			matched[i] = s.applyOnMatch(x, t, m)
		}
		return sliceVals(matched)
	}
	full := s.createMap(x, t, unresolved, search)
	if full != search {
		s.resolveEndpoints(x, t, full)
	}
	ov, ok := full.Get(dirOut)
	if !ok {
		throwf("mergeE", "Out Vertex not specified in onCreate - edge cannot be created")
	}
	iv, ok := full.Get(dirIn)
	if !ok {
		throwf("mergeE", "In Vertex not specified in onCreate - edge cannot be created")
	}
	from := x.endpointVertex(ov)
	to := x.endpointVertex(iv)
	var newID any
	elabel := "edge"
	var props []storage.KeyValue
	for _, e := range full.Entries() {
		switch k := e.Key.(type) {
		case value.Enum:
			if k.Type == "T" && k.Name == "id" {
				newID = e.Value
			} else if k.Type == "T" && k.Name == "label" {
				elabel, _ = e.Value.(string)
			}
		case string:
			props = append(props, storage.KeyValue{Key: k, Value: plainValue(e.Value)})
		}
	}
	e, err := x.tx.AddEdge(newID, elabel, from, to, x.partitionProps(props))
	if err != nil {
		throw(err)
	}
	return sliceVals([]any{e})
}

// vertexExists reports whether a vertex with this id exists.
func (x *exec) vertexExists(id any) bool {
	if vx, ok := id.(*value.Vertex); ok {
		id = vx.ID
	}
	vs, err := x.tx.Vertices([]any{id})
	if err != nil {
		if isNotFound(err) {
			return false
		}
		throw(err)
	}
	return len(vs) > 0
}
