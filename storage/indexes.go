package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// ElementKind says whether an index covers vertices or edges.
type ElementKind uint8

const (
	VertexElement ElementKind = iota + 1
	EdgeElement
)

func (k ElementKind) String() string {
	if k == EdgeElement {
		return "edge"
	}
	return "vertex"
}

// IndexDef declares an index.
type IndexDef struct {
	Name    string
	Kind    index.Kind
	Element ElementKind
	// Label restricts the index to elements of one label; empty = all.
	Label string
	// Keys are the indexed property keys: one for Range and Text, one or
	// more (composite) for Exact and Unique.
	Keys []string
}

type indexDef struct {
	IndexDef
	id      uint32
	labelID uint32 // 0 = any label
	keyIDs  []uint32
}

func (d *indexDef) encode() []byte {
	b := binary.AppendUvarint(nil, uint64(d.id))
	b = append(b, byte(d.Kind), byte(d.Element))
	b = binary.AppendUvarint(b, uint64(d.labelID))
	b = binary.AppendUvarint(b, uint64(len(d.Label)))
	b = append(b, d.Label...)
	b = binary.AppendUvarint(b, uint64(len(d.Keys)))
	for i, k := range d.Keys {
		b = binary.AppendUvarint(b, uint64(d.keyIDs[i]))
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
	}
	return b
}

func decodeIndexDef(name string, b []byte) (*indexDef, error) {
	r := reader{b: b}
	d := &indexDef{id: uint32(r.uvarint())}
	d.Name = name
	d.Kind = index.Kind(r.byte())
	d.Element = ElementKind(r.byte())
	d.labelID = uint32(r.uvarint())
	d.Label = string(r.bytes(r.uvarint()))
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		d.keyIDs = append(d.keyIDs, uint32(r.uvarint()))
		d.Keys = append(d.Keys, string(r.bytes(r.uvarint())))
	}
	if r.err != nil {
		return nil, fmt.Errorf("index %q: %w: %w", name, ErrCorrupt, r.err)
	}
	return d, nil
}

func (g *Graph) indexTable(k index.Kind) kv.Table {
	switch k {
	case index.Range:
		return g.t.rangeIdx
	case index.Text:
		return g.t.search
	case index.Unique:
		return g.t.unique
	}
	return g.t.secondary
}

// indexesFor returns the indexes over one element kind (callers must not
// modify the slice). The lists are cached; every change of the index set
// (under schemaMu) drops the cache (indexesChanged), and the cache is
// rebuilt and stored under schemaMu, so it never outlives a change.
func (g *Graph) indexesFor(kind ElementKind) []*indexDef {
	if c := g.idxLists.Load(); c != nil {
		return c.of(kind)
	}
	g.schemaMu.RLock()
	defer g.schemaMu.RUnlock()
	c := &idxLists{}
	for _, d := range g.indexes {
		if d.Element == EdgeElement {
			c.e = append(c.e, d)
		} else {
			c.v = append(c.v, d)
		}
	}
	c.v, c.e = c.v[:len(c.v):len(c.v)], c.e[:len(c.e):len(c.e)] // appends copy
	g.idxLists.Store(c)
	return c.of(kind)
}

// indexesChanged drops indexesFor's cache; call it, with schemaMu held,
// after changing g.indexes.
func (g *Graph) indexesChanged() { g.idxLists.Store(nil) }

// idxLists caches the indexes per element kind.
type idxLists struct{ v, e []*indexDef }

func (c *idxLists) of(kind ElementKind) []*indexDef {
	if kind == EdgeElement {
		return c.e
	}
	return c.v
}

type idxEntry struct {
	key, val []byte
}

const maxCompositeEntries = 256

// entries computes the index entries of one element. vals returns the
// values of a property key id.
func (d *indexDef) entries(elem []byte, label uint32, vals func(key uint32) []any) ([]idxEntry, error) {
	if d.labelID != 0 && label != d.labelID {
		return nil, nil
	}
	prefix := binary.AppendUvarint(nil, uint64(d.id))
	var out []idxEntry
	switch d.Kind {
	case index.Range:
		for _, v := range vals(d.keyIDs[0]) {
			k, err := index.AppendValue(append([]byte(nil), prefix...), v)
			if err != nil {
				return nil, err
			}
			out = append(out, idxEntry{key: append(k, elem...)})
		}
	case index.Text:
		for _, v := range vals(d.keyIDs[0]) {
			s, ok := v.(string)
			if !ok {
				continue
			}
			for _, tok := range index.Tokenize(s) {
				k := index.AppendToken(append([]byte(nil), prefix...), tok)
				out = append(out, idxEntry{key: append(k, elem...)})
			}
		}
	case index.Exact, index.Unique:
		combos := [][]byte{prefix}
		for _, kid := range d.keyIDs {
			vs := vals(kid)
			if len(vs) == 0 {
				return nil, nil
			}
			var next [][]byte
			for _, c := range combos {
				for _, v := range vs {
					k, err := index.AppendValue(append([]byte(nil), c...), v)
					if err != nil {
						return nil, err
					}
					next = append(next, k)
					if len(next) > maxCompositeEntries {
						return nil, fmt.Errorf("storage: index %q: more than %d value combinations for one element", d.Name, maxCompositeEntries)
					}
				}
			}
			combos = next
		}
		for _, c := range combos {
			if d.Kind == index.Unique {
				out = append(out, idxEntry{key: c, val: elem})
			} else {
				out = append(out, idxEntry{key: append(c, elem...)})
			}
		}
	}
	return out, nil
}

// updateIndexes moves the index entries of one element from its old
// property values to its new ones (nil funcs: no values).
func (tx *Tx) updateIndexes(kind ElementKind, elem []byte, label uint32, old, new func(uint32) []any) error {
	return tx.updateIndexDefs(tx.g.indexesFor(kind), kind, elem, label, old, new)
}

func (tx *Tx) updateIndexDefs(defs []*indexDef, kind ElementKind, elem []byte, label uint32, old, new func(uint32) []any) error {
	if len(defs) == 0 {
		return nil
	}
	none := func(uint32) []any { return nil }
	if old == nil {
		old = none
	}
	if new == nil {
		new = none
	}
	// Compute everything and run the unique checks before writing, so a
	// violation leaves no partial index writes behind.
	type plan struct {
		d             *indexDef
		before, after []idxEntry
	}
	plans := make([]plan, 0, len(defs))
	for _, d := range defs {
		before, err := d.entries(elem, label, old)
		if err != nil {
			return err
		}
		after, err := d.entries(elem, label, new)
		if err != nil {
			return err
		}
		if d.Kind == index.Unique {
			for _, e := range after {
				if err := tx.checkUnique(d, e, kind); err != nil {
					return err
				}
			}
		}
		plans = append(plans, plan{d, before, after})
	}
	for _, pl := range plans {
		d, before, after := pl.d, pl.before, pl.after
		if len(before) == 0 && len(after) <= 1 {
			// A new element's one entry (the usual case): no dedupe maps.
			for _, e := range after {
				if err := tx.addIndexEntry(d, e, elem); err != nil {
					return err
				}
			}
			continue
		}
		keep := make(map[string]bool, len(after))
		for _, e := range after {
			keep[string(e.key)] = true
		}
		had := make(map[string]bool, len(before))
		t := tx.g.indexTable(d.Kind)
		sk := statKey{kindIndex, d.id}
		for _, e := range before {
			if had[string(e.key)] {
				continue
			}
			had[string(e.key)] = true
			if !keep[string(e.key)] {
				if err := tx.del(t, e.key); err != nil {
					return mapKVErr("storage: index "+d.Name, err)
				}
				if tx.bulk != nil && t == tx.g.t.unique {
					tx.bulk.unique[string(e.key)] = nil
				}
				tx.deltas[sk]--
				tx.vdeltas = append(tx.vdeltas, valDelta{d.id, d.entryValue(e.key, elem), -1})
			}
		}
		for _, e := range after {
			if had[string(e.key)] {
				continue
			}
			had[string(e.key)] = true
			if err := tx.addIndexEntry(d, e, elem); err != nil {
				return err
			}
		}
	}
	return nil
}

// addIndexEntry writes one index entry of element elem.
func (tx *Tx) addIndexEntry(d *indexDef, e idxEntry, elem []byte) error {
	t := tx.g.indexTable(d.Kind)
	if err := tx.set(t, e.key, e.val); err != nil {
		return mapKVErr("storage: index "+d.Name, err)
	}
	if tx.bulk != nil && t == tx.g.t.unique {
		tx.bulk.unique[string(e.key)] = append([]byte{}, e.val...)
	}
	tx.deltas[statKey{kindIndex, d.id}]++
	tx.vdeltas = append(tx.vdeltas, valDelta{d.id, d.entryValue(e.key, elem), 1})
	return nil
}

func (tx *Tx) checkUnique(d *indexDef, e idxEntry, kind ElementKind) error {
	t := tx.g.t.unique
	if err := tx.kt.LockKeys(t, e.key); err != nil {
		return mapKVErr("storage: unique index "+d.Name, err)
	}
	var cur []byte
	var err error
	w, ok := tx.bulk.uniqueKey(e.key)
	if !ok {
		w, ok = tx.bulkPrev.uniqueKey(e.key)
	}
	if ok {
		if w == nil {
			return nil // deleted in this batch or the previous one
		}
		cur = w
	} else {
		cur, err = tx.reader().Get(t, e.key)
	}
	if errors.Is(err, kv.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return mapKVErr("storage: unique index "+d.Name, err)
	}
	if bytes.Equal(cur, e.val) {
		return nil
	}
	owner, _, _ := decodeID(cur)
	return &SchemaError{Index: d.Name, Key: fmt.Sprint(d.Keys), Label: d.Label, Given: uniqueValues(d, e.key),
		Expected: fmt.Sprintf("a value no other %s has (%s %v holds it)", kind, kind, owner)}
}

// uniqueValues renders the values in a unique key for messages.
func uniqueValues(d *indexDef, key []byte) any {
	return fmt.Sprintf("%x", key)
}

func vertexVals(row *vertexRow) func(uint32) []any {
	if row == nil {
		return nil
	}
	return func(k uint32) []any {
		var out []any
		for _, p := range row.props {
			if p.key == k {
				out = append(out, p.value)
			}
		}
		return out
	}
}

func edgeVals(props []propRow) func(uint32) []any {
	return func(k uint32) []any {
		for _, p := range props {
			if p.key == k {
				return []any{p.value}
			}
		}
		return nil
	}
}

// CreateIndex declares an index and backfills it from the existing
// elements, in batches that respect the store's limits. A unique index
// over duplicate values fails with *SchemaError and is removed.
func (g *Graph) CreateIndex(ctx context.Context, def IndexDef) error {
	if def.Name == "" {
		return fmt.Errorf("storage: create index: empty name: %w", ErrInvalidArgument)
	}
	switch def.Kind {
	case index.Exact, index.Unique:
		if len(def.Keys) == 0 {
			return fmt.Errorf("storage: create index %q: a %s index needs at least one key: %w", def.Name, def.Kind, ErrInvalidArgument)
		}
	case index.Range, index.Text:
		if len(def.Keys) != 1 {
			return fmt.Errorf("storage: create index %q: a %s index takes exactly one key, got %d: %w", def.Name, def.Kind, len(def.Keys), ErrInvalidArgument)
		}
	default:
		return fmt.Errorf("storage: create index %q: unknown kind %d (want exact, range, unique or text): %w", def.Name, def.Kind, ErrInvalidArgument)
	}
	if def.Element == 0 {
		def.Element = VertexElement
	}
	if def.Element != VertexElement && def.Element != EdgeElement {
		return fmt.Errorf("storage: create index %q: element kind must be vertex or edge: %w", def.Name, ErrInvalidArgument)
	}
	d := &indexDef{IndexDef: def}
	d.Keys = append([]string(nil), def.Keys...)
	for _, k := range d.Keys {
		e, err := g.intern(ctx, nsPropertyKey, k)
		if err != nil {
			return err
		}
		d.keyIDs = append(d.keyIDs, e.id)
	}
	if def.Label != "" {
		ns := nsVertexLabel
		if def.Element == EdgeElement {
			ns = nsEdgeLabel
		}
		e, err := g.intern(ctx, ns, def.Label)
		if err != nil {
			return err
		}
		d.labelID = e.id
	}
	err := g.update(ctx, func(tx kv.Txn) error {
		if _, err := tx.Get(g.t.idxLabel, []byte(def.Name)); err == nil {
			return fmt.Errorf("storage: create index %q: %w", def.Name, ErrIndexExists)
		} else if !errors.Is(err, kv.ErrKeyNotFound) {
			return err
		}
		seq := uint64(0)
		if sv, err := tx.Get(g.t.meta, []byte("seq:index")); err == nil {
			seq, _ = binary.Uvarint(sv)
		} else if !errors.Is(err, kv.ErrKeyNotFound) {
			return err
		}
		seq++
		d.id = uint32(seq)
		if err := tx.Set(g.t.meta, []byte("seq:index"), binary.AppendUvarint(nil, seq)); err != nil {
			return err
		}
		return tx.Set(g.t.idxLabel, []byte(def.Name), d.encode())
	})
	if err != nil {
		return err
	}
	g.stats.mu.Lock()
	g.stats.vals[d.id] = &valueStats{hll: &index.HLL{}}
	g.stats.mu.Unlock()
	g.schemaMu.Lock()
	g.indexes[d.Name] = d
	g.idxByID[d.id] = d
	g.indexesChanged()
	g.schemaMu.Unlock()
	g.bump(0)
	if err := g.backfill(ctx, d); err != nil {
		if derr := g.DropIndex(ctx, d.Name); derr != nil {
			return fmt.Errorf("storage: create index %q: backfill failed: %w (and removing it failed: %v)", d.Name, err, derr)
		}
		return fmt.Errorf("storage: create index %q: backfill: %w", d.Name, err)
	}
	// The backfill wrote entries in element order; build the value
	// statistics from the index in value order.
	return g.refreshIndexStats(ctx, d)
}

// backfill writes the entries of every existing element.
func (g *Graph) backfill(ctx context.Context, d *indexDef) error {
	only := []*indexDef{d}
	var cursor []byte
	progress := backfillProgressOf(ctx)
	var scanned int64
	for {
		tx, err := g.BeginTx(ctx, TxOptions{})
		if err != nil {
			return err
		}
		var (
			t          kv.Table
			start, end []byte
		)
		if d.Element == VertexElement {
			t = g.t.vertex
		} else {
			t = g.t.edgeOut
		}
		p, err := tx.kt.Scan(t, start, end, kv.ScanOptions{Limit: 256, Cursor: cursor})
		if err != nil {
			tx.Rollback()
			return mapKVErr("storage: backfill", err)
		}
		for i, k := range p.Keys {
			if d.Element == VertexElement {
				row, err := decodeVertexRow(p.Values[i])
				if err != nil {
					tx.Rollback()
					return err
				}
				err = tx.updateIndexDefs(only, VertexElement, k, row.label, nil, vertexVals(row))
				if err != nil {
					tx.Rollback()
					return err
				}
				continue
			}
			_, label, _, eid, err := parseAdjKey(k)
			if err != nil {
				tx.Rollback()
				return err
			}
			ev, err := decodeEdgeVal(p.Values[i])
			if err != nil {
				tx.Rollback()
				return err
			}
			if err := tx.updateIndexDefs(only, EdgeElement, eid, label, nil, edgeVals(ev.props)); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		if scanned += int64(len(p.Keys)); progress != nil {
			progress(d.Name, scanned)
		}
		if p.Cursor == nil {
			return nil
		}
		cursor = p.Cursor
	}
}

// DropIndex removes an index and all its entries.
func (g *Graph) DropIndex(ctx context.Context, name string) error {
	g.schemaMu.Lock()
	d, ok := g.indexes[name]
	if ok {
		delete(g.indexes, name)
		delete(g.idxByID, d.id)
		g.indexesChanged()
	}
	g.schemaMu.Unlock()
	if !ok {
		return fmt.Errorf("storage: drop index %q: %w", name, ErrIndexNotFound)
	}
	prefix := binary.AppendUvarint(nil, uint64(d.id))
	t := g.indexTable(d.Kind)
	batch := g.batchOps()
	for {
		done := false
		err := g.update(ctx, func(tx kv.Txn) error {
			p, err := tx.Scan(t, prefix, kv.PrefixEnd(prefix), kv.ScanOptions{KeysOnly: true, Limit: batch})
			if err != nil {
				return err
			}
			for _, k := range p.Keys {
				if err := tx.Delete(t, k); err != nil {
					return err
				}
			}
			done = p.Cursor == nil
			return nil
		})
		if err != nil {
			return fmt.Errorf("storage: drop index %q: %w", name, err)
		}
		if done {
			break
		}
	}
	err := g.update(ctx, func(tx kv.Txn) error { return tx.Delete(g.t.idxLabel, []byte(name)) })
	if err != nil {
		return fmt.Errorf("storage: drop index %q: %w", name, err)
	}
	g.stats.mu.Lock()
	delete(g.stats.counts, statKey{kindIndex, d.id})
	delete(g.stats.vals, d.id)
	g.stats.mu.Unlock()
	g.bump(0)
	return nil
}

// batchOps is the number of writes one batch transaction may hold.
func (g *Graph) batchOps() int {
	n := g.opts.BulkBatchOps
	if m := g.caps.MaxTxnOps; m > 0 && m/2 < n {
		n = m / 2
	}
	if n < 1 {
		n = 1
	}
	return n
}

// Index returns the definition of a named index.
func (g *Graph) Index(name string) (IndexDef, bool) {
	g.schemaMu.RLock()
	defer g.schemaMu.RUnlock()
	d, ok := g.indexes[name]
	if !ok {
		return IndexDef{}, false
	}
	return d.IndexDef, true
}

// FindIndex returns an index over elements of kind elem that answers the
// operator op on key for elements of label (label "" matches only indexes
// without a label restriction). Unique, then exact, then range, then text
// indexes are preferred in that order.
func (g *Graph) FindIndex(elem ElementKind, label, key, op string) (IndexDef, bool) {
	g.schemaMu.RLock()
	defer g.schemaMu.RUnlock()
	var best *indexDef
	rank := func(k index.Kind) int {
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
	for _, d := range g.indexes {
		if d.Element != elem || len(d.Keys) != 1 || d.Keys[0] != key || !index.Supports(d.Kind, op) {
			continue
		}
		if d.Label != "" && d.Label != label {
			continue
		}
		if best == nil || rank(d.Kind) < rank(best.Kind) || (rank(d.Kind) == rank(best.Kind) && d.Name < best.Name) {
			best = d
		}
	}
	if best == nil {
		return IndexDef{}, false
	}
	return best.IndexDef, true
}

// IndexQuery selects elements through one index. For exact and unique
// indexes, Pred is eq with one value per key (an exact index also takes a
// prefix of its keys), or within on a one-key index. For range indexes any
// of eq, lt, lte, gt, gte, between, inside, outside, within. For text
// indexes textContains, textContainsPrefix or textContainsRegex. On a
// one-key exact, unique or range index, index.OpExists (no values) selects
// every element that has the key.
type IndexQuery struct {
	Index string
	Pred  *value.P
}

// LookupIDs returns the ids of the elements the query selects, each once,
// in index order. It sees the transaction's own writes.
func (tx *Tx) LookupIDs(q IndexQuery) ([]any, error) {
	keys, err := tx.lookup(q, 0)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		id, _, err := decodeID(k)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// LookupVertices returns the vertices a vertex-index query selects.
func (tx *Tx) LookupVertices(q IndexQuery) ([]*value.Vertex, error) {
	if d, ok := tx.g.Index(q.Index); ok && d.Element != VertexElement {
		return nil, fmt.Errorf("storage: index %q covers edges, not vertices: %w", q.Index, ErrInvalidArgument)
	}
	ids, err := tx.LookupIDs(q)
	if err != nil {
		return nil, err
	}
	return tx.Vertices(ids)
}

// LookupEdges returns the edges an edge-index query selects.
func (tx *Tx) LookupEdges(q IndexQuery) ([]*value.Edge, error) {
	if d, ok := tx.g.Index(q.Index); ok && d.Element != EdgeElement {
		return nil, fmt.Errorf("storage: index %q covers vertices, not edges: %w", q.Index, ErrInvalidArgument)
	}
	keys, err := tx.lookup(q, 0)
	if err != nil {
		return nil, err
	}
	return tx.edgesByKey(keys)
}

// EstimateLookup counts the index entries a query touches, stopping at
// limit (> 0): a cheap selectivity estimate for the planner.
func (tx *Tx) EstimateLookup(q IndexQuery, limit int) (int64, error) {
	keys, err := tx.lookup(q, limit)
	return int64(len(keys)), err
}

// lookup returns the encoded ids selected by q, deduplicated, stopping
// after limit ids when limit > 0.
func (tx *Tx) lookup(q IndexQuery, limit int) ([][]byte, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	tx.g.schemaMu.RLock()
	d, ok := tx.g.indexes[q.Index]
	tx.g.schemaMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("storage: lookup: %w: %q", ErrIndexNotFound, q.Index)
	}
	if q.Pred == nil {
		return nil, fmt.Errorf("storage: lookup in index %q: no predicate: %w", d.Name, ErrInvalidArgument)
	}
	if !index.Supports(d.Kind, q.Pred.Operator) {
		return nil, fmt.Errorf("storage: lookup in %s index %q: operator %q is not supported: %w", d.Kind, d.Name, q.Pred.Operator, ErrInvalidArgument)
	}
	if q.Pred.Operator == index.OpExists {
		return tx.lookupExists(d, limit)
	}
	prefix := binary.AppendUvarint(nil, uint64(d.id))
	t := tx.g.indexTable(d.Kind)
	var out [][]byte
	seen := map[string]bool{}
	add := func(id []byte) bool {
		if !seen[string(id)] {
			seen[string(id)] = true
			out = append(out, id)
		}
		return limit > 0 && len(out) >= limit
	}
	// scan walks a span, handing each key's element id to fn.
	scan := func(sp index.Span, skip func(rest []byte) (tok []byte, n int, err error), fn func(tok, id []byte) bool) error {
		sc := tx.newScanner(t, sp.Start, sp.End, true)
		for {
			k, _, ok := sc.next()
			if !ok {
				return sc.err
			}
			rest := k[len(prefix):]
			tok, n, err := skip(rest)
			if err != nil {
				return err
			}
			if fn(tok, rest[n:]) {
				return nil
			}
		}
	}
	values := func(n int) func([]byte) ([]byte, int, error) {
		return func(b []byte) ([]byte, int, error) {
			off := 0
			for i := 0; i < n; i++ {
				m, err := index.SkipValue(b[off:])
				if err != nil {
					return nil, 0, err
				}
				off += m
			}
			return nil, off, nil
		}
	}
	switch d.Kind {
	case index.Unique, index.Exact:
		var tuples [][]any
		if q.Pred.Operator == "within" {
			if len(d.Keys) != 1 {
				return nil, fmt.Errorf("storage: lookup in composite index %q: within needs a one-key index: %w", d.Name, ErrInvalidArgument)
			}
			for _, v := range q.Pred.Values {
				tuples = append(tuples, []any{v})
			}
		} else {
			n := len(q.Pred.Values)
			if n == 0 || n > len(d.Keys) || (d.Kind == index.Unique && n != len(d.Keys)) {
				return nil, fmt.Errorf("storage: lookup in %s index %q over %v: eq needs %d values, got %d: %w",
					d.Kind, d.Name, d.Keys, len(d.Keys), n, ErrInvalidArgument)
			}
			tuples = [][]any{q.Pred.Values}
		}
		for _, tup := range tuples {
			k := append([]byte(nil), prefix...)
			for _, v := range tup {
				nv, err := normalizeValue(v)
				if err != nil {
					return nil, fmt.Errorf("storage: lookup in index %q: %w: %w", d.Name, ErrInvalidArgument, err)
				}
				if k, err = index.AppendValue(k, nv); err != nil {
					return nil, fmt.Errorf("storage: lookup in index %q: %w: %w", d.Name, ErrInvalidArgument, err)
				}
			}
			if d.Kind == index.Unique {
				id, err := tx.kt.Get(t, k)
				if errors.Is(err, kv.ErrKeyNotFound) {
					continue
				}
				if err != nil {
					return nil, mapKVErr("storage: lookup", err)
				}
				if add(id) {
					return out, nil
				}
				continue
			}
			stop := false
			err := scan(index.Span{Start: k, End: kv.PrefixEnd(k)}, values(len(d.Keys)), func(_, id []byte) bool {
				stop = add(id)
				return stop
			})
			if err != nil || stop {
				return out, err
			}
		}
		return out, nil
	case index.Range:
		spans, err := index.RangeSpans(prefix, q.Pred)
		if err != nil {
			return nil, fmt.Errorf("storage: lookup in index %q: %w: %w", d.Name, ErrInvalidArgument, err)
		}
		for _, sp := range spans {
			stop := false
			err := scan(sp, values(1), func(_, id []byte) bool { stop = add(id); return stop })
			if err != nil || stop {
				return out, err
			}
		}
		return out, nil
	default: // text
		spans, re, err := index.TextSpans(prefix, q.Pred)
		if err != nil {
			return nil, fmt.Errorf("storage: lookup in index %q: %w: %w", d.Name, ErrInvalidArgument, err)
		}
		token := func(b []byte) ([]byte, int, error) { return index.DecodeEscaped(b) }
		if q.Pred.Operator == index.OpTextContains && len(spans) > 1 {
			// Every word must be present: intersect per-token id sets.
			var acc map[string]bool
			var order [][]byte
			for i, sp := range spans {
				cur := map[string]bool{}
				err := scan(sp, token, func(_, id []byte) bool {
					if i == 0 {
						order = append(order, id)
					}
					cur[string(id)] = true
					return false
				})
				if err != nil {
					return nil, err
				}
				if acc == nil {
					acc = cur
					continue
				}
				for k := range acc {
					if !cur[k] {
						delete(acc, k)
					}
				}
			}
			for _, id := range order {
				if acc[string(id)] && add(id) {
					break
				}
			}
			return out, nil
		}
		for _, sp := range spans {
			stop := false
			err := scan(sp, token, func(tok, id []byte) bool {
				if re != nil && !re.Match(tok) {
					return false
				}
				stop = add(id)
				return stop
			})
			if err != nil || stop {
				return out, err
			}
		}
		return out, nil
	}
}
