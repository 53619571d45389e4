// Package kv is the boundary between the graph storage layer and a
// transactional key-value engine (KVT through storage/kv/kvt; memkv for
// tests). Everything the graph needs from an engine is here: named tables
// that are range- or hash-partitioned, transactions with read-your-writes,
// point and multi-point reads, paged forward and reverse range scans,
// commit versions, and key locks for unique checks.
//
// # Contracts
//
//   - Keys are compared as unsigned bytes. Scan ranges are half-open
//     [start, end); nil bounds mean the ends of the table.
//   - Pages: a Scan returns at most Limit pairs and an opaque Cursor that
//     continues the same range and direction; a nil Cursor means done.
//   - Isolation: a store reports its strongest level in Capabilities. For
//     serializable stores, a transaction that read (by Get, MultiGet or
//     Scan) data a concurrent committed transaction wrote fails to commit
//     with ErrConflict; snapshot stores only catch write-write conflicts.
//   - Limits: Capabilities.MaxTxnOps and MaxTxnBytes (0 = unlimited) are
//     enforced with ErrTooLarge, at the write or at Commit. Bulk loaders
//     split their work by them.
//   - Errors are the sentinels in kv.go, wrapped with context; Retryable
//     tells which ones mean "run the transaction again".
//
// The shape is meant to fit other engines unchanged: TiKV (range-sharded,
// optimistic or pessimistic SI transactions, BatchGet, ordered iterators;
// LockKeys maps to pessimistic locks) and etcd (one Raft group, revisions
// as versions, Txn with compare on mod revisions, capped ops and bytes).
//
// # Caveats
//
// Byte slices passed to a Txn may be reused by the caller when the call
// returns; slices returned by a Txn are the caller's. Table creation and
// drop are not transactional.
package kv
