package storage

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Value-distribution statistics per index, for the planner.
//
// Each index has an equi-depth histogram of its encoded values (tokens
// for text indexes, the value tuple for composite ones) and a HyperLogLog
// sketch of its distinct values. They live in memory only: they are
// rebuilt from keys-only scans of the index tables on Open (in the same
// pass that recounts the entries), after CreateIndex's backfill, at the end
// of a BulkLoad for indexes the load changed much, and on demand by
// RefreshStats. In between, committed transactions move them: each index
// entry inserted or removed adjusts the count of its bucket (so the
// buckets' counts always sum to the index's exact entry count, which Check
// verifies bucket by bucket) and inserts feed the sketch. They drift from
// the data in two ways only: the sketch never forgets removed values, and
// values inserted between two buckets' bounds are assumed uniform in the
// bucket. IndexStats reports the changes since the last build; once they
// exceed the entries at the build (plus 1024) the statistics are stale
// and EstimateEntries declines to answer.

// valueStats are the statistics of one index.
type valueStats struct {
	hist         index.Histogram
	hll          *index.HLL
	builtEntries int64
	changes      int64
}

// valDelta is one committed change of an index entry.
type valDelta struct {
	idx uint32
	val []byte // the encoded value part of the entry key (not copied)
	n   int8
}

// staleAfter is the number of changes after which statistics built over
// built entries are stale.
func staleAfter(built int64) int64 { return built + 1024 }

// applyValues moves the histograms by committed entry changes. The caller
// holds s.mu.
func (s *statistics) applyValues(ds []valDelta) {
	for _, d := range ds {
		vs := s.vals[d.idx]
		if vs == nil {
			continue // a dropped index
		}
		vs.hist.Apply(d.val, int64(d.n))
		if d.n > 0 {
			vs.hll.Add(d.val)
		}
		vs.changes++
	}
}

// entryValue returns the encoded value part of index entry key k of d for
// element elem (entries are [indexID][value][elem], unique ones
// [indexID][value] → elem).
func (d *indexDef) entryValue(k, elem []byte) []byte {
	p := uvarintLen(uint64(d.id))
	if d.Kind == index.Unique {
		return k[p:]
	}
	return k[p : len(k)-len(elem)]
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// valueLen returns the length of the encoded value at the start of rest
// (an index key after the index id).
func (d *indexDef) valueLen(rest []byte) (int, error) {
	switch d.Kind {
	case index.Unique:
		return len(rest), nil
	case index.Text:
		_, n, err := index.DecodeEscaped(rest)
		return n, err
	}
	off := 0
	for range d.Keys {
		m, err := index.SkipValue(rest[off:])
		if err != nil {
			return 0, err
		}
		off += m
	}
	return off, nil
}

// statsBuilder feeds the keys of one index, in key order, to a histogram
// builder.
type statsBuilder struct {
	d *indexDef
	b *index.HistogramBuilder
}

func newStatsBuilder(d *indexDef) *statsBuilder {
	return &statsBuilder{d: d, b: index.NewHistogramBuilder(index.DefaultBuckets)}
}

// add takes one index key (the builder keeps a slice of it).
func (sb *statsBuilder) add(k []byte) error {
	p := uvarintLen(uint64(sb.d.id))
	n, err := sb.d.valueLen(k[p:])
	if err != nil {
		return fmt.Errorf("%w: index %q entry %x: %w", ErrCorrupt, sb.d.Name, k, err)
	}
	sb.b.Add(k[p : p+n])
	return nil
}

func (sb *statsBuilder) finish() *valueStats {
	h, hll, _, n := sb.b.Finish()
	return &valueStats{hist: h, hll: hll, builtEntries: n}
}

// RefreshStats rebuilds the value statistics of the named index (every
// index when name is empty) from a keys-only scan of its entries in one
// snapshot. Commits that land during the scan may be missed by the new
// histogram (the entry counts stay exact): run it when writes are quiet.
func (g *Graph) RefreshStats(ctx context.Context, name string) error {
	var defs []*indexDef
	g.schemaMu.RLock()
	if name == "" {
		for _, d := range g.indexes {
			defs = append(defs, d)
		}
	} else if d, ok := g.indexes[name]; ok {
		defs = append(defs, d)
	}
	g.schemaMu.RUnlock()
	if name != "" && len(defs) == 0 {
		return fmt.Errorf("storage: refresh stats: %w: %q", ErrIndexNotFound, name)
	}
	for _, d := range defs {
		if err := g.refreshIndexStats(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// refreshStale rebuilds the statistics of every stale index.
func (g *Graph) refreshStale(ctx context.Context) error {
	var stale []uint32
	g.stats.mu.Lock()
	for id, vs := range g.stats.vals {
		if vs.changes > staleAfter(vs.builtEntries) {
			stale = append(stale, id)
		}
	}
	g.stats.mu.Unlock()
	for _, id := range stale {
		g.schemaMu.RLock()
		d, ok := g.idxByID[id]
		g.schemaMu.RUnlock()
		if ok {
			if err := g.refreshIndexStats(ctx, d); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *Graph) refreshIndexStats(ctx context.Context, d *indexDef) error {
	tx, err := g.store.Begin(ctx, kv.TxOptions{ReadOnly: true, Isolation: kv.Snapshot})
	if err != nil {
		return fmt.Errorf("storage: refresh stats of %q: %w", d.Name, err)
	}
	defer tx.Rollback()
	prefix := binary.AppendUvarint(nil, uint64(d.id))
	sb := newStatsBuilder(d)
	opts := kv.ScanOptions{KeysOnly: true, Limit: 4096}
	t := g.indexTable(d.Kind)
	for {
		p, err := tx.Scan(t, prefix, kv.PrefixEnd(prefix), opts)
		if err != nil {
			return fmt.Errorf("storage: refresh stats of %q: %w", d.Name, err)
		}
		for _, k := range p.Keys {
			if err := sb.add(k); err != nil {
				return err
			}
		}
		if p.Cursor == nil {
			break
		}
		opts.Cursor = p.Cursor
	}
	vs := sb.finish()
	g.stats.mu.Lock()
	g.schemaMu.RLock()
	_, live := g.idxByID[d.id]
	g.schemaMu.RUnlock()
	if live {
		g.stats.vals[d.id] = vs
	}
	g.stats.mu.Unlock()
	return nil
}

// IndexStats are the statistics of one index.
type IndexStats struct {
	// Entries is the exact number of index entries (committed).
	Entries int64
	// Distinct estimates the distinct values (tokens for text indexes,
	// value tuples for composite ones), within about 2% (HyperLogLog,
	// standard error index.HLLError) of the values inserted since the
	// last build; removed values are still counted until the next build.
	// It is at most Entries.
	Distinct int64
	// Histogram is an equi-depth histogram of the encoded values.
	Histogram []index.Bucket
	// Changes counts the entries inserted or removed since the last
	// build; Stale says they are many enough for the estimates to be
	// unreliable (RefreshStats rebuilds them).
	Changes int64
	Stale   bool
}

// IndexStats returns the statistics of the named index (a copy).
func (g *Graph) IndexStats(name string) (IndexStats, bool) {
	g.schemaMu.RLock()
	d, ok := g.indexes[name]
	g.schemaMu.RUnlock()
	if !ok {
		return IndexStats{}, false
	}
	g.stats.mu.Lock()
	defer g.stats.mu.Unlock()
	s := IndexStats{Entries: g.stats.counts[statKey{kindIndex, d.id}]}
	if vs := g.stats.vals[d.id]; vs != nil {
		s.Distinct = int64(math.Round(vs.hll.Estimate()))
		s.Histogram = append([]index.Bucket(nil), vs.hist.Buckets...)
		s.Changes = vs.changes
		s.Stale = vs.changes > staleAfter(vs.builtEntries)
	}
	if s.Distinct > s.Entries {
		s.Distinct = s.Entries
	}
	if s.Distinct == 0 && s.Entries > 0 {
		s.Distinct = 1
	}
	return s, true
}

// EstimateSelectivity estimates the fraction of the named index's entries
// that predicate p selects (the predicates IndexQuery accepts for the
// index's kind), from the statistics alone: it reads no data.
func (g *Graph) EstimateSelectivity(name string, p *value.P) (float64, error) {
	n, total, err := g.estimate(IndexQuery{Index: name, Pred: p})
	if err != nil || total == 0 {
		return 0, err
	}
	return math.Min(1, n/float64(total)), nil
}

// EstimateEntries estimates the index entries a query touches from the
// statistics alone (no data read). ok is false when the statistics are
// stale or the query is not one the index answers; the planner then
// counts with Tx.EstimateLookup.
func (g *Graph) EstimateEntries(q IndexQuery) (n int64, ok bool) {
	g.schemaMu.RLock()
	d, found := g.indexes[q.Index]
	g.schemaMu.RUnlock()
	if !found {
		return 0, false
	}
	g.stats.mu.Lock()
	vs := g.stats.vals[d.id]
	stale := vs != nil && vs.changes > staleAfter(vs.builtEntries)
	g.stats.mu.Unlock()
	if stale {
		return 0, false
	}
	est, _, err := g.estimate(q)
	if err != nil {
		return 0, false
	}
	return int64(math.Round(est)), true
}

// estimate returns the estimated entries q selects and the index's entry
// count.
func (g *Graph) estimate(q IndexQuery) (float64, int64, error) {
	g.schemaMu.RLock()
	d, ok := g.indexes[q.Index]
	g.schemaMu.RUnlock()
	if !ok {
		return 0, 0, fmt.Errorf("storage: estimate: %w: %q", ErrIndexNotFound, q.Index)
	}
	p := q.Pred
	if p == nil || !index.Supports(d.Kind, p.Operator) {
		return 0, 0, fmt.Errorf("storage: estimate for %s index %q: unsupported predicate: %w", d.Kind, d.Name, ErrInvalidArgument)
	}
	if p.Operator == index.OpExists { // every entry
		g.stats.mu.Lock()
		total := g.stats.counts[statKey{kindIndex, d.id}]
		g.stats.mu.Unlock()
		return float64(total), total, nil
	}
	// Encode outside the lock.
	enc := func(vals []any) ([]byte, error) {
		var b []byte
		for _, v := range vals {
			nv, err := normalizeValue(v)
			if err != nil {
				return nil, fmt.Errorf("storage: estimate for index %q: %w: %w", d.Name, ErrInvalidArgument, err)
			}
			if b, err = index.AppendValue(b, nv); err != nil {
				return nil, fmt.Errorf("storage: estimate for index %q: %w: %w", d.Name, ErrInvalidArgument, err)
			}
		}
		return b, nil
	}
	var points [][]byte    // values: sum of equality estimates
	var spans []index.Span // value ranges
	minOf := false         // textContains: every token must match
	switch {
	case p.Operator == "within":
		for _, v := range p.Values {
			b, err := enc([]any{v})
			if err != nil {
				return 0, 0, err
			}
			points = append(points, b)
		}
	case d.Kind == index.Text:
		if p.Operator == index.OpTextContains {
			s, _ := p.Values[0].(string)
			for _, tok := range index.Tokenize(s) {
				points = append(points, index.AppendToken(nil, tok))
			}
			minOf = true
			break
		}
		sp, _, err := index.TextSpans(nil, p)
		if err != nil {
			return 0, 0, fmt.Errorf("storage: estimate for index %q: %w: %w", d.Name, ErrInvalidArgument, err)
		}
		spans = sp
	case p.Operator == "eq" && (d.Kind != index.Exact || len(p.Values) == len(d.Keys)):
		b, err := enc(p.Values)
		if err != nil {
			return 0, 0, err
		}
		points = append(points, b)
	case p.Operator == "eq": // a prefix of a composite index's keys
		b, err := enc(p.Values)
		if err != nil {
			return 0, 0, err
		}
		spans = append(spans, index.Span{Start: b, End: kv.PrefixEnd(b)})
	default: // range
		sp, err := index.RangeSpans(nil, p)
		if err != nil {
			return 0, 0, fmt.Errorf("storage: estimate for index %q: %w: %w", d.Name, ErrInvalidArgument, err)
		}
		spans = sp
	}
	g.stats.mu.Lock()
	defer g.stats.mu.Unlock()
	total := g.stats.counts[statKey{kindIndex, d.id}]
	vs := g.stats.vals[d.id]
	if vs == nil {
		return 0, total, nil
	}
	var n float64
	for i, pt := range points {
		e := vs.hist.EstimateEq(pt)
		if minOf {
			if i == 0 || e < n {
				n = e
			}
			continue
		}
		n += e
	}
	for _, sp := range spans {
		n += vs.hist.EstimateSpan(sp.Start, sp.End)
	}
	return math.Min(n, float64(total)), total, nil
}

// checkValueStats verifies that each index's histogram counts exactly the
// entries whose values map to each bucket (entries: index id → encoded
// values of its entries, from the data). Run without concurrent writers.
func (g *Graph) checkValueStats(r *CheckReport, entries map[uint32][][]byte, names map[uint32]string) {
	g.stats.mu.Lock()
	defer g.stats.mu.Unlock()
	for id, name := range names {
		vs := g.stats.vals[id]
		if vs == nil {
			r.addf("statistics: index %q has no value statistics", name)
			continue
		}
		want := make([]int64, len(vs.hist.Buckets))
		for _, v := range entries[id] {
			i := vs.hist.Locate(v)
			if i < 0 {
				r.addf("statistics: index %q: value %x has no histogram bucket", name, v)
				break
			}
			want[i]++
		}
		for i, b := range vs.hist.Buckets {
			if b.Count != want[i] {
				r.addf("statistics: index %q: histogram bucket %d [%x, %x] counts %d, data has %d", name, i, b.Lower, b.Upper, b.Count, want[i])
			}
			if i > 0 && string(vs.hist.Buckets[i-1].Upper) >= string(b.Lower) {
				r.addf("statistics: index %q: histogram buckets %d and %d overlap", name, i-1, i)
			}
		}
	}
}
