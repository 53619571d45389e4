package storage

import (
	"context"
	"fmt"
	"sync"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// statKey names one counter: vertices or edges of a label, or entries of
// an index.
type statKey struct {
	kind byte // kindVertex, kindEdge or kindIndex
	id   uint32
}

const kindIndex = 'I'

// statistics are exact counts kept in memory: recounted from the label
// index and index tables on Open, then moved by committed transactions'
// deltas (so a count never includes uncommitted or rolled-back writes).
type statistics struct {
	mu     sync.Mutex
	counts map[statKey]int64
	// vals are the value statistics per index id (stats_values.go).
	vals map[uint32]*valueStats
}

func newStatistics() *statistics {
	return &statistics{counts: map[statKey]int64{}, vals: map[uint32]*valueStats{}}
}

// apply adds a committed transaction's count deltas and index entry
// changes.
func (s *statistics) apply(d map[statKey]int64, vd []valDelta) {
	if len(d) == 0 && len(vd) == 0 {
		return
	}
	s.mu.Lock()
	for k, n := range d {
		s.counts[k] += n
	}
	s.applyValues(vd)
	s.mu.Unlock()
}

func (s *statistics) get(k statKey) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[k]
}

// Stats are counts for the planner.
type Stats struct {
	Vertices        int64
	Edges           int64
	VerticesByLabel map[string]int64
	EdgesByLabel    map[string]int64
	// IndexEntries counts the entries of each index by name.
	IndexEntries map[string]int64
}

// Stats returns the current counts (committed transactions only).
func (g *Graph) Stats() Stats {
	s := Stats{VerticesByLabel: map[string]int64{}, EdgesByLabel: map[string]int64{}, IndexEntries: map[string]int64{}}
	g.stats.mu.Lock()
	counts := make(map[statKey]int64, len(g.stats.counts))
	for k, v := range g.stats.counts {
		counts[k] = v
	}
	g.stats.mu.Unlock()
	for k, n := range counts {
		if n == 0 {
			continue
		}
		switch k.kind {
		case kindVertex:
			if name, err := g.nameOf(nsVertexLabel, k.id); err == nil {
				s.VerticesByLabel[name] = n
				s.Vertices += n
			}
		case kindEdge:
			if name, err := g.nameOf(nsEdgeLabel, k.id); err == nil {
				s.EdgesByLabel[name] = n
				s.Edges += n
			}
		case kindIndex:
			g.schemaMu.RLock()
			d, ok := g.idxByID[k.id]
			g.schemaMu.RUnlock()
			if ok {
				s.IndexEntries[d.Name] = n
			}
		}
	}
	return s
}

// LabelCount returns the number of vertices (vertex true) or edges of a
// label.
func (g *Graph) LabelCount(vertex bool, label string) int64 {
	ns, kind := nsEdgeLabel, byte(kindEdge)
	if vertex {
		ns, kind = nsVertexLabel, kindVertex
	}
	e, ok := g.lookupName(ns, label)
	if !ok {
		return 0
	}
	return g.stats.get(statKey{kind, e.id})
}

// recount rebuilds the counts with keys-only scans of the label index and
// the index tables.
func (g *Graph) recount(ctx context.Context) error {
	tx, err := g.store.Begin(ctx, kv.TxOptions{ReadOnly: true, Isolation: kv.Snapshot})
	if err != nil {
		return fmt.Errorf("storage: count elements: %w", err)
	}
	defer tx.Rollback()
	counts := map[statKey]int64{}
	count := func(t kv.Table, key func(k []byte) (statKey, error)) error {
		opts := kv.ScanOptions{KeysOnly: true, Limit: 4096}
		for {
			p, err := tx.Scan(t, nil, nil, opts)
			if err != nil {
				return err
			}
			for _, k := range p.Keys {
				sk, err := key(k)
				if err != nil {
					return err
				}
				counts[sk]++
			}
			if p.Cursor == nil {
				return nil
			}
			opts.Cursor = p.Cursor
		}
	}
	err = count(g.t.labelIdx, func(k []byte) (statKey, error) {
		r := reader{b: k[1:]}
		id := uint32(r.uvarint())
		return statKey{k[0], id}, r.err
	})
	if err != nil {
		return fmt.Errorf("storage: count elements: %w", err)
	}
	// Edges have no label index entries: their label is in the edge row.
	var ferr error
	err = (&Tx{g: g, ctx: ctx, kt: tx}).visit(g.t.edge, nil, nil, false, 4096, func(_, v []byte) bool {
		r := reader{b: v}
		r.idBytes()
		l := uint32(r.uvarint())
		if r.err != nil {
			ferr = fmt.Errorf("%w: edge row: %w", ErrCorrupt, r.err)
			return false
		}
		counts[statKey{kindEdge, l}]++
		return true
	})
	if err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("storage: count edges: %w", err)
	}
	// The same pass builds each index's value statistics: keys come in
	// (index, value) order.
	builders := map[uint32]*statsBuilder{}
	g.schemaMu.RLock()
	for id, d := range g.idxByID {
		builders[id] = newStatsBuilder(d)
	}
	g.schemaMu.RUnlock()
	for _, t := range []kv.Table{g.t.secondary, g.t.rangeIdx, g.t.search, g.t.unique} {
		err = count(t, func(k []byte) (statKey, error) {
			r := reader{b: k}
			id := uint32(r.uvarint())
			if r.err != nil {
				return statKey{}, r.err
			}
			if sb := builders[id]; sb != nil && g.indexTable(sb.d.Kind) == t {
				if err := sb.add(k); err != nil {
					return statKey{}, err
				}
			}
			return statKey{kindIndex, id}, nil
		})
		if err != nil {
			return fmt.Errorf("storage: count index entries: %w", err)
		}
	}
	vals := make(map[uint32]*valueStats, len(builders))
	for id, sb := range builders {
		vals[id] = sb.finish()
	}
	g.stats.mu.Lock()
	g.stats.counts = counts
	g.stats.vals = vals
	g.stats.mu.Unlock()
	return nil
}
