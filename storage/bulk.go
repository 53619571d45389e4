package storage

import (
	"context"
	"fmt"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// BulkLoad runs fn with a GraphTx whose writes are committed in batches
// sized by the store's declared limits (half of Capabilities.MaxTxnOps and
// MaxTxnBytes, or Options.BulkBatchOps writes when unlimited). Reads see
// earlier batches and the current one.
//
// A bulk load is not atomic: when fn or a batch commit fails, the batches
// committed before stay, the current one is rolled back, and the error is
// returned. Calling Commit inside fn ends the current batch early;
// Rollback discards only the current batch. It is meant for loading into a
// graph without concurrent writers.
func (g *Graph) BulkLoad(ctx context.Context, fn func(tx GraphTx) error) error {
	b := &bulkTx{g: g, ctx: ctx, maxOps: g.batchOps(), maxBytes: 64 << 20}
	if m := g.caps.MaxTxnBytes; m > 0 {
		b.maxBytes = m / 2
	}
	if err := b.begin(); err != nil {
		return err
	}
	if err := fn(b); err != nil {
		b.cur.Rollback()
		return err
	}
	if err := b.cur.Commit(); err != nil {
		return fmt.Errorf("storage: bulk load: batch %d: %w", b.batches+1, err)
	}
	// A load usually changes indexes wholesale: rebuild the value
	// statistics it made stale (one keys-only scan per such index).
	return g.refreshStale(ctx)
}

type bulkTx struct {
	g        *Graph
	ctx      context.Context
	cur      *Tx
	maxOps   int
	maxBytes int
	batches  int
	// known carries the vertices known to exist (encoded id → label id)
	// from one batch to the next, so that edges need not re-read their
	// endpoints in every batch. It relies on the bulk-load contract (no
	// concurrent writers) and is dropped on Rollback.
	known map[string]uint32
	// absent carries Prefetch's absences the same way (known, checked
	// first, overrides them once a vertex is written).
	absent map[string]struct{}
}

// Each batch is a write-only KV transaction plus a read-only snapshot
// transaction begun with it (Tx.rd): the checks of AddVertex and AddEdge
// (duplicate ids, endpoints, id blocks, unique indexes) read the snapshot
// and the batch's own writes kept in Go, so the KV transaction never reads
// after writing and the store may keep its cheaper write-only path (KVT
// sorts a write-only transaction's writes once at commit instead of
// indexing them as they come). Under the bulk-load contract (no concurrent
// writers) the snapshot is the state the batch started from. Any other
// write (property updates, removals) ends that for the rest of the batch:
// later checks read the KV transaction, as outside bulk loads. Explicit
// reads (Vertices, EdgesOf, scans...) always read the KV transaction.

// maxBulkKnown bounds the vertices a bulk load remembers across batches.
const maxBulkKnown = 4 << 20

var _ GraphTx = (*bulkTx)(nil)

func (b *bulkTx) begin() error {
	tx, err := b.g.BeginTx(b.ctx, TxOptions{})
	if err != nil {
		return err
	}
	if b.known == nil || len(b.known) > maxBulkKnown {
		b.known = tx.known
		b.absent = nil
	} else {
		tx.known = b.known
	}
	if b.absent == nil || len(b.absent) > maxBulkKnown {
		b.absent = make(map[string]struct{})
	}
	tx.absent = b.absent
	rd, err := b.g.store.Begin(b.ctx, kv.TxOptions{ReadOnly: true, Isolation: kv.Snapshot})
	if err != nil {
		_ = tx.Rollback()
		return mapKVErr("storage: begin", err)
	}
	tx.rd = rd
	tx.bulkEdges = make(map[string]struct{})
	tx.bulkUnique = make(map[string][]byte)
	b.cur = tx
	return nil
}

// after ends the batch once it reaches the limits.
func (b *bulkTx) after(err error) error {
	if err != nil {
		return err
	}
	if b.cur.nops < b.maxOps && b.cur.nbytes < b.maxBytes {
		return nil
	}
	return b.Commit()
}

func (b *bulkTx) Vertices(ids []any) ([]*value.Vertex, error) { return b.cur.Vertices(ids) }
func (b *bulkTx) Edges(ids []any) ([]*value.Edge, error)      { return b.cur.Edges(ids) }
func (b *bulkTx) ScanVertices(label string) VertexIter        { return b.cur.ScanVertices(label) }
func (b *bulkTx) ScanEdges(label string) EdgeIter             { return b.cur.ScanEdges(label) }
func (b *bulkTx) EdgesOf(vid any, dir Direction, labels []string) EdgeIter {
	return b.cur.EdgesOf(vid, dir, labels)
}
func (b *bulkTx) Degree(vid any, dir Direction, labels []string) (int64, error) {
	return b.cur.Degree(vid, dir, labels)
}

func (b *bulkTx) AddVertex(id any, label string, props []KeyValue) (*value.Vertex, error) {
	v, err := b.cur.AddVertex(id, label, props)
	return v, b.after(err)
}

func (b *bulkTx) AddEdge(id any, label string, outV, inV any, props []KeyValue) (*value.Edge, error) {
	e, err := b.cur.AddEdge(id, label, outV, inV, props)
	return e, b.after(err)
}

func (b *bulkTx) SetVertexProperty(vid any, card Cardinality, id any, key string, val any, meta []KeyValue) (*value.VertexProperty, error) {
	b.cur.stopBulkReads()
	p, err := b.cur.SetVertexProperty(vid, card, id, key, val, meta)
	return p, b.after(err)
}

func (b *bulkTx) SetEdgeProperty(eid any, key string, val any) (*value.Property, error) {
	b.cur.stopBulkReads()
	p, err := b.cur.SetEdgeProperty(eid, key, val)
	return p, b.after(err)
}

func (b *bulkTx) SetMetaProperty(vid, vpid any, key string, val any) (*value.Property, error) {
	b.cur.stopBulkReads()
	p, err := b.cur.SetMetaProperty(vid, vpid, key, val)
	return p, b.after(err)
}

func (b *bulkTx) RemoveVertex(id any) error {
	b.cur.stopBulkReads()
	return b.after(b.cur.RemoveVertex(id))
}
func (b *bulkTx) RemoveEdge(id any) error {
	b.cur.stopBulkReads()
	return b.after(b.cur.RemoveEdge(id))
}
func (b *bulkTx) RemoveVertexProperty(vid, vpid any) error {
	b.cur.stopBulkReads()
	return b.after(b.cur.RemoveVertexProperty(vid, vpid))
}
func (b *bulkTx) RemoveEdgeProperty(eid any, key string) error {
	b.cur.stopBulkReads()
	return b.after(b.cur.RemoveEdgeProperty(eid, key))
}
func (b *bulkTx) RemoveMetaProperty(vid, vpid any, key string) error {
	b.cur.stopBulkReads()
	return b.after(b.cur.RemoveMetaProperty(vid, vpid, key))
}

// Commit ends the current batch and starts the next.
func (b *bulkTx) Commit() error {
	b.batches++
	if err := b.cur.Commit(); err != nil {
		return fmt.Errorf("storage: bulk load: batch %d: %w", b.batches, err)
	}
	return b.begin()
}

// Rollback discards the current batch and starts the next.
func (b *bulkTx) Rollback() error {
	b.known = nil // it may hold vertices of the discarded batch
	b.absent = nil
	if err := b.cur.Rollback(); err != nil {
		return err
	}
	return b.begin()
}
