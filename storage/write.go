package storage

import (
	"errors"
	"fmt"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// ErrPropertyNotFound: a meta-property write names a vertex property that
// does not exist.
var ErrPropertyNotFound = errors.New("vertex property not found")

const (
	defaultVertexLabel = "vertex"
	defaultEdgeLabel   = "edge"
)

func (g *Graph) entryByID(ns int, id uint32) *schemaEntry {
	g.schemaMu.RLock()
	defer g.schemaMu.RUnlock()
	return g.names[ns].byID[id]
}

// newID returns the encoded form of a given id, or of a fresh generated
// one that t does not hold yet.
func (tx *Tx) newID(id any, t kv.Table, what string) (any, []byte, error) {
	return tx.newIDInto(nil, id, t, what)
}

// newIDInto is newID appending the encoded id to dst: it returns dst
// extended by it.
func (tx *Tx) newIDInto(dst []byte, id any, t kv.Table, what string) (any, []byte, error) {
	if id != nil {
		n, err := normalizeID(id)
		if err != nil {
			return nil, nil, fmt.Errorf("storage: add %s: %w: %w", what, ErrInvalidArgument, err)
		}
		b, err := appendID(dst, n)
		if err != nil {
			return nil, nil, fmt.Errorf("storage: add %s: %w: %w", what, ErrInvalidArgument, err)
		}
		exists, err := tx.exists(t, b[len(dst):])
		if err != nil {
			return nil, nil, err
		}
		if exists {
			return nil, nil, fmt.Errorf("storage: add %s %v: %w", what, n, ErrDuplicateID)
		}
		if x, ok := n.(int64); ok {
			if f := tx.freeRange(t); f != nil && x >= f.lo && x < f.hi {
				*f = idRange{} // a user id inside the range generated ids trust
			}
			if i := tx.tableIndex(t); i >= 0 && tx.bulk != nil {
				tx.bulk.userIDs[i] = append(tx.bulk.userIDs[i], x)
			}
		}
		return n, b, nil
	}
	for {
		tx.idsUsed++
		n, limit, err := tx.g.nextIDBlock(tx.ctx)
		if err != nil {
			return nil, nil, err
		}
		b := appendIntID(dst, idInt64, n)
		free, err := tx.idFree(t, b[len(dst):], n, limit)
		if err != nil {
			return nil, nil, err
		}
		if free {
			return n, b, nil
		}
	}
}

// tableIndex is 0 for the vertex table, 1 for the edge table, else -1.
func (tx *Tx) tableIndex(t kv.Table) int {
	switch t {
	case tx.g.t.vertex:
		return 0
	case tx.g.t.edge:
		return 1
	}
	return -1
}

// freeRange returns the free-id range kept for t, or nil.
func (tx *Tx) freeRange(t kv.Table) *idRange {
	switch t {
	case tx.g.t.vertex:
		return &tx.free[0]
	case tx.g.t.edge:
		return &tx.free[1]
	}
	return nil
}

// idFree reports whether the generated id n (encoded k), from a block
// ending at limit, is absent from t. One keys-only scan of [n, limit)
// answers for every later id of the block: the first key found bounds the
// range of ids known to be free.
func (tx *Tx) idFree(t kv.Table, k []byte, n, limit int64) (bool, error) {
	f := tx.freeRange(t)
	if f == nil {
		exists, err := tx.exists(t, k)
		return !exists, err
	}
	if n >= f.lo && n < f.hi {
		if t == tx.g.t.vertex {
			if tx.known.has(k) {
				return false, nil
			}
		}
		return true, nil
	}
	end, _ := appendID(nil, limit)
	var found []byte
	// A bulk batch reads its snapshot: the generated ids it wrote are
	// below n, and the given int64 ids it wrote bound the range below.
	err := tx.visitIn(tx.reader(), t, k, end, true, 1, func(key, _ []byte) bool {
		found = append(found, key...)
		return false
	})
	if err != nil {
		return false, err
	}
	hi := limit
	if found != nil {
		id, _, err := decodeID(found)
		if err != nil {
			return false, err
		}
		m, ok := id.(int64)
		if !ok {
			return false, fmt.Errorf("storage: id %x in an int64 id range: %w", found, ErrCorrupt)
		}
		hi = m
	}
	for _, bs := range [2]*bulkState{tx.bulk, tx.bulkPrev} {
		if bs == nil {
			continue
		}
		for _, x := range bs.userIDs[tx.tableIndex(t)] {
			if x >= n && x < hi {
				hi = x
			}
		}
	}
	if hi <= n {
		*f = idRange{}
		return false, nil
	}
	*f = idRange{lo: n, hi: hi}
	return true, nil
}

func (tx *Tx) exists(t kv.Table, k []byte) (bool, error) {
	if t == tx.g.t.vertex {
		if tx.known.has(k) {
			return true, nil
		}
		if tx.knownAbsent(k) {
			return false, nil
		}
	}
	src := tx.kt
	if tx.rd != nil {
		switch t {
		case tx.g.t.vertex: // known holds the batch's vertices
			src = tx.rd
		case tx.g.t.edge:
			if tx.bulk.hasEdge(k) || tx.bulkPrev.hasEdge(k) {
				return true, nil
			}
			src = tx.rd
		}
	}
	_, err := src.Get(t, k)
	if errors.Is(err, kv.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, mapKVErr("storage: get", err)
	}
	return true, nil
}

// prepProps interns keys and normalizes values of creation properties.
// Null values are skipped. The slices returned are valid until the next
// call.
func (tx *Tx) prepProps(label *schemaEntry, props []KeyValue, vertex bool) ([]*schemaEntry, []any, error) {
	if len(props) == 0 {
		return nil, nil, nil
	}
	// The slices are scratch, reused by the next call.
	keys, vals := tx.pkeys[:0], tx.pvals[:0]
	// repeated reports whether a key occurs more than once (a few
	// properties: a quadratic scan allocates nothing; many: a map).
	var count map[string]int
	if len(props) > 16 {
		count = make(map[string]int, len(props))
		for _, p := range props {
			count[p.Key]++
		}
	}
	repeated := func(i int) bool {
		if count != nil {
			return count[props[i].Key] > 1
		}
		for j := range props {
			if j != i && props[j].Key == props[i].Key {
				return true
			}
		}
		return false
	}
	for i, p := range props {
		if p.Value == nil {
			continue
		}
		ke, err := tx.g.intern(tx.ctx, nsPropertyKey, p.Key)
		if err != nil {
			return nil, nil, err
		}
		v, err := normalizeValue(p.Value)
		if err != nil {
			return nil, nil, fmt.Errorf("storage: property %q: %w: %w", p.Key, ErrInvalidArgument, err)
		}
		card := Single
		if repeated(i) {
			card = List
		}
		if err := tx.g.checkValue(label, ke, card, v, vertex); err != nil {
			return nil, nil, err
		}
		keys = append(keys, ke)
		vals = append(vals, v)
	}
	tx.pkeys, tx.pvals = keys, vals
	return keys, vals, nil
}

// AddVertex implements GraphTx. Properties with the same key several times
// become several values (list cardinality, as TinkerGraph's addVertex);
// null values are skipped.
func (tx *Tx) AddVertex(id any, label string, props []KeyValue) (*value.Vertex, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	if label == "" {
		label = defaultVertexLabel
	}
	le, err := tx.g.intern(tx.ctx, nsVertexLabel, label)
	if err != nil {
		return nil, err
	}
	keys, vals, err := tx.prepProps(le, props, true)
	if err != nil {
		return nil, err
	}
	nid, vk, err := tx.newID(id, tx.g.t.vertex, "vertex")
	if err != nil {
		return nil, err
	}
	row := &vertexRow{label: le.id}
	for i, ke := range keys {
		if ke.declared && ke.card == Set && hasValue(row, ke.id, vals[i]) {
			continue
		}
		tx.idsUsed++
		pid, err := tx.g.nextID(tx.ctx)
		if err != nil {
			return nil, err
		}
		pk, _ := appendID(nil, pid)
		row.props = append(row.props, vpRow{key: ke.id, id: pk, value: vals[i]})
	}
	if err := tx.putVertex(vk, nil, row); err != nil {
		return nil, err
	}
	tx.vbuf = appendLabelIndexKey(tx.vbuf[:0], kindVertex, le.id, vk)
	if err := tx.set(tx.g.t.labelIdx, tx.vbuf, nil); err != nil {
		return nil, mapKVErr("storage: add vertex", err)
	}
	tx.deltas[statKey{kindVertex, le.id}]++
	return tx.g.toVertex(nid, row)
}

func hasValue(row *vertexRow, key uint32, v any) bool {
	k := value.Key(v)
	for _, p := range row.props {
		if p.key == key && value.Key(p.value) == k {
			return true
		}
	}
	return false
}

// putVertex writes a vertex row and moves its index entries from old.
func (tx *Tx) putVertex(vk []byte, old, row *vertexRow) error {
	b, err := row.appendTo(tx.vbuf[:0])
	if err != nil {
		return fmt.Errorf("storage: encode vertex: %w", err)
	}
	defer func() { tx.vbuf = b }()
	if err := tx.updateIndexes(VertexElement, vk, row.label, vertexVals(old), vertexVals(row)); err != nil {
		return err
	}
	if err := tx.set(tx.g.t.vertex, vk, b); err != nil {
		return mapKVErr("storage: write vertex", err)
	}
	tx.known.put(vk, row.label)
	return nil
}

// loadVertex reads and decodes a vertex row.
func (tx *Tx) loadVertex(vid any) ([]byte, *vertexRow, error) {
	vk, err := encodeID(vid)
	if err != nil {
		return nil, nil, fmt.Errorf("storage: vertex %v: %w", vid, ErrVertexNotFound)
	}
	b, err := tx.kt.Get(tx.g.t.vertex, vk)
	if errors.Is(err, kv.ErrKeyNotFound) {
		return nil, nil, fmt.Errorf("storage: vertex %v: %w", vid, ErrVertexNotFound)
	}
	if err != nil {
		return nil, nil, mapKVErr("storage: get vertex", err)
	}
	row, err := decodeVertexRow(b)
	if err != nil {
		return nil, nil, fmt.Errorf("storage: vertex %v: %w", vid, err)
	}
	return vk, row, nil
}

// AddEdge implements GraphTx.
func (tx *Tx) AddEdge(id any, label string, outV, inV any, props []KeyValue) (*value.Edge, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	if label == "" {
		label = defaultEdgeLabel
	}
	// The endpoint and edge keys go in one scratch buffer (the store
	// copies what it keeps).
	on, err := normalizeID(outV)
	var b []byte
	if err == nil {
		b, err = appendID(tx.wbuf[:0], on)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: add edge: out-vertex %v: %w", outV, ErrVertexNotFound)
	}
	no := len(b)
	inN, err := normalizeID(inV)
	if err == nil {
		b, err = appendID(b, inN)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: add edge: in-vertex %v: %w", inV, ErrVertexNotFound)
	}
	ni := len(b)
	ok, ik := b[:no:no], b[no:ni:ni]
	ol, err := tx.endpointLabel(ok, outV)
	if err != nil {
		return nil, fmt.Errorf("storage: add edge: out-vertex: %w", err)
	}
	il, err := tx.endpointLabel(ik, inV)
	if err != nil {
		return nil, fmt.Errorf("storage: add edge: in-vertex: %w", err)
	}
	le, err := tx.g.intern(tx.ctx, nsEdgeLabel, label)
	if err != nil {
		return nil, err
	}
	keys, vals, err := tx.prepProps(le, props, false)
	if err != nil {
		return nil, err
	}
	nid, b, err := tx.newIDInto(b, id, tx.g.t.edge, "edge")
	if err != nil {
		return nil, err
	}
	tx.wbuf = b
	ek := b[ni:len(b):len(b)]
	ev := edgeVal{outLabel: ol, inLabel: il, props: tx.eprops[:0]}
	for i, ke := range keys {
		ev.props = setProp(ev.props, ke.id, vals[i])
	}
	tx.eprops = ev.props
	ref := edgeRef{out: ok, label: le.id, in: ik}
	if err := tx.putEdgeVal(&ref, ek, nil, &ev); err != nil {
		return nil, err // index checks run before any write
	}
	if err := tx.set(tx.g.t.edge, ek, ref.appendTo(tx.vbuf[:0])); err != nil {
		return nil, mapKVErr("storage: add edge", err)
	}
	if tx.bulk != nil {
		tx.bulk.addEdge(ek, id == nil, nid)
	}
	tx.deltas[statKey{kindEdge, le.id}]++
	return tx.g.newEdge(nid, le.id, on, inN, &ev)
}

// setProp replaces or appends key = v.
func setProp(ps []propRow, key uint32, v any) []propRow {
	for i := range ps {
		if ps[i].key == key {
			ps[i].value = v
			return ps
		}
	}
	return append(ps, propRow{key: key, value: v})
}

func removeProp(ps []propRow, key uint32) ([]propRow, bool) {
	for i := range ps {
		if ps[i].key == key {
			return append(ps[:i:i], ps[i+1:]...), true
		}
	}
	return ps, false
}

// putEdgeVal writes the edge_out entry (and, for a new edge, old == nil,
// the edge_in entry, which is a key only) and moves index entries from old
// properties.
func (tx *Tx) putEdgeVal(ref *edgeRef, ek []byte, old, ev *edgeVal) error {
	// Value and keys in one scratch buffer (the store copies them).
	b, err := ev.appendTo(tx.vbuf[:0])
	if err != nil {
		return fmt.Errorf("storage: encode edge: %w", err)
	}
	if defs := tx.g.indexesFor(EdgeElement); len(defs) > 0 {
		var oldVals func(uint32) []any
		if old != nil {
			oldVals = edgeVals(old.props)
		}
		if err := tx.updateIndexDefs(defs, EdgeElement, ek, ref.label, oldVals, edgeVals(ev.props)); err != nil {
			return err
		}
	}
	nv := len(b)
	b = appendAdjKey(b, ref.out, ref.label, ref.in, ek)
	if err := tx.set(tx.g.t.edgeOut, b[nv:], b[:nv]); err != nil {
		return mapKVErr("storage: write edge", err)
	}
	if old == nil {
		b = appendAdjKey(b[:nv], ref.in, ref.label, ref.out, ek)
		if err := tx.set(tx.g.t.edgeIn, b[nv:], nil); err != nil {
			return mapKVErr("storage: write edge", err)
		}
	}
	tx.vbuf = b
	return nil
}

// loadEdge reads an edge's location and value.
func (tx *Tx) loadEdge(eid any) ([]byte, *edgeRef, *edgeVal, error) {
	ek, err := encodeID(eid)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("storage: edge %v: %w", eid, ErrEdgeNotFound)
	}
	b, err := tx.kt.Get(tx.g.t.edge, ek)
	if errors.Is(err, kv.ErrKeyNotFound) {
		return nil, nil, nil, fmt.Errorf("storage: edge %v: %w", eid, ErrEdgeNotFound)
	}
	if err != nil {
		return nil, nil, nil, mapKVErr("storage: get edge", err)
	}
	ref, err := decodeEdgeRef(b)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("storage: edge %v: %w", eid, err)
	}
	vb, err := tx.kt.Get(tx.g.t.edgeOut, adjKey(ref.out, ref.label, ref.in, ek))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("storage: edge %v has no edge_out entry: %w: %w", eid, ErrCorrupt, err)
	}
	ev, err := decodeEdgeVal(vb)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("storage: edge %v: %w", eid, err)
	}
	return ek, ref, ev, nil
}

// SetVertexProperty implements GraphTx. A null value with Single
// cardinality removes every value of the key and returns nil.
func (tx *Tx) SetVertexProperty(vid any, card Cardinality, id any, key string, val any, meta []KeyValue) (*value.VertexProperty, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	if card < Single || card > Set {
		return nil, fmt.Errorf("storage: property %q: unknown cardinality %d: %w", key, card, ErrInvalidArgument)
	}
	vk, row, err := tx.loadVertex(vid)
	if err != nil {
		return nil, err
	}
	ke, err := tx.g.intern(tx.ctx, nsPropertyKey, key)
	if err != nil {
		return nil, err
	}
	old := &vertexRow{label: row.label, props: append([]vpRow(nil), row.props...)}
	owner := func() (*value.Vertex, error) {
		l, err := tx.g.nameOf(nsVertexLabel, row.label)
		if err != nil {
			return nil, err
		}
		n, _ := normalizeID(vid)
		return &value.Vertex{ID: n, Label: l}, nil
	}
	if val == nil {
		if card != Single {
			return nil, fmt.Errorf("storage: property %q: a null value needs single cardinality (it removes the property): %w", key, ErrInvalidArgument)
		}
		row.props = dropKey(row.props, ke.id)
		return nil, tx.putVertex(vk, old, row)
	}
	v, err := normalizeValue(val)
	if err != nil {
		return nil, fmt.Errorf("storage: property %q: %w: %w", key, ErrInvalidArgument, err)
	}
	label := tx.g.entryByID(nsVertexLabel, row.label)
	if err := tx.g.checkValue(label, ke, card, v, true); err != nil {
		return nil, err
	}
	if ke.declared && ke.card == Set && card == List {
		card = Set
	}
	if card == Set {
		k := value.Key(v)
		for i := range row.props {
			if p := &row.props[i]; p.key == ke.id && value.Key(p.value) == k {
				o, err := owner()
				if err != nil {
					return nil, err
				}
				return tx.g.toVertexProperty(o, p)
			}
		}
	}
	var pk []byte
	if id == nil {
		for pk == nil || findVPKey(row, pk) >= 0 {
			tx.idsUsed++
			pid, err := tx.g.nextID(tx.ctx)
			if err != nil {
				return nil, err
			}
			pk, _ = appendID(nil, pid)
		}
	} else {
		n, err := normalizeID(id)
		if err != nil {
			return nil, fmt.Errorf("storage: vertex property id: %w: %w", ErrInvalidArgument, err)
		}
		if pk, err = appendID(nil, n); err != nil {
			return nil, fmt.Errorf("storage: vertex property id: %w: %w", ErrInvalidArgument, err)
		}
	}
	if card == Single {
		row.props = dropKey(row.props, ke.id)
	}
	for _, p := range row.props {
		if string(p.id) == string(pk) {
			return nil, fmt.Errorf("storage: vertex %v already has a property with id %v: %w", vid, id, ErrDuplicateID)
		}
	}
	np := vpRow{key: ke.id, id: pk, value: v}
	for _, m := range meta {
		if m.Value == nil {
			continue
		}
		mk, err := tx.g.intern(tx.ctx, nsPropertyKey, m.Key)
		if err != nil {
			return nil, err
		}
		mv, err := normalizeValue(m.Value)
		if err != nil {
			return nil, fmt.Errorf("storage: meta-property %q: %w: %w", m.Key, ErrInvalidArgument, err)
		}
		if err := tx.g.checkValue(nil, mk, Single, mv, false); err != nil {
			return nil, err
		}
		np.meta = setProp(np.meta, mk.id, mv)
	}
	row.props = append(row.props, np)
	if err := tx.putVertex(vk, old, row); err != nil {
		return nil, err
	}
	o, err := owner()
	if err != nil {
		return nil, err
	}
	return tx.g.toVertexProperty(o, &row.props[len(row.props)-1])
}

func dropKey(ps []vpRow, key uint32) []vpRow {
	out := ps[:0:0]
	for _, p := range ps {
		if p.key != key {
			out = append(out, p)
		}
	}
	return out
}

// SetEdgeProperty implements GraphTx. A null value removes the property
// and returns nil.
func (tx *Tx) SetEdgeProperty(eid any, key string, val any) (*value.Property, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	ek, ref, ev, err := tx.loadEdge(eid)
	if err != nil {
		return nil, err
	}
	ke, err := tx.g.intern(tx.ctx, nsPropertyKey, key)
	if err != nil {
		return nil, err
	}
	old := &edgeVal{outLabel: ev.outLabel, inLabel: ev.inLabel, props: append([]propRow(nil), ev.props...)}
	if val == nil {
		ev.props, _ = removeProp(ev.props, ke.id)
		return nil, tx.putEdgeVal(ref, ek, old, ev)
	}
	v, err := normalizeValue(val)
	if err != nil {
		return nil, fmt.Errorf("storage: property %q: %w: %w", key, ErrInvalidArgument, err)
	}
	if err := tx.g.checkValue(tx.g.entryByID(nsEdgeLabel, ref.label), ke, Single, v, false); err != nil {
		return nil, err
	}
	ev.props = setProp(ev.props, ke.id, v)
	if err := tx.putEdgeVal(ref, ek, old, ev); err != nil {
		return nil, err
	}
	e, err := tx.g.toEdge(ref.out, ref.label, ref.in, ek, ev)
	if err != nil {
		return nil, err
	}
	for _, p := range e.Properties {
		if p.Key == key {
			return p, nil
		}
	}
	return nil, fmt.Errorf("storage: property %q vanished after write: %w", key, ErrCorrupt)
}

// findVP returns the index of vertex property vpid in row, or -1.
func findVP(row *vertexRow, vpid any) int {
	pk, err := encodeID(vpid)
	if err != nil {
		return -1
	}
	return findVPKey(row, pk)
}

func findVPKey(row *vertexRow, pk []byte) int {
	for i, p := range row.props {
		if string(p.id) == string(pk) {
			return i
		}
	}
	return -1
}

// SetMetaProperty implements GraphTx. A null value removes the
// meta-property and returns nil.
func (tx *Tx) SetMetaProperty(vid, vpid any, key string, val any) (*value.Property, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	vk, row, err := tx.loadVertex(vid)
	if err != nil {
		return nil, err
	}
	i := findVP(row, vpid)
	if i < 0 {
		return nil, fmt.Errorf("storage: vertex %v: property id %v: %w", vid, vpid, ErrPropertyNotFound)
	}
	ke, err := tx.g.intern(tx.ctx, nsPropertyKey, key)
	if err != nil {
		return nil, err
	}
	old := &vertexRow{label: row.label, props: append([]vpRow(nil), row.props...)}
	p := &row.props[i]
	p.meta = append([]propRow(nil), p.meta...)
	if val == nil {
		p.meta, _ = removeProp(p.meta, ke.id)
		return nil, tx.putVertex(vk, old, row)
	}
	v, err := normalizeValue(val)
	if err != nil {
		return nil, fmt.Errorf("storage: meta-property %q: %w: %w", key, ErrInvalidArgument, err)
	}
	if err := tx.g.checkValue(nil, ke, Single, v, false); err != nil {
		return nil, err
	}
	p.meta = setProp(p.meta, ke.id, v)
	if err := tx.putVertex(vk, old, row); err != nil {
		return nil, err
	}
	l, err := tx.g.nameOf(nsVertexLabel, row.label)
	if err != nil {
		return nil, err
	}
	n, _ := normalizeID(vid)
	vp, err := tx.g.toVertexProperty(&value.Vertex{ID: n, Label: l}, p)
	if err != nil {
		return nil, err
	}
	for _, m := range vp.Properties {
		if m.Key == key {
			return m, nil
		}
	}
	return nil, fmt.Errorf("storage: meta-property %q vanished after write: %w", key, ErrCorrupt)
}

// RemoveVertex implements GraphTx.
func (tx *Tx) RemoveVertex(id any) error {
	if err := tx.writable(); err != nil {
		return err
	}
	vk, row, err := tx.loadVertex(id)
	if err != nil {
		return err
	}
	// Collect the edges first, then delete, so scans do not see their own
	// deletions mid-page.
	type adj struct {
		k, v []byte
		in   bool
	}
	var edges []adj
	for _, in := range []bool{false, true} {
		t := tx.g.t.edgeOut
		if in {
			t = tx.g.t.edgeIn
		}
		sc := tx.newScanner(t, vk, kv.PrefixEnd(vk), false)
		for {
			k, v, ok := sc.next()
			if !ok {
				break
			}
			edges = append(edges, adj{k, v, in})
		}
		if sc.err != nil {
			return sc.err
		}
	}
	// edge_in entries are keys only: read the values of those edges from
	// edge_out in one MultiGet.
	var inKeys [][]byte
	var inIdx []int
	for i, e := range edges {
		if !e.in {
			continue
		}
		a, label, b, eid, err := parseAdjKey(e.k)
		if err != nil {
			return err
		}
		if string(a) == string(b) {
			continue // a self-loop: its edge_out entry is in edges already
		}
		inKeys = append(inKeys, adjKey(b, label, a, eid))
		inIdx = append(inIdx, i)
	}
	if len(inKeys) > 0 {
		vals, err := tx.kt.MultiGet(tx.g.t.edgeOut, inKeys)
		if err != nil {
			return mapKVErr("storage: remove vertex", err)
		}
		for j, v := range vals {
			if v == nil {
				return fmt.Errorf("storage: edge_in entry %x without its edge_out entry: %w", edges[inIdx[j]].k, ErrCorrupt)
			}
			edges[inIdx[j]].v = v
		}
	}
	removed := map[string]bool{}
	for _, e := range edges {
		a, label, b, eid, err := parseAdjKey(e.k)
		if err != nil {
			return err
		}
		if removed[string(eid)] {
			continue // a self-loop is in both tables
		}
		if e.in && string(a) == string(b) {
			continue // a self-loop, removed through its edge_out entry
		}
		removed[string(eid)] = true
		ev, err := decodeEdgeVal(e.v)
		if err != nil {
			return err
		}
		if e.in {
			a, b = b, a
		}
		if err := tx.removeEdge(&edgeRef{out: a, label: label, in: b}, eid, ev); err != nil {
			return err
		}
	}
	if err := tx.updateIndexes(VertexElement, vk, row.label, vertexVals(row), nil); err != nil {
		return err
	}
	if err := tx.del(tx.g.t.vertex, vk); err != nil {
		return mapKVErr("storage: remove vertex", err)
	}
	if err := tx.del(tx.g.t.labelIdx, labelIndexKey(kindVertex, row.label, vk)); err != nil {
		return mapKVErr("storage: remove vertex", err)
	}
	tx.known.del(vk)
	tx.deltas[statKey{kindVertex, row.label}]--
	return nil
}

func (tx *Tx) removeEdge(ref *edgeRef, ek []byte, ev *edgeVal) error {
	if err := tx.updateIndexes(EdgeElement, ek, ref.label, edgeVals(ev.props), nil); err != nil {
		return err
	}
	for _, d := range []struct {
		t kv.Table
		k []byte
	}{
		{tx.g.t.edgeOut, adjKey(ref.out, ref.label, ref.in, ek)},
		{tx.g.t.edgeIn, adjKey(ref.in, ref.label, ref.out, ek)},
		{tx.g.t.edge, ek},
	} {
		if err := tx.del(d.t, d.k); err != nil {
			return mapKVErr("storage: remove edge", err)
		}
	}
	tx.deltas[statKey{kindEdge, ref.label}]--
	return nil
}

// RemoveEdge implements GraphTx.
func (tx *Tx) RemoveEdge(id any) error {
	if err := tx.writable(); err != nil {
		return err
	}
	ek, ref, ev, err := tx.loadEdge(id)
	if err != nil {
		return err
	}
	return tx.removeEdge(ref, ek, ev)
}

// RemoveVertexProperty implements GraphTx. Removing a property that is
// already gone is a no-op.
func (tx *Tx) RemoveVertexProperty(vid, vpid any) error {
	if err := tx.writable(); err != nil {
		return err
	}
	vk, row, err := tx.loadVertex(vid)
	if err != nil {
		return err
	}
	i := findVP(row, vpid)
	if i < 0 {
		return nil
	}
	old := &vertexRow{label: row.label, props: append([]vpRow(nil), row.props...)}
	row.props = append(row.props[:i:i], row.props[i+1:]...)
	return tx.putVertex(vk, old, row)
}

// RemoveEdgeProperty implements GraphTx. Removing a missing key is a no-op.
func (tx *Tx) RemoveEdgeProperty(eid any, key string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	ek, ref, ev, err := tx.loadEdge(eid)
	if err != nil {
		return err
	}
	ke, ok := tx.g.lookupName(nsPropertyKey, key)
	if !ok {
		return nil
	}
	old := &edgeVal{outLabel: ev.outLabel, inLabel: ev.inLabel, props: append([]propRow(nil), ev.props...)}
	var removed bool
	if ev.props, removed = removeProp(ev.props, ke.id); !removed {
		return nil
	}
	return tx.putEdgeVal(ref, ek, old, ev)
}

// RemoveMetaProperty implements GraphTx. Removing a missing key is a
// no-op; a missing vertex property is ErrPropertyNotFound.
func (tx *Tx) RemoveMetaProperty(vid, vpid any, key string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	vk, row, err := tx.loadVertex(vid)
	if err != nil {
		return err
	}
	i := findVP(row, vpid)
	if i < 0 {
		return fmt.Errorf("storage: vertex %v: property id %v: %w", vid, vpid, ErrPropertyNotFound)
	}
	ke, ok := tx.g.lookupName(nsPropertyKey, key)
	if !ok {
		return nil
	}
	old := &vertexRow{label: row.label, props: append([]vpRow(nil), row.props...)}
	p := &row.props[i]
	var removed bool
	if p.meta, removed = removeProp(append([]propRow(nil), p.meta...), ke.id); !removed {
		return nil
	}
	return tx.putVertex(vk, old, row)
}
