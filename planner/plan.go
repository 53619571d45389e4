package planner

import (
	"fmt"
	"strings"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal"
)

// Info is what the planner knows about a graph. The zero value is valid:
// without indexes or statistics only the id, label and count rules apply.
type Info struct {
	// Indexes are the graph's declared indexes.
	Indexes []storage.IndexDef
	// Stats are committed element and index entry counts.
	Stats storage.Stats
	// Estimate counts the index entries a query touches, stopping at
	// limit (storage's Tx.EstimateLookup); nil when unknown.
	Estimate func(q storage.IndexQuery, limit int) (int64, error)
	// StatsEstimate estimates the entries a query touches from the index's
	// value statistics, reading no data (storage's Graph.EstimateEntries);
	// ok is false when they cannot tell. Nil when unknown.
	StatsEstimate func(q storage.IndexQuery) (n int64, ok bool)
}

// GraphInfo gathers what the planner needs from a store and the
// transaction the traversal will run in (for index estimates). Stores
// that do not expose schema or statistics give an empty Info.
func GraphInfo(store storage.Store, tx storage.GraphTx) *Info {
	info := &Info{}
	if g, ok := store.(interface{ Schema() storage.Schema }); ok {
		info.Indexes = g.Schema().Indexes
	}
	if len(info.Indexes) > 0 {
		if g, ok := store.(interface{ Stats() storage.Stats }); ok {
			info.Stats = g.Stats()
		}
		if e, ok := tx.(interface {
			EstimateLookup(storage.IndexQuery, int) (int64, error)
		}); ok {
			info.Estimate = e.EstimateLookup
		}
		if g, ok := store.(interface {
			EstimateEntries(storage.IndexQuery) (int64, bool)
		}); ok {
			info.StatsEstimate = g.EstimateEntries
		}
	}
	return info
}

// Applied is one strategy's pass over the traversal.
type Applied struct {
	Strategy string
	Category string // decoration, optimization, provider, finalization, verification
	Changed  bool
	Steps    []value.Instruction // the root steps after it
}

// QueryPlan is a planned traversal.
type QueryPlan struct {
	Original *value.Bytecode
	// Bytecode is what to compile: Original with physical access steps.
	Bytecode *value.Bytecode
	Applied  []Applied
	// Nodes is the printed plan of the root traversal.
	Nodes []Node
}

// String prints the plan, one node per line.
func (p *QueryPlan) String() string {
	var b strings.Builder
	for _, n := range p.Nodes {
		b.WriteString(n.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Rewritten reports whether any rule changed the traversal.
func (p *QueryPlan) Rewritten() bool {
	for _, a := range p.Applied {
		if a.Changed {
			return true
		}
	}
	return false
}

// Explain returns TinkerPop's TraversalExplanation of the plan.
func (p *QueryPlan) Explain() *value.TraversalExplanation {
	x := &value.TraversalExplanation{Original: renderSteps(p.Original.Steps)}
	for _, a := range p.Applied {
		x.Intermediate = append(x.Intermediate, value.ExplanationStep{
			Strategy: a.Strategy, Category: a.Category, Traversal: renderSteps(a.Steps)})
	}
	for _, n := range p.Nodes {
		x.Final = append(x.Final, n.String())
	}
	if x.Final == nil {
		x.Final = []string{}
	}
	return x
}

type rule struct {
	name, category string
	apply          func(*planState) bool
}

// Strategies lists the planner's rules in the order they run.
var rules = []rule{
	{"KvtIdAccessStrategy", "provider", (*planState).idAccess},
	{"KvtLabelAccessStrategy", "provider", (*planState).labelAccess},
	{"KvtIndexAccessStrategy", "provider", (*planState).indexAccess},
	{"KvtCountPushdownStrategy", "provider", (*planState).countPushdown},
}

// Strategies returns the names of the planner's rules, in order.
func Strategies() []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.name
	}
	return out
}

type planState struct {
	info  *Info
	steps []value.Instruction
	// restricted: PartitionStrategy or SubgraphStrategy filter what the
	// adjacency sees, so counts cannot come from the keys.
	restricted bool
	// access describes the start step once a rule chose it.
	access Node
	// absorbed is the hasLabel instruction a label scan replaced.
	absorbed *value.Instruction
}

// Plan rewrites bc into storage access. bc is not modified. A nil info is
// the empty Info. Plan fails only on bytecode it cannot read; anything it
// does not recognize is left to the traversal engine.
func Plan(bc *value.Bytecode, info *Info) (*QueryPlan, error) {
	if bc == nil {
		return nil, fmt.Errorf("planner: no bytecode")
	}
	if info == nil {
		info = &Info{}
	}
	st := &planState{info: info, steps: append([]value.Instruction(nil), bc.Steps...)}
	disabled := map[string]bool{}
	for _, in := range bc.Sources {
		switch in.Operator {
		case "withStrategies":
			for _, a := range in.Args {
				name := strategyName(a)
				if name == "PartitionStrategy" || name == "SubgraphStrategy" {
					st.restricted = true
				}
			}
		case "withoutStrategies":
			for _, a := range in.Args {
				disabled[strategyName(a)] = true
			}
		}
	}
	p := &QueryPlan{Original: bc}
	for _, r := range rules {
		changed := false
		if !disabled[r.name] {
			changed = r.apply(st)
		}
		p.Applied = append(p.Applied, Applied{Strategy: r.name, Category: r.category, Changed: changed,
			Steps: append([]value.Instruction(nil), st.steps...)})
	}
	p.Bytecode = &value.Bytecode{Sources: bc.Sources, Steps: st.steps}
	p.Nodes = st.nodes()
	return p, nil
}

func strategyName(a any) string {
	var name string
	switch s := a.(type) {
	case value.Strategy:
		name = s.Class
	case *value.Strategy:
		if s != nil {
			name = s.Class
		}
	default:
		name = fmt.Sprint(unbind(a))
	}
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	return name
}

func unbind(v any) any {
	switch b := v.(type) {
	case value.Binding:
		return b.Value
	case *value.Binding:
		if b != nil {
			return b.Value
		}
	}
	return v
}

// cond is one condition of a has-family step.
type cond struct {
	key  string // property key, or ~id / ~label / ~key / ~value
	pred *value.P
}

func tokenKey(a any) (string, bool) {
	switch k := unbind(a).(type) {
	case string:
		return k, true
	case value.Enum:
		if k.Type == "T" || k.Type == "" {
			switch k.Name {
			case "id", "label", "key", "value":
				return "~" + k.Name, true
			}
		}
	}
	return "", false
}

func predOf(v any) (*value.P, bool) {
	v = unbind(v)
	switch x := v.(type) {
	case *value.P:
		return x, x != nil
	case *value.Bytecode, *value.Lambda:
		return nil, false
	}
	return &value.P{Operator: "eq", Values: []any{v}}, true
}

func elementID(v any) any {
	switch x := v.(type) {
	case *value.Vertex:
		return x.ID
	case *value.Edge:
		return x.ID
	case *value.VertexProperty:
		return x.ID
	}
	return v
}

func flatArgs(args []any) []any {
	var out []any
	for _, a := range args {
		a = unbind(a)
		switch c := a.(type) {
		case []any:
			out = append(out, c...)
		case *value.Set:
			out = append(out, c.Items()...)
		default:
			out = append(out, a)
		}
	}
	return out
}

// hasConds returns the conditions of a has-family instruction, or false
// when it is not a plain key/predicate filter (has(key), has(key,
// traversal), hasNot...).
func hasConds(in value.Instruction) ([]cond, bool) {
	args := in.Args
	switch in.Operator {
	case "has":
		switch len(args) {
		case 2:
			k, ok := tokenKey(args[0])
			p, ok2 := predOf(args[1])
			if !ok || !ok2 {
				return nil, false
			}
			if k == "~id" {
				p = idPred(p)
			}
			return []cond{{k, p}}, true
		case 3:
			l, ok := unbind(args[0]).(string)
			k, ok2 := tokenKey(args[1])
			p, ok3 := predOf(args[2])
			if !ok || !ok2 || !ok3 {
				return nil, false
			}
			return []cond{{"~label", eqP(l)}, {k, p}}, true
		}
		return nil, false
	case "hasLabel", "hasId", "hasKey", "hasValue":
		key := map[string]string{"hasLabel": "~label", "hasId": "~id", "hasKey": "~key", "hasValue": "~value"}[in.Operator]
		vals := flatArgs(args)
		if len(vals) == 1 {
			if p, ok := vals[0].(*value.P); ok {
				return []cond{{key, p}}, true
			}
		}
		for i, v := range vals {
			if _, ok := v.(*value.Bytecode); ok {
				return nil, false
			}
			if key == "~id" {
				vals[i] = elementID(v)
			}
		}
		if len(vals) == 1 {
			return []cond{{key, eqP(vals[0])}}, true
		}
		return []cond{{key, &value.P{Operator: "within", Values: vals}}}, true
	}
	return nil, false
}

func idPred(p *value.P) *value.P {
	q := &value.P{Operator: p.Operator, Text: p.Text, Values: make([]any, len(p.Values))}
	for i, v := range p.Values {
		q.Values[i] = elementID(v)
	}
	return q
}

func eqP(v any) *value.P { return &value.P{Operator: "eq", Values: []any{v}} }

// isFilterOp: steps that may sit in the filter prefix after the start.
var isFilterOp = map[string]bool{"has": true, "hasLabel": true, "hasId": true, "hasNot": true, "as": true}

// start returns the start instruction's kind: "V", "E" or "" when the
// root does not begin with a plain V()/E() (no ids).
func (st *planState) start() (edges bool, ok bool) {
	if len(st.steps) == 0 {
		return false, false
	}
	in := st.steps[0]
	if (in.Operator != "V" && in.Operator != "E") || len(in.Args) != 0 {
		return false, false
	}
	return in.Operator == "E", true
}

// prefix returns the positions of the filter instructions right after
// the start step, up to the first step that is not a filter.
func (st *planState) prefix() []int {
	var out []int
	for i := 1; i < len(st.steps) && st.prefixFilter(st.steps[i]); i++ {
		if st.steps[i].Operator != "as" {
			out = append(out, i)
		}
	}
	return out
}

// prefixFilter reports whether in may sit in the filter prefix: a
// has-family step, as(), or an or() of has-family branches (no side
// effects, so narrowing the start does not change what it sees).
func (st *planState) prefixFilter(in value.Instruction) bool {
	if in.Operator == "or" {
		_, ok := orBranches(in)
		return ok
	}
	return isFilterOp[in.Operator]
}

func (st *planState) remove(i int) {
	st.steps = append(st.steps[:i:i], st.steps[i+1:]...)
}

func (st *planState) insert(i int, in value.Instruction) {
	st.steps = append(st.steps[:i:i], append([]value.Instruction{in}, st.steps[i:]...)...)
}

func plainValue(v any) bool {
	switch v.(type) {
	case nil, *value.P, *value.Bytecode, *value.Lambda, []any, *value.Set, *value.Map:
		return false
	}
	return true
}

// eqValues returns the values of an eq or within predicate when they are
// all plain scalars.
func eqValues(p *value.P) ([]any, bool) {
	if p == nil || (p.Operator != "eq" && p.Operator != "within") {
		return nil, false
	}
	vals := p.Values
	if p.Operator == "within" {
		vals = flatValues(vals)
	} else if len(vals) != 1 {
		return nil, false
	}
	for _, v := range vals {
		if !plainValue(unbind(v)) {
			return nil, false
		}
	}
	return vals, true
}

// idAccess: V().hasId(…) / has(T.id, eq|within) → one multi-get. The id
// filter stays: it compares ids with Gremlin equality.
func (st *planState) idAccess() bool {
	edges, ok := st.start()
	if !ok {
		return false
	}
	for _, i := range st.prefix() {
		conds, ok := hasConds(st.steps[i])
		if !ok {
			continue
		}
		for _, c := range conds {
			if c.key != "~id" {
				continue
			}
			ids, ok := eqValues(c.pred)
			if !ok {
				continue
			}
			op := traversal.OpGetV
			if edges {
				op = traversal.OpGetE
			}
			st.steps[0] = value.Instruction{Operator: op, Args: append([]any(nil), ids...)}
			st.access = DirectGet{Edges: edges, IDs: ids}
			return true
		}
	}
	return false
}

// labelAccess: V().hasLabel('a','b') → a label-index scan per label; the
// scan answers the hasLabel exactly, so it is removed.
func (st *planState) labelAccess() bool {
	edges, ok := st.start()
	if !ok {
		return false
	}
	for _, i := range st.prefix() {
		conds, ok := hasConds(st.steps[i])
		if !ok || len(conds) != 1 || conds[0].key != "~label" {
			continue
		}
		vals, ok := eqValues(conds[0].pred)
		if !ok {
			continue
		}
		var labels []any
		seen := map[string]bool{}
		for _, v := range vals {
			s, isStr := unbind(v).(string)
			if !isStr {
				labels = nil
				break
			}
			if !seen[s] {
				seen[s] = true
				labels = append(labels, s)
			}
		}
		if labels == nil {
			continue
		}
		op := traversal.OpScanV
		if edges {
			op = traversal.OpScanE
		}
		in := st.steps[i]
		st.absorbed = &in
		st.remove(i)
		st.steps[0] = value.Instruction{Operator: op, Args: labels}
		st.access = LabelScan{Edges: edges, Labels: strs(labels)}
		return true
	}
	return false
}

// candidate is one index that can answer the prefix.
type candidate struct {
	def  storage.IndexDef
	pred *value.P
	// drop is the prefix instruction the index answers exactly (text
	// predicates, which only an index evaluates), or -1.
	drop int
	cost int64
}

func kindRank(k index.Kind) int {
	switch k {
	case index.Unique:
		return 0
	case index.Exact:
		return 1
	case index.Range:
		return 2
	}
	return 3
}

// indexAccess: has(key, P) over an indexed key → index lookup, when it is
// cheaper than the access chosen so far (by label counts and index
// estimates).
func (st *planState) indexAccess() bool {
	if len(st.info.Indexes) == 0 || len(st.steps) == 0 {
		return false
	}
	edges := false
	var cur int64
	switch in := st.steps[0]; in.Operator {
	case "V", "E":
		if len(in.Args) != 0 {
			return false
		}
		edges = in.Operator == "E"
		cur = st.info.Stats.Vertices
		if edges {
			cur = st.info.Stats.Edges
		}
	case traversal.OpScanV, traversal.OpScanE:
		edges = in.Operator == traversal.OpScanE
		cur = 0
		for _, l := range strs(in.Args) {
			if edges {
				cur += st.info.Stats.EdgesByLabel[l]
			} else {
				cur += st.info.Stats.VerticesByLabel[l]
			}
		}
	default:
		return false
	}
	// The label every result has, when the prefix says so.
	label := ""
	if sc, ok := st.access.(LabelScan); ok && len(sc.Labels) == 1 {
		label = sc.Labels[0]
	}
	byKey := map[string][]keyCond{}
	var ors []int
	for _, i := range st.prefix() {
		if st.steps[i].Operator == "or" {
			ors = append(ors, i)
			continue
		}
		label = addConds(byKey, st.steps[i], i, label)
	}
	cands := st.info.candidates(byKey, label, edges)
	if len(cands) == 0 && len(ors) == 0 {
		return false
	}
	for i := range cands {
		cands[i].cost = st.estimate(cands[i], cur)
	}
	sortCandidates(cands)
	// An or() whose every branch an index answers: a union of lookups.
	union, ucost, uok := st.orUnion(ors, byKey, label, edges, cur)
	if uok && (len(cands) == 0 || ucost < cands[0].cost) && !hasForced(cands) {
		switch {
		case ucost < cur:
		case ucost == cur && st.access == nil && !unionScansAll(union):
		default:
			return false
		}
		st.useUnion(union, edges)
		return true
	}
	if len(cands) == 0 {
		return false
	}
	best := cands[0]
	// A text predicate has no other evaluator: its index must be used.
	forced := false
	for _, c := range cands {
		if c.drop >= 0 {
			if best.drop < 0 {
				best = c
			}
			forced = true
			break
		}
	}
	switch {
	case forced:
	case best.cost < cur:
	case best.cost == cur && st.access == nil && best.pred.Operator != index.OpExists:
		// Ties with a full scan (an empty graph): the index reads no more
		// (has(key) over every element reads the index on top).
	default:
		return false
	}
	op := traversal.OpIndexV
	if edges {
		op = traversal.OpIndexE
	}
	if best.drop >= 0 {
		st.remove(best.drop)
	}
	st.steps[0] = value.Instruction{Operator: op, Args: []any{best.def.Name, best.pred}}
	if st.absorbed != nil && best.def.Label == "" {
		st.insert(1, *st.absorbed)
		st.absorbed = nil
	}
	est := best.cost
	if st.info.Estimate == nil {
		est = -1
	}
	st.access = IndexLookup{Edges: edges, Index: best.def.Name, Kind: best.def.Kind, Keys: best.def.Keys,
		Pred: best.pred, Estimate: est}
	return true
}

func predValuesPlain(p *value.P) bool {
	for _, v := range flatValues(p.Values) {
		if !plainValue(unbind(v)) {
			return false
		}
	}
	return len(p.Values) > 0
}

// estimate is the number of entries a candidate touches, at most limit+1
// when the store can count them, else a guess from the entry counts.
// statsTrustAbove is the statistics estimate above which the planner
// does not count index entries (counting would read that many keys).
const statsTrustAbove = 1000

func (st *planState) estimate(c candidate, limit int64) int64 {
	if c.def.Kind == index.Unique && c.pred.Operator == "eq" {
		return 1
	}
	if st.info.StatsEstimate != nil {
		// Counting with Estimate reads up to limit+1 keys: when the
		// statistics say the lookup is large, trust them instead.
		if n, ok := st.info.StatsEstimate(storage.IndexQuery{Index: c.def.Name, Pred: c.pred}); ok && (n > statsTrustAbove || st.info.Estimate == nil) {
			return min(n, limit+1)
		}
	}
	if st.info.Estimate != nil {
		n, err := st.info.Estimate(storage.IndexQuery{Index: c.def.Name, Pred: c.pred}, int(limit)+1)
		if err == nil {
			return n
		}
		return limit + 1
	}
	n := st.info.Stats.IndexEntries[c.def.Name]
	if c.pred.Operator == index.OpExists {
		return n
	}
	switch c.def.Kind {
	case index.Range:
		n /= 3
	default:
		n /= 10
	}
	return n
}

var adjOps = map[string]string{"out": "OUT", "in": "IN", "both": "BOTH", "outE": "OUT", "inE": "IN", "bothE": "BOTH"}

// countPushdown: …out(labels).count() → the sum of the vertices' degrees,
// counted from the adjacency keys.
func (st *planState) countPushdown() bool {
	if st.restricted {
		return false
	}
	changed := false
	for i := 1; i+1 < len(st.steps); i++ {
		adj, cnt := st.steps[i], st.steps[i+1]
		dir, ok := adjOps[adj.Operator]
		if !ok || cnt.Operator != "count" || len(cnt.Args) != 0 {
			continue
		}
		args := []any{dir}
		for _, a := range adj.Args {
			s, isStr := unbind(a).(string)
			if !isStr {
				args = nil
				break
			}
			args = append(args, s)
		}
		if args == nil {
			continue
		}
		st.steps[i] = value.Instruction{Operator: traversal.OpCountAdj, Args: args}
		st.remove(i + 1)
		changed = true
	}
	return changed
}

// nodes prints the root traversal as plan nodes.
func (st *planState) nodes() []Node {
	var out []Node
	for i, in := range st.steps {
		switch in.Operator {
		case "as", "by", "option", "with", "from", "to", "emit", "until", "times":
			if len(out) > 0 {
				continue
			}
		}
		var n Node
		switch in.Operator {
		case "V", "E":
			if i == 0 {
				edges := in.Operator == "E"
				if len(in.Args) == 0 {
					n = FullScan{Edges: edges}
				} else {
					n = DirectGet{Edges: edges, IDs: flatArgs(in.Args)}
				}
			}
		case traversal.OpGetV, traversal.OpGetE, traversal.OpScanV, traversal.OpScanE, traversal.OpIndexV, traversal.OpIndexE:
			if st.access != nil && i == 0 {
				n = st.access
			}
		case "out", "in", "both", "outE", "inE", "bothE":
			n = Expand{Dir: adjOps[in.Operator], Labels: strs(in.Args), Edges: strings.HasSuffix(in.Operator, "E")}
		case "has", "hasLabel", "hasId", "hasNot":
			n = Filter{Step: stepString(in)}
		case traversal.OpCountAdj:
			if len(in.Args) > 0 {
				d, _ := in.Args[0].(string)
				n = CountPushdown{Dir: d, Labels: strs(in.Args[1:])}
			}
		}
		if n == nil {
			n = Step{Step: stepString(in)}
		}
		out = append(out, n)
	}
	return out
}
