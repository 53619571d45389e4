package storage

import (
	"context"
	"errors"
	"fmt"
	"runtime"

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
//
// A batch that only added elements commits in the background while the
// next one fills (the store does the work of one batch while the caller
// prepares the next): its failure is then returned by a later call of the
// load (an addition, a read, Commit or Rollback) or by BulkLoad itself, and
// the batch being filled is rolled back. Commit and Rollback wait for the
// background commit, and so does BulkLoad before it returns.
func (g *Graph) BulkLoad(ctx context.Context, fn func(tx GraphTx) error) error {
	b := &bulkTx{g: g, ctx: ctx, maxOps: g.batchOps(), maxBytes: 64 << 20}
	if m := g.caps.MaxTxnBytes; m > 0 {
		b.maxBytes = m / 2
	}
	if err := b.begin(nil); err != nil {
		return err
	}
	defer b.stop()
	err := fn(b)
	b.settle(true)
	if b.failed != nil && (err == nil || !errors.Is(err, b.failed)) {
		err = errors.Join(err, b.failed)
	}
	if err == nil {
		err = b.materialize()
	}
	if err != nil {
		b.cur.Rollback()
		return err
	}
	if err := b.commitNow(b.cur); err != nil {
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
	known *vertexLabels
	// absent carries Prefetch's absences the same way (known, checked
	// first, overrides them once a vertex is written).
	absent map[string]struct{}
	// Every batch commits in the committer goroutine (runCommitter):
	// jobs takes the transaction, done gives the outcome. inflight says
	// that batch inflightN commits in the background (see overlap below).
	jobs      chan *Tx
	done      chan error
	inflight  bool
	inflightN int
	// failed is the error of a background commit: every later call
	// returns it.
	failed error
	// spareBuf and spareOps are the buffers of the last pendingTxn, for
	// the next one; sort is materialize's scratch.
	spareBuf []byte
	spareOps []pendingOp
	sort     sortScratch
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
//
// Overlap: a batch's writes are buffered in Go (its KV transaction is a
// pendingTxn until the batch ends). A full batch of additions is then
// replayed into a KV transaction sorted by table and key (cheaper for an
// ordered store to commit) and committed by the committer goroutine while
// the next batch fills. The next batch's snapshot misses the committing
// batch, so its checks also consult what that batch wrote (Tx.bulkPrev,
// and the vertices in known, which a batch of additions only adds to).
// Its own KV transaction may begin before that commit ends (the replay
// overlaps it): that is right only because it commits after it (one
// committer) and never reads (its writes, additions, touch none of the
// committing batch's keys); reads, and the writes that read (updates,
// removals), first wait for the commit (sync) and begin the transaction
// after it. A batch that did anything but additions commits
// synchronously, and so do explicit Commits.

// maxBulkKnown bounds the vertices a bulk load remembers across batches.
const maxBulkKnown = 4 << 20

var _ GraphTx = (*bulkTx)(nil)

// begin starts the next batch; prev is what the batch committing in the
// background (if any) wrote.
func (b *bulkTx) begin(prev *bulkState) error {
	p := &pendingTxn{begin: b.beginAfterInflight, buf: b.spareBuf, ops: b.spareOps}
	b.spareBuf, b.spareOps = nil, nil
	tx := b.g.newTx(b.ctx, p, false)
	if b.known == nil || b.known.len() > maxBulkKnown {
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
	tx.bulk = newBulkState()
	tx.bulkPrev = prev
	b.cur = tx
	return nil
}

// beginAfterInflight begins the KV transaction of the current batch once
// the background commit has ended: for a pendingTxn that must read.
func (b *bulkTx) beginAfterInflight() (kv.Txn, error) {
	b.settle(true)
	if b.failed != nil {
		return nil, b.failed
	}
	kt, err := b.g.store.Begin(b.ctx, kv.TxOptions{})
	if err != nil {
		return nil, mapKVErr("storage: begin", err)
	}
	return kt, nil
}

// settle collects the outcome of the background commit if it has ended
// (or, with wait, once it has).
func (b *bulkTx) settle(wait bool) {
	if !b.inflight {
		return
	}
	var err error
	if wait {
		err = <-b.done
	} else {
		select {
		case err = <-b.done:
		default:
			return
		}
	}
	b.inflight = false
	if err != nil && b.failed == nil {
		b.failed = fmt.Errorf("storage: bulk load: batch %d: %w", b.inflightN, err)
	}
}

// materialize begins the current batch's KV transaction, if it is still a
// pendingTxn, and replays the buffered writes into it sorted by table and
// key; later writes go straight to it. The transaction begins now: when a
// background commit runs, its snapshot misses that batch, which is right
// only for a batch that is about to commit without reading (its writes,
// additions, touch none of that batch's keys); everything else calls sync.
func (b *bulkTx) materialize() error {
	p, ok := b.cur.kt.(*pendingTxn)
	if !ok || p.t != nil {
		if ok {
			b.cur.kt = p.t
		}
		return nil
	}
	if p.err != nil {
		return p.err
	}
	kt, err := b.g.store.Begin(b.ctx, kv.TxOptions{})
	if err != nil {
		return mapKVErr("storage: begin", err)
	}
	buf, ops := p.buf, p.ops
	if err := p.replay(kt, p.keyOrder(&b.sort)); err != nil {
		return err
	}
	b.cur.kt = kt
	b.spareBuf, b.spareOps = buf[:0], ops[:0]
	return nil
}

// sync waits for the background commit and makes the current batch's KV
// transaction real and see it: the state reads and updates need. After a
// failed background commit it rolls the current batch back and returns
// the error.
func (b *bulkTx) sync() error {
	b.settle(true)
	if err := b.check(); err != nil {
		return err
	}
	if err := b.materialize(); err != nil {
		b.failed = err
		return b.check()
	}
	return nil
}

// check returns the error of a failed background commit, rolling the
// current batch back.
func (b *bulkTx) check() error {
	if b.failed != nil {
		b.cur.Rollback()
		return b.failed
	}
	return nil
}

// after ends the batch once it reaches the limits.
func (b *bulkTx) after(err error) error {
	if b.inflight {
		b.settle(false)
	}
	if err := b.check(); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	if b.cur.nops < b.maxOps && b.cur.nbytes < b.maxBytes {
		return nil
	}
	return b.rotate()
}

// rotate ends a full batch: in the background when it only added elements,
// else synchronously.
func (b *bulkTx) rotate() error {
	cur := b.cur
	if cur.rd == nil || b.known.len() > maxBulkKnown {
		// Not only additions (the next batch's checks could not see all
		// of it), or known is about to be dropped.
		return b.Commit()
	}
	// Replay the batch into its transaction while the previous batch may
	// still commit, then wait for that commit.
	if err := b.materialize(); err != nil && b.failed == nil {
		b.failed = err
	}
	b.settle(true)
	if err := b.check(); err != nil {
		return err
	}
	b.batches++
	// The next batch's generated ids should not need an id block (a
	// commit of its own, which would wait for this one) while this one
	// commits: reserve what this one used, and a margin.
	if cur.idsUsed > 0 {
		_ = b.g.reserveIDs(b.ctx, cur.idsUsed+cur.idsUsed/4+64)
	}
	prev := cur.bulk // read before the committer owns cur
	b.commit(cur)
	b.inflight, b.inflightN = true, b.batches
	return b.begin(prev)
}

// commit hands tx to the committer goroutine, starting it on first use;
// the outcome arrives on b.done.
func (b *bulkTx) commit(tx *Tx) {
	if b.jobs == nil {
		b.jobs, b.done = make(chan *Tx), make(chan error, 1)
		go runCommitter(b.jobs, b.done)
	}
	b.jobs <- tx
}

// commitNow commits tx in the committer goroutine and waits (no commit
// may run in the background).
func (b *bulkTx) commitNow(tx *Tx) error {
	b.commit(tx)
	return <-b.done
}

// stop ends the committer goroutine (no commit may run).
func (b *bulkTx) stop() {
	if b.jobs != nil {
		close(b.jobs)
		b.jobs = nil
	}
}

// runCommitter commits the transactions of jobs in order, on one OS
// thread that ends with the load: a store that keeps per-thread commit
// buffers (KVT sorts a commit's writes in a thread-local vector as large
// as the batch) keeps one set, freed when the load ends, instead of one
// per thread that happened to run a commit.
func runCommitter(jobs <-chan *Tx, done chan<- error) {
	runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
	for tx := range jobs {
		done <- tx.Commit()
	}
}

func (b *bulkTx) Vertices(ids []any) ([]*value.Vertex, error) {
	if err := b.sync(); err != nil {
		return nil, err
	}
	return b.cur.Vertices(ids)
}

func (b *bulkTx) Edges(ids []any) ([]*value.Edge, error) {
	if err := b.sync(); err != nil {
		return nil, err
	}
	return b.cur.Edges(ids)
}

func (b *bulkTx) ScanVertices(label string) VertexIter {
	if err := b.sync(); err != nil {
		return &vertexIter{err: err}
	}
	return b.cur.ScanVertices(label)
}

func (b *bulkTx) ScanEdges(label string) EdgeIter {
	if err := b.sync(); err != nil {
		return &edgeIter{err: err}
	}
	return b.cur.ScanEdges(label)
}

func (b *bulkTx) EdgesOf(vid any, dir Direction, labels []string) EdgeIter {
	if err := b.sync(); err != nil {
		return &edgeIter{err: err}
	}
	return b.cur.EdgesOf(vid, dir, labels)
}

func (b *bulkTx) Degree(vid any, dir Direction, labels []string) (int64, error) {
	if err := b.sync(); err != nil {
		return 0, err
	}
	return b.cur.Degree(vid, dir, labels)
}

func (b *bulkTx) AddVertex(id any, label string, props []KeyValue) (*value.Vertex, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	v, err := b.cur.AddVertex(id, label, props)
	return v, b.after(err)
}

func (b *bulkTx) AddEdge(id any, label string, outV, inV any, props []KeyValue) (*value.Edge, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	e, err := b.cur.AddEdge(id, label, outV, inV, props)
	return e, b.after(err)
}

// update prepares the current batch for a write other than an addition:
// it must read (and commit after) the previous batches, and its checks
// now read its KV transaction.
func (b *bulkTx) update() error {
	if err := b.sync(); err != nil {
		return err
	}
	b.cur.stopBulkReads()
	return nil
}

func (b *bulkTx) SetVertexProperty(vid any, card Cardinality, id any, key string, val any, meta []KeyValue) (*value.VertexProperty, error) {
	if err := b.update(); err != nil {
		return nil, err
	}
	p, err := b.cur.SetVertexProperty(vid, card, id, key, val, meta)
	return p, b.after(err)
}

func (b *bulkTx) SetEdgeProperty(eid any, key string, val any) (*value.Property, error) {
	if err := b.update(); err != nil {
		return nil, err
	}
	p, err := b.cur.SetEdgeProperty(eid, key, val)
	return p, b.after(err)
}

func (b *bulkTx) SetMetaProperty(vid, vpid any, key string, val any) (*value.Property, error) {
	if err := b.update(); err != nil {
		return nil, err
	}
	p, err := b.cur.SetMetaProperty(vid, vpid, key, val)
	return p, b.after(err)
}

func (b *bulkTx) RemoveVertex(id any) error {
	if err := b.update(); err != nil {
		return err
	}
	return b.after(b.cur.RemoveVertex(id))
}
func (b *bulkTx) RemoveEdge(id any) error {
	if err := b.update(); err != nil {
		return err
	}
	return b.after(b.cur.RemoveEdge(id))
}
func (b *bulkTx) RemoveVertexProperty(vid, vpid any) error {
	if err := b.update(); err != nil {
		return err
	}
	return b.after(b.cur.RemoveVertexProperty(vid, vpid))
}
func (b *bulkTx) RemoveEdgeProperty(eid any, key string) error {
	if err := b.update(); err != nil {
		return err
	}
	return b.after(b.cur.RemoveEdgeProperty(eid, key))
}
func (b *bulkTx) RemoveMetaProperty(vid, vpid any, key string) error {
	if err := b.update(); err != nil {
		return err
	}
	return b.after(b.cur.RemoveMetaProperty(vid, vpid, key))
}

// Commit ends the current batch and starts the next. It returns once
// every batch so far is committed.
func (b *bulkTx) Commit() error {
	if err := b.sync(); err != nil {
		return err
	}
	b.batches++
	if err := b.commitNow(b.cur); err != nil {
		return fmt.Errorf("storage: bulk load: batch %d: %w", b.batches, err)
	}
	return b.begin(nil)
}

// Rollback discards the current batch and starts the next.
func (b *bulkTx) Rollback() error {
	b.settle(true)
	if err := b.check(); err != nil {
		return err
	}
	b.known = nil // it may hold vertices of the discarded batch
	b.absent = nil
	if err := b.cur.Rollback(); err != nil {
		return err
	}
	return b.begin(nil)
}
