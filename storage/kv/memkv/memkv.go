package memkv

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// Options configure a Store.
type Options struct {
	// Isolation is the level every transaction gets (default
	// Serializable). Snapshot only detects write-write conflicts.
	Isolation kv.Isolation
	// MaxTxnOps and MaxTxnBytes cap one transaction's writes (0 =
	// unlimited), to exercise callers that split work by Capabilities.
	MaxTxnOps   int
	MaxTxnBytes int
	// PageSize is the Scan page size when ScanOptions.Limit is 0
	// (default 256).
	PageSize int
}

// Store is an in-memory multi-version kv.Store.
type Store struct {
	opts Options

	mu      sync.RWMutex
	closed  bool
	ts      uint64 // last committed version
	tableID uint64
	tables  map[string]*table
	byID    map[uint64]*table
	active  map[*txn]struct{}
}

var _ kv.Store = (*Store)(nil)

type version struct {
	ts  uint64
	val []byte
	del bool
}

type table struct {
	info kv.Table
	keys []string // sorted; includes keys whose latest version is a tombstone
	rows map[string][]version
}

// New returns an empty store.
func New(opts Options) *Store {
	if opts.PageSize <= 0 {
		opts.PageSize = 256
	}
	return &Store{
		opts:   opts,
		tables: make(map[string]*table),
		byID:   make(map[uint64]*table),
		active: make(map[*txn]struct{}),
	}
}

// CreateTable implements kv.Store.
func (s *Store) CreateTable(ctx context.Context, name string, p kv.Partitioning) (kv.Table, error) {
	if err := ctx.Err(); err != nil {
		return kv.Table{}, err
	}
	if name == "" {
		return kv.Table{}, fmt.Errorf("memkv: create table: empty name: %w", kv.ErrInvalidKey)
	}
	if p != kv.Range && p != kv.Hash {
		return kv.Table{}, fmt.Errorf("memkv: create table %q: partitioning %d is neither kv.Range nor kv.Hash: %w", name, p, kv.ErrUnsupported)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return kv.Table{}, kv.ErrClosed
	}
	if _, ok := s.tables[name]; ok {
		return kv.Table{}, fmt.Errorf("memkv: create table %q: %w", name, kv.ErrTableExists)
	}
	s.tableID++
	t := &table{info: kv.Table{ID: s.tableID, Name: name, Partitioning: p}, rows: make(map[string][]version)}
	s.tables[name] = t
	s.byID[t.info.ID] = t
	return t.info, nil
}

// OpenTable implements kv.Store.
func (s *Store) OpenTable(ctx context.Context, name string) (kv.Table, error) {
	if err := ctx.Err(); err != nil {
		return kv.Table{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return kv.Table{}, kv.ErrClosed
	}
	t, ok := s.tables[name]
	if !ok {
		return kv.Table{}, fmt.Errorf("memkv: open table %q: %w", name, kv.ErrTableNotFound)
	}
	return t.info, nil
}

// DropTable implements kv.Store.
func (s *Store) DropTable(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return kv.ErrClosed
	}
	t, ok := s.tables[name]
	if !ok {
		return fmt.Errorf("memkv: drop table %q: %w", name, kv.ErrTableNotFound)
	}
	delete(s.tables, name)
	delete(s.byID, t.info.ID)
	return nil
}

// ListTables implements kv.Store.
func (s *Store) ListTables(ctx context.Context) ([]kv.Table, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, kv.ErrClosed
	}
	out := make([]kv.Table, 0, len(s.tables))
	for _, t := range s.tables {
		out = append(out, t.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Capabilities implements kv.Store.
func (s *Store) Capabilities() kv.Capabilities {
	return kv.Capabilities{
		Isolation:      s.opts.Isolation,
		MaxTxnOps:      s.opts.MaxTxnOps,
		MaxTxnBytes:    s.opts.MaxTxnBytes,
		ReverseScan:    true,
		NativeMultiGet: true,
	}
}

// Close implements kv.Store.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// Begin implements kv.Store.
func (s *Store) Begin(ctx context.Context, opts kv.TxOptions) (kv.Txn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, kv.ErrClosed
	}
	iso := s.opts.Isolation
	if opts.Isolation == kv.Snapshot {
		iso = kv.Snapshot
	}
	t := &txn{
		s:        s,
		ctx:      ctx,
		readOnly: opts.ReadOnly,
		iso:      iso,
		start:    s.ts,
		writes:   make(map[uint64]map[string]*write),
		reads:    make(map[uint64]map[string]struct{}),
		ranges:   make(map[uint64][]keyRange),
		locks:    make(map[uint64]map[string]struct{}),
	}
	s.active[t] = struct{}{}
	return t, nil
}

// minActive returns the oldest snapshot still in use. Caller holds mu.
func (s *Store) minActive() uint64 {
	m := s.ts
	for t := range s.active {
		if t.start < m {
			m = t.start
		}
	}
	return m
}

// visible returns the value of key at snapshot ts. Caller holds mu.
func (t *table) visible(key string, ts uint64) ([]byte, bool) {
	vs := t.rows[key]
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].ts <= ts {
			if vs[i].del {
				return nil, false
			}
			return vs[i].val, true
		}
	}
	return nil, false
}

// latest returns the version of the newest write to key, 0 if none.
func (t *table) latest(key string) uint64 {
	vs := t.rows[key]
	if len(vs) == 0 {
		return 0
	}
	return vs[len(vs)-1].ts
}

// put appends a version, keeping keys sorted. Caller holds mu.
// New keys are collected in *fresh; the caller merges them with addKeys.
func (t *table) put(key string, v version, horizon uint64, fresh *[]string) {
	vs, ok := t.rows[key]
	if !ok {
		*fresh = append(*fresh, key)
	}
	vs = append(vs, v)
	// Drop versions no snapshot can see: keep the newest one at or below
	// the horizon and everything after it.
	keep := 0
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].ts <= horizon {
			keep = i
			break
		}
	}
	if keep > 0 {
		vs = append([]version(nil), vs[keep:]...)
	}
	t.rows[key] = vs
}

// lowerBound returns the index of the first key >= k (k nil: 0).
func (t *table) lowerBound(k []byte) int {
	if k == nil {
		return 0
	}
	return sort.SearchStrings(t.keys, string(k))
}

type write struct {
	val []byte
	del bool
}

type keyRange struct{ start, end []byte } // end nil = +inf

func (r keyRange) contains(k string) bool {
	if r.start != nil && k < string(r.start) {
		return false
	}
	return r.end == nil || k < string(r.end)
}

// addKeys merges new keys into the sorted key list in one pass.
func (t *table) addKeys(fresh []string) {
	if len(fresh) == 0 {
		return
	}
	sort.Strings(fresh)
	merged := make([]string, 0, len(t.keys)+len(fresh))
	i, j := 0, 0
	for i < len(t.keys) || j < len(fresh) {
		if j == len(fresh) || (i < len(t.keys) && t.keys[i] < fresh[j]) {
			merged = append(merged, t.keys[i])
			i++
		} else {
			merged = append(merged, fresh[j])
			j++
		}
	}
	t.keys = merged
}
