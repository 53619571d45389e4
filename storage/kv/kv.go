package kv

import (
	"context"
	"errors"
)

// Partitioning says how a table's keys are spread over the store.
type Partitioning int

const (
	// Range tables keep keys in byte order; Scan walks them in order and
	// can reverse. Adjacency, label and index tables are range tables.
	Range Partitioning = iota
	// Hash tables spread keys by hash: point reads and writes only (Scan
	// returns ErrUnsupported). Cheaper for id → row lookups on stores that
	// shard.
	Hash
)

func (p Partitioning) String() string {
	switch p {
	case Range:
		return "range"
	case Hash:
		return "hash"
	}
	return "unknown"
}

// Table is a handle on one named table. Handles are plain values, valid
// until the table is dropped or the store is closed.
type Table struct {
	// ID is the store's own number for the table.
	ID uint64
	// Name is the name the table was created with.
	Name string
	// Partitioning is fixed at creation.
	Partitioning Partitioning
}

// Isolation is the isolation level a store gives, or a transaction asks for.
type Isolation int

const (
	// Serializable: lost updates, write skew and phantoms in scanned ranges
	// make Commit fail with ErrConflict.
	Serializable Isolation = iota
	// Snapshot: reads see the snapshot at ReadVersion; only write-write
	// conflicts fail.
	Snapshot
)

func (i Isolation) String() string {
	if i == Snapshot {
		return "snapshot"
	}
	return "serializable"
}

// TxOptions select how a KV transaction runs.
type TxOptions struct {
	// ReadOnly transactions reject Set, Delete and LockKeys with
	// ErrReadOnly.
	ReadOnly bool
	// Isolation asks for a level; a store may give a stronger one.
	Isolation Isolation
}

// Capabilities describe what a store can do; callers split work and pick
// strategies from them.
type Capabilities struct {
	// Isolation is the strongest level the store offers.
	Isolation Isolation
	// MaxTxnOps is the most writes (Set + Delete) one transaction may hold;
	// 0 means unlimited. etcd caps this (--max-txn-ops).
	MaxTxnOps int
	// MaxTxnBytes is the most key+value bytes written by one transaction;
	// 0 means unlimited. TiKV's txn-total-size-limit, etcd's request size.
	MaxTxnBytes int
	// ReverseScan reports whether Scan honours ScanOptions.Reverse.
	ReverseScan bool
	// NativeMultiGet reports whether MultiGet is one round trip rather than
	// a loop of Gets.
	NativeMultiGet bool
	// Distributed reports whether the store spans machines (round trips
	// cost milliseconds, so callers should batch harder).
	Distributed bool
}

// Store is a transactional key-value store made of named tables.
// Table operations (create, drop, list) are not transactional: they take
// effect at once and should not race with transactions using the table.
// A Store is safe for concurrent use.
type Store interface {
	// CreateTable creates a table; ErrTableExists if the name is taken.
	CreateTable(ctx context.Context, name string, p Partitioning) (Table, error)
	// OpenTable returns the handle of an existing table; ErrTableNotFound
	// otherwise.
	OpenTable(ctx context.Context, name string) (Table, error)
	// DropTable removes a table and all its keys; ErrTableNotFound if
	// missing.
	DropTable(ctx context.Context, name string) error
	// ListTables returns every table, sorted by name.
	ListTables(ctx context.Context) ([]Table, error)
	// Begin starts a transaction. The context bounds the whole
	// transaction: once it is done, operations fail with its error.
	Begin(ctx context.Context, opts TxOptions) (Txn, error)
	// Capabilities describes the store.
	Capabilities() Capabilities
	// Close releases the store. Open transactions fail afterwards.
	Close() error
}

// ScanOptions shape one Scan call.
type ScanOptions struct {
	// Limit is the most pairs in the page; 0 means the store's default
	// page size (at least 1).
	Limit int
	// Reverse walks from end down to start (ErrUnsupported unless
	// Capabilities.ReverseScan).
	Reverse bool
	// KeysOnly leaves Page.Values nil: for counting and id-only walks.
	KeysOnly bool
	// Cursor continues a previous scan over the same [start, end) and
	// direction; nil starts at the beginning.
	Cursor []byte
}

// Page is one page of a Scan.
type Page struct {
	// Keys and Values are parallel; Values is nil with KeysOnly.
	Keys   [][]byte
	Values [][]byte
	// Cursor is nil when the range is exhausted; otherwise pass it in
	// ScanOptions.Cursor to get the next page. It is opaque to callers.
	Cursor []byte
}

// Txn is one KV transaction with read-your-writes: Get, MultiGet and Scan
// see the transaction's own Sets and Deletes. A Txn is not safe for
// concurrent use. After Commit or Rollback every method but ReadVersion and
// CommitVersion fails with ErrTxnDone.
//
// Byte slices passed in may be reused by the caller after the call returns
// (the store copies what it keeps). Byte slices returned belong to the
// caller and stay valid forever.
type Txn interface {
	// Get returns the value of key, or ErrKeyNotFound.
	Get(t Table, key []byte) ([]byte, error)
	// MultiGet returns the values of keys in order; a missing key gives a
	// nil entry and a present key a non-nil one (an empty value is
	// []byte{}).
	MultiGet(t Table, keys [][]byte) ([][]byte, error)
	// Set writes key = value. An empty key is ErrInvalidKey.
	Set(t Table, key, value []byte) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(t Table, key []byte) error
	// Scan returns one page of the pairs with start <= key < end, in key
	// order (or reverse order). A nil start means the table's first key, a
	// nil end the position after its last key. Serializable stores track
	// the scanned range for phantom detection.
	Scan(t Table, start, end []byte, opts ScanOptions) (Page, error)
	// LockKeys takes write intent on keys so that a concurrent transaction
	// touching them conflicts even when this one only reads them (unique
	// index checks). A no-op on stores that are already serializable.
	LockKeys(t Table, keys ...[]byte) error
	// Commit makes the writes durable and visible. ErrConflict and
	// ErrTxTooOld mean retry from the start; ErrCommitUnknown means the
	// outcome is unknown.
	Commit() error
	// Rollback discards the writes. Rolling back a finished transaction
	// is a no-op.
	Rollback() error
	// ReadVersion is the version of the snapshot reads observe.
	ReadVersion() uint64
	// CommitVersion is the version the commit was assigned; 0 before a
	// successful Commit and for read-only commits.
	CommitVersion() uint64
}

// RangeCounter is an optional Txn capability: count the keys in
// [start, end) without shipping them, stopping at limit when limit > 0.
// Callers find it by type assertion and fall back to KeysOnly scans.
type RangeCounter interface {
	CountRange(t Table, start, end []byte, limit int64) (int64, error)
}

// KeyRange is the key range [Start, End) of MultiRangeCounter; a nil End is
// the position after the table's last key.
type KeyRange struct {
	Start, End []byte
}

// MultiRangeCounter is an optional Txn capability: count the keys of many
// ranges of one table in one store round trip (counts[i] for ranges[i]),
// with the transaction's own writes. Reads are tracked as for Scan of each
// whole range. Callers find it by type assertion and fall back to
// RangeCounter or KeysOnly scans.
type MultiRangeCounter interface {
	CountRanges(t Table, ranges []KeyRange) ([]int64, error)
}

// UnsafeVisitor is an optional Txn capability: walk the pairs of
// [start, end) in order, page by page, without copying them out of the
// store's page buffers. Callers find it by type assertion and fall back to
// Scan.
//
// UnsafeVisit calls fn for each pair until fn returns false or the range
// ends. opts.Limit is the page size per store round trip (0: the store's
// default); opts.Reverse and opts.KeysOnly are as for Scan (with KeysOnly
// value is nil); opts.Cursor must be nil. Reads are tracked as with Scan
// (the range up to where the walk stopped).
//
// Ownership: key and value are borrowed from the store. They are valid
// only until fn returns and must not be modified or retained; copy what
// must outlive the call. fn must not call other methods of the Txn.
type UnsafeVisitor interface {
	UnsafeVisit(t Table, start, end []byte, opts ScanOptions, fn func(key, value []byte) bool) error
}

// Errors. Stores wrap them with context; test with errors.Is.
var (
	// ErrConflict: a concurrent transaction won; retry.
	ErrConflict = errors.New("kv: transaction conflict")
	// ErrTxTooOld: the snapshot is no longer available; retry.
	ErrTxTooOld = errors.New("kv: transaction too old")
	// ErrTooLarge: the transaction exceeds the store's op or byte limits.
	ErrTooLarge = errors.New("kv: transaction too large")
	// ErrNoSpace: the store is out of space.
	ErrNoSpace = errors.New("kv: no space left")
	// ErrUnavailable: the store cannot serve now; retry later.
	ErrUnavailable = errors.New("kv: store unavailable")
	// ErrCommitUnknown: the commit may or may not have happened.
	ErrCommitUnknown = errors.New("kv: commit outcome unknown")
	// ErrKeyNotFound: Get of a missing key.
	ErrKeyNotFound = errors.New("kv: key not found")
	// ErrTableNotFound: no table of that name or handle.
	ErrTableNotFound = errors.New("kv: table not found")
	// ErrTableExists: CreateTable of a name already taken.
	ErrTableExists = errors.New("kv: table already exists")
	// ErrReadOnly: a write in a read-only transaction.
	ErrReadOnly = errors.New("kv: read-only transaction")
	// ErrTxnDone: use of a committed or rolled-back transaction.
	ErrTxnDone = errors.New("kv: transaction already finished")
	// ErrInvalidKey: an empty key, or a key or value over the store's size
	// limit.
	ErrInvalidKey = errors.New("kv: invalid key")
	// ErrUnsupported: an operation the store or table kind does not offer
	// (Scan on a hash table, reverse scan without ReverseScan).
	ErrUnsupported = errors.New("kv: unsupported operation")
	// ErrClosed: the store is closed.
	ErrClosed = errors.New("kv: store closed")
)

// Retryable reports whether err means the whole transaction should be
// retried from the start.
func Retryable(err error) bool {
	return errors.Is(err, ErrConflict) || errors.Is(err, ErrTxTooOld) || errors.Is(err, ErrUnavailable)
}

// PrefixEnd returns the smallest key greater than every key with the given
// prefix, or nil (end of table) when the prefix is all 0xff bytes.
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] != 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
