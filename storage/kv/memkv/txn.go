package memkv

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

type txn struct {
	s        *Store
	ctx      context.Context
	readOnly bool
	iso      kv.Isolation
	start    uint64
	commitTs uint64
	done     bool

	writes map[uint64]map[string]*write
	reads  map[uint64]map[string]struct{}
	ranges map[uint64][]keyRange
	locks  map[uint64]map[string]struct{}
	nops   int
	nbytes int
}

var (
	_ kv.Txn           = (*txn)(nil)
	_ kv.RangeCounter  = (*txn)(nil)
	_ kv.UnsafeVisitor = (*txn)(nil)
)

// check validates the transaction state and the table. Caller holds mu
// (read or write).
func (t *txn) check(tb kv.Table) (*table, error) {
	if t.done {
		return nil, kv.ErrTxnDone
	}
	if err := t.ctx.Err(); err != nil {
		return nil, err
	}
	if t.s.closed {
		return nil, kv.ErrClosed
	}
	tab, ok := t.s.byID[tb.ID]
	if !ok {
		return nil, fmt.Errorf("memkv: table %q (id %d): %w", tb.Name, tb.ID, kv.ErrTableNotFound)
	}
	return tab, nil
}

func (t *txn) noteRead(id uint64, key string) {
	if t.iso != kv.Serializable || t.readOnly {
		return
	}
	m := t.reads[id]
	if m == nil {
		m = make(map[string]struct{})
		t.reads[id] = m
	}
	m[key] = struct{}{}
}

func (t *txn) get(tab *table, key []byte) ([]byte, bool) {
	if w, ok := t.writes[tab.info.ID][string(key)]; ok {
		if w.del {
			return nil, false
		}
		return append([]byte{}, w.val...), true
	}
	t.noteRead(tab.info.ID, string(key))
	v, ok := tab.visible(string(key), t.start)
	if !ok {
		return nil, false
	}
	return append([]byte{}, v...), true
}

// Get implements kv.Txn.
func (t *txn) Get(tb kv.Table, key []byte) ([]byte, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	tab, err := t.check(tb)
	if err != nil {
		return nil, err
	}
	v, ok := t.get(tab, key)
	if !ok {
		return nil, kv.ErrKeyNotFound
	}
	return v, nil
}

// MultiGet implements kv.Txn.
func (t *txn) MultiGet(tb kv.Table, keys [][]byte) ([][]byte, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	tab, err := t.check(tb)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		if v, ok := t.get(tab, k); ok {
			out[i] = v
		}
	}
	return out, nil
}

func (t *txn) writable(tb kv.Table, key []byte) (*table, error) {
	tab, err := t.check(tb)
	if err != nil {
		return nil, err
	}
	if t.readOnly {
		return nil, kv.ErrReadOnly
	}
	if len(key) == 0 {
		return nil, fmt.Errorf("memkv: table %q: empty key: %w", tb.Name, kv.ErrInvalidKey)
	}
	return tab, nil
}

func (t *txn) put(tab *table, key []byte, w *write) error {
	m := t.writes[tab.info.ID]
	if m == nil {
		m = make(map[string]*write)
		t.writes[tab.info.ID] = m
	}
	old, existed := m[string(key)]
	ops, size := t.nops, t.nbytes
	if existed {
		size -= len(old.val)
	} else {
		ops++
		size += len(key)
	}
	size += len(w.val)
	if t.s.opts.MaxTxnOps > 0 && ops > t.s.opts.MaxTxnOps {
		return fmt.Errorf("memkv: %d writes exceed the limit of %d: %w", ops, t.s.opts.MaxTxnOps, kv.ErrTooLarge)
	}
	if t.s.opts.MaxTxnBytes > 0 && size > t.s.opts.MaxTxnBytes {
		return fmt.Errorf("memkv: %d bytes written exceed the limit of %d: %w", size, t.s.opts.MaxTxnBytes, kv.ErrTooLarge)
	}
	t.nops, t.nbytes = ops, size
	m[string(key)] = w
	return nil
}

// Set implements kv.Txn.
func (t *txn) Set(tb kv.Table, key, value []byte) error {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	tab, err := t.writable(tb, key)
	if err != nil {
		return err
	}
	return t.put(tab, key, &write{val: append([]byte{}, value...)})
}

// Delete implements kv.Txn.
func (t *txn) Delete(tb kv.Table, key []byte) error {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	tab, err := t.writable(tb, key)
	if err != nil {
		return err
	}
	return t.put(tab, key, &write{del: true})
}

// LockKeys implements kv.Txn: locked keys conflict with concurrent writers
// and lockers at commit.
func (t *txn) LockKeys(tb kv.Table, keys ...[]byte) error {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	for _, k := range keys {
		tab, err := t.writable(tb, k)
		if err != nil {
			return err
		}
		m := t.locks[tab.info.ID]
		if m == nil {
			m = make(map[string]struct{})
			t.locks[tab.info.ID] = m
		}
		m[string(k)] = struct{}{}
	}
	return nil
}

// Scan implements kv.Txn.
func (t *txn) Scan(tb kv.Table, start, end []byte, opts kv.ScanOptions) (kv.Page, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	tab, err := t.check(tb)
	if err != nil {
		return kv.Page{}, err
	}
	if tab.info.Partitioning != kv.Range {
		return kv.Page{}, fmt.Errorf("memkv: scan of hash table %q: %w", tb.Name, kv.ErrUnsupported)
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = t.s.opts.PageSize
	}
	lo, hi := start, end
	if opts.Cursor != nil {
		if opts.Reverse {
			hi = opts.Cursor
		} else {
			lo = append(append([]byte{}, opts.Cursor...), 0)
		}
	}
	if lo != nil && hi != nil && bytes.Compare(lo, hi) >= 0 {
		return kv.Page{}, nil
	}
	in := func(k string) bool { return keyRange{lo, hi}.contains(k) }

	// The transaction's own writes in range, sorted in walk order.
	var local []string
	for k := range t.writes[tab.info.ID] {
		if in(k) {
			local = append(local, k)
		}
	}
	sort.Strings(local)
	if opts.Reverse {
		for i, j := 0, len(local)-1; i < j; i, j = i+1, j-1 {
			local[i], local[j] = local[j], local[i]
		}
	}

	var page kv.Page
	emit := func(k string, v []byte) {
		page.Keys = append(page.Keys, []byte(k))
		if !opts.KeysOnly {
			page.Values = append(page.Values, append([]byte{}, v...))
		}
	}
	// Walk committed keys and local writes together.
	first, last := tab.lowerBound(lo), len(tab.keys)
	if hi != nil {
		last = tab.lowerBound(hi)
	}
	ci, step := first, 1
	if opts.Reverse {
		ci, step = last-1, -1
	}
	li := 0
	before := func(a, b string) bool {
		if opts.Reverse {
			return a > b
		}
		return a < b
	}
	for len(page.Keys) < limit {
		haveC := ci >= first && ci < last
		haveL := li < len(local)
		if !haveC && !haveL {
			break
		}
		var k string
		switch {
		case haveC && haveL && local[li] == tab.keys[ci]:
			k = local[li]
			li++
			ci += step
		case haveL && (!haveC || before(local[li], tab.keys[ci])):
			k = local[li]
			li++
		default:
			k = tab.keys[ci]
			ci += step
		}
		if w, ok := t.writes[tab.info.ID][k]; ok {
			if !w.del {
				emit(k, w.val)
			}
			continue
		}
		if v, ok := tab.visible(k, t.start); ok {
			emit(k, v)
		}
	}
	more := (ci >= first && ci < last) || li < len(local)
	// Record what was read, for phantom detection.
	rng := keyRange{lo, hi}
	if more && len(page.Keys) > 0 {
		lk := page.Keys[len(page.Keys)-1]
		if opts.Reverse {
			rng.start = lk
		} else {
			rng.end = append(append([]byte{}, lk...), 0)
		}
		page.Cursor = append([]byte{}, lk...)
	}
	if t.iso == kv.Serializable && !t.readOnly {
		t.ranges[tab.info.ID] = append(t.ranges[tab.info.ID], keyRange{cp(rng.start), cp(rng.end)})
	}
	return page, nil
}

func cp(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

// CountRange implements kv.RangeCounter.
func (t *txn) CountRange(tb kv.Table, start, end []byte, limit int64) (int64, error) {
	var n int64
	opts := kv.ScanOptions{KeysOnly: true, Limit: 1024}
	for {
		p, err := t.Scan(tb, start, end, opts)
		if err != nil {
			return 0, err
		}
		n += int64(len(p.Keys))
		if limit > 0 && n >= limit {
			return limit, nil
		}
		if p.Cursor == nil {
			return n, nil
		}
		opts.Cursor = p.Cursor
	}
}

// UnsafeVisit implements kv.UnsafeVisitor. memkv pages are fresh copies,
// so the borrowed slices happen to stay valid; callers must not rely on it.
func (t *txn) UnsafeVisit(tb kv.Table, start, end []byte, opts kv.ScanOptions, fn func(key, value []byte) bool) error {
	if opts.Cursor != nil {
		return fmt.Errorf("memkv: UnsafeVisit with a cursor: %w", kv.ErrUnsupported)
	}
	for {
		p, err := t.Scan(tb, start, end, opts)
		if err != nil {
			return err
		}
		for i, k := range p.Keys {
			var v []byte
			if p.Values != nil {
				v = p.Values[i]
			}
			if !fn(k, v) {
				return nil
			}
		}
		if p.Cursor == nil {
			return nil
		}
		opts.Cursor = p.Cursor
	}
}

// Commit implements kv.Txn.
func (t *txn) Commit() error {
	s := t.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.done {
		return kv.ErrTxnDone
	}
	defer t.finish()
	if err := t.ctx.Err(); err != nil {
		return err
	}
	if s.closed {
		return kv.ErrClosed
	}
	if len(t.writes) == 0 && len(t.locks) == 0 {
		return nil
	}
	for id, m := range t.writes {
		tab, ok := s.byID[id]
		if !ok {
			return fmt.Errorf("memkv: commit: a table written by the transaction was dropped: %w", kv.ErrTableNotFound)
		}
		for k := range m {
			if tab.latest(k) > t.start {
				return fmt.Errorf("memkv: commit: key %q of table %q was written concurrently: %w", k, tab.info.Name, kv.ErrConflict)
			}
		}
	}
	for id, m := range t.locks {
		if tab, ok := s.byID[id]; ok {
			for k := range m {
				if tab.latest(k) > t.start {
					return fmt.Errorf("memkv: commit: locked key %q of table %q was written concurrently: %w", k, tab.info.Name, kv.ErrConflict)
				}
			}
		}
	}
	if t.iso == kv.Serializable {
		for id, m := range t.reads {
			tab, ok := s.byID[id]
			if !ok {
				continue
			}
			for k := range m {
				if tab.latest(k) > t.start {
					return fmt.Errorf("memkv: commit: key %q of table %q read by the transaction was written concurrently: %w", k, tab.info.Name, kv.ErrConflict)
				}
			}
		}
		for id, rs := range t.ranges {
			tab, ok := s.byID[id]
			if !ok {
				continue
			}
			for _, r := range rs {
				i := tab.lowerBound(r.start)
				for ; i < len(tab.keys) && r.contains(tab.keys[i]); i++ {
					if tab.latest(tab.keys[i]) > t.start {
						return fmt.Errorf("memkv: commit: range scanned in table %q changed concurrently at key %q: %w", tab.info.Name, tab.keys[i], kv.ErrConflict)
					}
				}
			}
		}
	}
	s.ts++
	t.commitTs = s.ts
	delete(s.active, t) // so the horizon below ignores this transaction
	horizon := s.minActive()
	for id, m := range t.writes {
		tab := s.byID[id]
		var fresh []string
		for k, w := range m {
			tab.put(k, version{ts: t.commitTs, val: w.val, del: w.del}, horizon, &fresh)
		}
		if _, locked := t.locks[id]; !locked {
			tab.addKeys(fresh)
			continue
		}
		for k := range t.locks[id] {
			if _, written := m[k]; written {
				continue
			}
			v, ok := tab.visible(k, s.ts)
			tab.put(k, version{ts: t.commitTs, val: v, del: !ok}, horizon, &fresh)
		}
		tab.addKeys(fresh)
	}
	for id, m := range t.locks {
		if _, written := t.writes[id]; written {
			continue
		}
		tab, ok := s.byID[id]
		if !ok {
			continue
		}
		var fresh []string
		for k := range m {
			v, ok := tab.visible(k, s.ts)
			tab.put(k, version{ts: t.commitTs, val: v, del: !ok}, horizon, &fresh)
		}
		tab.addKeys(fresh)
	}
	return nil
}

// finish marks the transaction done. Caller holds mu.
func (t *txn) finish() {
	t.done = true
	delete(t.s.active, t)
	t.writes, t.reads, t.ranges, t.locks = nil, nil, nil, nil
}

// Rollback implements kv.Txn.
func (t *txn) Rollback() error {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if !t.done {
		t.finish()
	}
	return nil
}

// ReadVersion implements kv.Txn.
func (t *txn) ReadVersion() uint64 { return t.start }

// CommitVersion implements kv.Txn.
func (t *txn) CommitVersion() uint64 { return t.commitTs }
