package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// PathRetractionStrategy (TinkerPop 3.5+ semantics, a default
// optimization strategy that withoutStrategies(PathRetractionStrategy)
// turns off).
//
// Traversers that carry path labels keep only the labels some later step
// may still read. Every PathProcessor step gets a set of labels to keep
// (keepLabels); after the step did its work, the traversers it emits lose
// every other label (except the step's own as() labels), and path
// elements left without a label are dropped. The PathProcessor steps are
// select() with keys (SelectOneStep, SelectStep), where() (predicate and
// traversal), dedup() (global), math(), format() and match(); the steps
// whose labels are counted as read are the Scoping ones: those steps, the
// start and end of where() and match() traversals, and the mutation steps
// for the labels their parameter traversals select (addE().from("a")).
//
// The keep sets are computed once per compiled traversal, for each
// traversal of the tree in pre-order (a parent before its children):
//
//  1. Walking the traversal's steps backwards, a path processor keeps the
//     labels referenced by the steps after it at the same level (children
//     of those steps are not looked into). match() keeps its start and end
//     labels (and therefore never retracts), and a path processor directly
//     inside a match() pattern keeps the match's start and end labels.
//  2. For each ancestor step, top-down, with the labels L referenced
//     anywhere at this traversal's level: if the ancestor has more than one
//     child traversal (counting TinkerPop's lambda children: by("key"),
//     times(n), union's pick, ...), every path processor below it gets L;
//     every path processor before the ancestor in its traversal, and every
//     one below those steps, gets L.
//  3. Every path processor of the traversal also keeps the labels
//     referenced from each ancestor onwards in the ancestor's traversal,
//     and, when an ancestor is a repeat(), L as well.
//
// Nothing accounts for the loop from the end of a repeat() body back to
// its start beyond rule 3, which is why
// repeat(both().as("v").project(...).by(select(first, "v"))...select("tgt"))
// forgets the earlier "v" labels after one iteration, as TinkerPop does.
//
// The strategy does not apply when a step needs whole paths (path(),
// simplePath(), cyclicPath(), tree(), otherV(), select(traversal),
// withPath()). As in TinkerPop, math() and format() hold their level's
// working set rather than a copy of it, so they keep every label their
// level references. identity() steps are left out of the analysis
// (IdentityRemovalStrategy). Not modelled: the NoOpBarrierStep TinkerPop
// inserts after path processors (a bulking optimization),
// RepeatUnrollStrategy (not a default strategy in 3.8) and
// MatchPredicateStrategy (which only moves where() into match(), where its
// labels are kept anyway).

// keepSet is the keepLabels of one path processor. math() and format()
// may share one with the other steps of their traversal (see above).
type keepSet struct{ labels map[string]bool }

func newKeepSet(from map[string]bool) *keepSet {
	k := &keepSet{labels: make(map[string]bool, len(from))}
	for l := range from {
		k.labels[l] = true
	}
	return k
}

func (k *keepSet) addAll(from map[string]bool) {
	for l := range from {
		k.labels[l] = true
	}
}

// ppKind says which PathProcessor a step is.
type ppKind int

const (
	ppNone      ppKind = iota
	ppSelectOne        // select(key)
	ppSelect           // select(key, key, ...)
	ppWhere            // where(P), where(key, P), where(traversal)
	ppDedup            // dedup() (global)
	ppMath             // math()
	ppFormat           // format()
	ppMatch            // match()
)

// stepMeta is what the compiler records about a step for the strategy.
type stepMeta struct {
	kids     []*pipeline // child traversals, in compile order
	jkids    int         // how many child traversals TinkerPop's step has
	bys      int         // by() modulators
	scope    []string    // scope keys (added to those of the step's kind)
	scopeSet bool        // scope replaces the kind's scope keys
	pp       ppKind      // the step's kind when its Go type does not say
}

func (c *compiler) stepMeta(s step) *stepMeta {
	if c.meta == nil {
		c.meta = map[step]*stepMeta{}
	}
	m := c.meta[s]
	if m == nil {
		m = &stepMeta{}
		c.meta[s] = m
	}
	return m
}

// adopt records kids as child traversals of s; TinkerPop's step gains jk
// children (-1: one per kid).
func (c *compiler) adopt(s step, kids []*pipeline, jk int) {
	m := c.stepMeta(s)
	m.kids = append(m.kids, kids...)
	if jk < 0 {
		jk = len(kids)
	}
	m.jkids += jk
}

// collectKids runs f and returns the pipelines it compiled, which are not
// registered with the enclosing step.
func (c *compiler) collectKids(f func() error) ([]*pipeline, error) {
	var kids []*pipeline
	saved := c.sink
	c.sink = &kids
	defer func() { c.sink = saved }()
	err := f()
	return kids, err
}

// foldTarget is the add step a property() instruction folds into (see
// foldProperty).
func foldTarget(steps []step) step {
	for i := len(steps) - 1; i >= 0; i-- {
		if _, ok := steps[i].(*propertyStep); !ok {
			return steps[i]
		}
	}
	return nil
}

// lambdaChildren counts the children TinkerPop's step gets from its
// arguments without a compiled traversal here: union()'s constant pick,
// choose()'s predicate or token traversal and its identity() else branch,
// the constant or identity merge traversal of mergeV()/mergeE().
func lambdaChildren(op string, args []any) int {
	switch op {
	case "union":
		return 1
	case "mergeV", "mergeE":
		if len(args) == 0 || !isTraversal(args[0]) {
			return 1
		}
		return 0
	case "choose", "branch":
		n := 0
		if len(args) > 0 && !isTraversal(args[0]) {
			n++
		}
		if len(args) == 2 {
			n++
		}
		return n
	}
	return 0
}

// wherePredicateKeys are WherePredicateStep's scope keys: the start key
// and the label each predicate compares with (the first value of a
// collection), through connectives.
func wherePredicateKeys(startKey string, p *value.P) []string {
	var out []string
	if startKey != "" {
		out = append(out, startKey)
	}
	var walk func(p *value.P)
	walk = func(p *value.P) {
		if p == nil {
			return
		}
		switch p.Operator {
		case "and", "or", "not":
			for _, v := range p.Values {
				if sub, ok := v.(*value.P); ok {
					walk(sub)
				}
			}
			return
		case "between", "inside", "outside":
			// Java builds these from two compare predicates.
			for _, v := range p.Values {
				if l, ok := v.(string); ok {
					out = addLabels(out, l)
				}
			}
			return
		}
		if len(p.Values) > 0 {
			if l, ok := p.Values[0].(string); ok {
				out = addLabels(out, l)
			}
		}
	}
	walk(p)
	return out
}

// ---------------------------------------------------------------------------
// The traversal tree as the strategy sees it.

// rtrav is one traversal: its steps (without the identity() steps
// IdentityRemovalStrategy drops) and the step holding it.
type rtrav struct {
	parent *rstep
	steps  []*rstep
}

// rstep is one step. s is nil for the parts of a match() pattern that
// are not compiled steps here (MatchStartStep, MatchEndStep, a nested
// and()/or() match, the flatMap around a pattern with a barrier).
type rstep struct {
	s      step
	trav   *rtrav
	idx    int
	pp     ppKind
	scope  []string
	repeat bool
	match  *matchDef
	kids   []*rtrav
	nkids  int
	keep   *keepSet
}

var mutationOps = map[string]bool{"addV": true, "addE": true, "property": true}

func (c *compiler) rmodel(p *pipeline, parent *rstep) *rtrav {
	t := &rtrav{parent: parent}
	c.rfill(t, p.steps)
	return t
}

func (c *compiler) rfill(t *rtrav, steps []step) {
	removeIdentity := !c.src.without["IdentityRemovalStrategy"] && len(steps) > 1
	for i, s := range steps {
		rec := c.instr[s.base().id]
		if removeIdentity && rec.op == "identity" && (i > 0 || len(s.base().labels) == 0) {
			continue
		}
		rs := &rstep{s: s, trav: t, idx: len(t.steps)}
		t.steps = append(t.steps, rs)
		c.classify(rs, rec)
		if rs.match != nil {
			c.matchChildren(rs, rs.match)
			continue
		}
		m := c.meta[s]
		if m == nil {
			continue
		}
		for _, k := range m.kids {
			rs.kids = append(rs.kids, c.rmodel(k, rs))
		}
		rs.nkids = m.jkids
		if rec.op == "group" {
			// GroupStep: the key traversal when a by() gives it, and the
			// value traversal (fold() by default).
			rs.nkids = min(m.bys, 1) + 1
		}
		if mutationOps[rec.op] {
			// The labels the parameter traversals select.
			for _, k := range rs.kids {
				for _, ks := range k.steps {
					rs.scope = addLabels(rs.scope, ks.scope...)
				}
			}
		}
	}
}

func (c *compiler) classify(rs *rstep, rec instrRec) {
	switch s := rs.s.(type) {
	case *selectStep:
		if s.keyTrav == nil {
			rs.scope = s.keys
			rs.pp = ppSelect
			if len(s.keys) == 1 {
				rs.pp = ppSelectOne
			}
		}
	case *whereStep:
		if s.trav == nil {
			rs.pp, rs.scope = ppWhere, wherePredicateKeys(s.startKey, s.pred)
		} else if len(rec.args) == 1 {
			// A where() traversal without a start or end label is a
			// TraversalFilterStep in TinkerPop, not a path processor.
			if bc, ok := rec.args[0].(*value.Bytecode); ok {
				if rs.scope = whereTravKeys(bc, nil); len(rs.scope) > 0 {
					rs.pp = ppWhere
				}
			}
		}
	case *dedupStep:
		if !s.local {
			rs.pp, rs.scope = ppDedup, s.labels
		}
	case *mathStep:
		rs.pp = ppMath
		for _, v := range s.expr.Vars() {
			if v != "_" {
				rs.scope = addLabels(rs.scope, v)
			}
		}
	case *formatStep:
		rs.pp = ppFormat
		rs.scope, _ = fn.FormatVariables(s.tpl)
	case *matchStep:
		rs.pp, rs.match, rs.scope = ppMatch, s.def, s.def.scopeKeys
	case *repeatStep:
		rs.repeat = true
	}
	if (rec.op == opWhereStart || rec.op == opWhereEnd) && len(rec.args) > 0 {
		if l, ok := rec.args[0].(string); ok {
			rs.scope = []string{l}
		}
	}
	if m := c.meta[rs.s]; m != nil {
		if m.pp != ppNone {
			rs.pp = m.pp
		}
		if m.scopeSet {
			rs.scope = m.scope
		} else if len(m.scope) > 0 {
			rs.scope = addLabels(append([]string(nil), rs.scope...), m.scope...)
		}
	}
}

// matchChildren models the patterns of a match(): each is a traversal
// from a MatchStartStep (or a nested match) to a MatchEndStep.
func (c *compiler) matchChildren(rs *rstep, def *matchDef) {
	for _, p := range def.patterns {
		t := &rtrav{parent: rs}
		if p.nested != nil {
			n := &rstep{trav: t, pp: ppMatch, match: p.nested, scope: p.nested.scopeKeys}
			t.steps = append(t.steps, n)
			c.matchChildren(n, p.nested)
		} else {
			t.steps = append(t.steps, &rstep{trav: t, scope: p.startLabels})
		}
		if p.local {
			fm := &rstep{trav: t, idx: len(t.steps), nkids: 1}
			fm.kids = []*rtrav{c.rmodel(p.body, fm)}
			t.steps = append(t.steps, fm)
		} else {
			c.rfill(t, p.body.steps)
		}
		end := &rstep{trav: t, idx: len(t.steps)}
		if p.endKey != "" {
			end.scope = []string{p.endKey}
		}
		t.steps = append(t.steps, end)
		rs.kids = append(rs.kids, t)
	}
	rs.nkids = len(def.patterns)
}

// refs is PathUtil.getReferencedLabels: a step's scope keys, and the
// match's start and end labels when it ends its traversal.
func (rs *rstep) refs() []string {
	if rs.pp == ppMatch && rs.match != nil && rs.idx == len(rs.trav.steps)-1 {
		out := append([]string(nil), rs.scope...)
		for l := range rs.match.startLabels {
			out = addLabels(out, l)
		}
		for l := range rs.match.endLabels {
			out = addLabels(out, l)
		}
		return out
	}
	return rs.scope
}

func matchLabels(def *matchDef) map[string]bool {
	out := map[string]bool{}
	for l := range def.startLabels {
		out[l] = true
	}
	for l := range def.endLabels {
		out[l] = true
	}
	return out
}

// ---------------------------------------------------------------------------
// The analysis.

// retractPaths applies the strategy to the compiled root traversal: it
// sets the keep sets of the path processors and returns the analysed
// tree, or nil when the strategy does not apply.
func (c *compiler) retractPaths(root *pipeline) *rtrav {
	if c.src.pathMode != pathLabeled || c.pathReq || c.src.without["PathRetractionStrategy"] {
		return nil
	}
	t := c.rmodel(root, nil)
	var visit func(t *rtrav)
	visit = func(t *rtrav) {
		retractLevel(t)
		for _, s := range t.steps {
			for _, k := range s.kids {
				visit(k)
			}
		}
	}
	visit(t)
	var assign func(t *rtrav)
	assign = func(t *rtrav) {
		inMatch := t.parent != nil && t.parent.pp == ppMatch
		for _, s := range t.steps {
			switch {
			case s.s == nil || s.keep == nil:
			case s.pp == ppMatch:
				// Its keep set holds all its start and end labels: it
				// never retracts.
			case s.pp == ppSelectOne && inMatch:
				// SelectOneStep leaves paths alone inside match().
			case s.pp != ppNone:
				s.s.base().keep = s.keep
			}
			for _, k := range s.kids {
				assign(k)
			}
		}
	}
	assign(t)
	return t
}

// retractLevel is the strategy applied to one traversal.
func retractLevel(t *rtrav) {
	found := map[string]bool{}
	// live is the working keepLabels; math() and format() hold it itself.
	live := &keepSet{labels: map[string]bool{}}
	for i := len(t.steps) - 1; i >= 0; i-- {
		st := t.steps[i]
		live.addAll(found)
		for _, l := range st.refs() {
			if found[l] {
				live.labels[l] = true
			} else {
				found[l] = true
			}
		}
		if st.pp == ppNone {
			continue
		}
		switch {
		case st.pp == ppMatch:
			st.keep = newKeepSet(matchLabels(st.match))
		case st.keep != nil:
			st.keep.addAll(live.labels)
		case st.pp == ppMath || st.pp == ppFormat:
			st.keep = live
		default:
			st.keep = newKeepSet(live.labels)
		}
		if t.parent != nil && t.parent.pp == ppMatch && t.parent.match != nil {
			st.keep = newKeepSet(matchLabels(t.parent.match))
		}
	}
	live.addAll(found)
	level := live.labels

	var chain []*rstep
	for p := t.parent; p != nil; p = p.trav.parent {
		chain = append(chain, p)
	}
	hasRepeat := false
	trail := map[string]bool{}
	for i := len(chain) - 1; i >= 0; i-- {
		anc := chain[i]
		if anc.repeat {
			hasRepeat = true
		}
		if anc.nkids > 1 {
			for _, k := range anc.kids {
				pushKeep(k, level)
			}
		}
		for j := anc.idx - 1; j >= 0; j-- {
			prev := anc.trav.steps[j]
			if prev.pp != ppNone {
				addKeep(prev, level)
			}
			for _, k := range prev.kids {
				pushKeep(k, level)
			}
		}
		for _, s := range anc.trav.steps[anc.idx:] {
			for _, l := range s.refs() {
				trail[l] = true
			}
		}
	}
	for _, st := range t.steps {
		if st.pp == ppNone {
			continue
		}
		st.keep.addAll(trail)
		if hasRepeat {
			st.keep.addAll(level)
		}
	}
}

// addKeep adds a copy of labels to a path processor's keep set.
func addKeep(s *rstep, labels map[string]bool) {
	if s.keep == nil {
		s.keep = newKeepSet(labels)
		return
	}
	s.keep.addAll(labels)
}

// pushKeep adds labels to every path processor of t and of the
// traversals below it.
func pushKeep(t *rtrav, labels map[string]bool) {
	for _, s := range t.steps {
		if s.pp != ppNone {
			addKeep(s, labels)
		}
	}
	for _, s := range t.steps {
		for _, k := range s.kids {
			pushKeep(k, labels)
		}
	}
}

// ---------------------------------------------------------------------------
// Run time.

// openStep opens s; when s has a keep set, the labels outside it are
// retracted from the paths of the traversers it emits.
func openStep(x *exec, s step, in iter) iter {
	out := s.open(x, in)
	b := s.base()
	if b.keep == nil || x.mode != pathLabeled {
		return out
	}
	r := &retractIter{x: x, in: out, keep: b.keep.labels, own: b.labels, ownKept: true}
	for _, l := range b.labels {
		if !b.keep.labels[l] {
			r.ownKept = false
		}
	}
	if sel, ok := s.(*selectStep); ok && len(sel.keys) == 1 {
		// SelectOneStep leaves the path alone when it selects null.
		r.skipNil = true
	}
	return r
}

type retractIter struct {
	x       *exec
	in      iter
	keep    map[string]bool
	own     []string // the step's own labels, which it always carries
	ownKept bool
	skipNil bool
}

func (r *retractIter) next() *trav {
	t := r.in.next()
	if t == nil || t.path == nil || r.skipNil && t.val == nil {
		return t
	}
	p := t.path.retract(r.keep)
	if p == t.path {
		return t
	}
	c := t.clone()
	c.path = p
	if !r.ownKept {
		// TinkerPop retracts before the step labels its output.
		c = r.x.label(c, r.own)
	}
	return c
}

// retract returns the path without the labels outside keep; elements
// left without labels are dropped (Path.retract). The unchanged oldest
// part is shared; p itself is returned when nothing changes.
func (p *pathNode) retract(keep map[string]bool) *pathNode {
	var first *pathNode // the oldest element that changes
	for n := p; n != nil; n = n.prev {
		for _, l := range n.labels {
			if !keep[l] {
				first = n
				break
			}
		}
	}
	if first == nil {
		return p
	}
	items := p.items()
	out := first.prev
	for _, n := range items[first.size-1:] {
		var ls []string
		for _, l := range n.labels {
			if keep[l] {
				ls = append(ls, l)
			}
		}
		switch {
		case len(ls) == 0:
		case len(ls) == len(n.labels) && n.prev == out:
			out = n
		default:
			out = out.push(n.obj, ls)
		}
	}
	return out
}
