package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// Options configure a Graph.
type Options struct {
	// IDBlockSize is how many generated ids one allocation reserves
	// (default 4096). Ids are int64, shared by vertices, edges and vertex
	// properties, as in TinkerGraph.
	IDBlockSize int
	// PageSize is the scan page size for iterators (default 512).
	PageSize int
	// BulkBatchOps is the most KV writes per bulk-load transaction when the
	// store declares no limit (default 50000).
	BulkBatchOps int
}

// Table names.
const (
	tVertex    = "vertex"
	tEdge      = "edge"
	tEdgeOut   = "edge_out"
	tEdgeIn    = "edge_in"
	tLabelIdx  = "label_index"
	tMeta      = "meta"
	tVLabel    = "vertex_label"
	tELabel    = "edge_label"
	tPropKey   = "property_key"
	tIdxLabel  = "index_label"
	tSecondary = "secondary_index"
	tRange     = "range_index"
	tSearch    = "search_index"
	tUnique    = "unique_index"
)

type tables struct {
	vertex, edge, edgeOut, edgeIn, labelIdx, meta kv.Table
	vlabel, elabel, pkey, idxLabel                kv.Table
	secondary, rangeIdx, search, unique           kv.Table
}

// Graph is a property graph stored in a kv.Store. It is safe for
// concurrent use; each transaction is not.
//
// One Graph should own a store at a time: label, key and index ids and
// counts are cached in memory and not re-read from the store.
type Graph struct {
	store kv.Store
	opts  Options
	caps  kv.Capabilities
	t     tables

	version atomic.Uint64
	closed  atomic.Bool

	idMu     sync.Mutex
	idNext   int64
	idLimit  int64
	schemaMu sync.RWMutex
	names    [3]*namespace // nsVertexLabel, nsEdgeLabel, nsPropertyKey
	indexes  map[string]*indexDef
	idxByID  map[uint32]*indexDef
	idxLists atomic.Pointer[idxLists] // indexesFor's cache

	stats *statistics
}

var _ Store = (*Graph)(nil)

// Open opens the graph stored in store, creating its tables if missing.
func Open(store kv.Store, opts Options) (*Graph, error) {
	if opts.IDBlockSize <= 0 {
		opts.IDBlockSize = 4096
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 512
	}
	if opts.BulkBatchOps <= 0 {
		opts.BulkBatchOps = 50000
	}
	g := &Graph{store: store, opts: opts, caps: store.Capabilities(), stats: newStatistics()}
	ctx := context.Background()
	for _, x := range []struct {
		name string
		t    *kv.Table
	}{
		{tVertex, &g.t.vertex}, {tEdge, &g.t.edge}, {tEdgeOut, &g.t.edgeOut}, {tEdgeIn, &g.t.edgeIn},
		{tLabelIdx, &g.t.labelIdx}, {tMeta, &g.t.meta}, {tVLabel, &g.t.vlabel}, {tELabel, &g.t.elabel},
		{tPropKey, &g.t.pkey}, {tIdxLabel, &g.t.idxLabel}, {tSecondary, &g.t.secondary},
		{tRange, &g.t.rangeIdx}, {tSearch, &g.t.search}, {tUnique, &g.t.unique},
	} {
		t, err := store.OpenTable(ctx, x.name)
		if errors.Is(err, kv.ErrTableNotFound) {
			t, err = store.CreateTable(ctx, x.name, kv.Range)
		}
		if err != nil {
			return nil, fmt.Errorf("storage: open table %q: %w", x.name, err)
		}
		if t.Partitioning != kv.Range {
			return nil, fmt.Errorf("storage: table %q is %s-partitioned; the graph needs range tables", x.name, t.Partitioning)
		}
		*x.t = t
	}
	if err := g.loadSchema(ctx); err != nil {
		return nil, err
	}
	if err := g.recount(ctx); err != nil {
		return nil, err
	}
	return g, nil
}

// Version implements Store: it advances on every committed write.
func (g *Graph) Version() uint64 { return g.version.Load() }

// Close implements Store. It does not close the kv.Store, which the caller
// opened.
func (g *Graph) Close() error {
	g.closed.Store(true)
	return nil
}

// KV returns the underlying store.
func (g *Graph) KV() kv.Store { return g.store }

func (g *Graph) bump(commitVersion uint64) {
	for {
		cur := g.version.Load()
		next := cur + 1
		if commitVersion > next {
			next = commitVersion
		}
		if g.version.CompareAndSwap(cur, next) {
			return
		}
	}
}

// update runs fn in its own KV transaction, retrying conflicts. It is used
// for id allocation, interning and schema changes, which commit on their
// own, independent of user transactions.
func (g *Graph) update(ctx context.Context, fn func(tx kv.Txn) error) error {
	var err error
	for attempt := 0; attempt < 20; attempt++ {
		var tx kv.Txn
		tx, err = g.store.Begin(ctx, kv.TxOptions{})
		if err != nil {
			return err
		}
		if err = fn(tx); err != nil {
			tx.Rollback()
			if kv.Retryable(err) {
				continue
			}
			return err
		}
		if err = tx.Commit(); err == nil {
			return nil
		}
		if !kv.Retryable(err) {
			return err
		}
	}
	return err
}

const metaIDAlloc = "id_alloc"

// nextID returns a fresh int64 id (unique among generated ids).
func (g *Graph) nextID(ctx context.Context) (int64, error) {
	id, _, err := g.nextIDBlock(ctx)
	return id, err
}

// nextIDBlock is nextID that also returns the end of the id block the id
// came from: later ids of this Graph below limit are > id.
func (g *Graph) nextIDBlock(ctx context.Context) (id, limit int64, err error) {
	g.idMu.Lock()
	defer g.idMu.Unlock()
	if g.idNext >= g.idLimit {
		var start int64
		err := g.update(ctx, func(tx kv.Txn) error {
			start = 0
			v, err := tx.Get(g.t.meta, []byte(metaIDAlloc))
			if err == nil {
				u, n := binary.Uvarint(v)
				if n <= 0 {
					return fmt.Errorf("storage: corrupt id allocator: %w", ErrCorrupt)
				}
				start = int64(u)
			} else if !errors.Is(err, kv.ErrKeyNotFound) {
				return err
			}
			return tx.Set(g.t.meta, []byte(metaIDAlloc), binary.AppendUvarint(nil, uint64(start)+uint64(g.opts.IDBlockSize)))
		})
		if err != nil {
			return 0, 0, fmt.Errorf("storage: allocate ids: %w", err)
		}
		g.idNext, g.idLimit = start, start+int64(g.opts.IDBlockSize)
	}
	id = g.idNext
	g.idNext++
	return id, g.idLimit, nil
}
