package storage

import (
	"fmt"
	"slices"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Light vertex scans: for traversals that only need a vertex's id or
// label (g.V().id(), g.V().label(), g.V().hasLabel(x).id()), the vertex
// rows' property blobs need not be decoded, and sometimes not even read.

// VertexRefMode says what a light scan must fill in.
type VertexRefMode int

const (
	// RefID fills in only the id (Label is empty).
	RefID VertexRefMode = iota
	// RefIDLabel fills in the id and the label.
	RefIDLabel
)

// VertexRefScanner is implemented by *Tx: ScanVertexRefs iterates the same
// vertices as ScanVertices(label), in the same order, but yields reference
// vertices: Properties is nil (the traversal engine loads the properties
// of such a vertex on demand).
//
// With a label the scan reads only the keys of the label index (id and
// label are both known from them; no vertex row is read). Without one it
// scans the vertex table, keys only for RefID, else reading each row but
// decoding only its leading label.
type VertexRefScanner interface {
	ScanVertexRefs(label string, mode VertexRefMode) VertexIter
}

var _ VertexRefScanner = (*Tx)(nil)

// ScanVertexRefs implements VertexRefScanner.
func (tx *Tx) ScanVertexRefs(label string, mode VertexRefMode) VertexIter {
	if err := tx.usable(); err != nil {
		return &refIter{err: err}
	}
	if label != "" {
		e, ok := tx.g.lookupName(nsVertexLabel, label)
		if !ok {
			return &refIter{}
		}
		p := labelIndexKey(kindVertex, e.id, nil)
		return &refIter{tx: tx, sc: tx.newScanner(tx.g.t.labelIdx, p, kv.PrefixEnd(p), true), fromIndex: true, label: label}
	}
	return &refIter{tx: tx, sc: tx.newScanner(tx.g.t.vertex, nil, nil, mode == RefID), withLabel: mode != RefID}
}

type refIter struct {
	tx        *Tx
	sc        *scanner
	fromIndex bool   // scanning the label index
	label     string // that label
	withLabel bool   // decode the label of each vertex row
	err       error
}

func (it *refIter) Next() (*value.Vertex, bool) {
	if it.err != nil || it.sc == nil {
		return nil, false
	}
	k, b, ok := it.sc.next()
	if !ok {
		it.err = it.sc.err
		return nil, false
	}
	if it.fromIndex {
		id, err := labelIndexID(k)
		if err != nil {
			it.err = err
			return nil, false
		}
		return &value.Vertex{ID: id, Label: it.label}, true
	}
	id, _, err := decodeID(k)
	if err != nil {
		it.err = err
		return nil, false
	}
	v := &value.Vertex{ID: id}
	if it.withLabel {
		l, err := rowLabel(b)
		if err != nil {
			it.err = fmt.Errorf("storage: vertex %v: %w", id, err)
			return nil, false
		}
		if v.Label, err = it.tx.g.nameOf(nsVertexLabel, l); err != nil {
			it.err = err
			return nil, false
		}
	}
	return v, true
}

func (it *refIter) Err() error { return it.err }
func (it *refIter) Close()     { it.sc = nil }

// VertexValuesScanner is implemented by *Tx: ScanVertexValues iterates the
// same vertices as ScanVertices(label), in the same order, with their ids
// and labels, but Properties holds only the vertex properties whose key is
// one of keys (with their ids and meta-properties, in the row's order):
// the other properties of each row are skipped without being decoded.
// Properties is never nil (an empty slice when the vertex has none of
// the keys), so the traversal engine does not reload the vertex.
//
// With a label the vertex ids come from the label index keys and the rows
// are read a page at a time, like ScanVertices(label).
type VertexValuesScanner interface {
	ScanVertexValues(label string, keys []string) VertexIter
}

var _ VertexValuesScanner = (*Tx)(nil)

// ScanVertexValues implements VertexValuesScanner.
func (tx *Tx) ScanVertexValues(label string, keys []string) VertexIter {
	if err := tx.usable(); err != nil {
		return &vertexIter{err: err}
	}
	var want []uint32
	for _, k := range keys {
		if e, ok := tx.g.lookupName(nsPropertyKey, k); ok && !slices.Contains(want, e.id) {
			want = append(want, e.id)
		}
	}
	if label == "" {
		return &vertexIter{tx: tx, sc: tx.newScanner(tx.g.t.vertex, nil, nil, false), partial: true, want: want}
	}
	e, ok := tx.g.lookupName(nsVertexLabel, label)
	if !ok {
		return &vertexIter{}
	}
	p := labelIndexKey(kindVertex, e.id, nil)
	return &vertexIter{tx: tx, sc: tx.newScanner(tx.g.t.labelIdx, p, kv.PrefixEnd(p), true), label: true, labelID: e.id, partial: true, want: want}
}

// pagePartial reads the rows of the next page of label index keys into
// buf, decoding only the wanted properties; more is false when the label
// index is exhausted.
func (it *vertexIter) pagePartial() (more bool, err error) {
	keys := it.sc.nextPageKeys()
	if len(keys) == 0 {
		return false, nil
	}
	ids := make([]any, len(keys))
	for i, k := range keys {
		id, err := labelIndexID(k)
		if err != nil {
			return false, err
		}
		ids[i] = id
	}
	tx := it.tx
	if err := tx.usable(); err != nil {
		return false, err
	}
	rkeys, norm, err := tx.idKeys(tx.g.t.vertex, ids)
	if err != nil {
		return false, err
	}
	vals, err := tx.kt.MultiGet(tx.g.t.vertex, rkeys)
	if err != nil {
		return false, mapKVErr("storage: get vertices", err)
	}
	it.buf = make([]*value.Vertex, 0, len(vals))
	for i, b := range vals {
		if b == nil {
			continue
		}
		v, err := it.decode(norm[i], b)
		if err != nil {
			return false, err
		}
		tx.known.put(rkeys[i], it.labelID)
		it.buf = append(it.buf, v)
	}
	return true, nil
}
