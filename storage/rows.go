package storage

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// propRow is an edge property or a meta-property.
type propRow struct {
	key   uint32
	value any
}

// vpRow is a vertex property with its id and meta-properties.
type vpRow struct {
	key   uint32
	id    []byte // encoded id
	value any
	meta  []propRow
}

// vertexRow is the value of the vertex table: label and all properties.
type vertexRow struct {
	label uint32
	props []vpRow
}

// edgeVal is the value of edge_out and edge_in: both endpoint labels (so
// an edge decodes without reading its vertices) and the properties.
type edgeVal struct {
	outLabel, inLabel uint32
	props             []propRow
}

func appendProps(b []byte, ps []propRow) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(len(ps)))
	var err error
	for _, p := range ps {
		b = binary.AppendUvarint(b, uint64(p.key))
		if b, err = appendValue(b, p.value); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func readProps(r *reader) []propRow {
	n := r.count()
	ps := make([]propRow, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		k := uint32(r.uvarint())
		ps = append(ps, propRow{key: k, value: r.value()})
	}
	return ps
}

// appendTo appends the encoding of v to b.
func (v *vertexRow) appendTo(b []byte) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(v.label))
	b = binary.AppendUvarint(b, uint64(len(v.props)))
	var err error
	for _, p := range v.props {
		b = binary.AppendUvarint(b, uint64(p.key))
		b = append(b, p.id...)
		if b, err = appendValue(b, p.value); err != nil {
			return nil, err
		}
		if b, err = appendProps(b, p.meta); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func decodeVertexRow(b []byte) (*vertexRow, error) {
	r := reader{b: b}
	v := &vertexRow{label: uint32(r.uvarint())}
	n := r.count()
	v.props = make([]vpRow, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		var p vpRow
		p.key = uint32(r.uvarint())
		p.id = r.idBytes()
		p.value = r.value()
		p.meta = readProps(&r)
		v.props = append(v.props, p)
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("vertex row has %d trailing bytes", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, r.err)
	}
	return v, nil
}

// rowLabel decodes only the label of a vertex row.
func rowLabel(b []byte) (uint32, error) {
	l, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, fmt.Errorf("%w: vertex row without label", ErrCorrupt)
	}
	return uint32(l), nil
}

// appendTo appends the encoding of e to b.
func (e *edgeVal) appendTo(b []byte) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(e.outLabel))
	b = binary.AppendUvarint(b, uint64(e.inLabel))
	return appendProps(b, e.props)
}

func decodeEdgeVal(b []byte) (*edgeVal, error) {
	r := reader{b: b}
	e := &edgeVal{outLabel: uint32(r.uvarint()), inLabel: uint32(r.uvarint())}
	e.props = readProps(&r)
	if r.err == nil && len(r.b) != 0 {
		r.fail("edge value has %d trailing bytes", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, r.err)
	}
	return e, nil
}

// edgeRef is the value of the edge table: where the edge lives.
type edgeRef struct {
	out   []byte
	label uint32
	in    []byte
}

// appendTo appends the encoding of e to b.
func (e *edgeRef) appendTo(b []byte) []byte {
	b = append(b, e.out...)
	b = binary.AppendUvarint(b, uint64(e.label))
	return append(b, e.in...)
}

func decodeEdgeRef(b []byte) (*edgeRef, error) {
	r := reader{b: b}
	e := &edgeRef{out: r.idBytes(), label: uint32(r.uvarint()), in: r.idBytes()}
	if r.err == nil && len(r.b) != 0 {
		r.fail("edge row has %d trailing bytes", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, r.err)
	}
	return e, nil
}

// toVertex builds the detached vertex of a row.
func (g *Graph) toVertex(id any, row *vertexRow) (*value.Vertex, error) {
	label, err := g.nameOf(nsVertexLabel, row.label)
	if err != nil {
		return nil, err
	}
	v := &value.Vertex{ID: id, Label: label, Properties: make([]*value.VertexProperty, 0, len(row.props))}
	ref := &value.Vertex{ID: id, Label: label}
	for _, p := range row.props {
		vp, err := g.toVertexProperty(ref, &p)
		if err != nil {
			return nil, err
		}
		v.Properties = append(v.Properties, vp)
	}
	return v, nil
}

func (g *Graph) toVertexProperty(owner *value.Vertex, p *vpRow) (*value.VertexProperty, error) {
	key, err := g.nameOf(nsPropertyKey, p.key)
	if err != nil {
		return nil, err
	}
	id, _, err := decodeID(p.id)
	if err != nil {
		return nil, err
	}
	vp := &value.VertexProperty{ID: id, Key: key, Value: p.value, Vertex: owner}
	for _, m := range p.meta {
		mk, err := g.nameOf(nsPropertyKey, m.key)
		if err != nil {
			return nil, err
		}
		vp.Properties = append(vp.Properties, &value.Property{Key: mk, Value: m.value, Element: vp})
	}
	return vp, nil
}

// toEdge builds the detached edge from its parts.
func (g *Graph) toEdge(out []byte, label uint32, in, eid []byte, val *edgeVal) (*value.Edge, error) {
	oid, _, err := decodeID(out)
	if err != nil {
		return nil, err
	}
	iid, _, err := decodeID(in)
	if err != nil {
		return nil, err
	}
	id, _, err := decodeID(eid)
	if err != nil {
		return nil, err
	}
	return g.newEdge(id, label, oid, iid, val)
}

// newEdge builds the detached edge from its decoded ids, label id and
// value.
func (g *Graph) newEdge(id any, label uint32, oid, iid any, val *edgeVal) (*value.Edge, error) {
	// The edge, its endpoint vertices and up to one property in one
	// allocation.
	x := &struct {
		e       value.Edge
		out, in value.Vertex
		p       [1]value.Property
		pp      [1]*value.Property
	}{}
	var props []value.Property
	var pptr []*value.Property
	switch n := len(val.props); n {
	case 0:
		pptr = []*value.Property{}
	case 1:
		props, pptr = x.p[:], x.pp[:]
	default:
		props = make([]value.Property, n)
		pptr = make([]*value.Property, n)
	}
	lname, err := g.nameOf(nsEdgeLabel, label)
	if err != nil {
		return nil, err
	}
	ol, err := g.nameOf(nsVertexLabel, val.outLabel)
	if err != nil {
		return nil, err
	}
	il, err := g.nameOf(nsVertexLabel, val.inLabel)
	if err != nil {
		return nil, err
	}
	for i, p := range val.props {
		k, err := g.nameOf(nsPropertyKey, p.key)
		if err != nil {
			return nil, err
		}
		props[i] = value.Property{Key: k, Value: p.value, Element: &x.e}
		pptr[i] = &props[i]
	}
	x.out = value.Vertex{ID: oid, Label: ol}
	x.in = value.Vertex{ID: iid, Label: il}
	x.e = value.Edge{ID: id, Label: lname, OutV: &x.out, InV: &x.in, Properties: pptr}
	return &x.e, nil
}

// decodeVertexRowKeys decodes a vertex row keeping only the properties
// whose key is in want (a short list: linear search beats a map); the
// others, value and meta-properties, are skipped without allocating.
func decodeVertexRowKeys(b []byte, want []uint32) (*vertexRow, error) {
	r := reader{b: b}
	v := &vertexRow{label: uint32(r.uvarint())}
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		key := uint32(r.uvarint())
		id := r.idBytes()
		if !slices.Contains(want, key) {
			r.skipValue()
			r.skipProps()
			continue
		}
		p := vpRow{key: key, id: id, value: r.value()}
		p.meta = readProps(&r)
		v.props = append(v.props, p)
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("vertex row has %d trailing bytes", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, r.err)
	}
	return v, nil
}

// skipProps skips what readProps reads.
func (r *reader) skipProps() {
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		r.uvarint()
		r.skipValue()
	}
}
