package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Tx is one graph transaction over one KV transaction. It is not safe for
// concurrent use.
type Tx struct {
	g    *Graph
	ctx  context.Context
	kt   kv.Txn
	ro   bool
	done bool

	// known maps encoded ids of vertices known to exist in this
	// transaction to their label ids.
	known *vertexLabels
	// absent holds encoded ids of vertices Prefetch found missing; known
	// (checked first) overrides it once the transaction writes one.
	absent map[string]struct{}
	// deltas are count changes applied to the statistics on commit.
	deltas map[statKey]int64
	// vdeltas are the index entry changes, applied to the value
	// statistics on commit.
	vdeltas []valDelta
	// scratch is a reusable key buffer for reads (the store does not keep
	// the keys it is passed).
	scratch []byte
	// Writes issued and ids generated so far (for bulk-load batching).
	nops, nbytes, idsUsed int
	// free holds, per table (vertex, edge), a range [lo, hi) of int64 ids
	// known to be absent from it in this transaction, so that generated ids
	// are checked with one scan per id block instead of one get per id.
	free [2]idRange

	// Scratch for the keys and values of writes (the store copies what
	// it keeps) and for creation properties.
	wbuf, vbuf []byte
	eprops     []propRow
	pkeys      []*schemaEntry
	pvals      []any

	// Bulk-load batches only (see bulkTx): rd is a read-only snapshot
	// transaction begun with the batch, which serves the batch's existence,
	// id-block and unique checks so that kt only ever writes (the KVT
	// engine then keeps its cheap write-only commit path). The checks see
	// the batch's own writes through known and bulk, and those of the
	// previous batch, whose commit may still run (so rd may not see it),
	// through known and bulkPrev. rd and bulk are dropped (stopBulkReads)
	// before any write other than an addition.
	rd       kv.Txn
	bulk     *bulkState
	bulkPrev *bulkState
}

// bulkState is what a bulk-load batch wrote that its checks must see
// without reading it back.
type bulkState struct {
	// edges holds the keys of the given edge ids written, genEdges the
	// generated ones (runs of int64 ids).
	edges    map[string]struct{}
	genEdges []idRange
	// unique holds the unique-index keys written (value nil when
	// deleted).
	unique map[string][]byte
	// userIDs are the given int64 ids written into the vertex and edge
	// tables, which bound the free ranges of generated ids.
	userIDs [2][]int64
}

func newBulkState() *bulkState {
	return &bulkState{edges: map[string]struct{}{}, unique: map[string][]byte{}}
}

// addEdge records a written edge key; generated says its id, n, came from
// the id allocator.
func (s *bulkState) addEdge(k []byte, generated bool, n any) {
	if x, ok := n.(int64); ok && generated {
		if l := len(s.genEdges) - 1; l >= 0 && s.genEdges[l].hi == x {
			s.genEdges[l].hi++
		} else {
			s.genEdges = append(s.genEdges, idRange{lo: x, hi: x + 1})
		}
		return
	}
	s.edges[string(k)] = struct{}{}
}

// hasEdge reports whether the edge key k was recorded (false for a nil s).
func (s *bulkState) hasEdge(k []byte) bool {
	if s == nil {
		return false
	}
	if _, ok := s.edges[string(k)]; ok {
		return true
	}
	if len(s.genEdges) == 0 || intTagBase(k[0]) != idInt64 {
		return false
	}
	x, _, err := decodeIntID(k, idInt64)
	if err != nil {
		return false
	}
	for _, r := range s.genEdges {
		if x >= r.lo && x < r.hi {
			return true
		}
	}
	return false
}

// uniqueKey returns what s recorded for the unique-index key k.
func (s *bulkState) uniqueKey(k []byte) (val []byte, ok bool) {
	if s == nil {
		return nil, false
	}
	val, ok = s.unique[string(k)]
	return val, ok
}

// reader is the transaction existence checks read from.
func (tx *Tx) reader() kv.Txn {
	if tx.rd != nil {
		return tx.rd
	}
	return tx.kt
}

// stopBulkReads sends every later check of the batch to kt.
func (tx *Tx) stopBulkReads() {
	if tx.rd == nil {
		return
	}
	_ = tx.rd.Rollback()
	tx.rd, tx.bulk, tx.bulkPrev = nil, nil, nil
}

type idRange struct{ lo, hi int64 }

var _ GraphTx = (*Tx)(nil)

// Begin implements Store.
func (g *Graph) Begin(ctx context.Context, opts TxOptions) (GraphTx, error) {
	return g.BeginTx(ctx, opts)
}

// BeginTx is Begin returning the concrete type.
func (g *Graph) BeginTx(ctx context.Context, opts TxOptions) (*Tx, error) {
	if g.closed.Load() {
		return nil, fmt.Errorf("storage: begin: graph is closed")
	}
	ko := kv.TxOptions{ReadOnly: opts.ReadOnly}
	if opts.Snapshot {
		ko.Isolation = kv.Snapshot
	}
	kt, err := g.store.Begin(ctx, ko)
	if err != nil {
		return nil, mapKVErr("storage: begin", err)
	}
	return g.newTx(ctx, kt, opts.ReadOnly), nil
}

// newTx wraps a KV transaction.
func (g *Graph) newTx(ctx context.Context, kt kv.Txn, readOnly bool) *Tx {
	return &Tx{g: g, ctx: ctx, kt: kt, ro: readOnly, known: newVertexLabels(), deltas: map[statKey]int64{}}
}

// Graph returns the graph the transaction belongs to.
func (tx *Tx) Graph() *Graph { return tx.g }

func (tx *Tx) usable() error {
	if tx.done {
		return ErrTxDone
	}
	return nil
}

func (tx *Tx) writable() error {
	if tx.done {
		return ErrTxDone
	}
	if tx.ro {
		return ErrReadOnly
	}
	return nil
}

// set and del are the only write paths, so that writes are counted.
func (tx *Tx) set(t kv.Table, k, v []byte) error {
	tx.nops++
	tx.nbytes += len(k) + len(v)
	return tx.kt.Set(t, k, v)
}

func (tx *Tx) del(t kv.Table, k []byte) error {
	tx.nops++
	tx.nbytes += len(k)
	return tx.kt.Delete(t, k)
}

// Commit implements GraphTx.
func (tx *Tx) Commit() error {
	if tx.done {
		return ErrTxDone
	}
	tx.done = true
	tx.stopBulkReads()
	if err := tx.kt.Commit(); err != nil {
		return mapKVErr("storage: commit", err)
	}
	if tx.nops > 0 {
		tx.g.stats.apply(tx.deltas, tx.vdeltas)
		tx.g.bump(tx.kt.CommitVersion())
	}
	return nil
}

// Rollback implements GraphTx.
func (tx *Tx) Rollback() error {
	if tx.done {
		return nil
	}
	tx.done = true
	tx.stopBulkReads()
	return mapKVErr("storage: rollback", tx.kt.Rollback())
}

// Vertices implements GraphTx.
func (tx *Tx) Vertices(ids []any) ([]*value.Vertex, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	keys, norm, err := tx.idKeys(tx.g.t.vertex, ids)
	if err != nil {
		return nil, err
	}
	vals, err := tx.kt.MultiGet(tx.g.t.vertex, keys)
	if err != nil {
		return nil, mapKVErr("storage: get vertices", err)
	}
	out := make([]*value.Vertex, 0, len(vals))
	for i, b := range vals {
		if b == nil {
			continue
		}
		row, err := decodeVertexRow(b)
		if err != nil {
			return nil, fmt.Errorf("storage: vertex %v: %w", norm[i], err)
		}
		tx.known.put(keys[i], row.label)
		v, err := tx.g.toVertex(norm[i], row)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Edges implements GraphTx.
func (tx *Tx) Edges(ids []any) ([]*value.Edge, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	keys, _, err := tx.idKeys(tx.g.t.edge, ids)
	if err != nil {
		return nil, err
	}
	return tx.edgesByKey(keys)
}

// idKeys normalizes and encodes ids as keys of table t (a vertex or edge
// table), with String ids resolved as resolveStringIDs does. An id that
// cannot be normalized or encoded is left out: no element can have it.
// keys[i] is the key of the normalized id norm[i].
func (tx *Tx) idKeys(t kv.Table, ids []any) (keys [][]byte, norm []any, err error) {
	keys = make([][]byte, 0, len(ids))
	norm = make([]any, 0, len(ids))
	for _, id := range ids {
		n, err := normalizeID(id)
		if err != nil {
			continue
		}
		k, err := appendID(nil, n)
		if err != nil {
			continue
		}
		keys = append(keys, k)
		norm = append(norm, n)
	}
	if err := tx.resolveStringIDs(t, keys, norm); err != nil {
		return nil, nil, err
	}
	return keys, norm, nil
}

// resolveStringIDs gives a String id the meaning TinkerGraph's numeric id
// managers give it: g.V("1") finds the vertex whose id is the integer 1.
// Storage keeps each id's type, so a String id that names no row of t and
// parses as a decimal integer is retried as that integer in each stored
// integer width (Long, Integer, Short, Byte); the first that exists
// replaces keys[i] and norm[i]. A String id that exists as a String is
// left alone, and ids of other types are never converted. Lookups cost an
// extra read only when such a String id is present.
func (tx *Tx) resolveStringIDs(t kv.Table, keys [][]byte, norm []any) error {
	var idx []int
	var cands [][]any
	var probe [][]byte
	for i, n := range norm {
		s, ok := n.(string)
		if !ok {
			continue
		}
		c := integerIDCandidates(s)
		if len(c) == 0 {
			continue
		}
		idx = append(idx, i)
		cands = append(cands, c)
		probe = append(probe, keys[i])
		for _, id := range c {
			k, err := appendID(nil, id)
			if err != nil {
				return err
			}
			probe = append(probe, k)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	vals, err := tx.kt.MultiGet(t, probe)
	if err != nil {
		return mapKVErr("storage: get by id", err)
	}
	p := 0
	for j, i := range idx {
		found := vals[p] != nil
		for ci, id := range cands[j] {
			if !found && vals[p+1+ci] != nil {
				keys[i], norm[i] = probe[p+1+ci], id
				found = true
			}
		}
		p += 1 + len(cands[j])
	}
	return nil
}

// integerIDCandidates returns the integer ids a String id may stand for:
// its value as a Long and in every narrower width that holds it. Only
// canonical decimal forms ("12", "-3", not "+3" or "012") qualify, so the
// id's string form round-trips.
func integerIDCandidates(s string) []any {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return nil
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

// edgesByKey loads edges by encoded id, skipping missing ones.
func (tx *Tx) edgesByKey(eids [][]byte) ([]*value.Edge, error) {
	refs, err := tx.kt.MultiGet(tx.g.t.edge, eids)
	if err != nil {
		return nil, mapKVErr("storage: get edges", err)
	}
	parsed := make([]*edgeRef, 0, len(refs))
	found := make([][]byte, 0, len(refs))
	for i, b := range refs {
		if b == nil {
			continue
		}
		r, err := decodeEdgeRef(b)
		if err != nil {
			return nil, fmt.Errorf("storage: edge row: %w", err)
		}
		parsed = append(parsed, r)
		found = append(found, eids[i])
	}
	return tx.edgesByRef(found, parsed)
}

// edgesByRef loads existing edges from their ids and locations with one
// MultiGet of their edge_out entries (which hold the properties).
func (tx *Tx) edgesByRef(found [][]byte, parsed []*edgeRef) ([]*value.Edge, error) {
	outKeys := make([][]byte, len(found))
	for i, r := range parsed {
		outKeys[i] = adjKey(r.out, r.label, r.in, found[i])
	}
	vals, err := tx.kt.MultiGet(tx.g.t.edgeOut, outKeys)
	if err != nil {
		return nil, mapKVErr("storage: get edges", err)
	}
	out := make([]*value.Edge, 0, len(vals))
	for i, b := range vals {
		if b == nil {
			return nil, fmt.Errorf("storage: edge row without its edge_out entry: %w", ErrCorrupt)
		}
		ev, err := decodeEdgeVal(b)
		if err != nil {
			return nil, err
		}
		r := parsed[i]
		e, err := tx.g.toEdge(r.out, r.label, r.in, found[i], ev)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// scanner pages through one key range.
type scanner struct {
	tx         *Tx
	src        kv.Txn // nil: tx.kt
	t          kv.Table
	start, end []byte
	opts       kv.ScanOptions
	page       kv.Page
	i          int
	started    bool
	err        error
}

func (tx *Tx) newScanner(t kv.Table, start, end []byte, keysOnly bool) *scanner {
	return &scanner{tx: tx, t: t, start: start, end: end, opts: kv.ScanOptions{Limit: tx.g.opts.PageSize, KeysOnly: keysOnly}}
}

// next returns the next pair; ok is false at the end or on error.
func (s *scanner) next() (k, v []byte, ok bool) {
	for s.err == nil {
		if s.i < len(s.page.Keys) {
			k = s.page.Keys[s.i]
			if s.page.Values != nil {
				v = s.page.Values[s.i]
			}
			s.i++
			return k, v, true
		}
		if s.started && s.page.Cursor == nil {
			return nil, nil, false
		}
		if err := s.tx.usable(); err != nil {
			s.err = err
			break
		}
		if s.started {
			s.opts.Cursor = s.page.Cursor
		}
		s.started = true
		src := s.src
		if src == nil {
			src = s.tx.kt
		}
		s.page, s.err = src.Scan(s.t, s.start, s.end, s.opts)
		if s.err != nil {
			s.err = mapKVErr("storage: scan "+s.t.Name, s.err)
		}
		s.i = 0
	}
	return nil, nil, false
}

// nextPageKeys returns the keys of the rest of the current page, or of the
// next page.
func (s *scanner) nextPageKeys() [][]byte {
	var out [][]byte
	for {
		k, _, ok := s.next()
		if !ok {
			return out
		}
		out = append(out, k)
		if s.i >= len(s.page.Keys) {
			return out
		}
	}
}

// nextPage returns the pairs of the rest of the current page, or of the
// next page (values nil for a keys-only scanner). The slices are owned by
// the caller.
func (s *scanner) nextPage() (keys, vals [][]byte) {
	for {
		k, v, ok := s.next()
		if !ok {
			return keys, vals
		}
		keys = append(keys, k)
		vals = append(vals, v)
		if s.i >= len(s.page.Keys) {
			return keys, vals
		}
	}
}

// visit calls fn for each pair of [start, end) in t until fn returns false.
// With a kv.UnsafeVisitor store, key and value are borrowed from the
// store's page: valid only during fn. pageSize 0 is the graph's page size.
func (tx *Tx) visit(t kv.Table, start, end []byte, keysOnly bool, pageSize int, fn func(k, v []byte) bool) error {
	return tx.visitIn(tx.kt, t, start, end, keysOnly, pageSize, fn)
}

// visitIn is visit reading from src (tx.kt or tx.rd).
func (tx *Tx) visitIn(src kv.Txn, t kv.Table, start, end []byte, keysOnly bool, pageSize int, fn func(k, v []byte) bool) error {
	if err := tx.usable(); err != nil {
		return err
	}
	if pageSize <= 0 {
		pageSize = tx.g.opts.PageSize
	}
	if uv, ok := src.(kv.UnsafeVisitor); ok {
		err := uv.UnsafeVisit(t, start, end, kv.ScanOptions{Limit: pageSize, KeysOnly: keysOnly}, fn)
		if err != nil {
			return mapKVErr("storage: scan "+t.Name, err)
		}
		return nil
	}
	sc := tx.newScanner(t, start, end, keysOnly)
	sc.src = src
	sc.opts.Limit = pageSize
	for {
		k, v, ok := sc.next()
		if !ok {
			return sc.err
		}
		if !fn(k, v) {
			return nil
		}
	}
}

// vertexIter iterates the vertex table, or the label index and then the
// rows. With partial set (ScanVertexValues) only the properties whose key
// id is in want are decoded from each row.
type vertexIter struct {
	tx      *Tx
	sc      *scanner
	label   bool   // scanning the label index
	labelID uint32 // that label, when partial
	partial bool
	want    []uint32
	buf     []*value.Vertex
	err     error
}

// decode turns the row b of vertex id into a vertex, decoding only the
// wanted properties when the iterator is partial.
func (it *vertexIter) decode(id any, b []byte) (*value.Vertex, error) {
	var row *vertexRow
	var err error
	if it.partial {
		row, err = decodeVertexRowKeys(b, it.want)
	} else {
		row, err = decodeVertexRow(b)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: vertex %v: %w", id, err)
	}
	return it.tx.g.toVertex(id, row)
}

// ScanVertices implements GraphTx.
func (tx *Tx) ScanVertices(label string) VertexIter {
	if err := tx.usable(); err != nil {
		return &vertexIter{err: err}
	}
	if label == "" {
		return &vertexIter{tx: tx, sc: tx.newScanner(tx.g.t.vertex, nil, nil, false)}
	}
	e, ok := tx.g.lookupName(nsVertexLabel, label)
	if !ok {
		return &vertexIter{}
	}
	p := labelIndexKey(kindVertex, e.id, nil)
	return &vertexIter{tx: tx, sc: tx.newScanner(tx.g.t.labelIdx, p, kv.PrefixEnd(p), true), label: true}
}

func (it *vertexIter) Next() (*value.Vertex, bool) {
	for it.err == nil && it.sc != nil {
		if len(it.buf) > 0 {
			v := it.buf[0]
			it.buf[0] = nil
			it.buf = it.buf[1:]
			return v, true
		}
		if !it.label {
			k, b, ok := it.sc.next()
			if !ok {
				it.err = it.sc.err
				return nil, false
			}
			id, _, err := decodeID(k)
			if err != nil {
				it.err = err
				return nil, false
			}
			v, err := it.decode(id, b)
			if err != nil {
				it.err = err
				return nil, false
			}
			return v, true
		}
		if it.partial {
			more, err := it.pagePartial()
			if err != nil {
				it.err = err
				return nil, false
			}
			if !more {
				it.err = it.sc.err
				return nil, false
			}
			continue
		}
		keys := it.sc.nextPageKeys()
		if len(keys) == 0 {
			it.err = it.sc.err
			return nil, false
		}
		ids := make([]any, len(keys))
		for i, k := range keys {
			id, err := labelIndexID(k)
			if err != nil {
				it.err = err
				return nil, false
			}
			ids[i] = id
		}
		vs, err := it.tx.Vertices(ids)
		if err != nil {
			it.err = err
			return nil, false
		}
		it.buf = vs
	}
	return nil, false
}

func (it *vertexIter) Err() error { return it.err }
func (it *vertexIter) Close()     { it.sc = nil; it.buf = nil }

// labelIndexID decodes the element id of a label index key.
func labelIndexID(k []byte) (any, error) {
	r := reader{b: k[1:]}
	r.uvarint()
	id := r.id()
	return id, r.err
}

type edgeIter struct {
	tx     *Tx
	ranges []edgeRange
	sc     *scanner
	buf    []*value.Edge
	label  *scanner // edge table scan for the edges of one label, when set
	lid    uint32   // that label
	err    error
}

type edgeRange struct {
	in         bool // edge_in: key vertex is the in-vertex
	vlen       int  // length of the encoded key vertex
	start, end []byte
}

// ScanEdges implements GraphTx.
func (tx *Tx) ScanEdges(label string) EdgeIter {
	if err := tx.usable(); err != nil {
		return &edgeIter{err: err}
	}
	if label == "" {
		return &edgeIter{tx: tx, ranges: []edgeRange{{}}}
	}
	e, ok := tx.g.lookupName(nsEdgeLabel, label)
	if !ok {
		return &edgeIter{}
	}
	return &edgeIter{tx: tx, label: tx.newScanner(tx.g.t.edge, nil, nil, false), lid: e.id}
}

// adjRanges returns the key ranges of vid's edges.
func (tx *Tx) adjRanges(vid any, dir Direction, labels []string) ([]edgeRange, error) {
	vk, err := encodeID(vid)
	if err != nil {
		return nil, nil // no vertex has such an id
	}
	var dirs []bool
	switch dir {
	case Out:
		dirs = []bool{false}
	case In:
		dirs = []bool{true}
	case Both:
		dirs = []bool{false, true}
	default:
		return nil, fmt.Errorf("storage: unknown direction %d: %w", dir, ErrInvalidArgument)
	}
	var rs []edgeRange
	for _, in := range dirs {
		if len(labels) == 0 {
			p := adjPrefix(vk, 0, false)
			rs = append(rs, edgeRange{in: in, vlen: len(vk), start: p, end: kv.PrefixEnd(p)})
			continue
		}
		seen := map[string]bool{}
		for _, l := range labels {
			if seen[l] {
				continue
			}
			seen[l] = true
			e, ok := tx.g.lookupName(nsEdgeLabel, l)
			if !ok {
				continue
			}
			p := adjPrefix(vk, e.id, true)
			rs = append(rs, edgeRange{in: in, vlen: len(vk), start: p, end: kv.PrefixEnd(p)})
		}
	}
	return rs, nil
}

// EdgesOf implements GraphTx.
func (tx *Tx) EdgesOf(vid any, dir Direction, labels []string) EdgeIter {
	if err := tx.usable(); err != nil {
		return &edgeIter{err: err}
	}
	rs, err := tx.adjRanges(vid, dir, labels)
	if err != nil {
		return &edgeIter{err: err}
	}
	return &edgeIter{tx: tx, ranges: rs}
}

func (it *edgeIter) Next() (*value.Edge, bool) {
	for it.err == nil && it.tx != nil {
		if len(it.buf) > 0 {
			e := it.buf[0]
			it.buf = it.buf[1:]
			return e, true
		}
		if it.label != nil {
			// The edges of a label: filter the edge table by the label in
			// its rows, a page at a time.
			keys, vals := it.label.nextPage()
			if len(keys) == 0 {
				it.err = it.label.err
				return nil, false
			}
			var eids [][]byte
			var refs []*edgeRef
			for i, k := range keys {
				r, err := decodeEdgeRef(vals[i])
				if err != nil {
					it.err = fmt.Errorf("storage: edge row: %w", err)
					return nil, false
				}
				if r.label == it.lid {
					eids = append(eids, k)
					refs = append(refs, r)
				}
			}
			if len(eids) > 0 {
				it.buf, it.err = it.tx.edgesByRef(eids, refs)
			}
			continue
		}
		if it.sc == nil {
			if len(it.ranges) == 0 {
				return nil, false
			}
			if it.ranges[0].in {
				// edge_in keys only: the properties live in edge_out.
				it.sc = it.tx.newScanner(it.tx.g.t.edgeIn, it.ranges[0].start, it.ranges[0].end, true)
			} else {
				it.sc = it.tx.newScanner(it.tx.g.t.edgeOut, it.ranges[0].start, it.ranges[0].end, false)
			}
		}
		if it.ranges[0].in {
			keys := it.sc.nextPageKeys()
			if len(keys) == 0 {
				if it.err = it.sc.err; it.err != nil {
					return nil, false
				}
				it.sc = nil
				it.ranges = it.ranges[1:]
				continue
			}
			eids := make([][]byte, len(keys))
			refs := make([]*edgeRef, len(keys))
			for i, k := range keys {
				in, label, out, eid, err := parseAdjKey(k)
				if err != nil {
					it.err = err
					return nil, false
				}
				eids[i], refs[i] = eid, &edgeRef{out: out, label: label, in: in}
			}
			it.buf, it.err = it.tx.edgesByRef(eids, refs)
			continue
		}
		k, v, ok := it.sc.next()
		if !ok {
			if it.err = it.sc.err; it.err != nil {
				return nil, false
			}
			it.sc = nil
			it.ranges = it.ranges[1:]
			continue
		}
		a, label, b, eid, err := parseAdjKey(k)
		if err != nil {
			it.err = err
			return nil, false
		}
		ev, err := decodeEdgeVal(v)
		if err != nil {
			it.err = err
			return nil, false
		}
		e, err := it.tx.g.toEdge(a, label, b, eid, ev)
		if err != nil {
			it.err = err
			return nil, false
		}
		return e, true
	}
	return nil, false
}

func (it *edgeIter) Err() error { return it.err }
func (it *edgeIter) Close()     { it.tx = nil; it.buf = nil; it.sc = nil }

// Degree implements GraphTx: it counts keys without decoding values.
func (tx *Tx) Degree(vid any, dir Direction, labels []string) (int64, error) {
	if err := tx.usable(); err != nil {
		return 0, err
	}
	if len(labels) == 0 && (dir == Out || dir == In) {
		// Fast path (the inner loop of multi-hop counts): both bounds in
		// one scratch buffer, no range list.
		id, err := normalizeID(vid)
		if err != nil {
			return 0, nil // no vertex has such an id
		}
		b, err := appendID(tx.scratch[:0], id)
		if err != nil {
			return 0, nil
		}
		k := len(b)
		b = append(b, b...)
		tx.scratch = b
		t := tx.g.t.edgeOut
		if dir == In {
			t = tx.g.t.edgeIn
		}
		return tx.countRange(t, b[:k:k], prefixEndIn(b[k:]))
	}
	rs, err := tx.adjRanges(vid, dir, labels)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, r := range rs {
		t := tx.g.t.edgeOut
		if r.in {
			t = tx.g.t.edgeIn
		}
		c, err := tx.countRange(t, r.start, r.end)
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

// prefixEndIn turns p into kv.PrefixEnd(p) in place (nil: end of table).
func prefixEndIn(p []byte) []byte {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] != 0xff {
			p[i]++
			return p[: i+1 : i+1]
		}
	}
	return nil
}

func (tx *Tx) countRange(t kv.Table, start, end []byte) (int64, error) {
	if rc, ok := tx.kt.(kv.RangeCounter); ok {
		n, err := rc.CountRange(t, start, end, 0)
		return n, mapKVErr("storage: count "+t.Name, err)
	}
	sc := tx.newScanner(t, start, end, true)
	sc.opts.Limit = 4096
	var n int64
	for {
		_, _, ok := sc.next()
		if !ok {
			return n, sc.err
		}
		n++
	}
}

// DegreeCounter is implemented by GraphTx values that count the degrees of
// many vertices at once (found by type assertion; *Tx implements it).
type DegreeCounter interface {
	// DegreeMany returns Degree(vids[i], dir, labels) for every i.
	DegreeMany(vids []any, dir Direction, labels []string) ([]int64, error)
}

var _ DegreeCounter = (*Tx)(nil)

// DegreeMany implements DegreeCounter. On a store with
// kv.MultiRangeCounter it costs one store call per adjacency table
// (out, in) for all the vertices, instead of one per vertex and label.
func (tx *Tx) DegreeMany(vids []any, dir Direction, labels []string) ([]int64, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	out := make([]int64, len(vids))
	mc, ok := tx.kt.(kv.MultiRangeCounter)
	if !ok || len(vids) == 0 {
		for i, v := range vids {
			d, err := tx.Degree(v, dir, labels)
			if err != nil {
				return nil, err
			}
			out[i] = d
		}
		return out, nil
	}
	var ranges [2][]kv.KeyRange // out, in
	var owner [2][]int32
	if len(labels) == 0 && (dir == Out || dir == In || dir == Both) {
		// Fast path: the vertex prefix of every id in one buffer.
		var buf []byte
		offs := make([]int, 0, 2*len(vids)+1)
		idx := make([]int32, 0, len(vids))
		for i, v := range vids {
			id, err := normalizeID(v)
			if err != nil {
				continue // no vertex has such an id
			}
			start := len(buf)
			b, err := appendID(buf, id)
			if err != nil {
				continue
			}
			k := len(b) - start
			buf = append(b, b[start:]...)
			offs = append(offs, start, start+k)
			idx = append(idx, int32(i))
		}
		for j, i := range idx {
			s, e := offs[2*j], offs[2*j+1]
			k := e - s
			r := kv.KeyRange{Start: buf[s:e:e], End: prefixEndIn(buf[e : e+k : e+k])}
			if dir == Out || dir == Both {
				ranges[0] = append(ranges[0], r)
				owner[0] = append(owner[0], i)
			}
			if dir == In || dir == Both {
				ranges[1] = append(ranges[1], r)
				owner[1] = append(owner[1], i)
			}
		}
	} else {
		for i, v := range vids {
			rs, err := tx.adjRanges(v, dir, labels)
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				d := 0
				if r.in {
					d = 1
				}
				ranges[d] = append(ranges[d], kv.KeyRange{Start: r.start, End: r.end})
				owner[d] = append(owner[d], int32(i))
			}
		}
	}
	for d, t := range [2]kv.Table{tx.g.t.edgeOut, tx.g.t.edgeIn} {
		if len(ranges[d]) == 0 {
			continue
		}
		n, err := mc.CountRanges(t, ranges[d])
		if err != nil {
			return nil, mapKVErr("storage: count "+t.Name, err)
		}
		for j, c := range n {
			out[owner[d][j]] += c
		}
	}
	return out, nil
}

// AdjacentIDs returns the ids of the vertices adjacent to vid (one per
// edge, so repeated for parallel edges), decoding keys only.
func (tx *Tx) AdjacentIDs(vid any, dir Direction, labels []string) ([]any, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	rs, err := tx.adjRanges(vid, dir, labels)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, r := range rs {
		t := tx.g.t.edgeOut
		if r.in {
			t = tx.g.t.edgeIn
		}
		var derr error
		err := tx.visit(t, r.start, r.end, true, 0, func(k, _ []byte) bool {
			// k is borrowed: decode the neighbour id out of it now.
			b := k[r.vlen:]
			_, n := binary.Uvarint(b)
			if n <= 0 {
				derr = fmt.Errorf("storage: %s key %x: bad label: %w", t.Name, k, ErrCorrupt)
				return false
			}
			id, _, err := decodeID(b[n:])
			if err != nil {
				derr = err
				return false
			}
			out = append(out, id)
			return true
		})
		if err != nil {
			return nil, err
		}
		if derr != nil {
			return nil, derr
		}
	}
	return out, nil
}

// vertexLabelOf returns the label id of an existing vertex (encoded id),
// or ErrVertexNotFound.
func (tx *Tx) vertexLabelOf(vk []byte, id any) (uint32, error) {
	if l, ok := tx.known.get(vk); ok {
		return l, nil
	}
	b, err := tx.reader().Get(tx.g.t.vertex, vk)
	if errors.Is(err, kv.ErrKeyNotFound) {
		return 0, fmt.Errorf("storage: vertex %v: %w", id, ErrVertexNotFound)
	}
	if err != nil {
		return 0, mapKVErr("storage: get vertex", err)
	}
	l, err := rowLabel(b)
	if err != nil {
		return 0, err
	}
	tx.known.put(vk, l)
	return l, nil
}
