package traversal

import (
	"sort"

	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// bulkSet is aggregate()'s side-effect: distinct values with counts, in
// first-seen order.
type bulkSet struct {
	keys  []string
	vals  map[string]any
	count map[string]int64
}

func newBulkSet() *bulkSet {
	return &bulkSet{vals: map[string]any{}, count: map[string]int64{}}
}

func (b *bulkSet) add(v any, n int64) {
	k := value.Key(v)
	if _, ok := b.vals[k]; !ok {
		b.keys = append(b.keys, k)
		b.vals[k] = v
	}
	b.count[k] += n
}

// PublicValue implements fn.Internal: TinkerPop's BulkSet.
func (b *bulkSet) PublicValue() any { return b.public() }

func (b *bulkSet) list() []any {
	out := []any{}
	for _, k := range b.keys {
		for i := int64(0); i < b.count[k]; i++ {
			out = append(out, b.vals[k])
		}
	}
	return out
}

// public returns the bulk set as a value.BulkSet.
func (b *bulkSet) public() *value.BulkSet {
	out := &value.BulkSet{Items: make([]value.BulkItem, 0, len(b.keys))}
	for _, k := range b.keys {
		out.Items = append(out.Items, value.BulkItem{Value: publicValue(b.vals[k]), Bulk: b.count[k]})
	}
	return out
}

func (b *bulkSet) size() int64 {
	var n int64
	for _, c := range b.count {
		n += c
	}
	return n
}

// items returns the members of a collection value; ok is false for
// non-collections.
func items(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case *value.Set:
		return t.Items(), true
	case *bulkSet:
		return t.list(), true
	case *value.Path:
		return t.Objects, true
	case *value.BulkSet:
		return collectionItems(t), true
	}
	return nil, false
}

func scopeArg(args []any) (local bool, rest []any) {
	if len(args) > 0 {
		if s, ok := enumArg(args[0], "Scope"); ok {
			return s == "local", args[1:]
		}
	}
	return false, args
}

// reducer makes a reducing barrier whose single output is a fresh
// traverser (path reset), or nothing when ok is false.
func reducer(f func(x *exec, ts []*trav) (any, bool)) *barrierStep {
	return &barrierStep{reduce: func(x *exec, in iter) []*trav {
		v, ok := f(x, drain(x, in))
		if !ok {
			return nil
		}
		return []*trav{x.newTrav(v, nil)}
	}}
}

func (r *stepSet) addReduceSteps() {
	r.register("count", func(c *compiler, args []any) (step, error) {
		local, _ := scopeArg(args)
		if local {
			return &mapStep{f: func(x *exec, t *trav) (any, bool) {
				switch v := t.val.(type) {
				case *value.Map:
					return int64(v.Len()), true
				case *bulkSet:
					return v.size(), true
				}
				if its, ok := items(t.val); ok {
					return int64(len(its)), true
				}
				return int64(1), true
			}}, nil
		}
		return reducer(func(x *exec, ts []*trav) (any, bool) {
			var n int64
			for _, t := range ts {
				n += t.bulk
			}
			return n, true
		}), nil
	})
	r.register("fold", func(c *compiler, args []any) (step, error) {
		if len(args) == 2 {
			seed := args[0]
			op, ok := enumArg(args[1], "Operator")
			if !ok {
				return nil, errorf("fold", "the second argument must be an Operator, got %s", typeName(args[1]))
			}
			return reducer(func(x *exec, ts []*trav) (any, bool) {
				acc := copySack(seed)
				for _, t := range ts {
					for i := int64(0); i < t.bulk; i++ {
						r, err := fn.ApplyOperator(op, acc, t.val)
						if err != nil {
							throwf("fold", "%v", err)
						}
						acc = r
					}
				}
				return acc, true
			}), nil
		}
		if len(args) != 0 {
			return nil, errorf("fold", "expected no arguments or a seed and an Operator")
		}
		return reducer(func(x *exec, ts []*trav) (any, bool) {
			out := []any{}
			for _, t := range ts {
				for i := int64(0); i < t.bulk; i++ {
					out = append(out, t.val)
				}
			}
			return out, true
		}), nil
	})
	for _, name := range []string{"sum", "mean", "min", "max"} {
		name := name
		r.register(name, func(c *compiler, args []any) (step, error) {
			local, _ := scopeArg(args)
			if local {
				return &mapStep{f: func(x *exec, t *trav) (any, bool) {
					its, ok := items(t.val)
					if !ok {
						its = []any{t.val}
					}
					ws := make([]int64, len(its))
					for i := range ws {
						ws[i] = 1
					}
					return aggregateValues(name, its, ws)
				}}, nil
			}
			return reducer(func(x *exec, ts []*trav) (any, bool) {
				vals := make([]any, len(ts))
				ws := make([]int64, len(ts))
				for i, t := range ts {
					vals[i], ws[i] = t.val, t.bulk
				}
				return aggregateValues(name, vals, ws)
			}), nil
		})
	}
	r.register("groupCount", func(c *compiler, args []any) (step, error) {
		s := &groupStep{count: true}
		if len(args) > 0 {
			k, err := argString("groupCount", args, 0)
			if err != nil {
				return nil, err
			}
			s.sideKey = k
		}
		return s, nil
	})
	r.register("group", func(c *compiler, args []any) (step, error) {
		s := &groupStep{}
		if len(args) > 0 {
			k, err := argString("group", args, 0)
			if err != nil {
				return nil, err
			}
			s.sideKey = k
		}
		return s, nil
	})
	r.register("order", func(c *compiler, args []any) (step, error) {
		local, _ := scopeArg(args)
		return &orderStep{local: local}, nil
	})
	r.register("dedup", func(c *compiler, args []any) (step, error) {
		local, rest := scopeArg(args)
		labels, err := argStrings("dedup", rest)
		if err != nil {
			return nil, err
		}
		if len(labels) > 0 {
			c.needLabels = true
		}
		return &dedupStep{local: local, labels: labels}, nil
	})
	r.register("barrier", func(c *compiler, args []any) (step, error) {
		norm := false
		if len(args) > 0 {
			if b, ok := enumArg(args[0], "Barrier"); ok && b == "normSack" {
				norm = true
			}
		}
		return &barrierStep{reduce: func(x *exec, in iter) []*trav {
			ts := mergeTravs(x, drain(x, in))
			if norm {
				normSack(ts)
			}
			return ts
		}}, nil
	})
}

// mergeTravs folds equal traversers together, summing bulks.
func mergeTravs(x *exec, ts []*trav) []*trav {
	idx := map[string]*trav{}
	var out []*trav
	for _, t := range ts {
		k := x.mergeKey(t)
		if o, ok := idx[k]; ok {
			x.mergeTrav(o, t)
			continue
		}
		c := t.clone()
		idx[k] = c
		out = append(out, c)
	}
	return out
}

func normSack(ts []*trav) {
	// Barrier.normSack: each sack becomes its share of the total of all
	// sacks (weighted by bulk), in floating point.
	var total any
	for _, t := range ts {
		if !isNum(t.sack) {
			throwf("barrier", "normSack requires numeric sacks, got %s", typeName(t.sack))
		}
		w, err := fn.Mul(t.sack, bulkNum(t.bulk))
		if err == nil && total != nil {
			w, err = fn.Add(total, w)
		}
		if err != nil {
			throwf("barrier", "%v", err)
		}
		total = w
	}
	if total == nil {
		return
	}
	for _, t := range ts {
		r, err := fn.DivFP(t.sack, total)
		if err != nil {
			throwf("barrier", "%v", err)
		}
		t.sack = r
	}
}

// aggregateValues computes sum/mean/min/max over weighted values. Nulls
// are ignored (as in SQL); when every value is null the result is null,
// and with no values at all there is no result.
func aggregateValues(name string, vals []any, ws []int64) (any, bool) {
	switch name {
	case "sum":
		var acc any
		for i, v := range vals {
			if v == nil {
				continue
			}
			if !isNum(v) {
				throwf("sum", "expected numbers but got %s", typeName(v))
			}
			w := v
			if ws[i] != 1 {
				var err error
				w, err = fn.Mul(v, bulkNum(ws[i]))
				if err != nil {
					throwf("sum", "%v", err)
				}
			}
			if acc == nil {
				acc = w
				continue
			}
			r, err := fn.Add(acc, w)
			if err != nil {
				throwf("sum", "%v", err)
			}
			acc = r
		}
		return acc, acc != nil || len(vals) > 0
	case "mean":
		var exp []any
		for i, v := range vals {
			if v == nil {
				continue
			}
			if !isNum(v) {
				throwf("mean", "expected numbers but got %s", typeName(v))
			}
			for j := int64(0); j < ws[i]; j++ {
				exp = append(exp, v)
			}
		}
		if len(exp) == 0 {
			return nil, len(vals) > 0
		}
		r, err := fn.Mean(exp)
		if err != nil {
			throwf("mean", "%v", err)
		}
		return r, r != nil
	default:
		var acc any
		seen := false
		for _, v := range vals {
			if v == nil {
				continue
			}
			if !seen {
				acc, seen = v, true
				continue
			}
			if name == "min" {
				acc = fn.Min(acc, v)
			} else {
				acc = fn.Max(acc, v)
			}
		}
		return acc, seen || len(vals) > 0
	}
}

func bulkNum(n int64) any {
	if n <= 1<<31-1 {
		return int32(n)
	}
	return n
}

func isNum(v any) bool {
	if fn.IsNumber(v) {
		return true
	}
	_, ok := toFloat(v)
	return ok
}

// groupStep implements group() and groupCount(), as map steps or as
// side-effects (with a key).
type groupStep struct {
	stepBase
	count   bool
	sideKey string
	keyBy   *byMod
	valBy   *byMod
	nBy     int
}

func (s *groupStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy(s.name, args)
	if err != nil {
		return err
	}
	s.nBy++
	switch {
	case s.nBy == 1:
		s.keyBy = b
	case s.nBy == 2 && !s.count:
		s.valBy = b
	case s.count:
		return errorf(s.name, "GroupCount step can only have one by modulator")
	default:
		return errorf(s.name, "Group step can only have two by modulators")
	}
	return nil
}

// groupAcc accumulates the traversers per key.
type groupAcc struct {
	keys   []any
	idx    map[string]int
	travs  [][]*trav
	counts []int64
}

// PublicValue implements fn.Internal: a group side-effect not yet
// finalized shows as an empty map, as publicValue gives it.
func (g *groupAcc) PublicValue() any { return value.NewMap() }

func (g *groupAcc) add(k any, t *trav, count bool) {
	if g.idx == nil {
		g.idx = map[string]int{}
	}
	ks := value.Key(k)
	i, ok := g.idx[ks]
	if !ok {
		i = len(g.keys)
		g.idx[ks] = i
		g.keys = append(g.keys, k)
		g.travs = append(g.travs, nil)
		g.counts = append(g.counts, 0)
	}
	if count {
		g.counts[i] += t.bulk
	} else {
		g.travs[i] = append(g.travs[i], t)
	}
}

func (s *groupStep) accumulate(x *exec, g *groupAcc, t *trav) {
	k, ok := x.applyBy(s.name, s.keyBy, t.val, t)
	if !ok {
		return
	}
	g.add(k, t, s.count)
}

func (s *groupStep) finish(x *exec, g *groupAcc) *value.Map {
	m := value.NewMap()
	if s.count {
		for i, k := range g.keys {
			m.Put(k, g.counts[i])
		}
		return m
	}
	// TinkerPop reduces the value traversal key by key in the iteration
	// order of its HashMap, and random steps in that traversal draw from
	// one generator across the keys. With SeedStrategy the reduction
	// follows that order (where the keys' Java hashes are known) so seeded
	// results match; the map itself keeps first-seen key order.
	order := make([]int, len(g.keys))
	for i := range order {
		order[i] = i
	}
	if x.src != nil && x.src.seed != nil {
		if o, ok := javaHashMapOrder(g.keys); ok {
			order = o
		}
	}
	vals := make([]any, len(g.keys))
	have := make([]bool, len(g.keys))
	for _, i := range order {
		vals[i], have[i] = s.groupValue(x, g.travs[i])
	}
	for i, k := range g.keys {
		if have[i] {
			m.Put(k, vals[i])
		}
	}
	return m
}

func (s *groupStep) groupValue(x *exec, ts []*trav) (any, bool) {
	b := s.valBy
	if b == nil || b.kind != byTrav {
		out := []any{}
		for _, t := range ts {
			v, ok := x.applyBy(s.name, b, t.val, t)
			if !ok {
				continue
			}
			for i := int64(0); i < t.bulk; i++ {
				out = append(out, v)
			}
		}
		return out, true
	}
	starts := make([]*trav, len(ts))
	for i, t := range ts {
		starts[i] = t.clone()
	}
	it := b.trav.open(x, sliceIter(starts))
	r := it.next()
	if r == nil {
		return nil, false
	}
	return r.val, true
}

func (s *groupStep) open(x *exec, in iter) iter {
	if s.sideKey != "" {
		g := &groupAcc{}
		se := x.se[s.sideKey]
		if se == nil || se.finalize == nil {
			x.putSE(s.sideKey, g, "")
			busy := false
			x.se[s.sideKey].finalize = func(x *exec, v any) any {
				ga, ok := v.(*groupAcc)
				if !ok {
					return v
				}
				if busy {
					// A value traversal of this group() reads the
					// side-effect it is computing: finishing it would
					// recurse without end.
					throwf(s.name, "the side-effect %q cannot be read by the by() traversals of the %s(%q) that computes it", s.sideKey, s.name, s.sideKey)
				}
				busy = true
				defer func() { busy = false }()
				return s.finish(x, ga)
			}
		} else if ga, ok := se.val.(*groupAcc); ok {
			g = ga
		}
		// Since TinkerPop 3.8 (TINKERPOP-3207) the side-effect forms of
		// group() and groupCount() are barriers: every traverser is
		// counted before any moves on, so a later select() sees the
		// whole map.
		b := &barrierStep{stepBase: s.stepBase, reduce: func(x *exec, in iter) []*trav {
			ts := drain(x, in)
			for _, t := range ts {
				s.accumulate(x, g, t)
			}
			return ts
		}}
		return b.open(x, in)
	}
	r := reducer(func(x *exec, ts []*trav) (any, bool) {
		g := &groupAcc{}
		for _, t := range ts {
			s.accumulate(x, g, t)
		}
		return s.finish(x, g), true
	})
	r.stepBase = s.stepBase
	return r.open(x, in)
}

// seValue returns the finalized value of side-effect key.
func (x *exec) seValue(key string) (any, bool) {
	se, ok := x.se[key]
	if !ok {
		return nil, false
	}
	if se.finalize != nil {
		return se.finalize(x, se.val), true
	}
	return se.val, true
}

// orderStep implements order() and order(local).
type orderStep struct {
	stepBase
	local bool
	bys   []*byMod
	// topK is the high bound of the global range step that follows a
	// global order (steps_topk.go); nil when there is none.
	topK *int64
}

func (s *orderStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy("order", args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

type sortItem struct {
	keys []any
	t    *trav
	v    any
}

func (s *orderStep) sortItems(x *exec, its []*sortItem) {
	bys := s.bys
	if len(bys) == 0 {
		bys = []*byMod{{}}
	}
	shuffle := false
	for _, b := range bys {
		if b.order == "shuffle" {
			shuffle = true
		}
	}
	if shuffle {
		// Collections.shuffle with the step's own (seedable) generator.
		x.stepRand(s).shuffle(len(its), func(i, j int) { its[i], its[j] = its[j], its[i] })
		return
	}
	sort.SliceStable(its, func(i, j int) bool { return s.cmpKeys(its[i].keys, its[j].keys) < 0 })
}

// keysFor computes the by() keys of v; ok=false if some by is unproductive.
// t is the traverser whose object v is (order()), or nil for the items of
// order(local), which by() sees as bare objects (see applyBy).
func (s *orderStep) keysFor(x *exec, v any, t *trav) ([]any, bool) {
	if len(s.bys) == 0 {
		return []any{v}, true
	}
	ks := make([]any, len(s.bys))
	for i, b := range s.bys {
		k, ok := x.applyBy("order", b, v, t)
		if !ok {
			return nil, false
		}
		ks[i] = k
	}
	return ks, true
}

func (s *orderStep) open(x *exec, in iter) iter {
	if s.local {
		m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
			return s.orderLocal(x, t), true
		}}
		return m.open(x, in)
	}
	b := &barrierStep{stepBase: s.stepBase, reduce: func(x *exec, in iter) []*trav {
		if s.topK != nil && !s.shuffles() {
			return s.topKReduce(x, in, *s.topK)
		}
		ts := drain(x, in)
		var its []*sortItem
		for _, t := range ts {
			ks, ok := s.keysFor(x, t.val, t)
			if !ok {
				continue
			}
			its = append(its, &sortItem{keys: ks, t: t})
		}
		s.sortItems(x, its)
		out := make([]*trav, len(its))
		for i, it := range its {
			out[i] = it.t
		}
		return out
	}}
	return b.open(x, in)
}

func (s *orderStep) orderLocal(x *exec, t *trav) any {
	switch v := t.val.(type) {
	case *value.Map:
		var its []*sortItem
		for _, e := range v.Entries() {
			me := &mapEntry{k: e.Key, v: e.Value}
			ks, ok := s.keysFor(x, me, nil)
			if !ok {
				continue
			}
			its = append(its, &sortItem{keys: ks, v: me})
		}
		if len(s.bys) == 0 {
			for _, it := range its {
				it.keys = []any{it.v.(*mapEntry).k}
			}
		}
		s.sortItems(x, its)
		m := value.NewMap()
		for _, it := range its {
			me := it.v.(*mapEntry)
			m.Put(me.k, me.v)
		}
		return m
	}
	vals, ok := items(t.val)
	if !ok {
		return t.val
	}
	var its []*sortItem
	for _, v := range vals {
		ks, ok := s.keysFor(x, v, nil)
		if !ok {
			continue
		}
		its = append(its, &sortItem{keys: ks, v: v})
	}
	s.sortItems(x, its)
	out := make([]any, len(its))
	for i, it := range its {
		out[i] = it.v
	}
	return out
}

// dedupStep implements dedup() (global or local) with labels and by().
//
// Memory: global dedup() streams; it keeps one key per distinct value seen
// and nothing else. A following limit(n)/range(lo, n) stops pulling once n
// traversers passed, so dedup().limit(n) holds at most n keys (see
// TestOrderLimitNotFused). Without such a bound the key set grows with the
// number of distinct values: that is inherent (any earlier value may come
// again) and stays unbounded, as does dedup(local) over one collection.
type dedupStep struct {
	stepBase
	local  bool
	labels []string
	by     *byMod
}

func (s *dedupStep) addBy(c *compiler, args []any) error {
	if s.by != nil {
		return errorf("dedup", "Dedup step can only have one by modulator")
	}
	b, err := c.parseBy("dedup", args)
	if err != nil {
		return err
	}
	s.by = b
	return nil
}

func (s *dedupStep) open(x *exec, in iter) iter {
	if s.local {
		m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
			vals, ok := items(t.val)
			if !ok {
				return t.val, true
			}
			seen := map[string]bool{}
			out := []any{}
			for _, v := range vals {
				k := value.Key(v)
				if !seen[k] {
					seen[k] = true
					out = append(out, v)
				}
			}
			return value.NewSet(out...), true
		}}
		return m.open(x, in)
	}
	seen := map[string]bool{}
	f := &travStep{stepBase: s.stepBase, f: func(x *exec, t *trav) iter {
		var key string
		if len(s.labels) > 0 {
			for _, l := range s.labels {
				v, ok := x.scopeValue(t, "last", l, false)
				if !ok {
					return emptyIter
				}
				if s.by != nil {
					v, ok = x.applyBy("dedup", s.by, v, nil)
					if !ok {
						return emptyIter
					}
				}
				key += value.Key(v) + "|"
			}
		} else {
			v, ok := x.applyBy("dedup", s.by, t.val, t)
			if !ok {
				return emptyIter
			}
			key = value.Key(v)
		}
		if seen[key] {
			return emptyIter
		}
		seen[key] = true
		c := t.clone()
		c.bulk = 1
		return sliceIter([]*trav{c})
	}}
	return f.open(x, in)
}
