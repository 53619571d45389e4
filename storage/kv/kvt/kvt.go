package kvt

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// Store is a kv.Store over an open KVT database, which it owns.
type Store struct {
	db *native.DB
}

var (
	_ kv.Store             = (*Store)(nil)
	_ kv.Txn               = (*txn)(nil)
	_ kv.RangeCounter      = (*txn)(nil)
	_ kv.MultiRangeCounter = (*txn)(nil)
	_ kv.UnsafeVisitor     = (*txn)(nil)
)

// Open opens KVT in dir (in-memory when dir is "") and wraps it.
func Open(dir string, opts native.Options) (*Store, error) {
	db, err := native.Open(dir, opts)
	if err != nil {
		return nil, mapErr(err)
	}
	return &Store{db: db}, nil
}

// New wraps an open database; Close closes it.
func New(db *native.DB) *Store { return &Store{db: db} }

// DB returns the underlying engine (for checkpoints, stats and tests).
func (s *Store) DB() *native.DB { return s.db }

func toTable(t native.Table) kv.Table {
	p := kv.Range
	if t.Method == native.Hash {
		p = kv.Hash
	}
	return kv.Table{ID: uint64(t.ID), Name: t.Name, Partitioning: p}
}

// CreateTable implements kv.Store.
func (s *Store) CreateTable(ctx context.Context, name string, p kv.Partitioning) (kv.Table, error) {
	method := native.Range
	if p == kv.Hash {
		method = native.Hash
	}
	t, err := s.db.CreateTable(name, method)
	if err != nil {
		return kv.Table{}, mapErr(err)
	}
	return toTable(t), nil
}

// OpenTable implements kv.Store.
func (s *Store) OpenTable(ctx context.Context, name string) (kv.Table, error) {
	t, err := s.db.Table(name)
	if err != nil {
		return kv.Table{}, mapErr(err)
	}
	return toTable(t), nil
}

// DropTable implements kv.Store.
func (s *Store) DropTable(ctx context.Context, name string) error {
	return mapErr(s.db.DropTable(name))
}

// ListTables implements kv.Store.
func (s *Store) ListTables(ctx context.Context) ([]kv.Table, error) {
	ts := s.db.Tables()
	out := make([]kv.Table, len(ts))
	for i, t := range ts {
		out[i] = toTable(t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Begin implements kv.Store.
func (s *Store) Begin(ctx context.Context, opts kv.TxOptions) (kv.Txn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	iso := native.Serializable
	if opts.Isolation == kv.Snapshot {
		iso = native.SnapshotIsolation
	}
	tx, err := s.db.Begin(native.TxOptions{Isolation: iso, ReadOnly: opts.ReadOnly})
	if err != nil {
		return nil, mapErr(err)
	}
	return &txn{ctx: ctx, tx: tx, snapshot: iso == native.SnapshotIsolation, readOnly: opts.ReadOnly}, nil
}

// Capabilities implements kv.Store.
func (s *Store) Capabilities() kv.Capabilities {
	return kv.Capabilities{
		Isolation:      kv.Serializable,
		ReverseScan:    true,
		NativeMultiGet: true,
	}
}

// Close implements kv.Store.
func (s *Store) Close() error { return mapErr(s.db.Close()) }

type txn struct {
	ctx      context.Context
	tx       *native.Tx
	snapshot bool
	readOnly bool
	wrote    bool // a Set, Delete or lock reached the transaction
}

func (t *txn) check() error { return t.ctx.Err() }

func (t *txn) Get(tb kv.Table, key []byte) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	v, err := t.tx.Get(native.TableID(tb.ID), key)
	if err == native.ErrKeyNotFound {
		return nil, errNotFound // an existence check's usual answer: no allocation
	}
	return v, mapErr(err)
}

// errNotFound is mapErr(native.ErrKeyNotFound), made once.
var errNotFound = mapErr(native.ErrKeyNotFound)

func (t *txn) MultiGet(tb kv.Table, keys [][]byte) ([][]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	vs, err := t.tx.MultiGet(native.TableID(tb.ID), keys)
	return vs, mapErr(err)
}

func (t *txn) Set(tb kv.Table, key, value []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := t.tx.Set(native.TableID(tb.ID), key, value); err != nil {
		return mapErr(err)
	}
	t.wrote = true
	return nil
}

func (t *txn) Delete(tb kv.Table, key []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := t.tx.Delete(native.TableID(tb.ID), key); err != nil {
		return mapErr(err)
	}
	t.wrote = true
	return nil
}

// Scan implements kv.Txn: one native page per call, copied into a single
// allocation the caller owns.
func (t *txn) Scan(tb kv.Table, start, end []byte, opts kv.ScanOptions) (kv.Page, error) {
	if err := t.check(); err != nil {
		return kv.Page{}, err
	}
	p, err := t.tx.Scan(native.TableID(tb.ID), start, end, native.ScanOptions{
		Limit: opts.Limit, Reverse: opts.Reverse, Continuation: opts.Cursor,
	})
	if err != nil {
		return kv.Page{}, mapErr(err)
	}
	defer p.Release()
	n := p.Len()
	size := 0
	for i := 0; i < n; i++ {
		size += len(p.UnsafeKey(i))
		if !opts.KeysOnly {
			size += len(p.UnsafeValue(i))
		}
	}
	buf := make([]byte, 0, size)
	page := kv.Page{Keys: make([][]byte, n)}
	if !opts.KeysOnly {
		page.Values = make([][]byte, n)
	}
	for i := 0; i < n; i++ {
		off := len(buf)
		buf = append(buf, p.UnsafeKey(i)...)
		page.Keys[i] = buf[off:len(buf):len(buf)]
		if !opts.KeysOnly {
			off = len(buf)
			buf = append(buf, p.UnsafeValue(i)...)
			page.Values[i] = buf[off:len(buf):len(buf)]
		}
	}
	if p.More() {
		page.Cursor = append([]byte(nil), p.Continuation()...)
	}
	return page, nil
}

// countPage is the page size of CountRange: one engine call per this many
// keys.
const countPage = 4096

// CountRange implements kv.RangeCounter: without a limit, one engine count
// call (nothing copied out); with one, one engine call per page of
// countPage keys, nothing copied out of the page.
func (t *txn) CountRange(tb kv.Table, start, end []byte, limit int64) (int64, error) {
	if err := t.check(); err != nil {
		return 0, err
	}
	if limit <= 0 {
		var one [1]native.KeyRange
		one[0] = native.KeyRange{Start: start, End: end}
		n, err := t.tx.CountRanges(native.TableID(tb.ID), one[:])
		if err != nil {
			return 0, mapErr(err)
		}
		return n[0], nil
	}
	var n int64
	opts := native.ScanOptions{Limit: countPage}
	for {
		if limit > 0 && limit-n < countPage {
			opts.Limit = int(limit - n)
		}
		p, err := t.tx.Scan(native.TableID(tb.ID), start, end, opts)
		if err != nil {
			return 0, mapErr(err)
		}
		n += int64(p.Len())
		more := p.More()
		if more {
			opts.Continuation = p.Continuation()
		}
		p.Release()
		if !more || (limit > 0 && n >= limit) {
			return n, nil
		}
	}
}

// CountRanges implements kv.MultiRangeCounter: one engine call for all
// ranges.
func (t *txn) CountRanges(tb kv.Table, ranges []kv.KeyRange) ([]int64, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	rs := make([]native.KeyRange, len(ranges))
	for i, r := range ranges {
		rs[i] = native.KeyRange{Start: r.Start, End: r.End}
	}
	n, err := t.tx.CountRanges(native.TableID(tb.ID), rs)
	return n, mapErr(err)
}

// UnsafeVisit implements kv.UnsafeVisitor: one engine call per page; key
// and value borrow the native page buffer (native.Page.UnsafeKey), which
// is released when fn returns false or the page is done, so they are valid
// only during fn.
func (t *txn) UnsafeVisit(tb kv.Table, start, end []byte, opts kv.ScanOptions, fn func(key, value []byte) bool) error {
	if err := t.check(); err != nil {
		return err
	}
	if opts.Cursor != nil {
		return fmt.Errorf("kvt: UnsafeVisit with a cursor: %w", kv.ErrUnsupported)
	}
	no := native.ScanOptions{Limit: opts.Limit, Reverse: opts.Reverse}
	for {
		p, err := t.tx.Scan(native.TableID(tb.ID), start, end, no)
		if err != nil {
			return mapErr(err)
		}
		n := p.Len()
		for i := 0; i < n; i++ {
			var v []byte
			if !opts.KeysOnly {
				v = p.UnsafeValue(i)
			}
			if !fn(p.UnsafeKey(i), v) {
				p.Release()
				return nil
			}
		}
		more := p.More()
		if more {
			no.Continuation = p.Continuation()
		}
		p.Release()
		if !more {
			return nil
		}
	}
}

// LockKeys implements kv.Txn. Serializable KVT transactions already
// conflict on everything they read, so only snapshot transactions need
// work: rewriting a present key (or deleting an absent one, which leaves
// it absent) puts it in the write set, so a concurrent writer or locker of
// it conflicts at commit.
func (t *txn) LockKeys(tb kv.Table, keys ...[]byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if t.readOnly {
		return fmt.Errorf("%w: LockKeys in a read-only transaction", kv.ErrReadOnly)
	}
	if !t.snapshot {
		return nil
	}
	t.wrote = true
	vals, err := t.tx.MultiGet(native.TableID(tb.ID), keys)
	if err != nil {
		return mapErr(err)
	}
	for i, v := range vals {
		if v != nil {
			err = t.tx.Set(native.TableID(tb.ID), keys[i], v)
		} else {
			err = t.tx.Delete(native.TableID(tb.ID), keys[i])
		}
		if err != nil {
			return mapErr(err)
		}
	}
	return nil
}

func (t *txn) Commit() error {
	if err := t.check(); err != nil {
		_ = t.tx.Rollback()
		return err
	}
	return mapErr(t.tx.Commit())
}

func (t *txn) Rollback() error {
	err := t.tx.Rollback()
	if errors.Is(err, native.ErrTxDone) {
		return nil
	}
	return mapErr(err)
}

func (t *txn) ReadVersion() uint64 { return t.tx.SnapshotTS() }

// CommitVersion implements kv.Txn: 0 for a transaction that wrote
// nothing, whose commit installs no version.
func (t *txn) CommitVersion() uint64 {
	if !t.wrote {
		return 0
	}
	return t.tx.CommitTS()
}

// mapErr keeps the native error and adds the kv kind callers test for.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	for _, m := range []struct{ from, to error }{
		{native.ErrKeyNotFound, kv.ErrKeyNotFound},
		{native.ErrTableNotFound, kv.ErrTableNotFound},
		{native.ErrTableExists, kv.ErrTableExists},
		{native.ErrConflict, kv.ErrConflict},
		{native.ErrTxTooOld, kv.ErrTxTooOld},
		{native.ErrTxDone, kv.ErrTxnDone},
		{native.ErrReadOnly, kv.ErrReadOnly},
		{native.ErrNotRangeTable, kv.ErrUnsupported},
		{native.ErrInvalidArgument, kv.ErrInvalidKey},
		{native.ErrClosed, kv.ErrClosed},
		{native.ErrFenced, kv.ErrUnavailable},
		{native.ErrIO, kv.ErrCommitUnknown},
	} {
		if errors.Is(err, m.from) {
			return fmt.Errorf("%w: %w", m.to, err)
		}
	}
	return err
}
