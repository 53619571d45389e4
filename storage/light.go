package storage

import (
	"fmt"

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
