package traversal

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// profile() and profile(key): TinkerPop's ProfileStep and
// ProfileSideEffectStep.
//
// When the root traversal holds a profile step, every run wraps the output
// of each step (of the root and of every child traversal it opens) with a
// counting and timing iterator (profIter). The wrapper counts traverser
// objects (traverserCount) and the sum of their bulks (elementCount), and
// accumulates the wall time spent inside the step's open and next, which
// includes the time of the steps upstream; the metrics subtract the
// upstream step's time as TinkerPop's DefaultTraversalMetrics does, so
// each step shows its own time. Child traversals are attributed to the
// step that was running when they were first opened; their metrics are
// nested under it, accumulated over every evaluation.
//
// profile() must be the last step: it drains the traversal and emits one
// TraversalMetrics. profile(key) passes traversers through and stores the
// TraversalMetrics in side-effect key when its input is exhausted (read it
// with cap(key)).

// StepNamer names a compiled step in profile() metrics from its operator
// and arguments (bindings resolved). gremlin/exec supplies the planner's
// TinkerPop-style names; the default is defaultStepName.
type StepNamer func(op string, args []any) string

// instrRec is the instruction a step was compiled from.
type instrRec struct {
	op   string
	args []any
}

// profileInfo is the compile-time part of profiling: where the profile
// step is and what each step was compiled from.
type profileInfo struct {
	root  *pipeline
	at    int // index of the profile step in root.steps
	instr map[int]instrRec
}

type profileStep struct {
	stepBase
	key    string
	hasKey bool
}

func (r *stepSet) addProfileSteps() {
	r.register("profile", func(c *compiler, args []any) (step, error) {
		s := &profileStep{}
		switch len(args) {
		case 0:
		case 1:
			k, ok := args[0].(string)
			if !ok {
				return nil, errorf("profile", "the side-effect key must be a String, got %s", typeName(args[0]))
			}
			s.key, s.hasKey = k, true
		default:
			return nil, errorf("profile", "expected at most one side-effect key, got %d arguments", len(args))
		}
		c.profiles = append(c.profiles, s)
		return s, nil
	})
}

// recordInstr remembers the instruction step s was compiled from, for the
// names of profile() metrics.
func (c *compiler) recordInstr(s step, op string, args []any) {
	if c.instr == nil {
		c.instr = map[int]instrRec{}
	}
	c.instr[s.base().id] = instrRec{op: op, args: args}
}

// checkProfile validates the placement of profile steps once the root
// traversal is compiled: at most one, in the root traversal, and
// profile() without a key last.
func (c *compiler) checkProfile(root *pipeline) (*profileInfo, error) {
	if len(c.profiles) == 0 {
		return nil, nil
	}
	if len(c.profiles) > 1 {
		return nil, errorf("profile", "a traversal may be profiled only once, found %d profile() steps", len(c.profiles))
	}
	ps := c.profiles[0]
	at := -1
	for i, s := range root.steps {
		if s == step(ps) {
			at = i
		}
	}
	if at < 0 {
		return nil, errorf("profile", "profile() is only allowed in the root traversal, not in a child traversal")
	}
	if !ps.hasKey && at != len(root.steps)-1 {
		return nil, errorf("profile", "profile() must be the last step of the traversal")
	}
	return &profileInfo{root: root, at: at, instr: c.instr}, nil
}

// Profiled reports whether the traversal holds a profile step.
func (t *Traversal) Profiled() bool { return t.prof != nil }

// WithStepNames returns a copy of t whose profile() metrics name steps
// with f (nil restores the default names).
func (t *Traversal) WithStepNames(f StepNamer) *Traversal {
	c := *t
	c.names = f
	return &c
}

func (s *profileStep) open(x *exec, in iter) iter {
	if s.hasKey {
		stored := false
		return iterFunc(func() *trav {
			t := in.next()
			if t == nil && !stored {
				stored = true
				x.putSE(s.key, x.profileResult(), "")
			}
			return t
		})
	}
	done := false
	return iterFunc(func() *trav {
		if done {
			return nil
		}
		done = true
		for t := in.next(); t != nil; t = in.next() {
			x.tick()
		}
		return x.newTrav(x.profileResult(), s.labels)
	})
}

func (x *exec) profileResult() *value.TraversalMetrics {
	if x.prof == nil {
		return &value.TraversalMetrics{Metrics: []*value.Metrics{}}
	}
	return x.prof.result()
}

// ---------------------------------------------------------------------------
// Run-time collection.

type profiler struct {
	info  *profileInfo
	names StepNamer
	pipes map[*pipeline]*profPipe
	stack []*profStat
}

// profPipe is one (child) traversal seen during a run.
type profPipe struct {
	p      *pipeline
	parent *profStat // nil for the root traversal
	stats  []*profStat
}

// profStat accumulates one step's counts and time over the run.
type profStat struct {
	s          step
	traversers int64
	elements   int64
	dur        time.Duration
	children   []*profPipe
}

func newProfiler(t *Traversal) *profiler {
	return &profiler{info: t.prof, names: t.names, pipes: map[*pipeline]*profPipe{}}
}

func (pr *profiler) push(s *profStat) { pr.stack = append(pr.stack, s) }

func (pr *profiler) pop() {
	if n := len(pr.stack); n > 0 {
		pr.stack[n-1] = nil
		pr.stack = pr.stack[:n-1]
	}
}

// open is pipeline.open while profiling: each step's output is wrapped.
// Strategy filter traversals (PartitionStrategy, SubgraphStrategy) are
// not steps of the traversal and are left out.
func (pr *profiler) open(x *exec, p *pipeline, in iter) iter {
	if x.noFilter > 0 {
		for _, s := range p.steps {
			in = openStep(x, s, in)
		}
		return in
	}
	pp := pr.pipes[p]
	if pp == nil {
		pp = &profPipe{p: p, stats: make([]*profStat, len(p.steps))}
		if n := len(pr.stack); n > 0 && p != pr.info.root {
			pp.parent = pr.stack[n-1]
			pp.parent.children = append(pp.parent.children, pp)
		}
		pr.pipes[p] = pp
	}
	for i, s := range p.steps {
		if p == pr.info.root && i >= pr.info.at || i >= len(pp.stats) {
			in = openStep(x, s, in)
			continue
		}
		st := pp.stats[i]
		if st == nil {
			st = &profStat{s: s}
			pp.stats[i] = st
		}
		in = pr.wrap(x, st, in)
	}
	return in
}

func (pr *profiler) wrap(x *exec, st *profStat, in iter) iter {
	t0 := time.Now()
	pr.push(st)
	out := func() iter {
		defer pr.pop()
		return openStep(x, st.s, in)
	}()
	st.dur += time.Since(t0)
	return &profIter{pr: pr, st: st, in: out}
}

// profIter counts and times one step's output.
type profIter struct {
	pr *profiler
	st *profStat
	in iter
}

func (it *profIter) next() *trav {
	t0 := time.Now()
	it.pr.push(it.st)
	defer func() {
		it.pr.pop()
		it.st.dur += time.Since(t0)
	}()
	t := it.in.next()
	if t != nil {
		it.st.traversers++
		it.st.elements += t.bulk
	}
	return t
}

// ---------------------------------------------------------------------------
// Metrics.

const (
	countTraversers = "traverserCount"
	countElements   = "elementCount"
	annPercentDur   = "percentDur"
)

// result builds the TraversalMetrics of what ran so far.
func (pr *profiler) result() *value.TraversalMetrics {
	tm := &value.TraversalMetrics{Metrics: []*value.Metrics{}}
	root := pr.pipes[pr.info.root]
	if root == nil {
		return tm
	}
	ms := pr.pipeMetrics(root, 0, 0, "")
	var total int64
	for _, m := range ms {
		total += m.DurationNs
	}
	for _, m := range ms {
		pct := 0.0
		if total > 0 {
			pct = float64(m.DurationNs) * 100 / float64(total)
		} else {
			pct = 100 / float64(len(ms))
		}
		m.Annotations.Put(annPercentDur, pct)
	}
	tm.DurationNs = total
	tm.Metrics = ms
	return tm
}

// pipeMetrics returns the metrics of the steps of pp, TinkerPop's step ids
// x.y.z(parent): x the step's position, y the depth, z the position of
// the child traversal among its parent's.
func (pr *profiler) pipeMetrics(pp *profPipe, depth, breadth int, parentID string) []*value.Metrics {
	var out []*value.Metrics
	var prev time.Duration
	for i, st := range pp.stats {
		if st == nil {
			continue
		}
		id := fmt.Sprintf("%d.%d.%d(%s)", i, depth, breadth, parentID)
		self := max(st.dur-prev, 0)
		prev = st.dur
		counts := value.NewMap()
		counts.Put(countTraversers, st.traversers)
		counts.Put(countElements, st.elements)
		m := &value.Metrics{ID: id, Name: pr.name(st.s), DurationNs: int64(self),
			Counts: counts, Annotations: pr.annotations(st.s), Nested: []*value.Metrics{}}
		children := append([]*profPipe(nil), st.children...)
		sort.SliceStable(children, func(a, b int) bool { return firstID(children[a]) < firstID(children[b]) })
		for k, ch := range children {
			m.Nested = append(m.Nested, pr.pipeMetrics(ch, depth+1, k, id)...)
		}
		out = append(out, m)
	}
	return out
}

func firstID(pp *profPipe) int {
	if len(pp.p.steps) == 0 {
		return 0
	}
	return pp.p.steps[0].base().id
}

func (pr *profiler) instr(s step) (string, []any) {
	b := s.base()
	if r, ok := pr.info.instr[b.id]; ok && b.id != 0 {
		return r.op, r.args
	}
	return b.name, nil
}

func (pr *profiler) name(s step) (name string) {
	op, args := pr.instr(s)
	if pr.names != nil {
		func() {
			defer func() {
				if recover() != nil {
					name = ""
				}
			}()
			name = pr.names(op, args)
		}()
		if name != "" {
			return name
		}
	}
	return defaultStepName(op, args)
}

// annotations name the storage access path of the physical access steps
// the planner emits (and of the logical start and adjacency steps when
// they run as written): "access" is index, range, direct or fullscan;
// "index" or "table" names what is read.
func (pr *profiler) annotations(s step) *value.Map {
	m := value.NewMap()
	op, args := pr.instr(s)
	elem := func(edges bool) string {
		if edges {
			return "edge"
		}
		return "vertex"
	}
	switch op {
	case OpGetV, OpGetE:
		m.Put("access", "direct")
		m.Put("table", elem(op == OpGetE))
	case OpScanV, OpScanE:
		m.Put("access", "range")
		m.Put("table", "label_index")
		if ls := stringArgs(args); len(ls) > 0 {
			m.Put("labels", strings.Join(ls, "|"))
		}
	case OpIndexV, OpIndexE:
		m.Put("access", "index")
		if len(args) > 0 {
			if n, ok := args[0].(string); ok {
				m.Put("index", n)
			}
		}
		m.Put("table", elem(op == OpIndexE))
	case OpCountAdj:
		m.Put("access", "range")
		dir := ""
		if len(args) > 0 {
			dir, _ = args[0].(string)
		}
		m.Put("table", adjacencyTable(dir))
	case "V", "E":
		if len(args) == 0 {
			m.Put("access", "fullscan")
		} else {
			m.Put("access", "direct")
		}
		m.Put("table", elem(op == "E"))
	case "out", "outE":
		m.Put("access", "range")
		m.Put("table", "edge_out")
	case "in", "inE":
		m.Put("access", "range")
		m.Put("table", "edge_in")
	case "both", "bothE":
		m.Put("access", "range")
		m.Put("table", "edge_out+edge_in")
	}
	return m
}

func adjacencyTable(dir string) string {
	switch strings.ToUpper(dir) {
	case "OUT":
		return "edge_out"
	case "IN":
		return "edge_in"
	}
	return "edge_out+edge_in"
}

func stringArgs(args []any) []string {
	var out []string
	for _, a := range args {
		if s, ok := a.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// defaultStepName is a TinkerPop-like step name: the capitalized operator
// with "Step" and its arguments; the graph steps are KVTGraphStep.
func defaultStepName(op string, args []any) string {
	switch op {
	case "V", "E":
		elem := "vertex"
		if op == "E" {
			elem = "edge"
		}
		return fmt.Sprintf("KVTGraphStep(%s,%s)", elem, argList(args))
	}
	if strings.HasPrefix(op, "kvt:") {
		return op + "(" + strings.Join(argTexts(args), ",") + ")"
	}
	name := op
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	name += "Step"
	if len(args) == 0 {
		return name
	}
	return name + "(" + strings.Join(argTexts(args), ",") + ")"
}

func argList(args []any) string { return "[" + strings.Join(argTexts(args), ", ") + "]" }

func argTexts(args []any) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = argText(a, 0)
	}
	return out
}

func argText(a any, depth int) string {
	switch v := a.(type) {
	case nil:
		return "null"
	case *value.Bytecode:
		if v == nil || depth > 8 {
			return "[]"
		}
		parts := make([]string, 0, len(v.Steps))
		for _, in := range v.Steps {
			parts = append(parts, defaultStepName(in.Operator, nil))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = argText(e, depth+1)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *value.P:
		if v == nil {
			return "null"
		}
		parts := make([]string, len(v.Values))
		for i, e := range v.Values {
			parts[i] = argText(e, depth+1)
		}
		return v.Operator + "(" + strings.Join(parts, ", ") + ")"
	case value.Enum:
		return v.Name
	case *value.Vertex:
		if v == nil {
			return "null"
		}
		return fmt.Sprintf("v[%v]", v.ID)
	case *value.Edge:
		if v == nil {
			return "null"
		}
		return fmt.Sprintf("e[%v]", v.ID)
	}
	return fmt.Sprint(a)
}
