package traversal

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// match() follows TinkerPop's MatchStep (standard algorithm), evaluated
// depth-first for each incoming traverser:
//
//   - Every pattern starts with a variable (as("a")), a where() (whose
//     single start label, if any, is pulled out as the pattern's start), a
//     not() (rewritten as where(not(...))) or a nested and()/or(), which is
//     itself a match with that connective. Infix and()/or() inside a
//     pattern are folded first (ConnectiveStrategy).
//   - A pattern's start selects the last path object of its start label; an
//     end label either binds the result (labels it in the path) or, when
//     already bound, keeps only results equal to it.
//   - A traverser that carries none of the match's start labels gets the
//     computed start label on its current object.
//   - Patterns are chosen by CountMatchAlgorithm (filters first, then by
//     observed multiplicity) or GreedyMatchAlgorithm (declaration order,
//     via MatchAlgorithmStrategy). The order never changes the results.
//   - When every pattern (and) or any pattern (or) has run, the match emits
//     the Map of its start and end labels to their last path objects.
//
// Each pattern is evaluated for one traverser at a time (as a local child,
// with bulk 1 and the bulk multiplied back in), so barriers such as count()
// or order().limit() inside a pattern work per traverser.

// matchPatternType mirrors MatchStep.TraversalType (its order is used by
// CountMatchAlgorithm's sort).
type matchPatternType int

const (
	matchWherePredicate matchPatternType = iota
	matchWhereTraversal
	matchTraversal
)

// matchDef is a compiled match(), or a nested and()/or() pattern of one.
type matchDef struct {
	or            bool
	patterns      []*matchPattern
	startLabels   map[string]bool // matchStartLabels (with nested ones)
	endLabels     map[string]bool // matchEndLabels (with nested ones)
	computedStart string
	scopeKeys     []string
	greedy        bool
}

// matchPattern is one pattern traversal of a match.
type matchPattern struct {
	idx         int
	typ         matchPatternType
	nested      *matchDef // the pattern starts with a nested and()/or()
	startKey    string    // MatchStartStep select key ("" keeps the object)
	startLabels []string  // labels that must be bound before it can run
	whereKeys   []string  // labels used by where() steps anywhere in it
	body        *pipeline
	endKey      string
	desc        string
	// local is set when the body has a barrier step (count(), fold(),
	// order(), limit()...): TinkerPop then runs it as a flatMap, so results
	// continue the input's path (labels set inside the body are dropped).
	local bool
}

type matchStep struct {
	stepBase
	def *matchDef
}

func (r *stepSet) addMatchSteps() {
	r.register("match", func(c *compiler, args []any) (step, error) {
		c.needLabels = true
		def, err := c.matchDef(false, args)
		if err != nil {
			return nil, err
		}
		return &matchStep{def: def}, nil
	})
}

// ---------------------------------------------------------------------------
// Compilation.

func (c *compiler) matchDef(or bool, args []any) (*matchDef, error) {
	m := &matchDef{or: or, startLabels: map[string]bool{}, endLabels: map[string]bool{},
		greedy: c.src.matchAlgorithm == "greedy"}
	if len(args) == 0 {
		return nil, errorf("match", "expected at least one match traversal")
	}
	for i, a := range args {
		bc, ok := unbind(a).(*value.Bytecode)
		if !ok {
			return nil, errorf("match", "expected traversal arguments, got %s", typeName(unbind(a)))
		}
		p, err := c.matchPattern(m, bc)
		if err != nil {
			return nil, err
		}
		p.idx = i
		m.patterns = append(m.patterns, p)
	}
	// MatchStartStep.getScopeKeys: the select key and the labels of where()
	// steps in the pattern that are end labels of this match.
	for _, p := range m.patterns {
		if p.nested != nil {
			continue
		}
		p.startLabels = nil
		if p.startKey != "" {
			p.startLabels = []string{p.startKey}
		}
		for _, k := range p.whereKeys {
			if m.endLabels[k] {
				p.startLabels = addLabels(p.startLabels, k)
			}
		}
	}
	start, ok := computeStartLabel(m.patterns)
	if !ok {
		return nil, errorf("match", "no start label could be determined for the match patterns %s", describePatterns(m.patterns))
	}
	m.computedStart = start
	seen := map[string]bool{}
	for _, p := range m.patterns {
		for _, l := range p.startLabels {
			if !seen[l] && !m.endLabels[l] && l != m.computedStart {
				seen[l] = true
				m.scopeKeys = append(m.scopeKeys, l)
			}
		}
	}
	sort.Strings(m.scopeKeys)
	return m, nil
}

func instrLabels(in value.Instruction) ([]string, error) {
	var out []string
	for _, a := range in.Args {
		s, ok := unbind(a).(string)
		if !ok {
			return nil, errorf("as", "labels must be Strings, got %s", typeName(unbind(a)))
		}
		out = append(out, s)
	}
	return out, nil
}

// foldConnectives applies ConnectiveStrategy to infix and()/or() markers
// at the top level of a pattern: a.and().b becomes and(a, b), with the
// labels given to a marker starting the traversal on its right.
func foldConnectives(steps []value.Instruction) []value.Instruction {
	isMarker := func(in value.Instruction, op string) bool { return in.Operator == op && len(in.Args) == 0 }
	split := func(ss []value.Instruction, op string) [][]value.Instruction {
		var out [][]value.Instruction
		var cur []value.Instruction
		for _, in := range ss {
			if isMarker(in, op) {
				out = append(out, cur)
				cur = nil
				continue
			}
			cur = append(cur, in)
		}
		return append(out, cur)
	}
	fold := func(ss []value.Instruction, op string, inner func([]value.Instruction) []value.Instruction) []value.Instruction {
		parts := split(ss, op)
		if len(parts) == 1 {
			if inner != nil {
				return inner(ss)
			}
			return ss
		}
		args := make([]any, len(parts))
		for i, p := range parts {
			if inner != nil {
				p = inner(p)
			}
			args[i] = &value.Bytecode{Steps: p}
		}
		return []value.Instruction{{Operator: op, Args: args}}
	}
	andFold := func(ss []value.Instruction) []value.Instruction { return fold(ss, "and", nil) }
	return fold(steps, "or", andFold)
}

// trailingLabel removes the as() instructions ending steps and returns
// their single label.
func trailingLabel(step string, steps []value.Instruction) ([]value.Instruction, string, error) {
	var labels []string
	n := len(steps)
	for n > 0 && steps[n-1].Operator == "as" {
		ls, err := instrLabels(steps[n-1])
		if err != nil {
			return nil, "", err
		}
		labels = append(ls, labels...)
		n--
	}
	switch len(labels) {
	case 0:
		return steps, "", nil
	case 1:
		return steps[:n], labels[0], nil
	}
	return nil, "", errorf(step, "the end step of a %s()-traversal can have at most one label: %v", step, labels)
}

func (c *compiler) matchPattern(m *matchDef, bc *value.Bytecode) (*matchPattern, error) {
	p := &matchPattern{typ: matchTraversal, desc: describeSteps(bc.Steps)}
	steps := foldConnectives(append([]value.Instruction(nil), bc.Steps...))
	var pre []step
	if len(steps) > 0 && steps[0].Operator == "not" {
		// not(x) is where(not(x)).
		steps = append([]value.Instruction{{Operator: "where", Args: []any{&value.Bytecode{Steps: steps[:1]}}}}, steps[1:]...)
	}
	if len(steps) == 0 {
		return nil, errorf("match", "all match()-traversals must have a single start label (i.e. variable): %s", p.desc)
	}
	first := steps[0]
	p.whereKeys = whereKeysIn(steps, nil)
	var rest []value.Instruction
	switch {
	case (first.Operator == "and" || first.Operator == "or") && len(first.Args) > 0:
		nested, err := c.matchDef(first.Operator == "or", first.Args)
		if err != nil {
			return nil, err
		}
		for l := range nested.startLabels {
			m.startLabels[l] = true
		}
		for l := range nested.endLabels {
			m.endLabels[l] = true
		}
		p.nested = nested
		p.startLabels = nested.scopeKeys
		rest = steps[1:]
	case first.Operator == "as":
		ls, err := instrLabels(first)
		if err != nil {
			return nil, err
		}
		if len(ls) == 0 {
			return nil, errorf("as", "expected at least one label")
		}
		p.startKey = ls[0]
		m.startLabels[p.startKey] = true
		rest = steps[1:]
		// Further labels of the start step are dropped with it.
		for len(rest) > 0 && rest[0].Operator == "as" {
			rest = rest[1:]
		}
		if len(rest) > 0 && rest[0].Operator == "where" {
			args := unbindAll(rest[0].Args)
			if len(args) == 1 && isTraversal(args[0]) {
				w, err := c.whereTravStep(args[0].(*value.Bytecode))
				if err != nil {
					return nil, err
				}
				p.typ = matchWhereTraversal
				pre = append(pre, w.step(c))
				rest = rest[1:]
			} else {
				p.typ = matchWherePredicate
			}
		}
	case first.Operator == "where":
		args := unbindAll(first.Args)
		rest = steps[1:]
		if len(args) == 1 && isTraversal(args[0]) {
			w, err := c.whereTravStep(args[0].(*value.Bytecode))
			if err != nil {
				return nil, err
			}
			if keys := w.startKeys(nil); len(keys) == 1 {
				p.startKey = keys[0]
				w.removeStartKey(keys[0])
			}
			p.typ = matchWhereTraversal
			pre = append(pre, w.step(c))
		} else {
			p.typ = matchWherePredicate
			ws := &whereStep{}
			switch len(args) {
			case 1:
				pr, ok := args[0].(*value.P)
				if !ok {
					return nil, errorf("where", "expected a predicate or a traversal, got %s", typeName(args[0]))
				}
				ws.pred = pr
			case 2:
				k, ok := args[0].(string)
				if !ok {
					return nil, errorf("where", "the start key must be a String, got %s", typeName(args[0]))
				}
				pr, ok := args[1].(*value.P)
				if !ok {
					return nil, errorf("where", "expected a predicate, got %s", typeName(args[1]))
				}
				p.startKey, ws.pred = k, pr
			default:
				return nil, errorf("where", "expected a predicate or a traversal")
			}
			bys := 0
			kids, err := c.collectKids(func() error {
				for len(rest) > 0 && rest[0].Operator == "by" {
					if err := ws.addBy(c, unbindAll(rest[0].Args)); err != nil {
						return err
					}
					rest = rest[1:]
					bys++
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			c.nextID++
			ws.id, ws.name = c.nextID, "where"
			// WherePredicateStep keeps its start key among its scope keys
			// after MatchStep pulls it out.
			meta := c.stepMeta(ws)
			meta.scope, meta.scopeSet, meta.bys = wherePredicateKeys(p.startKey, ws.pred), true, bys
			c.adopt(ws, kids, bys)
			pre = append(pre, ws)
		}
	default:
		return nil, errorf("match", "all match()-traversals must have a single start label (i.e. variable): %s", p.desc)
	}
	if p.nested != nil && len(rest) > 0 && rest[0].Operator == "where" {
		if args := unbindAll(rest[0].Args); len(args) == 1 && isTraversal(args[0]) {
			p.typ = matchWhereTraversal
		} else {
			p.typ = matchWherePredicate
		}
	}
	rest, end, err := trailingLabel("match", rest)
	if err != nil {
		return nil, err
	}
	p.endKey = end
	if end != "" {
		m.endLabels[end] = true
	}
	for _, in := range rest {
		if isBarrier(in) {
			// The body becomes a TraversalFlatMapStep after the start.
			p.local = true
			p.typ = matchTraversal
		}
	}
	body, err := c.pipeline(&value.Bytecode{Steps: rest}, false)
	if err != nil {
		return nil, err
	}
	body.steps = append(pre, body.steps...)
	p.body = body
	return p, nil
}

// isBarrier reports whether an instruction compiles to one of TinkerPop's
// Barrier steps other than NoOpBarrierStep (barrier()): reducing (count(),
// fold()...), collecting (order(), sample(), aggregate()), supplying
// (cap()) and filtering (limit(), range(), skip(), tail(), dedup()).
func isBarrier(in value.Instruction) bool {
	local := false
	if len(in.Args) > 0 {
		if sc, ok := enumArg(unbind(in.Args[0]), "Scope"); ok && sc == "local" {
			local = true
		}
	}
	switch in.Operator {
	case "count", "sum", "max", "min", "mean", "order", "sample", "limit", "range", "skip", "tail", "dedup", "aggregate":
		return !local
	case "fold", "cap":
		return true
	case "group", "groupCount", "tree":
		return len(in.Args) == 0
	}
	return false
}

// whereKeysIn collects the scope keys of every where() step in steps and,
// recursively, in their child traversals (TraversalHelper.anyStepRecursively).
func whereKeysIn(steps []value.Instruction, acc []string) []string {
	for _, in := range steps {
		args := unbindAll(in.Args)
		if in.Operator == "where" {
			if len(args) == 1 && isTraversal(args[0]) {
				acc = whereTravKeys(args[0].(*value.Bytecode), acc)
			} else {
				acc = addLabels(acc, wherePredLabels(args)...)
			}
		}
		for _, a := range args {
			if bc, ok := a.(*value.Bytecode); ok {
				acc = whereKeysIn(bc.Steps, acc)
			}
		}
	}
	return acc
}

// whereTravKeys is WhereTraversalStep.getScopeKeys: the start and end
// labels of the where() traversal, through leading and()/or()/not().
func whereTravKeys(bc *value.Bytecode, acc []string) []string {
	steps := foldConnectives(append([]value.Instruction(nil), bc.Steps...))
	if len(steps) > 0 {
		first := steps[0]
		switch {
		case (first.Operator == "and" || first.Operator == "or") && len(first.Args) > 0 || first.Operator == "not":
			for _, a := range unbindAll(first.Args) {
				if kb, ok := a.(*value.Bytecode); ok {
					acc = whereTravKeys(kb, acc)
				}
			}
			steps = steps[1:]
		case first.Operator == "as":
			if ls, _ := instrLabels(first); len(ls) > 0 {
				acc = addLabels(acc, ls[0])
			}
			steps = steps[1:]
			for len(steps) > 0 && steps[0].Operator == "as" {
				steps = steps[1:]
			}
		}
	}
	for n := len(steps); n > 0 && steps[n-1].Operator == "as"; n-- {
		ls, _ := instrLabels(steps[n-1])
		acc = addLabels(acc, ls...)
	}
	return acc
}

func unbindAll(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = unbind(a)
	}
	return out
}

func addLabels(ls []string, more ...string) []string {
	for _, l := range more {
		if !containsStr(ls, l) {
			ls = append(ls, l)
		}
	}
	return ls
}

// pLabels returns the label operands of a where() predicate.
func pLabels(p *value.P) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, v := range p.Values {
		switch t := v.(type) {
		case string:
			out = addLabels(out, t)
		case *value.P:
			out = addLabels(out, pLabels(t)...)
		}
	}
	return out
}

func wherePredLabels(args []any) []string {
	var out []string
	for _, a := range args {
		switch t := a.(type) {
		case string:
			out = addLabels(out, t)
		case *value.P:
			out = addLabels(out, pLabels(t)...)
		}
	}
	return out
}

// computeStartLabel is MatchStep.Helper.computeStartLabel: a start label
// that is no pattern's end label if there is one, else the first of all
// start and end labels once sorted so that a pattern's end label comes
// after its start labels (Java's stable sort with that partial order).
// Label sets are visited in Java's HashSet order.
func computeStartLabel(ps []*matchPattern) (string, bool) {
	var starts []string
	ends := map[string]bool{}
	for _, p := range ps {
		starts = addLabels(starts, p.startLabels...)
		if p.endKey != "" {
			ends[p.endKey] = true
		}
	}
	var free []string
	for _, l := range starts {
		if !ends[l] {
			free = append(free, l)
		}
	}
	if len(free) > 0 {
		return javaHashOrder(free)[0], true
	}
	var ls []string
	for _, p := range ps {
		ls = addLabels(ls, javaHashOrder(p.startLabels)...)
		if p.endKey != "" {
			ls = addLabels(ls, p.endKey)
		}
	}
	if len(ls) == 0 {
		return "", false
	}
	cmp := func(a, b string) int {
		for _, p := range ps {
			if p.endKey == "" {
				continue
			}
			if a == p.endKey && containsStr(p.startLabels, b) {
				return 1
			}
			if b == p.endKey && containsStr(p.startLabels, a) {
				return -1
			}
		}
		return 0
	}
	javaSort(ls, cmp)
	return ls[0], true
}

// javaHashOrder returns labels in the iteration order of a java.util.HashSet
// holding them (bucket order, then insertion order within a bucket).
func javaHashOrder(labels []string) []string {
	capacity := 16
	for float64(len(labels)) > 0.75*float64(capacity) {
		capacity *= 2
	}
	bucket := func(s string) uint32 {
		var h int32
		for _, u := range utf16.Encode([]rune(s)) {
			h = 31*h + int32(u)
		}
		x := uint32(h)
		return (x ^ x>>16) & uint32(capacity-1)
	}
	out := append([]string(nil), labels...)
	sort.SliceStable(out, func(i, j int) bool { return bucket(out[i]) < bucket(out[j]) })
	return out
}

// javaSort is TimSort as Java runs it on short lists (an ascending run,
// then binary insertion), so that a partial order sorts as in TinkerPop.
func javaSort(a []string, cmp func(x, y string) int) {
	n := len(a)
	if n < 2 {
		return
	}
	runHi := 1
	if cmp(a[1], a[0]) < 0 {
		runHi = 2
		for runHi < n && cmp(a[runHi], a[runHi-1]) < 0 {
			runHi++
		}
		for i, j := 0, runHi-1; i < j; i, j = i+1, j-1 {
			a[i], a[j] = a[j], a[i]
		}
	} else {
		runHi = 2
		for runHi < n && cmp(a[runHi], a[runHi-1]) >= 0 {
			runHi++
		}
	}
	for start := runHi; start < n; start++ {
		pivot := a[start]
		left, right := 0, start
		for left < right {
			mid := (left + right) / 2
			if cmp(pivot, a[mid]) < 0 {
				right = mid
			} else {
				left = mid + 1
			}
		}
		copy(a[left+1:start+1], a[left:start])
		a[left] = pivot
	}
}

func describeSteps(steps []value.Instruction) string {
	var b strings.Builder
	b.WriteString("[")
	for i, in := range steps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(in.Operator)
		b.WriteString("(")
		for j, a := range in.Args {
			if j > 0 {
				b.WriteString(",")
			}
			switch t := unbind(a).(type) {
			case *value.Bytecode:
				b.WriteString(describeSteps(t.Steps))
			case *value.P:
				b.WriteString(t.Operator)
				b.WriteString(fmt.Sprint(t.Values))
			default:
				b.WriteString(fmt.Sprint(t))
			}
		}
		b.WriteString(")")
	}
	b.WriteString("]")
	return b.String()
}

func describePatterns(ps []*matchPattern) string {
	ds := make([]string, len(ps))
	for i, p := range ps {
		ds[i] = p.desc
	}
	return "[" + strings.Join(ds, ", ") + "]"
}

// ---------------------------------------------------------------------------
// where() traversals inside match(): start and end labels, also below
// and()/or()/not() (WhereTraversalStep's WhereStartStep/WhereEndStep).

type whereTrav struct {
	conn     string // "and", "or", "not" or ""
	kids     []*whereTrav
	startKey string
	body     *pipeline
	endKey   string
}

// whereTravRoot is a where() traversal of a match pattern with what
// PathRetractionStrategy needs of the WhereTraversalStep holding it: its
// scope keys and the traversals compiled for it.
type whereTravRoot struct {
	*whereTrav
	keys     []string
	compiled []*pipeline
}

func (c *compiler) whereTravStep(bc *value.Bytecode) (*whereTravRoot, error) {
	r := &whereTravRoot{keys: whereTravKeys(bc, nil)}
	kids, err := c.collectKids(func() error {
		w, err := c.whereTrav(bc)
		r.whereTrav = w
		return err
	})
	if err != nil {
		return nil, err
	}
	r.compiled = kids
	return r, nil
}

func (c *compiler) whereTrav(bc *value.Bytecode) (*whereTrav, error) {
	steps := foldConnectives(append([]value.Instruction(nil), bc.Steps...))
	w := &whereTrav{}
	if len(steps) > 0 {
		first := steps[0]
		switch {
		case (first.Operator == "and" || first.Operator == "or") && len(first.Args) > 0 || first.Operator == "not":
			if first.Operator == "not" && len(first.Args) != 1 {
				return nil, errorf("not", "expected one traversal")
			}
			w.conn = first.Operator
			for _, a := range first.Args {
				kb, ok := unbind(a).(*value.Bytecode)
				if !ok {
					return nil, errorf(first.Operator, "expected a traversal argument, got %s", typeName(unbind(a)))
				}
				k, err := c.whereTrav(kb)
				if err != nil {
					return nil, err
				}
				w.kids = append(w.kids, k)
			}
			steps = steps[1:]
		case first.Operator == "as":
			ls, err := instrLabels(first)
			if err != nil {
				return nil, err
			}
			if len(ls) > 0 {
				w.startKey = ls[0]
			}
			steps = steps[1:]
			for len(steps) > 0 && steps[0].Operator == "as" {
				steps = steps[1:]
			}
		}
	}
	steps, end, err := trailingLabel("where", steps)
	if err != nil {
		return nil, err
	}
	w.endKey = end
	body, err := c.pipeline(&value.Bytecode{Steps: steps}, false)
	if err != nil {
		return nil, err
	}
	w.body = body
	return w, nil
}

// startKeys collects the start labels found at the start of w (through
// leading connectives), as MatchStep.pullOutVariableStartStepToParent.
func (w *whereTrav) startKeys(acc []string) []string {
	if w.conn != "" {
		for _, k := range w.kids {
			acc = k.startKeys(acc)
		}
		return acc
	}
	if w.startKey != "" {
		acc = addLabels(acc, w.startKey)
	}
	return acc
}

func (w *whereTrav) removeStartKey(key string) {
	if w.conn != "" {
		for _, k := range w.kids {
			k.removeStartKey(key)
		}
		return
	}
	if w.startKey == key {
		w.startKey = ""
	}
}

func (w *whereTravRoot) step(c *compiler) step {
	c.nextID++
	s := &filterStep{stepBase: stepBase{name: "where", id: c.nextID}, f: w.test}
	// A WhereTraversalStep for PathRetractionStrategy: its scope keys
	// (start and end labels, also below connectives) and its children.
	m := c.stepMeta(s)
	m.pp, m.scope, m.scopeSet = ppWhere, w.keys, true
	c.adopt(s, w.compiled, 1)
	return s
}

func (w *whereTrav) test(x *exec, t *trav) bool {
	switch w.conn {
	case "and":
		for _, k := range w.kids {
			if !k.test(x, t) {
				return false
			}
		}
	case "or":
		ok := false
		for _, k := range w.kids {
			if k.test(x, t) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	case "not":
		if w.kids[0].test(x, t) {
			return false
		}
	}
	if w.conn != "" && len(w.body.steps) == 0 && w.endKey == "" {
		return true
	}
	st := subStart(t)
	if w.startKey != "" {
		v, ok := x.scopeValue(t, "last", w.startKey, false)
		if !ok {
			return false
		}
		st = x.extend(st, v, nil)
	}
	var end any
	if w.endKey != "" {
		v, ok := x.scopeValue(t, "last", w.endKey, false)
		if !ok {
			return false
		}
		end = v
	}
	it := w.body.open(x, sliceIter([]*trav{st}))
	for r := it.next(); r != nil; r = it.next() {
		if w.endKey == "" || javaEquals(r.val, end) {
			return true
		}
	}
	return false
}

// javaEquals is Object.equals as TinkerPop's match/where end checks use it:
// types matter (1 and 1L differ), elements are equal by id.
func javaEquals(a, b any) bool {
	return sameObj(a, b)
}

// ---------------------------------------------------------------------------
// Execution.

// matchBundle is CountMatchAlgorithm's record of one pattern.
type matchBundle struct {
	p            *matchPattern
	starts, ends int64
	multiplicity float64
}

// matchState is the per-run state of one matchDef (and of its nested ones).
type matchState struct {
	def     *matchDef
	bundles []*matchBundle
	counter int
	nested  map[*matchDef]*matchState
}

func newMatchState(def *matchDef) *matchState {
	st := &matchState{def: def}
	for _, p := range def.patterns {
		st.bundles = append(st.bundles, &matchBundle{p: p})
	}
	return st
}

func (st *matchState) child(def *matchDef) *matchState {
	if st.nested == nil {
		st.nested = map[*matchDef]*matchState{}
	}
	c, ok := st.nested[def]
	if !ok {
		c = newMatchState(def)
		st.nested[def] = c
	}
	return c
}

func (st *matchState) bundle(p *matchPattern) *matchBundle {
	for _, b := range st.bundles {
		if b.p == p {
			return b
		}
	}
	return nil
}

func (st *matchState) recordStart(p *matchPattern) {
	st.bundle(p).starts++
}

func (st *matchState) recordEnd(p *matchPattern) {
	b := st.bundle(p)
	b.ends++
	b.multiplicity = float64(b.ends) / float64(b.starts)
	if st.counter < 200 || st.counter%250 == 0 {
		sort.SliceStable(st.bundles, func(i, j int) bool {
			a, c := st.bundles[i], st.bundles[j]
			if a.p.typ != c.p.typ {
				return a.p.typ < c.p.typ
			}
			return a.multiplicity < c.multiplicity
		})
	}
	st.counter++
}

func pathHasAll(p *pathNode, labels []string) bool {
	for _, l := range labels {
		if !p.hasLabel(l) {
			return false
		}
	}
	return true
}

func pathHasAny(p *pathNode, labels map[string]bool) bool {
	for n := p; n != nil; n = n.prev {
		for _, l := range n.labels {
			if labels[l] {
				return true
			}
		}
	}
	return false
}

// pathLast is path.get(Pop.last, label).
func pathLast(p *pathNode, label string) (any, bool) {
	for n := p; n != nil; n = n.prev {
		for _, l := range n.labels {
			if l == label {
				return n.obj, true
			}
		}
	}
	return nil, false
}

// choose picks the next pattern for t (the match algorithm).
func (st *matchState) choose(t *trav, done []bool) *matchPattern {
	m := st.def
	if m.greedy {
		for _, p := range m.patterns {
			if !done[p.idx] && pathHasAll(t.path, p.startLabels) {
				return p
			}
		}
	} else {
		var fallback *matchPattern
		for _, b := range st.bundles {
			p := b.p
			if done[p.idx] || !pathHasAll(t.path, p.startLabels) {
				continue
			}
			if p.typ != matchTraversal || p.endKey != "" && t.path.hasLabel(p.endKey) {
				return p
			}
			if fallback == nil {
				fallback = p
			}
		}
		if fallback != nil {
			return fallback
		}
	}
	throwf("match", "the provided match pattern is unsolvable: %s", describePatterns(m.patterns))
	return nil
}

// enter runs the match for a traverser arriving at it and returns the
// traversers holding the bindings maps, labelled with labels.
func (st *matchState) enter(x *exec, t *trav, labels []string) []*trav {
	m := st.def
	if !pathHasAny(t.path, m.startLabels) {
		t = x.label(t, []string{m.computedStart})
	}
	var sols []*trav
	st.solve(x, t, make([]bool, len(m.patterns)), &sols)
	out := make([]*trav, len(sols))
	for i, s := range sols {
		out[i] = x.extend(s, m.bindings(s.path), labels)
	}
	return out
}

func (m *matchDef) matched(done []bool) bool {
	n := 0
	for _, d := range done {
		if d {
			if m.or {
				return true
			}
			n++
		}
	}
	return n == len(m.patterns)
}

func (st *matchState) solve(x *exec, t *trav, done []bool, out *[]*trav) {
	x.tick()
	m := st.def
	if m.matched(done) {
		*out = append(*out, t)
		return
	}
	var ps []*matchPattern
	if m.or {
		ps = m.patterns
	} else {
		ps = []*matchPattern{st.choose(t, done)}
	}
	for _, p := range ps {
		d := append([]bool(nil), done...)
		d[p.idx] = true
		for _, r := range st.run(x, p, t) {
			st.solve(x, r, d, out)
		}
	}
}

// run evaluates pattern p for t: start, body (as a local child), end.
func (st *matchState) run(x *exec, p *matchPattern, t *trav) []*trav {
	var starts []*trav
	if p.nested != nil {
		starts = st.child(p.nested).enter(x, t, nil)
	} else {
		st.recordStart(p)
		s := t
		if p.startKey != "" {
			v, ok := pathLast(t.path, p.startKey)
			if !ok {
				throwf("match", "the step with label %s does not exist", p.startKey)
			}
			s = x.extend(t, v, nil)
		}
		starts = []*trav{s}
	}
	var out []*trav
	for _, s := range starts {
		for _, r := range x.evalAll(p.body, s) {
			if p.local {
				n := r.bulk
				r = x.extend(s, r.val, nil)
				r.bulk = n
			}
			if p.endKey != "" {
				if v, ok := pathLast(r.path, p.endKey); ok && !javaEquals(r.val, v) {
					continue
				}
				r = x.label(r, []string{p.endKey})
			}
			c := r.clone()
			c.bulk = r.bulk * s.bulk
			st.recordEnd(p)
			out = append(out, c)
		}
	}
	return out
}

// bindings is the Map of the match's start and end labels to their last
// objects in the path.
func (m *matchDef) bindings(p *pathNode) *value.Map {
	vals := map[string]any{}
	var keys []string
	for _, n := range p.items() {
		for _, l := range n.labels {
			if m.startLabels[l] || m.endLabels[l] {
				if _, ok := vals[l]; !ok {
					keys = append(keys, l)
				}
				vals[l] = n.obj
			}
		}
	}
	sort.Strings(keys)
	out := value.NewMap()
	for _, k := range keys {
		out.Put(k, vals[k])
	}
	return out
}

func (s *matchStep) open(x *exec, in iter) iter {
	st := newMatchState(s.def)
	var buf []*trav
	i := 0
	return iterFunc(func() *trav {
		for {
			if i < len(buf) {
				t := buf[i]
				buf[i] = nil
				i++
				return t
			}
			t := in.next()
			if t == nil {
				return nil
			}
			if t.bulk <= 0 {
				continue
			}
			x.tick()
			buf, i = st.enter(x, t, s.labels), 0
		}
	})
}
