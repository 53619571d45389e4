package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// CheckReport is the result of Check.
type CheckReport struct {
	Vertices     int64
	Edges        int64
	IndexEntries int64
	// Problems lists every inconsistency found, one line each.
	Problems []string
}

// OK reports whether no problem was found.
func (r *CheckReport) OK() bool { return len(r.Problems) == 0 }

const maxProblems = 1000

func (r *CheckReport) addf(format string, args ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Check verifies, in one snapshot, that every row decodes; that edge_out
// and edge_in are symmetric and agree with the edge table; that no edge
// dangles; that the label index and every index hold exactly the entries
// the data implies; and that the in-memory counts match. Run it without
// concurrent writers (the counts include only committed transactions).
// The error is for failures to read; inconsistencies go in the report.
func Check(ctx context.Context, g *Graph) (*CheckReport, error) {
	kt, err := g.store.Begin(ctx, kv.TxOptions{ReadOnly: true, Isolation: kv.Snapshot})
	if err != nil {
		return nil, fmt.Errorf("storage: check: %w", err)
	}
	defer kt.Rollback()
	tx := &Tx{g: g, ctx: ctx, kt: kt, ro: true, known: newVertexLabels(), deltas: map[statKey]int64{}}
	r := &CheckReport{}
	show := func(k []byte) string {
		if id, _, err := decodeID(k); err == nil {
			return fmt.Sprint(id)
		}
		return fmt.Sprintf("%x", k)
	}

	// expected[table name][key] = value
	expected := map[string]map[string][]byte{}
	expect := func(t kv.Table, k, v []byte) {
		m := expected[t.Name]
		if m == nil {
			m = map[string][]byte{}
			expected[t.Name] = m
		}
		m[string(k)] = v
	}
	counts := map[statKey]int64{}
	vlabels := map[string]uint32{}
	defs := append(g.indexesFor(VertexElement), g.indexesFor(EdgeElement)...)
	addIndex := func(kind ElementKind, elem []byte, label uint32, vals func(uint32) []any) {
		for _, d := range defs {
			if d.Element != kind {
				continue
			}
			es, err := d.entries(elem, label, vals)
			if err != nil {
				r.addf("%s %s: index %q: %v", kind, show(elem), d.Name, err)
				continue
			}
			for _, e := range es {
				expect(g.indexTable(d.Kind), e.key, e.val)
				if e.val == nil {
					expected[g.indexTable(d.Kind).Name][string(e.key)] = []byte{}
				}
			}
		}
	}
	each := func(t kv.Table, fn func(k, v []byte)) error {
		sc := tx.newScanner(t, nil, nil, false)
		for {
			k, v, ok := sc.next()
			if !ok {
				return sc.err
			}
			fn(k, v)
		}
	}

	err = each(g.t.vertex, func(k, v []byte) {
		r.Vertices++
		row, err := decodeVertexRow(v)
		if err != nil {
			r.addf("vertex %s: %v", show(k), err)
			return
		}
		if _, err := g.nameOf(nsVertexLabel, row.label); err != nil {
			r.addf("vertex %s: %v", show(k), err)
		}
		vlabels[string(k)] = row.label
		counts[statKey{kindVertex, row.label}]++
		expect(g.t.labelIdx, labelIndexKey(kindVertex, row.label, k), []byte{})
		seen := map[string]bool{}
		for _, p := range row.props {
			if seen[string(p.id)] {
				r.addf("vertex %s: two properties share id %s", show(k), show(p.id))
			}
			seen[string(p.id)] = true
		}
		addIndex(VertexElement, k, row.label, vertexVals(row))
	})
	if err != nil {
		return nil, err
	}
	err = each(g.t.edge, func(k, v []byte) {
		r.Edges++
		ref, err := decodeEdgeRef(v)
		if err != nil {
			r.addf("edge %s: %v", show(k), err)
			return
		}
		if _, ok := vlabels[string(ref.out)]; !ok {
			r.addf("edge %s dangles: out-vertex %s does not exist", show(k), show(ref.out))
		}
		if _, ok := vlabels[string(ref.in)]; !ok {
			r.addf("edge %s dangles: in-vertex %s does not exist", show(k), show(ref.in))
		}
		counts[statKey{kindEdge, ref.label}]++
		expect(g.t.edgeOut, adjKey(ref.out, ref.label, ref.in, k), nil)
		expect(g.t.edgeIn, adjKey(ref.in, ref.label, ref.out, k), nil)
	})
	if err != nil {
		return nil, err
	}
	// Adjacency: compare keys with the edge table and across directions;
	// edge_out holds the value, edge_in entries are empty.
	for _, in := range []bool{false, true} {
		t, other := g.t.edgeOut, g.t.edgeIn
		if in {
			t, other = g.t.edgeIn, g.t.edgeOut
		}
		want := expected[t.Name]
		err = each(t, func(k, v []byte) {
			a, label, b, eid, err := parseAdjKey(k)
			if err != nil {
				r.addf("%s key %x: %v", t.Name, k, err)
				return
			}
			if _, ok := want[string(k)]; !ok {
				r.addf("%s entry for edge %s has no matching edge row", t.Name, show(eid))
				return
			}
			delete(want, string(k))
			if _, err := kt.Get(other, adjKey(b, label, a, eid)); err != nil {
				r.addf("edge %s is in %s but not in %s: %v", show(eid), t.Name, other.Name, err)
			}
			if in {
				if len(v) != 0 {
					r.addf("edge %s: %s entry holds %x, want an empty value", show(eid), t.Name, v)
				}
				return
			}
			ev, err := decodeEdgeVal(v)
			if err != nil {
				r.addf("%s entry of edge %s: %v", t.Name, show(eid), err)
				return
			}
			out, inv := a, b
			if l, ok := vlabels[string(out)]; ok && l != ev.outLabel {
				r.addf("edge %s: stored out-vertex label %d, vertex has %d", show(eid), ev.outLabel, l)
			}
			if l, ok := vlabels[string(inv)]; ok && l != ev.inLabel {
				r.addf("edge %s: stored in-vertex label %d, vertex has %d", show(eid), ev.inLabel, l)
			}
			addIndex(EdgeElement, eid, label, edgeVals(ev.props))
		})
		if err != nil {
			return nil, err
		}
		for k := range want {
			_, _, _, eid, _ := parseAdjKey([]byte(k))
			r.addf("edge %s has no %s entry", show(eid), t.Name)
		}
	}
	// Label index and indexes: exact agreement.
	idxNames := map[uint32]string{}
	byID := map[uint32]*indexDef{}
	values := map[uint32][][]byte{} // encoded values per index, for the histograms
	for _, d := range defs {
		idxNames[d.id] = d.Name
		byID[d.id] = d
	}
	for _, t := range []kv.Table{g.t.labelIdx, g.t.secondary, g.t.rangeIdx, g.t.search, g.t.unique} {
		want := expected[t.Name]
		err = each(t, func(k, v []byte) {
			what := t.Name
			if t != g.t.labelIdx {
				r.IndexEntries++
				id, n := binary.Uvarint(k)
				if n > 0 {
					if name, ok := idxNames[uint32(id)]; ok {
						what = fmt.Sprintf("index %q", name)
					} else {
						what = fmt.Sprintf("unknown index %d", id)
					}
					counts[statKey{kindIndex, uint32(id)}]++
					if d := byID[uint32(id)]; d != nil && g.indexTable(d.Kind) == t {
						if m, err := d.valueLen(k[n:]); err == nil {
							values[d.id] = append(values[d.id], k[n:n+m])
						}
					}
				}
			}
			w, ok := want[string(k)]
			if !ok {
				r.addf("%s: stale entry %x", what, k)
				return
			}
			delete(want, string(k))
			if !bytes.Equal(w, v) {
				r.addf("%s: entry %x holds %x, want %x", what, k, v, w)
			}
		})
		if err != nil {
			return nil, err
		}
		for k := range want {
			r.addf("%s: missing entry %x", t.Name, k)
		}
	}
	g.stats.mu.Lock()
	for k, n := range g.stats.counts {
		if counts[k] != n {
			r.addf("statistics: count %c/%d is %d, data has %d", k.kind, k.id, n, counts[k])
		}
	}
	for k, n := range counts {
		if _, ok := g.stats.counts[k]; !ok {
			r.addf("statistics: count %c/%d is missing, data has %d", k.kind, k.id, n)
		}
	}
	g.stats.mu.Unlock()
	g.checkValueStats(r, values, idxNames)
	return r, nil
}
