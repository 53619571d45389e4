// Package memkv is an in-memory, multi-version kv.Store used as the
// reference implementation in tests. The server never runs on it.
//
// Transactions read a snapshot taken at Begin and validate at Commit
// (optimistic concurrency): under Serializable, every key read and every
// range scanned must be unchanged since the snapshot, so lost updates,
// write skew and phantoms fail with kv.ErrConflict; under Snapshot only
// write-write conflicts fail. One RWMutex guards the whole store; it is
// correct and race-free, not fast (inserts into a sorted slice).
//
// # Caveats
//
// Deleted keys stay in the sorted key list as tombstones until no open
// snapshot can see them, so scans over heavily deleted ranges walk them.
// Options.MaxTxnOps and MaxTxnBytes emulate limited stores (etcd) for
// tests of callers that split their work.
package memkv
