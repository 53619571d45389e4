package traversal

import (
	"bytes"
	"math"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Physical access steps. Only the planner emits these instructions (their
// operators carry the "kvt:" prefix, which no Gremlin step name has); each
// one is a start step that reads storage through the cheapest path the
// planner chose:
//
//	kvt:getV / kvt:getE      ids...              one multi-get by id
//	kvt:scanV / kvt:scanE    labels...           one label-index scan per label
//	kvt:indexV / kvt:indexE  name, P             one index lookup
//	kvt:countAdj             direction, labels... count() over an adjacency
//	                                             step, from the edge keys
//
// The planner keeps every filter it could not prove redundant after the
// access step, so these steps only need to return a superset of the
// elements the original start step and filters selected, each once.
const (
	OpGetV     = "kvt:getV"
	OpGetE     = "kvt:getE"
	OpScanV    = "kvt:scanV"
	OpScanE    = "kvt:scanE"
	OpIndexV   = "kvt:indexV"
	OpIndexE   = "kvt:indexE"
	OpCountAdj = "kvt:countAdj"
)

// indexReader is what storage's *Tx offers beyond GraphTx for lookups.
type indexReader interface {
	LookupVertices(q storage.IndexQuery) ([]*value.Vertex, error)
	LookupEdges(q storage.IndexQuery) ([]*value.Edge, error)
}

func (r *stepSet) addAccessSteps() {
	for _, op := range []string{OpGetV, OpGetE, OpScanV, OpScanE, OpIndexV, OpIndexE} {
		r.registerStart(op)
	}
	r.register(OpGetV, func(c *compiler, args []any) (step, error) { return accessGet(args, true), nil })
	r.register(OpGetE, func(c *compiler, args []any) (step, error) { return accessGet(args, false), nil })
	r.register(OpScanV, func(c *compiler, args []any) (step, error) { return accessScan(OpScanV, args, true) })
	r.register(OpScanE, func(c *compiler, args []any) (step, error) { return accessScan(OpScanE, args, false) })
	r.register(OpIndexV, func(c *compiler, args []any) (step, error) { return accessIndex(OpIndexV, args, true) })
	r.register(OpIndexE, func(c *compiler, args []any) (step, error) { return accessIndex(OpIndexE, args, false) })
	r.register(OpCountAdj, countAdj)
}

// idCandidates returns the ids a stored element may have when a filter
// compares its id with id: integers match across widths (hasId(1) finds
// an element whose id is 1L), other ids only themselves.
func idCandidates(id any) []any {
	var n int64
	switch x := id.(type) {
	case int8:
		n = int64(x)
	case int16:
		n = int64(x)
	case int32:
		n = int64(x)
	case int64:
		n = x
	default:
		return []any{id}
	}
	out := []any{n}
	if n >= math.MinInt32 && n <= math.MaxInt32 {
		out = append(out, int32(n))
	}
	if n >= math.MinInt16 && n <= math.MaxInt16 {
		out = append(out, int16(n))
	}
	if n >= math.MinInt8 && n <= math.MaxInt8 {
		out = append(out, int8(n))
	}
	return out
}

func accessGet(args []any, vertices bool) step {
	var ids []any
	seen := map[string]bool{}
	for _, a := range flattenArgs(args) {
		if eid, ok := elementID(a); ok {
			a = eid
		}
		if a == nil {
			continue
		}
		for _, c := range idCandidates(a) {
			k := value.Key(c)
			if _, isInt := c.(int64); !isInt {
				k = typeName(c) + ":" + k
			}
			if !seen[k] {
				seen[k] = true
				ids = append(ids, c)
			}
		}
	}
	return &flatMapStep{f: func(x *exec, t *trav) valIter {
		if len(ids) == 0 {
			return sliceVals(nil)
		}
		var out []any
		done := map[string]bool{}
		if vertices {
			vs, err := x.tx.Vertices(ids)
			if err != nil {
				throw(err)
			}
			for _, v := range vs {
				k := value.Key(v.ID)
				if !done[k] && x.vertexOK(v) {
					done[k] = true
					out = append(out, v)
				}
			}
		} else {
			es, err := x.tx.Edges(ids)
			if err != nil {
				throw(err)
			}
			for _, e := range es {
				k := value.Key(e.ID)
				if !done[k] && x.edgeOK(e) {
					done[k] = true
					out = append(out, e)
				}
			}
		}
		sortByID(out)
		return sliceVals(out)
	}}
}

func accessScan(op string, args []any, vertices bool) (step, error) {
	labels, err := argStrings(op, args)
	if err != nil {
		return nil, err
	}
	return &flatMapStep{f: func(x *exec, t *trav) valIter {
		// One scan per label, merged in id order: the order of a full
		// scan filtered by label.
		its := make([]valIter, len(labels))
		heads := make([]any, len(labels))
		live := make([]bool, len(labels))
		for i, l := range labels {
			if vertices {
				its[i] = x.vertexIter(x.tx.ScanVertices(l))
			} else {
				its[i] = x.edgeIter(x.tx.ScanEdges(l), nil)
			}
			heads[i], live[i] = its[i]()
		}
		return func() (any, bool) {
			best := -1
			for i := range its {
				if live[i] && (best < 0 || idLess(elemID(heads[i]), elemID(heads[best]))) {
					best = i
				}
			}
			if best < 0 {
				return nil, false
			}
			v := heads[best]
			heads[best], live[best] = its[best]()
			return v, true
		}
	}}, nil
}

// accessIndex reads the elements one or more index lookups select
// (args: name, P, name, P, ...; several pairs are the union the planner
// makes of an or()), each element once, in id order.
func accessIndex(op string, args []any, vertices bool) (step, error) {
	if len(args) < 2 || len(args)%2 != 0 {
		return nil, errorf(op, "expected pairs of an index name and a predicate")
	}
	var qs []storage.IndexQuery
	for i := 0; i < len(args); i += 2 {
		name, ok := args[i].(string)
		if !ok {
			return nil, errorf(op, "the index name must be a String, got %s", typeName(args[i]))
		}
		p, ok := args[i+1].(*value.P)
		if !ok || p == nil {
			return nil, errorf(op, "the predicate must be a P, got %s", typeName(args[i+1]))
		}
		qs = append(qs, storage.IndexQuery{Index: name, Pred: p})
	}
	return &flatMapStep{f: func(x *exec, t *trav) valIter {
		ir, ok := x.tx.(indexReader)
		if !ok {
			throwf(op, "the graph transaction (%T) cannot read indexes", x.tx)
		}
		var out []any
		seen := map[string]bool{}
		first := func(id any) bool {
			if len(qs) == 1 {
				return true
			}
			k := typeName(id) + ":" + value.Key(id)
			if seen[k] {
				return false
			}
			seen[k] = true
			return true
		}
		for _, q := range qs {
			if vertices {
				vs, err := ir.LookupVertices(q)
				if err != nil {
					throw(err)
				}
				for _, v := range vs {
					x.tick()
					if x.vertexOK(v) && first(v.ID) {
						out = append(out, v)
					}
				}
			} else {
				es, err := ir.LookupEdges(q)
				if err != nil {
					throw(err)
				}
				for _, e := range es {
					x.tick()
					if x.edgeOK(e) && first(e.ID) {
						out = append(out, e)
					}
				}
			}
		}
		sortByID(out)
		return sliceVals(out)
	}}, nil
}

// countAdj replaces out(labels).count() (and in/both, and the E forms):
// the sum over the incoming vertices of their degree, each weighted by its
// traverser's bulk, read from the edge keys without decoding edges.
func countAdj(c *compiler, args []any) (step, error) {
	if len(args) < 1 {
		return nil, errorf(OpCountAdj, "expected a direction")
	}
	var dir storage.Direction
	switch d, _ := args[0].(string); d {
	case "OUT":
		dir = storage.Out
	case "IN":
		dir = storage.In
	case "BOTH":
		dir = storage.Both
	default:
		return nil, errorf(OpCountAdj, "the direction must be OUT, IN or BOTH, got %s", javaStr(args[0]))
	}
	labels, err := argStrings(OpCountAdj, args[1:])
	if err != nil {
		return nil, err
	}
	return reducer(func(x *exec, ts []*trav) (any, bool) {
		var n int64
		if dc, ok := x.tx.(storage.DegreeCounter); ok && len(ts) > 1 {
			// One store call per adjacency table for all the vertices.
			ids := make([]any, len(ts))
			for i, t := range ts {
				v, ok := t.val.(*value.Vertex)
				if !ok {
					throwf(OpCountAdj, "expected a Vertex but got %s", typeName(t.val))
				}
				x.tick()
				ids[i] = v.ID
			}
			ds, err := dc.DegreeMany(ids, dir, labels)
			if err != nil {
				throw(err)
			}
			for i, t := range ts {
				n += ds[i] * t.bulk
			}
			return n, true
		}
		for _, t := range ts {
			v, ok := t.val.(*value.Vertex)
			if !ok {
				throwf(OpCountAdj, "expected a Vertex but got %s", typeName(t.val))
			}
			x.tick()
			d, err := x.tx.Degree(v.ID, dir, labels)
			if err != nil {
				throw(err)
			}
			n += d * t.bulk
		}
		return n, true
	}), nil
}

func elemID(v any) any {
	switch x := v.(type) {
	case *value.Vertex:
		return x.ID
	case *value.Edge:
		return x.ID
	}
	return nil
}

// sortByID puts elements in the order a full scan yields them.
func sortByID(elems []any) {
	sort.SliceStable(elems, func(i, j int) bool { return idLess(elemID(elems[i]), elemID(elems[j])) })
}

// idRank mirrors the type tags that order ids in storage's element
// tables (storage/keys.go): int8 < int16 < int32 < int64 < string < UUID
// < anything else.
func idRank(id any) int {
	switch id.(type) {
	case int8:
		return 0
	case int16:
		return 1
	case int32:
		return 2
	case int64:
		return 3
	case string:
		return 4
	case uuid.UUID:
		return 5
	}
	return 6
}

// idLess orders ids as storage's element tables do.
func idLess(a, b any) bool {
	ra, rb := idRank(a), idRank(b)
	if ra != rb {
		return ra < rb
	}
	switch x := a.(type) {
	case int8:
		return x < b.(int8)
	case int16:
		return x < b.(int16)
	case int32:
		return x < b.(int32)
	case int64:
		return x < b.(int64)
	case string:
		return strings.Compare(x, b.(string)) < 0
	case uuid.UUID:
		y := b.(uuid.UUID)
		return bytes.Compare(x[:], y[:]) < 0
	}
	return false
}
