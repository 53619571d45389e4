package storage

import (
	"context"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// This file is the contract between the graph storage layer and the layers
// above it (traversal, planner, gremlin). *Graph and *Tx in this package
// implement it. Everything above storage uses only these types.

// Direction of an adjacency walk.
type Direction int

const (
	Out Direction = iota
	In
	Both
)

// Cardinality of a vertex property write.
type Cardinality int

const (
	// Single replaces every existing value of the key.
	Single Cardinality = iota
	// List appends another value.
	List
	// Set appends the value unless an equal value is already present.
	Set
)

// KeyValue is one property given on creation.
type KeyValue struct {
	Key   string
	Value any
}

// TxOptions select how a graph transaction runs.
type TxOptions struct {
	// ReadOnly transactions reject writes.
	ReadOnly bool
	// Snapshot runs at snapshot isolation instead of serializable: for long
	// read-only traversals that must not abort on conflicts.
	Snapshot bool
}

// Store opens graph transactions. *Graph implements it.
type Store interface {
	Begin(ctx context.Context, opts TxOptions) (GraphTx, error)
	// Version advances on every committed write; caches key on it.
	Version() uint64
	Close() error
}

// VertexIter iterates vertices. Next returns false at the end or on error;
// Err then tells which. Close must always be called.
type VertexIter interface {
	Next() (*value.Vertex, bool)
	Err() error
	Close()
}

// EdgeIter iterates edges, with the same contract as VertexIter.
type EdgeIter interface {
	Next() (*value.Edge, bool)
	Err() error
	Close()
}

// GraphTx is one graph transaction (one KV transaction underneath) with
// read-your-writes. Returned elements are detached copies: a Vertex has its
// Properties loaded (with meta-properties); an Edge has its Properties and
// OutV/InV references with labels.
//
// Errors: ErrVertexNotFound / ErrEdgeNotFound for a missing element in a
// write; ErrDuplicateID for an id already in use; ErrConflict (retryable)
// from Commit when a concurrent transaction won; ErrReadOnly for a write in
// a read-only transaction; schema and unique-index violations as
// *SchemaError. Ids are any Gremlin scalar (int32, int64, string, UUID…)
// and come back with the type they were given.
type GraphTx interface {
	// Reads.

	// Vertices returns the vertices with the given ids, in the order given,
	// skipping ids that do not exist (one multi-get).
	Vertices(ids []any) ([]*value.Vertex, error)
	// Edges returns the edges with the given ids, likewise.
	Edges(ids []any) ([]*value.Edge, error)
	// ScanVertices iterates all vertices, or those of one label when label
	// is not empty (a label-index scan).
	ScanVertices(label string) VertexIter
	// ScanEdges iterates all edges, or those of one label.
	ScanEdges(label string) EdgeIter
	// EdgesOf iterates the edges of vertex vid in direction dir, restricted
	// to labels when not empty (one range scan per label). Both yields the
	// out-edges then the in-edges; a self-loop appears twice, as in
	// TinkerGraph.
	EdgesOf(vid any, dir Direction, labels []string) EdgeIter
	// Degree counts the edges EdgesOf would return, without decoding them.
	Degree(vid any, dir Direction, labels []string) (int64, error)

	// Writes.

	// AddVertex creates a vertex; id nil means generate an int64 id.
	AddVertex(id any, label string, props []KeyValue) (*value.Vertex, error)
	// AddEdge creates an edge from outV to inV (vertex ids); id nil means
	// generate one.
	AddEdge(id any, label string, outV, inV any, props []KeyValue) (*value.Edge, error)
	// SetVertexProperty adds a property value with the given cardinality and
	// meta-properties; id nil means generate the vertex-property id.
	SetVertexProperty(vid any, card Cardinality, id any, key string, val any, meta []KeyValue) (*value.VertexProperty, error)
	// SetEdgeProperty sets (replaces) an edge property.
	SetEdgeProperty(eid any, key string, val any) (*value.Property, error)
	// SetMetaProperty sets a meta-property on vertex property vpid of vid.
	SetMetaProperty(vid, vpid any, key string, val any) (*value.Property, error)
	// RemoveVertex removes the vertex, its edges and all their index entries.
	RemoveVertex(id any) error
	RemoveEdge(id any) error
	RemoveVertexProperty(vid, vpid any) error
	RemoveEdgeProperty(eid any, key string) error
	RemoveMetaProperty(vid, vpid any, key string) error

	// Commit makes the writes durable and visible; Rollback discards them.
	// After either, the transaction is finished.
	Commit() error
	Rollback() error
}
