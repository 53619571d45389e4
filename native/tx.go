package native

import (
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
)

// Isolation is a transaction's isolation level.
type Isolation int

const (
	// Serializable (the default) validates reads, absent keys and scanned
	// ranges at commit: lost updates, write skew and phantoms fail with
	// ErrConflict.
	Serializable Isolation = 0
	// SnapshotIsolation validates only write-write conflicts; meant for long
	// read-only traversals.
	SnapshotIsolation Isolation = 1
)

// TxOptions configure Begin. The zero value is a serializable read-write
// transaction.
type TxOptions struct {
	Isolation Isolation
	// ReadOnly rejects writes (ErrReadOnly) and skips read tracking.
	ReadOnly bool
}

// Limits on keys and values.
const (
	MaxKeySize   = 1<<16 - 1
	MaxValueSize = 1 << 30
)

// flushBytes is the buffered-write size at which Set/Delete push the batch
// into the engine early, bounding Go-side memory.
const flushBytes = 1 << 20

// Tx is a transaction. It reads a snapshot taken at Begin plus its own
// writes. Writes are buffered in Go and cross into the engine in one call at
// Commit, or together with the next read that needs them. A Tx must be ended
// with Commit or Rollback. Its methods are safe for concurrent use, but they
// serialize.
type Tx struct {
	db       *DB
	mu       sync.Mutex
	c        ctx
	done     bool
	readOnly bool
	snap     uint64
	commitTS uint64
	batch    []byte // encoded pending writes
	lastLen  int    // size hint for the next Get
	keysBuf  []byte
}

// Begin starts a transaction.
func (db *DB) Begin(opts TxOptions) (*Tx, error) {
	if opts.Isolation != Serializable && opts.Isolation != SnapshotIsolation {
		return nil, fmt.Errorf("%w: isolation %d (want Serializable or SnapshotIsolation)", ErrInvalidArgument, int(opts.Isolation))
	}
	if err := db.enter(); err != nil {
		return nil, err
	}
	c, snap := cBegin(db.c, opts.Isolation, opts.ReadOnly)
	db.mu.RUnlock()
	return &Tx{db: db, c: c, readOnly: opts.ReadOnly, snap: snap, lastLen: 64}, nil
}

// SnapshotTS is the commit timestamp the transaction reads at.
func (tx *Tx) SnapshotTS() uint64 { return tx.snap }

// CommitTS is the transaction's commit timestamp after a successful Commit
// (its snapshot timestamp if it wrote nothing), else 0.
func (tx *Tx) CommitTS() uint64 {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	return tx.commitTS
}

// enter locks tx and db; on success the caller must call tx.leave.
func (tx *Tx) enter() error {
	tx.mu.Lock()
	if tx.done {
		tx.mu.Unlock()
		return ErrTxDone
	}
	if err := tx.db.enter(); err != nil {
		tx.mu.Unlock()
		return err
	}
	return nil
}

func (tx *Tx) leave() {
	tx.db.mu.RUnlock()
	tx.mu.Unlock()
}

func checkKey(key []byte) error {
	if len(key) == 0 {
		return fmt.Errorf("%w: empty key", ErrInvalidArgument)
	}
	if len(key) > MaxKeySize {
		return fmt.Errorf("%w: key of %d bytes exceeds %d", ErrInvalidArgument, len(key), MaxKeySize)
	}
	return nil
}

// Get returns a copy of the value of key, or ErrKeyNotFound. It allocates
// the result; GetAppend reads into a buffer the caller supplies.
func (tx *Tx) Get(table TableID, key []byte) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := tx.enter(); err != nil {
		return nil, err
	}
	defer tx.leave()
	batch := tx.batch
	tx.batch = tx.batch[:0]
	v, err := getAppend(nil, tx.c, batch, table, key, make([]byte, 0, max(tx.lastLen, 16)))
	if err != nil {
		return nil, err
	}
	if len(v) > 0 {
		tx.lastLen = len(v)
	}
	return v[:len(v):len(v)], nil
}

// GetAppend appends the value of key to dst and returns the extended slice,
// or dst unchanged and ErrKeyNotFound (or another error). It reads straight
// into dst's spare capacity and allocates only when that is too small for
// the value (then the result is a new, larger buffer holding dst's bytes
// too, like append), so a caller that reuses one buffer
// (buf, err = tx.GetAppend(buf[:0], table, key)) reads without allocating.
// The result is memory the caller owns: the engine never keeps dst.
func (tx *Tx) GetAppend(dst []byte, table TableID, key []byte) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return dst, err
	}
	if err := tx.enter(); err != nil {
		return dst, err
	}
	batch := tx.batch
	tx.batch = tx.batch[:0]
	v, err := getAppend(nil, tx.c, batch, table, key, dst)
	tx.leave()
	return v, err
}

// getAppend reads key's value into dst's spare capacity (one engine call
// when it fits, a second one into a grown buffer when it does not) and
// returns dst extended by the value. Exactly one of h, t is set.
func getAppend(h cdb, t ctx, batch []byte, table TableID, key []byte, dst []byte) ([]byte, error) {
	out := dst
	for {
		n, code, msg := cGet(h, t, batch, table, key, out[len(out):cap(out)])
		batch = nil
		switch code {
		case codeOK:
			return out[:len(out)+n], nil
		case codeBufferTooSmall:
			grown := make([]byte, len(dst), len(dst)+n)
			copy(grown, dst)
			out = grown
		case codeKeyNotFound:
			return dst, ErrKeyNotFound
		default:
			return dst, codeError(code, msg)
		}
	}
}

func encodeKeys(keys [][]byte) ([]byte, error) {
	n := 0
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return nil, err
		}
		n += 4 + len(k)
	}
	enc := make([]byte, 0, n)
	for _, k := range keys {
		enc = binary.LittleEndian.AppendUint32(enc, uint32(len(k)))
		enc = append(enc, k...)
	}
	return enc, nil
}

// MultiGet reads several keys in one engine call. result[i] is a copy of the
// value of keys[i], or nil when the key is absent.
func (tx *Tx) MultiGet(table TableID, keys [][]byte) ([][]byte, error) {
	enc, err := encodeKeys(keys)
	if err != nil {
		return nil, err
	}
	if err := tx.enter(); err != nil {
		return nil, err
	}
	defer tx.leave()
	batch := tx.batch
	tx.batch = tx.batch[:0]
	return multiGet(nil, tx.c, batch, table, enc, len(keys), &tx.db.mgHint)
}

// multiGet reads the encoded keys in one engine call. The results are
// written into a buffer sized from hint (bytes per key seen by earlier
// calls, updated here); the engine returns them in a buffer of its own when
// they do not fit, so a wrong guess costs a copy, never a second lookup.
func multiGet(h cdb, t ctx, batch []byte, table TableID, enc []byte, nkeys int, hint *atomic.Int64) ([][]byte, error) {
	per := hint.Load()
	if per <= 0 {
		per = 5 + 64
	}
	b, code, msg := cMultiGet(h, t, batch, table, enc, make([]byte, nkeys*int(per)+16))
	if code != codeOK {
		return nil, codeError(code, msg)
	}
	if nkeys > 0 {
		hint.Store(int64(len(b)/nkeys + 1))
	}
	res := make([][]byte, nkeys)
	for i := 0; i < nkeys; i++ {
		if len(b) < 1 {
			return nil, fmt.Errorf("%w: short multi-get result", ErrInternal)
		}
		if b[0] == 0 {
			b = b[1:]
			continue
		}
		vl := int(binary.LittleEndian.Uint32(b[1:]))
		res[i] = b[5 : 5+vl : 5+vl]
		b = b[5+vl:]
	}
	return res, nil
}

// Set buffers a write of key=value. The table must exist.
func (tx *Tx) Set(table TableID, key, value []byte) error {
	return tx.write(OpSet, table, key, value)
}

// Delete buffers a deletion of key (deleting an absent key is not an error).
func (tx *Tx) Delete(table TableID, key []byte) error {
	return tx.write(OpDelete, table, key, nil)
}

// OpKind is the kind of a BatchOp.
type OpKind uint8

// Op kinds; the values mirror KVT_OP_* in kvt.h.
const (
	OpSet    OpKind = 1
	OpDelete OpKind = 2
	OpGet    OpKind = 3
)

func appendOp(b []byte, op OpKind, table TableID, key, value []byte) []byte {
	b = append(b, byte(op))
	b = binary.LittleEndian.AppendUint32(b, uint32(table))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(key)))
	b = append(b, key...)
	if op == OpSet {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(value)))
		b = append(b, value...)
	}
	return b
}

func (tx *Tx) write(op OpKind, table TableID, key, value []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if len(value) > MaxValueSize {
		return fmt.Errorf("%w: value of %d bytes exceeds %d", ErrInvalidArgument, len(value), MaxValueSize)
	}
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.done {
		return ErrTxDone
	}
	if tx.readOnly {
		return ErrReadOnly
	}
	if err := tx.db.checkTable(table); err != nil {
		return err
	}
	if tx.batch == nil {
		tx.batch = make([]byte, 0, max(256, 2*(13+len(key)+len(value))))
	}
	tx.batch = appendOp(tx.batch, op, table, key, value)
	if len(tx.batch) >= flushBytes {
		if err := tx.db.enter(); err != nil {
			return err
		}
		code, msg := cTxApply(tx.c, tx.batch)
		tx.db.mu.RUnlock()
		tx.batch = tx.batch[:0]
		if code != codeOK {
			return codeError(code, msg)
		}
	}
	return nil
}

// BatchOp is one operation of Tx.Batch.
type BatchOp struct {
	Kind  OpKind
	Table TableID
	Key   []byte
	Value []byte // OpSet only
}

// BatchResult is the outcome of one BatchOp: for OpGet, Found and a copy of
// the value; for OpSet and OpDelete, Found is true.
type BatchResult struct {
	Found bool
	Value []byte
}

// Batch executes mixed gets, sets and deletes in order, in one engine call.
// Gets see the batch's earlier writes.
func (tx *Tx) Batch(ops []BatchOp) ([]BatchResult, error) {
	var enc []byte
	for i, op := range ops {
		if err := checkKey(op.Key); err != nil {
			return nil, fmt.Errorf("batch op %d: %w", i, err)
		}
		switch op.Kind {
		case OpSet, OpDelete:
			if tx.readOnly {
				return nil, fmt.Errorf("batch op %d: %w", i, ErrReadOnly)
			}
			if len(op.Value) > MaxValueSize {
				return nil, fmt.Errorf("batch op %d: %w: value too large", i, ErrInvalidArgument)
			}
		case OpGet:
		default:
			return nil, fmt.Errorf("batch op %d: %w: unknown op kind %d", i, ErrInvalidArgument, op.Kind)
		}
		enc = appendOp(enc, op.Kind, op.Table, op.Key, op.Value)
	}
	if err := tx.enter(); err != nil {
		return nil, err
	}
	defer tx.leave()
	if len(tx.batch) > 0 {
		code, msg := cTxApply(tx.c, tx.batch)
		tx.batch = tx.batch[:0]
		if code != codeOK {
			return nil, codeError(code, msg)
		}
	}
	out, code, msg := cTxBatch(tx.c, enc)
	if code != codeOK {
		return nil, codeError(code, msg)
	}
	res := make([]BatchResult, len(ops))
	for i := range ops {
		if len(out) < 1 {
			return nil, fmt.Errorf("%w: short batch result", ErrInternal)
		}
		if out[0] == 0 {
			out = out[1:]
			continue
		}
		vl := int(binary.LittleEndian.Uint32(out[1:]))
		res[i].Found = true
		if ops[i].Kind == OpGet {
			res[i].Value = out[5 : 5+vl : 5+vl]
		}
		out = out[5+vl:]
	}
	return res, nil
}

// KeyRange is a key range [Start, End) of CountRanges; an empty End means no
// upper bound.
type KeyRange struct {
	Start, End []byte
}

func encodeRanges(ranges []KeyRange) []byte {
	n := 0
	for _, r := range ranges {
		n += 9 + len(r.Start) + len(r.End)
	}
	enc := make([]byte, 0, n)
	for _, r := range ranges {
		enc = binary.LittleEndian.AppendUint32(enc, uint32(len(r.Start)))
		enc = append(enc, r.Start...)
		if len(r.End) == 0 {
			enc = append(enc, 1)
		} else {
			enc = append(enc, 0)
		}
		enc = binary.LittleEndian.AppendUint32(enc, uint32(len(r.End)))
		enc = append(enc, r.End...)
	}
	return enc
}

// CountRanges counts the keys of a range table in each of ranges, with the
// transaction's own writes, in one engine call: counts[i] is the number of
// keys in ranges[i]. In a serializable transaction each range is a read,
// validated at commit like a scan of the whole range.
func (tx *Tx) CountRanges(table TableID, ranges []KeyRange) ([]int64, error) {
	counts := make([]int64, len(ranges))
	if len(ranges) == 0 {
		return counts, nil
	}
	if err := tx.enter(); err != nil {
		return nil, err
	}
	defer tx.leave()
	batch := tx.batch
	tx.batch = tx.batch[:0]
	// One engine call per countChunk ranges, so that the table latch is
	// released between chunks of a huge list.
	for i := 0; i < len(ranges); i += countChunk {
		j := min(len(ranges), i+countChunk)
		if code, msg := cCountRanges(nil, tx.c, batch, table, encodeRanges(ranges[i:j]), counts[i:j]); code != codeOK {
			return nil, codeError(code, msg)
		}
		batch = nil
	}
	return counts, nil
}

// countChunk is the most ranges CountRanges counts per engine call.
const countChunk = 4096

// Scan returns one page of the range table's keys in [start, end) (end empty:
// no upper bound), in reverse order when opts.Reverse. See Page for paging.
func (tx *Tx) Scan(table TableID, start, end []byte, opts ScanOptions) (*Page, error) {
	if err := tx.enter(); err != nil {
		return nil, err
	}
	defer tx.leave()
	batch := tx.batch
	tx.batch = tx.batch[:0]
	return scanPage(nil, tx.c, batch, table, start, end, opts)
}

// Commit validates and commits the transaction. On ErrConflict or ErrTxTooOld
// nothing was written and the transaction may be retried from the start.
// The transaction is finished whatever the outcome.
func (tx *Tx) Commit() error {
	if err := tx.enter(); err != nil {
		return err
	}
	tx.done = true
	ts, wait, code, msg := cTxCommit(tx.c, tx.batch)
	tx.c = nil
	tx.batch = nil
	tx.leave()
	if code != codeOK {
		return fmt.Errorf("kvt: commit: %w", codeError(code, msg))
	}
	// In SyncAlways mode the commit is acknowledged only once durable. The
	// goroutine parks in Go; one background goroutine waits in C for all.
	if wait {
		if err := tx.db.waitDurable(ts); err != nil {
			return fmt.Errorf("kvt: commit: %w", err)
		}
	}
	tx.mu.Lock()
	tx.commitTS = ts
	tx.mu.Unlock()
	return nil
}

// Rollback discards the transaction. It returns ErrTxDone if the transaction
// was already finished (so `defer tx.Rollback()` is harmless).
func (tx *Tx) Rollback() error {
	if err := tx.enter(); err != nil {
		return err
	}
	defer tx.leave()
	tx.done = true
	cTxRollback(tx.c)
	tx.c = nil
	tx.batch = nil
	return nil
}
