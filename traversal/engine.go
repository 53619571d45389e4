package traversal

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"runtime/debug"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// iter is a pull-based stream of traversers. next returns nil when no
// traverser is available now; a stream fed by a queue (repeat bodies,
// branch options) may produce more after being fed again.
type iter interface {
	next() *trav
}

type iterFunc func() *trav

func (f iterFunc) next() *trav { return f() }

// emptyIter never produces.
var emptyIter iter = iterFunc(func() *trav { return nil })

// queueIter is a FIFO of traversers. With merge set, equal traversers are
// folded into one with summed bulk while queued (TinkerPop's TraverserSet).
// When x is set, merging follows the run's bulk and sack-merge settings
// (see exec.mergeKey and exec.mergeTrav).
type queueIter struct {
	items []*trav
	head  int
	merge bool
	mode  int
	x     *exec
	index map[string]*trav
}

func (q *queueIter) keyOf(t *trav) string {
	if q.x != nil {
		return q.x.mergeKey(t)
	}
	return t.key(q.mode)
}

func (q *queueIter) push(t *trav) {
	if q.merge {
		if q.index == nil {
			q.index = map[string]*trav{}
		}
		k := q.keyOf(t)
		if o, ok := q.index[k]; ok {
			if q.x != nil {
				q.x.mergeTrav(o, t)
			} else {
				o.bulk += t.bulk
			}
			return
		}
		q.index[k] = t
	}
	q.items = append(q.items, t)
}

func (q *queueIter) next() *trav {
	if q.head >= len(q.items) {
		return nil
	}
	t := q.items[q.head]
	q.items[q.head] = nil
	q.head++
	if q.head == len(q.items) {
		q.items = q.items[:0]
		q.head = 0
	}
	if q.merge {
		delete(q.index, q.keyOf(t))
	}
	return t
}

func (q *queueIter) empty() bool { return q.head >= len(q.items) }

// reset drops everything queued.
func (q *queueIter) reset() {
	q.items = q.items[:0]
	q.head = 0
	q.index = nil
}

// sliceIter yields the given traversers once.
func sliceIter(ts []*trav) iter {
	i := 0
	return iterFunc(func() *trav {
		if i >= len(ts) {
			return nil
		}
		t := ts[i]
		ts[i] = nil
		i++
		return t
	})
}

// travPanic carries an error through panics up to the Iterator boundary.
type travPanic struct{ err error }

func throw(err error) { panic(travPanic{err}) }

func throwf(step, format string, args ...any) { panic(travPanic{errorf(step, format, args...)}) }

// sideEffect is one named side-effect of a traversal run.
type sideEffect struct {
	val      any
	reducer  string // Operator name from withSideEffect, or ""
	finalize func(x *exec, v any) any
}

// exec is the state of one run of a traversal.
type exec struct {
	steps    *stepSet // the Engine's steps and services (call("--list"))
	ioRoot   string   // the Engine's io() directory
	ctx      context.Context
	tx       storage.GraphTx
	src      *sourceConfig
	mode     int
	se       map[string]*sideEffect
	seOrder  []string
	rng      *rand.Rand
	rngs     map[any]*javaRandom // per-step generators, see stepRand
	closers  []func()
	ticks    int
	vcache   map[string]*value.Vertex
	nextAnon int
	noFilter int       // >0 while evaluating strategy filter traversals
	prof     *profiler // set when the traversal is profiled (profile.go)
}

func (x *exec) tick() {
	x.ticks++
	if x.ticks&255 == 0 {
		if err := x.ctx.Err(); err != nil {
			throw(err)
		}
	}
}

func (x *exec) onClose(f func()) { x.closers = append(x.closers, f) }

// stepRand returns the random generator owned by one step (identified by
// key) for this run. Like TinkerPop's Seedable steps, every random step has
// its own java.util.Random; with SeedStrategy each starts from the
// strategy's seed, so seeded runs reproduce the reference results.
func (x *exec) stepRand(key any) *javaRandom {
	if r, ok := x.rngs[key]; ok {
		return r
	}
	if x.rngs == nil {
		x.rngs = map[any]*javaRandom{}
	}
	var r *javaRandom
	if x.src != nil && x.src.seed != nil {
		r = newJavaRandom(*x.src.seed)
	} else if x.rng != nil {
		r = newJavaRandom(x.rng.Int63())
	} else {
		r = newJavaRandom(rand.Int63())
	}
	x.rngs[key] = r
	return r
}

// mergeKey identifies traversers that may be merged into one (TinkerPop's
// TraverserSet equality): same value, path and loops. Sacks are compared
// by value unless a sack merge operator is configured, in which case
// traversers with different sacks merge too and their sacks are combined.
func (x *exec) mergeKey(t *trav) string {
	if t.hasSack && x.src.sackMerge != "" {
		c := *t
		c.hasSack = false
		return c.key(x.mode)
	}
	return t.key(x.mode)
}

// mergeTrav folds t into o (which has the same mergeKey): bulks add up
// unless bulking is off (withBulk(false)), and sacks combine with the
// sack merge operator.
func (x *exec) mergeTrav(o, t *trav) {
	if !x.src.noBulk {
		o.bulk += t.bulk
	}
	if o.hasSack && t.hasSack && x.src.sackMerge != "" {
		r, err := fn.ApplyOperator(x.src.sackMerge, o.sack, t.sack)
		if err != nil {
			throwf("sack", "%v", err)
		}
		o.sack = r
	}
}

// extend makes the child traverser for a map/flatMap step result.
func (x *exec) extend(t *trav, v any, labels []string) *trav {
	c := t.clone()
	c.val = v
	switch x.mode {
	case pathFull:
		c.path = t.path.push(v, labels)
	case pathLabeled:
		if len(labels) > 0 {
			c.path = t.path.push(v, labels)
		}
	}
	return c
}

// label adds step labels to a traverser passing a non-map step.
func (x *exec) label(t *trav, labels []string) *trav {
	if len(labels) == 0 || x.mode == pathNone {
		return t
	}
	c := t.clone()
	if t.path == nil || x.mode == pathLabeled && !sameObj(t.path.obj, t.val) {
		c.path = t.path.push(t.val, labels)
	} else {
		c.path = t.path.withLabels(labels)
	}
	return c
}

func sameObj(a, b any) bool {
	defer func() { recover() }()
	if a == b {
		return true
	}
	return value.Key(a) == value.Key(b)
}

// newTrav creates a root traverser (start step output).
func (x *exec) newTrav(v any, labels []string) *trav {
	t := &trav{val: v, bulk: 1}
	if x.mode == pathFull || x.mode == pathLabeled && len(labels) > 0 {
		t.path = (*pathNode)(nil).push(v, labels)
	}
	if x.src.hasSack {
		t.sack = copySack(x.src.sackInit)
		t.hasSack = true
	}
	return t
}

// freshStart is the start traverser of a child traversal applied to a
// bare object rather than to a traverser (TraversalUtil.apply(S, ...)):
// bulk 1, a path of just the object (when paths are kept), the initial
// sack and no loops.
func (x *exec) freshStart(v any) *trav {
	return x.newTrav(v, nil)
}

func copySack(v any) any {
	switch s := v.(type) {
	case []any:
		return append([]any(nil), s...)
	case *value.Map:
		m := value.NewMap()
		for _, e := range s.Entries() {
			m.Put(e.Key, e.Value)
		}
		return m
	case *value.Set:
		return value.NewSet(s.Items()...)
	}
	return v
}

// run is the public Iterator of one traversal run.
type run struct {
	x      *exec
	out    iter
	err    error
	done   bool
	closed bool
}

func newRun(ctx context.Context, t *Traversal, tx storage.GraphTx) *run {
	if ctx == nil {
		ctx = context.Background()
	}
	x := &exec{steps: t.eng.steps, ioRoot: t.eng.ioRoot, ctx: ctx, tx: tx, src: t.src, mode: t.src.pathMode, se: map[string]*sideEffect{}}
	if t.prof != nil {
		x.prof = newProfiler(t)
	}
	if t.src.seed != nil {
		x.rng = rand.New(rand.NewSource(*t.src.seed))
	} else {
		x.rng = rand.New(rand.NewSource(rand.Int63()))
	}
	for _, kv := range t.src.sideEffects {
		x.putSE(kv.key, copySack(kv.val), kv.reducer)
	}
	r := &run{x: x}
	func() {
		defer r.recover()
		start := &trav{val: rootStart{}, bulk: 1}
		if t.src.hasSack {
			start.sack, start.hasSack = copySack(t.src.sackInit), true
		}
		r.out = t.root.open(x, sliceIter([]*trav{start}))
	}()
	if r.err != nil {
		r.done = true
	}
	return r
}

func (x *exec) putSE(key string, v any, reducer string) {
	if _, ok := x.se[key]; !ok {
		x.seOrder = append(x.seOrder, key)
	}
	x.se[key] = &sideEffect{val: v, reducer: reducer}
}

func (r *run) recover() {
	if p := recover(); p != nil {
		if tp, ok := p.(travPanic); ok {
			r.err = tp.err
		} else if e, ok := p.(error); ok && errors.Is(e, context.Canceled) {
			r.err = e
		} else {
			r.err = fmt.Errorf("internal traversal error: %v\n%s", p, debug.Stack())
		}
		r.done = true
	}
}

func (r *run) Next() (res value.Traverser, ok bool) {
	if r.done {
		return value.Traverser{}, false
	}
	defer r.recover()
	if err := r.x.ctx.Err(); err != nil {
		r.err = err
		r.done = true
		return value.Traverser{}, false
	}
	for {
		t := r.out.next()
		if t == nil {
			r.done = true
			return value.Traverser{}, false
		}
		if t.bulk <= 0 {
			continue
		}
		return value.Traverser{Bulk: t.bulk, Value: r.x.output(t.val)}, true
	}
}

func (r *run) Err() error { return r.err }

func (r *run) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.done = true
	for _, c := range r.x.closers {
		c()
	}
	r.x.closers = nil
}

// output prepares a result value for the caller: internal collection types
// become their public forms.
func (x *exec) output(v any) any {
	switch t := v.(type) {
	case *value.Vertex:
		if t.Properties == nil {
			return x.fullVertex(t)
		}
		return t
	case *value.Edge:
		if t.Properties == nil {
			return x.fullEdge(t)
		}
		return t
	}
	return publicValue(v)
}

// publicValue converts internal values (map entries, bulk sets) nested
// anywhere in v to their public forms.
func publicValue(v any) any {
	r, _ := pubVal(v)
	return r
}

// pubVal returns v's public form and whether it differs from v.
func pubVal(v any) (any, bool) {
	switch t := v.(type) {
	case *mapEntry:
		m := value.NewMap()
		m.Put(publicValue(t.k), publicValue(t.v))
		return m, true
	case *bulkSet:
		return publicValue(t.list()), true
	case *groupAcc:
		return value.NewMap(), true
	case []any:
		var out []any
		for i, e := range t {
			p, ch := pubVal(e)
			if out == nil && ch {
				out = append([]any{}, t[:i]...)
			}
			if out != nil {
				out = append(out, p)
			}
		}
		if out != nil {
			return out, true
		}
	case *value.Set:
		changed := false
		its := make([]any, len(t.Items()))
		for i, e := range t.Items() {
			var ch bool
			its[i], ch = pubVal(e)
			changed = changed || ch
		}
		if changed {
			return value.NewSet(its...), true
		}
	case *value.Map:
		changed := false
		out := value.NewMap()
		for _, e := range t.Entries() {
			k, c1 := pubVal(e.Key)
			vv, c2 := pubVal(e.Value)
			changed = changed || c1 || c2
			out.Put(k, vv)
		}
		if changed {
			return out, true
		}
	case *value.Path:
		changed := false
		objs := make([]any, len(t.Objects))
		for i, e := range t.Objects {
			var ch bool
			objs[i], ch = pubVal(e)
			changed = changed || ch
		}
		if changed {
			return &value.Path{Labels: t.Labels, Objects: objs}, true
		}
	case *value.Tree:
		if t == nil {
			break
		}
		changed := false
		out := &value.Tree{Branches: make([]value.TreeBranch, len(t.Branches))}
		for i, b := range t.Branches {
			k, c1 := pubVal(b.Key)
			sub, c2 := pubVal(b.Tree)
			changed = changed || c1 || c2
			st, _ := sub.(*value.Tree)
			out.Branches[i] = value.TreeBranch{Key: k, Tree: st}
		}
		if changed {
			return out, true
		}
	case *value.BulkSet:
		changed := false
		out := &value.BulkSet{Items: make([]value.BulkItem, len(t.Items))}
		for i, it := range t.Items {
			p, ch := pubVal(it.Value)
			changed = changed || ch
			out.Items[i] = value.BulkItem{Value: p, Bulk: it.Bulk}
		}
		if changed {
			return out, true
		}
	case rootStart:
		// TinkerPop's start placeholder (UnionStep's UNION_STARTER) is
		// no value: Gremlin Server cannot serialize it either.
		throwf("union", "a child traversal of g.union() without a start step of its own (such as __.identity() or __.as()) "+
			"passed on union()'s start placeholder, which is not a value: begin each child with V(), E(), inject() or constant()")
	}
	return v, false
}

// pipeline is a compiled (sub)traversal: a chain of steps.
type pipeline struct {
	steps []step
}

func (p *pipeline) open(x *exec, in iter) iter {
	if x.prof != nil {
		return x.prof.open(x, p, in)
	}
	for _, s := range p.steps {
		in = openStep(x, s, in)
	}
	return in
}

// step is one compiled step. open wires it to its input.
type step interface {
	open(x *exec, in iter) iter
	base() *stepBase
}

type stepBase struct {
	name   string
	labels []string
	id     int
	// keep, when set, is the step's keepLabels (PathRetractionStrategy):
	// path labels outside it are dropped from its output traversers.
	keep *keepSet
}

func (b *stepBase) base() *stepBase { return b }

// ---------------------------------------------------------------------------
// Child traversal evaluation.

// subStart makes the start traverser of a child traversal evaluated for t
// (TraversalUtil.apply: same path, loops and sack, bulk 1).
func subStart(t *trav) *trav {
	c := t.clone()
	c.bulk = 1
	return c
}

// evalAll runs child p for t and returns all result traversers.
func (x *exec) evalAll(p *pipeline, t *trav) []*trav {
	it := p.open(x, sliceIter([]*trav{subStart(t)}))
	var out []*trav
	for r := it.next(); r != nil; r = it.next() {
		out = append(out, r)
	}
	return out
}

// evalFirst runs child p for t and returns its first result value.
func (x *exec) evalFirst(p *pipeline, t *trav) (any, bool) {
	it := p.open(x, sliceIter([]*trav{subStart(t)}))
	r := it.next()
	if r == nil {
		return nil, false
	}
	return r.val, true
}

// evalTest reports whether child p produces anything for t.
func (x *exec) evalTest(p *pipeline, t *trav) bool {
	_, ok := x.evalFirst(p, t)
	return ok
}

// evalIter runs child p lazily for t keeping t's bulk.
func (x *exec) evalIter(p *pipeline, t *trav) iter {
	return p.open(x, sliceIter([]*trav{t.clone()}))
}

// ---------------------------------------------------------------------------
// Generic step shapes.

// mapStep maps each traverser to at most one value.
type mapStep struct {
	stepBase
	f func(x *exec, t *trav) (any, bool)
}

func (s *mapStep) open(x *exec, in iter) iter {
	return iterFunc(func() *trav {
		for {
			t := in.next()
			if t == nil {
				return nil
			}
			v, ok := s.f(x, t)
			if ok {
				return x.extend(t, v, s.labels)
			}
		}
	})
}

// valIter yields values lazily.
type valIter func() (any, bool)

func sliceVals(vs []any) valIter {
	i := 0
	return func() (any, bool) {
		if i >= len(vs) {
			return nil, false
		}
		i++
		return vs[i-1], true
	}
}

// flatMapStep maps each traverser to a stream of values.
type flatMapStep struct {
	stepBase
	f func(x *exec, t *trav) valIter
}

func (s *flatMapStep) open(x *exec, in iter) iter {
	var cur valIter
	var ct *trav
	return iterFunc(func() *trav {
		for {
			if cur != nil {
				if v, ok := cur(); ok {
					return x.extend(ct, v, s.labels)
				}
				cur = nil
			}
			t := in.next()
			if t == nil {
				return nil
			}
			x.tick()
			ct = t
			cur = s.f(x, t)
		}
	})
}

// childEndsStep is the shape of TinkerPop's FlatMapStep over a child
// traversal (flatMap(traversal), coalesce()): f starts a child for the
// incoming traverser (with subStart, so at bulk 1) and every end object of
// that child becomes a split of the incoming traverser. The output keeps
// the incoming path, loops and sack and gains only the object, under this
// step's labels; whatever the child's steps did to their own traversers
// (path elements, as() labels, sack changes) stays inside the child. Like
// Java's iteration of the child, a child result of bulk n counts as n
// objects, each carrying the incoming bulk.
type childEndsStep struct {
	stepBase
	f func(x *exec, t *trav) iter
}

func (s *childEndsStep) open(x *exec, in iter) iter {
	var cur iter
	var ct *trav
	return iterFunc(func() *trav {
		for {
			if cur != nil {
				if r := cur.next(); r != nil {
					if r.bulk <= 0 {
						continue
					}
					o := x.extend(ct, r.val, s.labels)
					if !x.src.noBulk {
						o.bulk = ct.bulk * r.bulk
					}
					return o
				}
				cur = nil
			}
			t := in.next()
			if t == nil {
				return nil
			}
			x.tick()
			ct = t
			cur = s.f(x, t)
		}
	})
}

// filterStep keeps traversers for which f is true.
type filterStep struct {
	stepBase
	f func(x *exec, t *trav) bool
}

func (s *filterStep) open(x *exec, in iter) iter {
	return iterFunc(func() *trav {
		for {
			t := in.next()
			if t == nil {
				return nil
			}
			if s.f(x, t) {
				return x.label(t, s.labels)
			}
		}
	})
}

// travStep transforms each traverser into a stream of traversers (for
// steps that manage bulk or paths themselves).
type travStep struct {
	stepBase
	f func(x *exec, t *trav) iter
}

func (s *travStep) open(x *exec, in iter) iter {
	var cur iter
	return iterFunc(func() *trav {
		for {
			if cur != nil {
				if r := cur.next(); r != nil {
					return x.label(r, s.labels)
				}
				cur = nil
			}
			t := in.next()
			if t == nil {
				return nil
			}
			x.tick()
			cur = s.f(x, t)
		}
	})
}

// barrierStep drains its input and then emits what reduce returns.
type barrierStep struct {
	stepBase
	reduce func(x *exec, in iter) []*trav
}

func (s *barrierStep) open(x *exec, in iter) iter {
	var out iter
	ran := false
	return iterFunc(func() *trav {
		for {
			if out != nil {
				if t := out.next(); t != nil {
					return t
				}
				out = nil
			}
			// Reduce once at first, then again whenever new input arrives
			// (a barrier inside a repeat or branch is fed repeatedly).
			var ts []*trav
			if ran {
				first := in.next()
				if first == nil {
					return nil
				}
				ts = s.reduce(x, &prependIter{first: first, rest: in})
			} else {
				ran = true
				ts = s.reduce(x, in)
			}
			for i, t := range ts {
				ts[i] = x.label(t, s.labels)
			}
			out = sliceIter(ts)
		}
	})
}

type prependIter struct {
	first *trav
	rest  iter
}

func (p *prependIter) next() *trav {
	if p.first != nil {
		t := p.first
		p.first = nil
		return t
	}
	return p.rest.next()
}

// drain collects every traverser of it.
func drain(x *exec, it iter) []*trav {
	var out []*trav
	for t := it.next(); t != nil; t = it.next() {
		x.tick()
		out = append(out, t)
	}
	return out
}
