package planner

import (
	"sort"
	"strings"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal"
)

// keyCond is one condition on a property key found in a filter prefix.
type keyCond struct {
	pos  int // the prefix instruction, or -1 inside an or() branch
	pred *value.P
	only bool // the instruction has no other condition
}

// existsP is the predicate of has(key): the key is present, whatever its
// value. Only the one-key exact, unique and range indexes answer it (an
// element has an entry there exactly when it has the key).
func existsP() *value.P { return &value.P{Operator: index.OpExists} }

// addConds records the property conditions of a has-family instruction at
// position pos in byKey and returns the label every result has (label,
// or the one a hasLabel(l) names when label is still unknown).
func addConds(byKey map[string][]keyCond, in value.Instruction, pos int, label string) string {
	if k, ok := existsKey(in); ok {
		byKey[k] = append(byKey[k], keyCond{pos, existsP(), false})
		return label
	}
	conds, ok := hasConds(in)
	if !ok {
		return label
	}
	for _, c := range conds {
		if c.key == "~label" && label == "" {
			if vals, ok := eqValues(c.pred); ok && len(vals) == 1 {
				label, _ = unbind(vals[0]).(string)
			}
		}
		if !strings.HasPrefix(c.key, "~") {
			byKey[c.key] = append(byKey[c.key], keyCond{pos, c.pred, len(conds) == 1})
		}
	}
	return label
}

// existsKey returns the key of has(key).
func existsKey(in value.Instruction) (string, bool) {
	if in.Operator != "has" || len(in.Args) != 1 {
		return "", false
	}
	k, ok := unbind(in.Args[0]).(string)
	return k, ok && k != ""
}

// candidates lists the indexes that select a superset of the elements
// matching the conditions in byKey, each with the predicate to look up.
func (info *Info) candidates(byKey map[string][]keyCond, label string, edges bool) []candidate {
	var cands []candidate
	for _, d := range info.Indexes {
		if (d.Element == storage.EdgeElement) != edges || len(d.Keys) == 0 {
			continue
		}
		if d.Label != "" && d.Label != label {
			continue
		}
		if len(d.Keys) == 1 && d.Kind != index.Text {
			for _, kc := range byKey[d.Keys[0]] {
				if kc.pred != nil && kc.pred.Operator == index.OpExists {
					cands = append(cands, candidate{def: d, drop: -1, pred: existsP()})
					break
				}
			}
		}
		switch d.Kind {
		case index.Exact, index.Unique:
			var vals []any
			for _, k := range d.Keys {
				var v any
				found := false
				for _, kc := range byKey[k] {
					if ev, ok := eqValues(kc.pred); ok {
						if len(d.Keys) == 1 && kc.pred.Operator == "within" {
							cands = append(cands, candidate{def: d, drop: -1,
								pred: &value.P{Operator: "within", Values: append([]any(nil), ev...)}})
						} else if kc.pred.Operator == "eq" {
							v, found = ev[0], true
						}
						if found {
							break
						}
					}
				}
				if !found {
					// Elements lacking one of the keys have no entry in
					// a composite index: only a full key set selects a
					// superset of the matches.
					vals = nil
					break
				}
				vals = append(vals, v)
			}
			if len(vals) > 0 {
				cands = append(cands, candidate{def: d, drop: -1, pred: &value.P{Operator: "eq", Values: vals}})
			}
		case index.Range, index.Text:
			for _, kc := range byKey[d.Keys[0]] {
				if d.Kind == index.Text && kc.pred != nil && predValuesPlain(kc.pred) {
					// TextP containing/startingWith: the index selects a
					// superset by a whole token or token prefix; has() stays.
					if tp, ok := index.TextCandidates(kc.pred); ok {
						cands = append(cands, candidate{def: d, drop: -1, pred: tp})
						continue
					}
				}
				if kc.pred == nil || kc.pred.Operator == index.OpExists || !index.Supports(d.Kind, kc.pred.Operator) || !predValuesPlain(kc.pred) {
					continue
				}
				c := candidate{def: d, drop: -1, pred: kc.pred}
				if kc.pred.Operator == "within" {
					c.pred = &value.P{Operator: "within", Values: flatValues(kc.pred.Values)}
				}
				if d.Kind == index.Text && kc.only && kc.pos >= 0 {
					c.drop = kc.pos
				}
				cands = append(cands, c)
			}
		}
	}
	return cands
}

// sortCandidates orders candidates by cost, then index kind, then name.
func sortCandidates(cands []candidate) {
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.cost != b.cost {
			return a.cost < b.cost
		}
		if kindRank(a.def.Kind) != kindRank(b.def.Kind) {
			return kindRank(a.def.Kind) < kindRank(b.def.Kind)
		}
		return a.def.Name < b.def.Name
	})
}

// hasForced reports whether a candidate answers a text predicate that
// only an index can evaluate (it must then be used).
func hasForced(cands []candidate) bool {
	for _, c := range cands {
		if c.drop >= 0 {
			return true
		}
	}
	return false
}

// pureFilterOps are the steps an or() branch may hold for the or() to be
// a filter of the prefix: side-effect free tests of the element itself.
var pureFilterOps = map[string]bool{"has": true, "hasLabel": true, "hasId": true, "hasNot": true,
	"hasKey": true, "hasValue": true}

// orBranches returns the branches of an or() made only of has-family
// steps, or false.
func orBranches(in value.Instruction) ([]*value.Bytecode, bool) {
	if in.Operator != "or" || len(in.Args) == 0 {
		return nil, false
	}
	out := make([]*value.Bytecode, 0, len(in.Args))
	for _, a := range in.Args {
		bc, ok := unbind(a).(*value.Bytecode)
		if !ok || bc == nil || len(bc.Steps) == 0 || len(bc.Sources) != 0 {
			return nil, false
		}
		for _, s := range bc.Steps {
			if !pureFilterOps[s.Operator] {
				return nil, false
			}
		}
		out = append(out, bc)
	}
	return out, true
}

// lookup is one (index, predicate) pair of a union.
type lookup struct {
	def  storage.IndexDef
	pred *value.P
	cost int64
}

// orUnion finds the cheapest or() of the prefix whose every branch an
// index answers: each branch is looked up with the cheapest index over
// the prefix's conditions and its own. The union of the lookups is a
// superset of the or()'s matches; the or() stays as the filter.
func (st *planState) orUnion(ors []int, byKey map[string][]keyCond, label string, edges bool, cur int64) ([]lookup, int64, bool) {
	var best []lookup
	var bestCost int64
	found := false
	for _, pos := range ors {
		branches, ok := orBranches(st.steps[pos])
		if !ok {
			continue
		}
		var union []lookup
		var total int64
		seen := map[string]bool{}
		for _, br := range branches {
			bk := make(map[string][]keyCond, len(byKey)+1)
			for k, v := range byKey {
				bk[k] = append([]keyCond(nil), v...)
			}
			bl := label
			for _, in := range br.Steps {
				bl = addConds(bk, in, -1, bl)
			}
			cands := st.info.candidates(bk, bl, edges)
			if len(cands) == 0 {
				union = nil
				break
			}
			for i := range cands {
				cands[i].cost = st.estimate(cands[i], cur)
			}
			sortCandidates(cands)
			c := cands[0]
			key := c.def.Name + "\x00" + pString(c.pred)
			if !seen[key] {
				seen[key] = true
				union = append(union, lookup{def: c.def, pred: c.pred, cost: c.cost})
				total += c.cost
			}
		}
		if union == nil {
			continue
		}
		if !found || total < bestCost {
			best, bestCost, found = union, total, true
		}
	}
	return best, bestCost, found
}

// useUnion makes the start step the union of the lookups.
func (st *planState) useUnion(union []lookup, edges bool) {
	op := traversal.OpIndexV
	if edges {
		op = traversal.OpIndexE
	}
	args := make([]any, 0, 2*len(union))
	node := IndexUnion{Edges: edges}
	reinsert := false
	for _, l := range union {
		args = append(args, l.def.Name, l.pred)
		est := l.cost
		if st.info.Estimate == nil {
			est = -1
		}
		node.Lookups = append(node.Lookups, IndexLookup{Edges: edges, Index: l.def.Name, Kind: l.def.Kind,
			Keys: l.def.Keys, Pred: l.pred, Estimate: est})
		if l.def.Label == "" {
			reinsert = true
		}
	}
	st.steps[0] = value.Instruction{Operator: op, Args: args}
	if st.absorbed != nil && reinsert {
		st.insert(1, *st.absorbed)
		st.absorbed = nil
	}
	if len(node.Lookups) == 1 {
		st.access = node.Lookups[0]
		return
	}
	st.access = node
}

// unionScansAll reports whether a union reads a whole index (has(key)).
func unionScansAll(union []lookup) bool {
	for _, l := range union {
		if l.pred.Operator == index.OpExists {
			return true
		}
	}
	return false
}
