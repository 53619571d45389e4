package traversal

import (
	"strings"

	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// scopeValue resolves key for select()/where(): the current map's entry,
// then a side-effect, then path labels (with pop).
func (x *exec) scopeValue(t *trav, pop, key string, mapFirst bool) (any, bool) {
	if m, ok := t.val.(*value.Map); ok {
		if v, ok := m.Get(key); ok {
			return v, true
		}
	}
	if v, ok := x.seValue(key); ok {
		return v, true
	}
	if t.path != nil && t.path.hasLabel(key) {
		objs := t.path.get(key)
		switch pop {
		case "first":
			return objs[0], true
		case "all":
			return objs, true
		case "mixed":
			if len(objs) == 1 {
				return objs[0], true
			}
			return objs, true
		default:
			return objs[len(objs)-1], true
		}
	}
	return nil, false
}

func (r *stepSet) addMapSteps() {
	r.register("constant", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("constant", "expected one value")
		}
		v := args[0]
		return &mapStep{f: func(x *exec, t *trav) (any, bool) { return copySack(v), true }}, nil
	})
	r.register("inject", func(c *compiler, args []any) (step, error) {
		vals := append([]any{}, args...)
		return &injectStep{vals: vals}, nil
	})
	r.register("unfold", func(c *compiler, args []any) (step, error) {
		return &flatMapStep{f: func(x *exec, t *trav) valIter { return unfoldVals(t.val) }}, nil
	})
	r.register("path", func(c *compiler, args []any) (step, error) {
		c.needFull = true
		return &pathStep{}, nil
	})
	r.register("select", func(c *compiler, args []any) (step, error) {
		pop := "last"
		if len(args) > 0 {
			if p, ok := enumArg(args[0], "Pop"); ok {
				pop = p
				args = args[1:]
			}
		}
		if len(args) == 1 {
			if col, ok := enumArg(args[0], "Column"); ok {
				return &mapStep{f: func(x *exec, t *trav) (any, bool) { return columnValue("select", col, t.val), true }}, nil
			}
			if isTraversal(args[0]) {
				p, err := c.child("select", args[0])
				if err != nil {
					return nil, err
				}
				c.needLabels = true
				// TraversalSelectStep requires whole paths
				// (TraverserRequirement.PATH).
				c.pathReq = true
				return &selectStep{pop: pop, keyTrav: p}, nil
			}
		}
		keys, err := argStrings("select", args)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			return nil, errorf("select", "expected at least one key")
		}
		c.needLabels = true
		return &selectStep{pop: pop, keys: keys}, nil
	})
	r.register("project", func(c *compiler, args []any) (step, error) {
		keys, err := argStrings("project", args)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			return nil, errorf("project", "expected at least one key")
		}
		return &projectStep{keys: keys}, nil
	})
	r.register("loops", func(c *compiler, args []any) (step, error) {
		name := ""
		if len(args) > 0 {
			s, err := argString("loops", args, 0)
			if err != nil {
				return nil, err
			}
			name = s
		}
		return &mapStep{f: func(x *exec, t *trav) (any, bool) { return int32(t.loopCount(name)), true }}, nil
	})
	r.register("sack", func(c *compiler, args []any) (step, error) {
		if len(args) == 0 {
			return &mapStep{f: func(x *exec, t *trav) (any, bool) { return t.sack, true }}, nil
		}
		op, ok := enumArg(args[0], "Operator")
		if !ok {
			return nil, errorf("sack", "expected an Operator, got %s", typeName(args[0]))
		}
		s := &sackStep{op: op}
		return s, nil
	})
	r.register("index", func(c *compiler, args []any) (step, error) {
		s := &indexStep{}
		return s, nil
	})
	r.register("element", func(c *compiler, args []any) (step, error) {
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			switch p := t.val.(type) {
			case *value.VertexProperty:
				if p.Vertex != nil {
					return p.Vertex, true
				}
			case *value.Property:
				if p.Element != nil {
					return p.Element, true
				}
			}
			throwf("element", "expected a Property but got %s", typeName(t.val))
			return nil, false
		}}, nil
	})
	r.register("map", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("map", "expected one traversal")
		}
		p, err := c.child("map", args[0])
		if err != nil {
			return nil, err
		}
		return &mapStep{f: func(x *exec, t *trav) (any, bool) { return x.evalFirst(p, t) }}, nil
	})
	r.register("flatMap", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("flatMap", "expected one traversal")
		}
		p, err := c.child("flatMap", args[0])
		if err != nil {
			return nil, err
		}
		return &childEndsStep{f: func(x *exec, t *trav) iter {
			return p.open(x, sliceIter([]*trav{subStart(t)}))
		}}, nil
	})
	r.register("sideEffect", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("sideEffect", "expected one traversal")
		}
		p, err := c.child("sideEffect", args[0])
		if err != nil {
			return nil, err
		}
		return &filterStep{f: func(x *exec, t *trav) bool {
			it := p.open(x, sliceIter([]*trav{subStart(t)}))
			for r := it.next(); r != nil; r = it.next() {
			}
			return true
		}}, nil
	})
	r.register("local", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("local", "expected one traversal")
		}
		p, err := c.child("local", args[0])
		if err != nil {
			return nil, err
		}
		// The child runs for one unit of the traverser's bulk and its
		// results carry the bulk (TinkerPop 3.8: a bulked traverser is
		// processed as that many separate traversers, so
		// barrier().local(count()) counts 1 for each).
		return &travStep{f: func(x *exec, t *trav) iter {
			it := p.open(x, sliceIter([]*trav{subStart(t)}))
			if t.bulk == 1 {
				return it
			}
			n := t.bulk
			return iterFunc(func() *trav {
				r := it.next()
				if r == nil {
					return nil
				}
				r = r.clone()
				r.bulk *= n
				return r
			})
		}}, nil
	})
	r.register("aggregate", func(c *compiler, args []any) (step, error) {
		local, rest := scopeArg(args)
		k, err := argString("aggregate", rest, 0)
		if err != nil {
			return nil, err
		}
		return &aggregateStep{key: k, local: local}, nil
	})
	r.register("store", func(c *compiler, args []any) (step, error) {
		k, err := argString("store", args, 0)
		if err != nil {
			return nil, err
		}
		return &aggregateStep{key: k, local: true}, nil
	})
	r.register("cap", func(c *compiler, args []any) (step, error) {
		keys, err := argStrings("cap", args)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			return nil, errorf("cap", "expected at least one side-effect key")
		}
		return reducer(func(x *exec, ts []*trav) (any, bool) {
			if len(keys) == 1 {
				v, ok := x.seValue(keys[0])
				if !ok {
					throwf("cap", "the side-effect key %q does not exist", keys[0])
				}
				return v, true
			}
			m := value.NewMap()
			for _, k := range keys {
				v, ok := x.seValue(k)
				if !ok {
					throwf("cap", "the side-effect key %q does not exist", k)
				}
				m.Put(k, v)
			}
			return m, true
		}), nil
	})
	r.register("sample", func(c *compiler, args []any) (step, error) {
		local, rest := scopeArg(args)
		if len(rest) != 1 {
			return nil, errorf("sample", "expected the sample size")
		}
		n, ok := toInt64(rest[0])
		if !ok {
			return nil, errorf("sample", "the sample size must be a number")
		}
		return &sampleStep{n: n, local: local}, nil
	})
	r.register("math", func(c *compiler, args []any) (step, error) {
		expr, err := argString("math", args, 0)
		if err != nil {
			return nil, err
		}
		me, err := fn.ParseMath(expr)
		if err != nil {
			return nil, errorf("math", "%v", err)
		}
		for _, v := range me.Vars() {
			if v != "_" {
				c.needLabels = true
			}
		}
		return &mathStep{expr: me}, nil
	})
}

func unfoldVals(v any) valIter {
	switch t := v.(type) {
	case *value.Map:
		es := t.Entries()
		out := make([]any, len(es))
		for i, e := range es {
			out[i] = &mapEntry{k: e.Key, v: e.Value}
		}
		return sliceVals(out)
	case nil:
		return sliceVals([]any{nil})
	}
	if its, ok := items(v); ok {
		return sliceVals(its)
	}
	return sliceVals([]any{v})
}

// injectStep emits the injected values; mid-traversal it passes its input
// through after them.
type injectStep struct {
	stepBase
	vals []any
	// startsFirst: the step begins a child traversal, whose start
	// traversers TinkerPop queues before the injected values (so
	// concat(__.inject("c")) sees the incoming value first). At the start
	// of a root traversal, or after another step, injected values come
	// first.
	startsFirst bool
}

func (s *injectStep) open(x *exec, in iter) iter {
	done := false
	var pending iter
	return iterFunc(func() *trav {
		for {
			if pending != nil {
				if t := pending.next(); t != nil {
					return t
				}
				pending = nil
			}
			if !done && s.startsFirst {
				if t := in.next(); t != nil {
					if isRoot(t) {
						continue
					}
					return x.label(t, s.labels)
				}
			}
			if !done {
				done = true
				ts := make([]*trav, len(s.vals))
				for i, v := range s.vals {
					ts[i] = x.newTrav(copySack(v), s.labels)
				}
				pending = sliceIter(ts)
				continue
			}
			t := in.next()
			if t == nil {
				return nil
			}
			if isRoot(t) {
				continue
			}
			return x.label(t, s.labels)
		}
	})
}

// pathStep implements path() with by() and from()/to().
type pathStep struct {
	stepBase
	bys      []*byMod
	from, to string
}

func (s *pathStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy("path", args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

func (s *pathStep) addFromTo(c *compiler, from bool, a any) error {
	l, ok := a.(string)
	if !ok {
		return errorf("path", "from()/to() expect a label, got %s", typeName(a))
	}
	if from {
		s.from = l
	} else {
		s.to = l
	}
	return nil
}

func (s *pathStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		p := t.path.toValue()
		if s.from != "" || s.to != "" {
			its := t.path.items()
			start, end := 0, len(its)
			if s.from != "" {
				start = -1
				for i, n := range its {
					if containsStr(n.labels, s.from) {
						start = i
						break
					}
				}
			}
			if s.to != "" && start >= 0 {
				end = -1
				for i := start; i < len(its); i++ {
					if containsStr(its[i].labels, s.to) {
						end = i + 1
						break
					}
				}
			}
			if start < 0 || end < 0 {
				p = &value.Path{Labels: [][]string{}, Objects: []any{}}
			} else {
				p = &value.Path{Labels: p.Labels[start:end], Objects: p.Objects[start:end]}
			}
		}
		if len(s.bys) > 0 {
			np := &value.Path{Labels: p.Labels, Objects: make([]any, len(p.Objects))}
			for i, o := range p.Objects {
				v, ok := x.applyBy("path", s.bys[i%len(s.bys)], o, nil)
				if !ok {
					// an unproductive by() filters the traverser (3.8)
					return nil, false
				}
				np.Objects[i] = v
			}
			p = np
		}
		return p, true
	}}
	return m.open(x, in)
}

// selectStep implements select(keys...) and select(traversal).
type selectStep struct {
	stepBase
	pop     string
	keys    []string
	keyTrav *pipeline
	bys     []*byMod
}

func (s *selectStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy("select", args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

func (s *selectStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		keys := s.keys
		if s.keyTrav != nil {
			k, ok := x.evalFirst(s.keyTrav, t)
			if !ok {
				return nil, false
			}
			ks, ok := k.(string)
			if !ok {
				// A non-String key can only name an entry of the
				// current Map (Scoping.getScopeValue).
				m, isMap := t.val.(*value.Map)
				if !isMap {
					return nil, false
				}
				v, found := m.Get(k)
				if !found {
					return nil, false
				}
				if len(s.bys) > 0 {
					return x.applyBy("select", s.bys[0], v, nil)
				}
				return v, true
			}
			keys = []string{ks}
		}
		if len(keys) == 1 {
			v, ok := x.scopeValue(t, s.pop, keys[0], true)
			if !ok {
				return nil, false
			}
			if len(s.bys) > 0 {
				return x.applyBy("select", s.bys[0], v, nil)
			}
			return v, true
		}
		out := value.NewMap()
		for i, k := range keys {
			v, ok := x.scopeValue(t, s.pop, k, true)
			if !ok {
				return nil, false
			}
			if len(s.bys) > 0 {
				v, ok = x.applyBy("select", s.bys[i%len(s.bys)], v, nil)
				if !ok {
					return nil, false
				}
			}
			out.Put(k, v)
		}
		return out, true
	}}
	return m.open(x, in)
}

// projectStep implements project(keys...).by()...
type projectStep struct {
	stepBase
	keys []string
	bys  []*byMod
}

func (s *projectStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy("project", args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

func (s *projectStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		out := value.NewMap()
		for i, k := range s.keys {
			var b *byMod
			if len(s.bys) > 0 {
				b = s.bys[i%len(s.bys)]
			}
			v, ok := x.applyBy("project", b, t.val, t)
			if !ok {
				continue
			}
			out.Put(k, v)
		}
		return out, true
	}}
	return m.open(x, in)
}

// sackStep implements sack(Operator).by(...).
type sackStep struct {
	stepBase
	op string
	by *byMod
}

func (s *sackStep) addBy(c *compiler, args []any) error {
	if s.by != nil {
		return errorf("sack", "Sack step can only have one by modulator")
	}
	b, err := c.parseBy("sack", args)
	if err != nil {
		return err
	}
	s.by = b
	return nil
}

func (s *sackStep) open(x *exec, in iter) iter {
	f := &travStep{stepBase: s.stepBase, f: func(x *exec, t *trav) iter {
		v, ok := x.applyBy("sack", s.by, t.val, t)
		if !ok {
			// an unproductive by() filters the traverser
			return emptyIter
		}
		r, err := fn.ApplyOperator(s.op, t.sack, v)
		if err != nil {
			throwf("sack", "%v", err)
		}
		c := t.clone()
		c.sack = r
		c.hasSack = true
		return sliceIter([]*trav{c})
	}}
	return f.open(x, in)
}

// indexStep implements index(): pairs each list item with its position,
// or (with(indexer, map)) builds an index → item map.
type indexStep struct {
	stepBase
	asMap bool
}

func (s *indexStep) addWith(c *compiler, key string, val any) error {
	if key == "~tinkerpop.index.indexer" {
		n, _ := toInt64(val)
		s.asMap = n == 1
	}
	return nil
}

func (s *indexStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		vals, ok := items(t.val)
		if !ok {
			vals = []any{t.val}
		}
		if m, ok := t.val.(*value.Map); ok {
			vals = nil
			for _, e := range m.Entries() {
				vals = append(vals, &mapEntry{k: e.Key, v: e.Value})
			}
		}
		if s.asMap {
			out := value.NewMap()
			for i, v := range vals {
				out.Put(int32(i), v)
			}
			return out, true
		}
		out := make([]any, len(vals))
		for i, v := range vals {
			out[i] = []any{v, int32(i)}
		}
		return out, true
	}}
	return m.open(x, in)
}

// aggregateStep implements aggregate(global/local) into a bulkSet.
type aggregateStep struct {
	stepBase
	key   string
	local bool
	by    *byMod
}

func (s *aggregateStep) addBy(c *compiler, args []any) error {
	if s.by != nil {
		return errorf("aggregate", "Aggregate step can only have one by modulator")
	}
	b, err := c.parseBy("aggregate", args)
	if err != nil {
		return err
	}
	s.by = b
	return nil
}

func (x *exec) aggregateInto(key string) *bulkSet {
	se := x.se[key]
	if se == nil {
		bs := newBulkSet()
		x.putSE(key, bs, "")
		return bs
	}
	if bs, ok := se.val.(*bulkSet); ok {
		return bs
	}
	if _, ok := se.val.(*value.Set); ok {
		return nil // an initial Set keeps set semantics (see add)
	}
	// An initial withSideEffect collection: convert to a bulkSet.
	bs := newBulkSet()
	if its, ok := items(se.val); ok {
		for _, it := range its {
			bs.add(it, 1)
		}
	}
	se.val = bs
	return bs
}

func (s *aggregateStep) add(x *exec, bs *bulkSet, t *trav) {
	v, ok := x.applyBy("aggregate", s.by, t.val, t)
	if !ok {
		return
	}
	if se := x.se[s.key]; se != nil && se.reducer != "" {
		var arg any = v
		if strings.TrimPrefix(se.reducer, "Operator.") == "addAll" {
			// the aggregated values are added as a collection
			vs := make([]any, 0, 1)
			for i := int64(0); i < t.bulk && i < 1<<20; i++ {
				vs = append(vs, v)
			}
			arg = vs
		}
		r, err := fn.ApplyOperator(se.reducer, se.val, arg)
		if err != nil {
			throwf("aggregate", "%v", err)
		}
		se.val = r
		return
	}
	if se := x.se[s.key]; se != nil {
		// withSideEffect("x", set): TinkerPop adds into the given Set,
		// so duplicates collapse.
		if st, ok := se.val.(*value.Set); ok {
			st.Add(detachFrom(v, st))
			return
		}
	}
	bs.add(detachFrom(v, bs), t.bulk)
}

// detachFrom returns v with every reference to the side-effect container
// c (a *bulkSet or *value.Set) replaced by a copy of c's current
// contents. cap() and select() hand out the container itself, so
// cap("x").aggregate("x") would otherwise make x contain itself, and
// every later walk of it (hashing, comparing, serializing) would recurse
// forever.
func detachFrom(v, c any) any {
	out, _ := detach(v, c)
	return out
}

func detach(v, c any) (any, bool) {
	switch t := v.(type) {
	case *bulkSet:
		if b, ok := c.(*bulkSet); ok && b == t {
			return publicValue(t.list()), true
		}
		changed := false
		out := newBulkSet()
		for _, k := range t.keys {
			e, ch := detach(t.vals[k], c)
			changed = changed || ch
			out.add(e, t.count[k])
		}
		if changed {
			return out, true
		}
	case *value.Set:
		if st, ok := c.(*value.Set); ok && st == t {
			return value.NewSet(t.Items()...), true
		}
		its, changed := detachAll(t.Items(), c)
		if changed {
			return value.NewSet(its...), true
		}
	case []any:
		if its, changed := detachAll(t, c); changed {
			return its, true
		}
	case *value.Map:
		changed := false
		out := value.NewMap()
		for _, e := range t.Entries() {
			k, ck := detach(e.Key, c)
			val, cv := detach(e.Value, c)
			changed = changed || ck || cv
			out.Put(k, val)
		}
		if changed {
			return out, true
		}
	case *mapEntry:
		k, ck := detach(t.k, c)
		val, cv := detach(t.v, c)
		if ck || cv {
			return &mapEntry{k: k, v: val}, true
		}
	case *value.Path:
		if objs, changed := detachAll(t.Objects, c); changed {
			return &value.Path{Labels: t.Labels, Objects: objs}, true
		}
	}
	return v, false
}

func detachAll(vs []any, c any) ([]any, bool) {
	var out []any
	for i, e := range vs {
		d, ch := detach(e, c)
		if ch && out == nil {
			out = append(make([]any, 0, len(vs)), vs[:i]...)
		}
		if out != nil {
			out = append(out, d)
		}
	}
	if out == nil {
		return vs, false
	}
	return out, true
}

func (s *aggregateStep) open(x *exec, in iter) iter {
	var bs *bulkSet
	if se := x.se[s.key]; se == nil || se.reducer == "" {
		bs = x.aggregateInto(s.key)
	}
	if s.local {
		f := &filterStep{stepBase: s.stepBase, f: func(x *exec, t *trav) bool {
			s.add(x, bs, t)
			return true
		}}
		return f.open(x, in)
	}
	b := &barrierStep{stepBase: s.stepBase, reduce: func(x *exec, in iter) []*trav {
		ts := drain(x, in)
		if se := x.se[s.key]; se != nil && strings.TrimPrefix(se.reducer, "Operator.") == "assign" {
			// assign: the collection gathered by this barrier replaces
			// the side-effect.
			agg := newBulkSet()
			for _, t := range ts {
				if v, ok := x.applyBy("aggregate", s.by, t.val, t); ok {
					agg.add(v, t.bulk)
				}
			}
			se.val = agg
			return ts
		}
		for _, t := range ts {
			s.add(x, bs, t)
		}
		return ts
	}}
	return b.open(x, in)
}

// sampleStep implements sample(n) and sample(local, n).
type sampleStep struct {
	stepBase
	n     int64
	local bool
	by    *byMod
}

func (s *sampleStep) addBy(c *compiler, args []any) error {
	if s.by != nil {
		return errorf("sample", "Sample step can only have one by modulator")
	}
	b, err := c.parseBy("sample", args)
	if err != nil {
		return err
	}
	s.by = b
	return nil
}

func (s *sampleStep) open(x *exec, in iter) iter {
	if s.local {
		m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
			return s.sampleLocal(x, t.val), true
		}}
		return m.open(x, in)
	}
	b := &barrierStep{stepBase: s.stepBase, reduce: func(x *exec, in iter) []*trav {
		return s.sampleGlobal(x, drain(x, in))
	}}
	return b.open(x, in)
}

// sampleLocal is TinkerPop's SampleLocalStep: a list or map larger than
// n loses random members (nextInt over the remaining ones) until n are
// picked, in the order they were picked; anything else passes unchanged.
func (s *sampleStep) sampleLocal(x *exec, v any) any {
	if m, ok := v.(*value.Map); ok {
		if int64(m.Len()) <= s.n {
			return m
		}
		orig := append([]value.MapEntry{}, m.Entries()...)
		out := value.NewMap()
		rng := x.stepRand(s)
		for int64(out.Len()) < s.n {
			j := int(rng.nextIntN(int32(len(orig))))
			out.Put(orig[j].Key, orig[j].Value)
			orig = append(orig[:j], orig[j+1:]...)
		}
		return out
	}
	if _, isPath := v.(*value.Path); isPath {
		return v // a Path is not a Collection in TinkerPop
	}
	vals, ok := items(v)
	if !ok {
		return v
	}
	if int64(len(vals)) <= s.n {
		return v
	}
	orig := append([]any{}, vals...)
	// A negative amount picks nothing, as in TinkerPop.
	out := make([]any, 0, max(s.n, 0))
	rng := x.stepRand(s)
	for int64(len(out)) < s.n {
		j := int(rng.nextIntN(int32(len(orig))))
		out = append(out, orig[j])
		orig = append(orig[:j], orig[j+1:]...)
	}
	return out
}

// sampleGlobal is TinkerPop's SampleGlobalStep: equal traversers merge
// (a TraverserSet), each is weighted by its by() value (1 without one;
// traversers whose by() yields nothing are dropped), and while fewer than
// n units are picked, a pass walks the remaining units and picks the
// first one whose weight share beats nextDouble(), then starts over.
func (s *sampleStep) sampleGlobal(x *exec, in []*trav) []*trav {
	type weighted struct {
		t      *trav
		w      float64
		picked int64
	}
	var set []*weighted
	var size int64
	for _, t := range mergeTravs(x, in) {
		w := 1.0
		if s.by != nil {
			v, ok := x.applyBy("sample", s.by, t.val, t)
			if !ok {
				continue
			}
			f, ok := fn.ToFloat64(v)
			if !ok {
				f, ok = toFloat(v)
			}
			if !ok {
				throwf("sample", "Traverser %s does not evaluate to a number with the by() modulator", javaStr(t.val))
			}
			w = f
		}
		set = append(set, &weighted{t: t, w: w})
		size += t.bulk
	}
	if size <= s.n {
		out := make([]*trav, len(set))
		for i, e := range set {
			out[i] = e.t
		}
		return out
	}
	total := 0.0
	for _, e := range set {
		total += e.w * float64(e.t.bulk)
	}
	rng := x.stepRand(s)
	var order []*weighted // picked traversers, in the order first picked
	for picked := int64(0); picked < s.n; {
		// Java would loop forever when no remaining unit can be picked.
		live := false
		for _, e := range set {
			if e.picked < e.t.bulk && e.w > 0 {
				live = true
			}
		}
		if !live {
			break
		}
		running := total
		for _, e := range set {
			if e.picked >= e.t.bulk {
				continue
			}
			hit := false
			for i := int64(0); i < e.t.bulk-e.picked; i++ {
				x.tick()
				if rng.nextDouble() <= e.w/running {
					if e.picked == 0 {
						order = append(order, e)
					}
					e.picked++
					picked++
					hit = true
					break
				}
				running -= e.w
			}
			if hit || picked >= s.n {
				break
			}
		}
	}
	out := make([]*trav, 0, len(order))
	for _, e := range order {
		c := e.t.clone()
		c.bulk = e.picked
		out = append(out, c)
	}
	return out
}

// mathStep implements math(expr) with by() modulators for variables.
type mathStep struct {
	stepBase
	expr *fn.MathExpr
	bys  []*byMod
}

func (s *mathStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy("math", args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

func (s *mathStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		vars := map[string]float64{}
		for i, name := range s.expr.Vars() {
			var v any
			// "_" is the traverser's object, a by() on it sees the
			// traverser; a label's value is a bare object.
			vt := t
			if name == "_" {
				v = t.val
			} else {
				vt = nil
				var ok bool
				v, ok = x.scopeValue(t, "last", name, true)
				if !ok {
					throwf("math", "Neither the map, sideEffects, nor path has a %s-key", name)
				}
			}
			if len(s.bys) > 0 {
				var ok bool
				v, ok = x.applyBy("math", s.bys[i%len(s.bys)], v, vt)
				if !ok {
					return nil, false
				}
			}
			f, ok := fn.ToFloat64(v)
			if !ok {
				f, ok = toFloat(v)
			}
			if !ok {
				throwf("math", "The variable %s must resolve to a number, got %s", name, typeName(v))
			}
			vars[name] = f
		}
		r, err := s.expr.Eval(vars)
		if err != nil {
			throwf("math", "%v", err)
		}
		return r, true
	}}
	return m.open(x, in)
}
