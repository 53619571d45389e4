// Package native is KVT, kvtgraph's transactional key-value engine: C++17
// sources in this directory (compiled by cgo, see kvt.h for the C interface)
// behind an idiomatic Go API.
//
// # Model
//
// Tables are created by name with a partition method: Hash (point access) or
// Range (ordered, scannable). Each has a numeric TableID. Data lives in
// memory; a write-ahead log plus periodic checkpoints make it durable. Open
// with dir == "" for a purely in-memory engine (tests).
//
// Transactions (Begin, or the retrying Update/View helpers) read a snapshot
// taken at Begin (multi-version storage: readers never block writers) plus
// their own buffered writes. The default isolation is Serializable: at commit
// the engine validates, under its commit lock, that no transaction committed
// since the snapshot wrote any key this one read (including keys it found
// absent) or any key inside a range it scanned (up to where the scan
// stopped), nor any key it writes. Lost updates, write skew and phantoms
// therefore fail with ErrConflict, which is retryable (IsRetryable).
// SnapshotIsolation checks only write-write conflicts. Transactions that
// wrote nothing commit without validation: they serialize at their snapshot,
// because every writer is validated and so commit order is a serial order.
// Table creation and dropping are immediate and not transactional.
//
// # Crossing into C
//
// Every engine call costs a cgo crossing, so the API amortizes them: Set and
// Delete only append to a write batch encoded in Go memory; the batch crosses
// in the same call as the next read of the transaction (Get, MultiGet, Scan)
// or at Commit, or early once it reaches 1 MiB (an early batch is kept
// unindexed in the engine until the next read, so a transaction that only
// writes sorts its whole write set once at Commit). MultiGet reads many keys
// in one call; Scan returns a whole page per call; CountRanges counts the
// keys of many ranges in one call (counts written into a Go []int64 the
// caller owns, lent to C for the call; each range is a read, validated like
// a scan of the whole range); Batch runs mixed get/set/delete operations in
// one call with a result per operation.
//
// # Buffer ownership
//
//   - Keys and values passed in are borrowed only for the duration of the
//     call (they are copied into the write batch or read by C during the
//     call); the caller may reuse them as soon as the method returns.
//   - Get, MultiGet, Batch, Page.Key/Value and Iterator.Key/Value return
//     memory the caller owns; nothing aliases engine memory.
//   - Page.UnsafeKey/UnsafeValue borrow from the page's buffer, which is Go
//     memory: valid until Page.Release (never call Release if you keep
//     them). Iterator.UnsafeKey/UnsafeValue are valid until the next Next or
//     Close.
//   - Built with -tags invariants, released page buffers are overwritten
//     with 0xdd, so a borrowed slice used after its lifetime reads garbage
//     and tests fail loudly.
//   - C never stores a Go pointer; Go never keeps a C pointer except the
//     opaque engine and transaction handles, which it frees exactly once.
//
// # Pages and iterators
//
// Scan(table, start, end, opts) returns up to opts.Limit entries of
// [start, end) (an empty end means "no upper bound"), ascending, or
// descending from end when opts.Reverse. More reports whether entries remain;
// pass Page.Continuation as ScanOptions.Continuation with the same bounds to
// get the next page. Inside a transaction all pages read the same snapshot
// (and, when serializable, each page's covered range is validated at commit);
// DB.Scan is one-shot: each page reads the newest snapshot of its own.
// Iterator wraps paging: Next/Key/Value/Err/Close with a sticky error; Close
// is mandatory.
//
// # Durability
//
// Each commit appends one record [len u32][crc32c u32][payload] to the log
// (segments wal-N.log). A writer thread does group commit: concurrent
// committers share one write and one fdatasync. SyncAlways (default) returns
// from Commit only after the fsync, and a commit becomes visible to new
// snapshots only once durable, so nothing ever observes data a crash could
// lose. Committers waiting for their fsync park as goroutines; a single
// background goroutine blocks in C (kvt_wait_durable) and wakes them, so a
// burst of committers does not pin one OS thread each. SyncInterval fsyncs every SyncInterval; SyncOff never fsyncs except
// at checkpoints, Sync and Close.
//
// Checkpoints (background, or DB.Checkpoint) rotate the log, write a
// consistent snapshot of all tables at the rotation timestamp to a temporary
// file, fsync, rename it to checkpoint-TS.ckpt, and delete the segments and
// checkpoints it covers. Recovery loads the newest valid checkpoint, replays
// the segments after it, and stops at the first torn or corrupt record: it
// truncates the log there, discards later segments, and logs a warning
// through Options.Logger. Leftover temporary checkpoint files are removed.
//
// A data directory is locked with flock(2); a second Open fails with
// ErrLocked. A write or fsync error fails the affected commits with ErrIO and
// fences the engine: every later write fails with ErrFenced until the DB is
// closed and reopened (the engine never retries an fsync).
//
// # Garbage collection and long readers
//
// Versions are reclaimed when no open snapshot can see them: on every commit
// for the keys it writes (walking at most 64 versions down the key's chain,
// so a hot key under a long reader stays O(1) per write), and by a background
// sweep (GCInterval) that walks whole chains and removes deleted keys. To keep memory bounded under a long-running reader,
// a snapshot may fall at most Options.MaxSnapshotLag commits behind the
// newest one; past that, the horizon moves on without it and its next read
// or commit fails with ErrTxTooOld (retryable: View and Update start over
// with a fresh snapshot). Long read-only traversals should therefore page
// through data in transactions shorter than that lag.
//
// # Storage layout
//
// Each version is one allocation holding a 20-byte header (older pointer,
// 48-bit timestamp, key and value lengths), the key and the value, carved
// from a size-class arena without per-object headers. Range tables index
// the newest version of each key in a two-level B+tree whose slots carry an
// 8-byte key prefix; hash tables use an open-addressing table of tagged
// pointers (point access only: scans fail with ErrNotRangeTable). Deleting
// a key, even an absent one, installs a tombstone: it is a write, so two
// transactions deleting (or "locking" by deleting) one key conflict.
//
// # Caveats
//
// The arena returns memory to the OS only on Close; freed space is reused by
// later versions and index nodes of similar size. Stats.VersionBytes counts
// versions plus B+tree leaves. Commit timestamps are 48-bit. Keys are at
// most MaxKeySize bytes and must not be empty. A transaction never finished
// with Commit or Rollback keeps its snapshot registered until it falls
// MaxSnapshotLag behind (or the DB closes).
package native
