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
	// nameTab holds the names of the interned ids of each namespace,
	// indexed by id ("" for none): a lock-free nameOf (see setNameLocked).
	nameTab [3]atomic.Pointer[[]string]

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
	if err := g.checkLayout(ctx); err != nil {
		return nil, err
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

// The key layout version, kept in the meta table: Open refuses a graph
// stored with another one rather than misread it. Layout 1 (no version
// kept) wrote integer ids as a type tag, an index.AppendOrderedInt header
// byte and the value; layout 2 folds the header into the tag (keys.go).
const (
	metaLayout    = "layout"
	layoutVersion = 2
)

// checkLayout verifies the layout version of the stored graph, recording
// it in a graph that holds no element yet.
func (g *Graph) checkLayout(ctx context.Context) error {
	again := func(v uint64) error {
		return fmt.Errorf("storage: the graph was stored with key layout %d and this version reads layout %d "+
			"(export it with the version that wrote it, then load the export): %w", v, layoutVersion, ErrLayout)
	}
	return g.update(ctx, func(tx kv.Txn) error {
		v, err := tx.Get(g.t.meta, []byte(metaLayout))
		if err == nil {
			l, n := binary.Uvarint(v)
			if n <= 0 {
				return fmt.Errorf("storage: layout version %x: %w", v, ErrCorrupt)
			}
			if l != layoutVersion {
				return again(l)
			}
			return nil
		}
		if !errors.Is(err, kv.ErrKeyNotFound) {
			return err
		}
		for _, t := range []kv.Table{g.t.vertex, g.t.edge} {
			p, err := tx.Scan(t, nil, nil, kv.ScanOptions{Limit: 1, KeysOnly: true})
			if err != nil {
				return err
			}
			if len(p.Keys) > 0 {
				return again(1)
			}
		}
		return tx.Set(g.t.meta, []byte(metaLayout), binary.AppendUvarint(nil, layoutVersion))
	})
}

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
		if err := g.allocIDs(ctx, int64(g.opts.IDBlockSize)); err != nil {
			return 0, 0, err
		}
	}
	id = g.idNext
	g.idNext++
	return id, g.idLimit, nil
}

// reserveIDs makes sure that the next n ids need no new block (whose
// allocation is a commit of its own): when fewer are left, it allocates a
// block of at least n ids now, dropping the rest of the current one. Bulk
// loads call it before a batch commits in the background, so that the
// next batch does not wait for that commit to get ids.
func (g *Graph) reserveIDs(ctx context.Context, n int) error {
	g.idMu.Lock()
	defer g.idMu.Unlock()
	if g.idLimit-g.idNext >= int64(n) {
		return nil
	}
	return g.allocIDs(ctx, max(int64(n), int64(g.opts.IDBlockSize)))
}

// allocIDs allocates a block of size ids (g.idMu held).
func (g *Graph) allocIDs(ctx context.Context, size int64) error {
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
		return tx.Set(g.t.meta, []byte(metaIDAlloc), binary.AppendUvarint(nil, uint64(start)+uint64(size)))
	})
	if err != nil {
		return fmt.Errorf("storage: allocate ids: %w", err)
	}
	g.idNext, g.idLimit = start, start+size
	return nil
}
