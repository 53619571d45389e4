package graphio

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// fakeStore is a small in-memory storage.Store for tests that do not need
// the real storage layer: writes are staged per transaction and applied on
// Commit; reads see committed state only.
type fakeStore struct {
	mu       sync.Mutex
	vertices []*value.Vertex
	vIndex   map[string]*value.Vertex
	edges    []*value.Edge
	eIndex   map[string]*value.Edge
	outAdj   map[string][]*value.Edge
	inAdj    map[string][]*value.Edge
	nextID   int64
	version  uint64
	commits  int
	maxOps   int                   // > 0: a transaction with more writes fails with kv.ErrTooLarge
	failNext []error               // errors returned by the next Commits, in order
	failOp   func(op string) error // injected write failures
}

func newFakeStore() *fakeStore {
	return &fakeStore{vIndex: map[string]*value.Vertex{}, eIndex: map[string]*value.Edge{}, outAdj: map[string][]*value.Edge{}, inAdj: map[string][]*value.Edge{}, nextID: 1 << 40}
}

func (s *fakeStore) Begin(ctx context.Context, opts storage.TxOptions) (storage.GraphTx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &fakeTx{s: s, ro: opts.ReadOnly, newV: map[string]*value.Vertex{}, newE: map[string]bool{}}, nil
}

func (s *fakeStore) Version() uint64 { s.mu.Lock(); defer s.mu.Unlock(); return s.version }
func (s *fakeStore) Close() error    { return nil }

type fakeTx struct {
	s      *fakeStore
	ro     bool
	done   bool
	ops    int
	staged []func()
	newV   map[string]*value.Vertex
	newE   map[string]bool
}

var errFakeUnsupported = errors.New("fake: unsupported")

func (t *fakeTx) write(op string) error {
	if t.done {
		return storage.ErrTxDone
	}
	if t.ro {
		return storage.ErrReadOnly
	}
	t.ops++
	if t.s.maxOps > 0 && t.ops > t.s.maxOps {
		return fmt.Errorf("fake: %d writes: %w", t.ops, kv.ErrTooLarge)
	}
	if t.s.failOp != nil {
		return t.s.failOp(op)
	}
	return nil
}

func (t *fakeTx) vertex(id any) *value.Vertex {
	k := value.Key(id)
	if v := t.newV[k]; v != nil {
		return v
	}
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	return t.s.vIndex[k]
}

func (t *fakeTx) genID() int64 {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	t.s.nextID++
	return t.s.nextID
}

func (t *fakeTx) AddVertex(id any, label string, props []storage.KeyValue) (*value.Vertex, error) {
	if err := t.write("AddVertex"); err != nil {
		return nil, err
	}
	if id == nil {
		id = t.genID()
	}
	if t.vertex(id) != nil {
		return nil, fmt.Errorf("vertex %v: %w", id, storage.ErrDuplicateID)
	}
	v := &value.Vertex{ID: id, Label: label, Properties: []*value.VertexProperty{}}
	for _, p := range props {
		v.Properties = append(v.Properties, &value.VertexProperty{ID: t.genID(), Key: p.Key, Value: p.Value})
	}
	t.newV[value.Key(id)] = v
	t.staged = append(t.staged, func() {
		t.s.vertices = append(t.s.vertices, v)
		t.s.vIndex[value.Key(id)] = v
	})
	return v, nil
}

func (t *fakeTx) AddEdge(id any, label string, outV, inV any, props []storage.KeyValue) (*value.Edge, error) {
	if err := t.write("AddEdge"); err != nil {
		return nil, err
	}
	if id == nil {
		id = t.genID()
	}
	o, i := t.vertex(outV), t.vertex(inV)
	if o == nil || i == nil {
		return nil, fmt.Errorf("edge %v: %w", id, storage.ErrVertexNotFound)
	}
	k := value.Key(id)
	t.s.mu.Lock()
	_, dup := t.s.eIndex[k]
	t.s.mu.Unlock()
	if dup || t.newE[k] {
		return nil, fmt.Errorf("edge %v: %w", id, storage.ErrDuplicateID)
	}
	t.newE[k] = true
	e := &value.Edge{ID: id, Label: label, OutV: &value.Vertex{ID: o.ID, Label: o.Label}, InV: &value.Vertex{ID: i.ID, Label: i.Label}, Properties: []*value.Property{}}
	for _, p := range props {
		e.Properties = append(e.Properties, &value.Property{Key: p.Key, Value: p.Value})
	}
	t.staged = append(t.staged, func() {
		t.s.edges = append(t.s.edges, e)
		t.s.eIndex[k] = e
		t.s.outAdj[value.Key(o.ID)] = append(t.s.outAdj[value.Key(o.ID)], e)
		t.s.inAdj[value.Key(i.ID)] = append(t.s.inAdj[value.Key(i.ID)], e)
	})
	return e, nil
}

func (t *fakeTx) SetVertexProperty(vid any, card storage.Cardinality, id any, key string, val any, meta []storage.KeyValue) (*value.VertexProperty, error) {
	if err := t.write("SetVertexProperty"); err != nil {
		return nil, err
	}
	if card != storage.List {
		return nil, errFakeUnsupported
	}
	v := t.vertex(vid)
	if v == nil {
		return nil, fmt.Errorf("vertex %v: %w", vid, storage.ErrVertexNotFound)
	}
	if id == nil {
		id = t.genID()
	}
	vp := &value.VertexProperty{ID: id, Key: key, Value: val}
	for _, m := range meta {
		vp.Properties = append(vp.Properties, &value.Property{Key: m.Key, Value: m.Value})
	}
	t.staged = append(t.staged, func() { v.Properties = append(v.Properties, vp) })
	return vp, nil
}

func (t *fakeTx) Commit() error {
	if t.done {
		return storage.ErrTxDone
	}
	t.done = true
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if len(t.s.failNext) > 0 {
		err := t.s.failNext[0]
		t.s.failNext = t.s.failNext[1:]
		return err
	}
	for _, f := range t.staged {
		f()
	}
	t.s.commits++
	t.s.version++
	return nil
}

func (t *fakeTx) Rollback() error { t.done = true; return nil }

// Reads: committed state, detached copies.

func copyVertex(v *value.Vertex) *value.Vertex {
	c := &value.Vertex{ID: v.ID, Label: v.Label, Properties: []*value.VertexProperty{}}
	for _, p := range v.Properties {
		cp := &value.VertexProperty{ID: p.ID, Key: p.Key, Value: p.Value, Vertex: &value.Vertex{ID: v.ID, Label: v.Label}}
		for _, m := range p.Properties {
			cp.Properties = append(cp.Properties, &value.Property{Key: m.Key, Value: m.Value, Element: cp})
		}
		c.Properties = append(c.Properties, cp)
	}
	return c
}

func copyEdge(e *value.Edge) *value.Edge {
	c := &value.Edge{ID: e.ID, Label: e.Label, OutV: &value.Vertex{ID: e.OutV.ID, Label: e.OutV.Label}, InV: &value.Vertex{ID: e.InV.ID, Label: e.InV.Label}, Properties: []*value.Property{}}
	for _, p := range e.Properties {
		c.Properties = append(c.Properties, &value.Property{Key: p.Key, Value: p.Value, Element: c})
	}
	return c
}

type sliceVertexIter struct {
	vs []*value.Vertex
	i  int
}

func (it *sliceVertexIter) Next() (*value.Vertex, bool) {
	if it.i >= len(it.vs) {
		return nil, false
	}
	it.i++
	return it.vs[it.i-1], true
}
func (it *sliceVertexIter) Err() error { return nil }
func (it *sliceVertexIter) Close()     {}

type sliceEdgeIter struct {
	es []*value.Edge
	i  int
}

func (it *sliceEdgeIter) Next() (*value.Edge, bool) {
	if it.i >= len(it.es) {
		return nil, false
	}
	it.i++
	return it.es[it.i-1], true
}
func (it *sliceEdgeIter) Err() error { return nil }
func (it *sliceEdgeIter) Close()     {}

func (t *fakeTx) ScanVertices(label string) storage.VertexIter {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	var out []*value.Vertex
	for _, v := range t.s.vertices {
		if label == "" || v.Label == label {
			out = append(out, copyVertex(v))
		}
	}
	return &sliceVertexIter{vs: out}
}

func (t *fakeTx) ScanEdges(label string) storage.EdgeIter {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	var out []*value.Edge
	for _, e := range t.s.edges {
		if label == "" || e.Label == label {
			out = append(out, copyEdge(e))
		}
	}
	return &sliceEdgeIter{es: out}
}

func (t *fakeTx) EdgesOf(vid any, dir storage.Direction, labels []string) storage.EdgeIter {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	k := value.Key(vid)
	var out []*value.Edge
	if dir == storage.Out || dir == storage.Both {
		for _, e := range t.s.outAdj[k] {
			out = append(out, copyEdge(e))
		}
	}
	if dir == storage.In || dir == storage.Both {
		for _, e := range t.s.inAdj[k] {
			out = append(out, copyEdge(e))
		}
	}
	return &sliceEdgeIter{es: out}
}

func (t *fakeTx) Vertices(ids []any) ([]*value.Vertex, error) { return nil, errFakeUnsupported }
func (t *fakeTx) Edges(ids []any) ([]*value.Edge, error)      { return nil, errFakeUnsupported }
func (t *fakeTx) Degree(vid any, dir storage.Direction, labels []string) (int64, error) {
	return 0, errFakeUnsupported
}
func (t *fakeTx) SetEdgeProperty(eid any, key string, val any) (*value.Property, error) {
	return nil, errFakeUnsupported
}
func (t *fakeTx) SetMetaProperty(vid, vpid any, key string, val any) (*value.Property, error) {
	return nil, errFakeUnsupported
}
func (t *fakeTx) RemoveVertex(id any) error                          { return errFakeUnsupported }
func (t *fakeTx) RemoveEdge(id any) error                            { return errFakeUnsupported }
func (t *fakeTx) RemoveVertexProperty(vid, vpid any) error           { return errFakeUnsupported }
func (t *fakeTx) RemoveEdgeProperty(eid any, key string) error       { return errFakeUnsupported }
func (t *fakeTx) RemoveMetaProperty(vid, vpid any, key string) error { return errFakeUnsupported }
