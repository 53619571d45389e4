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
// writes sorts its whole write set once at Commit). Get and GetAppend are one
// call each; MultiGet reads many keys in one call (looking them up in
// batches whose cache misses overlap); Scan returns a whole page per call;
// CountRanges counts the keys of many ranges in one call (counts written
// into a Go []int64 the caller owns, lent to C for the call; each range is a
// read, validated like a scan of the whole range); Batch runs mixed
// get/set/delete operations in one call with a result per operation. Calls
// return their scalar results by value (kvt_result in kvt.h) rather than
// through out-pointers, because every pointer Go passes to C escapes to the
// heap: a read allocates nothing on the Go side beyond what it returns
// (GetAppend into a large enough buffer allocates nothing at all).
//
// # Buffer ownership
//
//   - Keys and values passed in are borrowed only for the duration of the
//     call (they are copied into the write batch or read by C during the
//     call); the caller may reuse them as soon as the method returns.
//   - Get, MultiGet, Batch, Page.Key/Value and Iterator.Key/Value return
//     memory the caller owns; nothing aliases engine memory.
//   - MultiGet's results are written by C into a Go buffer lent for the
//     call, sized from the previous calls' results; when they do not fit,
//     C returns them in a buffer of its own that the binding copies and
//     frees before returning. Either way the keys are looked up once, at
//     one snapshot.
//   - GetAppend(dst, ...) lends dst's spare capacity (dst[len:cap]) to C for
//     the call, which copies the value there, and returns dst extended by
//     the value. When the value does not fit, the binding allocates a larger
//     buffer holding dst's bytes (as append does) and reads again into it.
//     The caller owns the result and may pass it back (buf[:0]) to read
//     without allocating.
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
// # Garbage collection, relocation and long readers
//
// Versions are reclaimed when no open snapshot can see them: on every commit
// for the keys it writes (walking at most 64 versions down the key's chain,
// so a hot key under a long reader stays O(1) per write), and by a sweep
// that walks whole chains and removes deleted keys. The sweep runs in the
// background at most every GCInterval when there is garbage or, once
// inserting has paused for a GCInterval, when many keys were inserted into
// range tables (a sixteenth of the live versions, at least 1024), and on
// DB.GC.
//
// The sweep also relocates: a commit allocates each new version wherever the
// allocator has room, so the versions of neighbouring keys end up scattered
// and a scan would pay a cache and TLB miss per entry. Range-table leaves
// whose keys are all stable (each has a single version, committed at or
// before the GC horizon: no history a snapshot still needs; for the
// background sweep, at or before the horizon of one GCInterval earlier, so
// that a leaf still being written to is not copied again at every sweep) and
// that are not already laid out in order (more than one version in sixteen
// out of place) are copied, with their versions, into one contiguous run in
// key order, one leaf at a time under the table's exclusive latch; runs of
// consecutive leaves follow each other, so scans stream memory. The old
// blocks go back to the allocator's free lists and are reused by later
// writes; chunks left with no live block (a relocated table's old chunks,
// unless other tables' data shares them) are returned to the OS at the end of
// the sweep (when they make up at least a quarter of the free space: finding
// their blocks walks the free lists), so relocating a table of static data
// needs up to twice its memory during the sweep and little more than its own
// size after. Relocation is safe under concurrent readers and writers because
// nothing dereferences a range table's version or leaf outside that table's
// latch: reads copy out under the shared latch, commits and their validation
// work under the latches, checkpoints copy range-table entries under the
// shared latch, and transactions record the keys they read, not versions.
// Hash tables (whose checkpoint does keep version pointers across the latch,
// valid while its snapshot is pinned) are never relocated: point reads gain
// nothing from it. Leaves written to again are relocated again once stable; a
// hot leaf is never stable and is left alone.
//
// To keep memory bounded under a long-running reader, a snapshot may fall at
// most Options.MaxSnapshotLag commits behind the newest one; past that, the
// horizon moves on without it and its next read or commit fails with
// ErrTxTooOld (retryable: View and Update start over with a fresh snapshot).
// Long read-only traversals should therefore page through data in
// transactions shorter than that lag.
//
// # Storage layout
//
// Each version is one allocation holding a 20-byte header (older pointer,
// 48-bit timestamp, key and value lengths), the key and the value, carved
// from a size-class arena without per-object headers (versions over 4 KiB
// come from malloc). The arena maps 2 MiB-aligned chunks advised for
// transparent huge pages, so that random reads need no 4 KiB page walks,
// and counts each chunk's live bytes to find the chunks relocation
// emptied. Range tables index
// the newest version of each key in a two-level B+tree whose slots carry an
// 8-byte key prefix; hash tables use an open-addressing table of tagged
// pointers (point access only: scans fail with ErrNotRangeTable). Deleting
// a key, even an absent one, installs a tombstone: it is a write, so two
// transactions deleting (or "locking" by deleting) one key conflict.
//
// # Caveats
//
// The arena returns memory to the OS only as whole chunks with no live block
// (see relocation above) and on Close; other freed space is reused by later
// versions and index nodes of similar size. Stats.VersionBytes counts
// versions plus B+tree leaves; Stats.ArenaBytes the chunks mapped. Commit timestamps are 48-bit. Keys are at
// most MaxKeySize bytes and must not be empty. A transaction never finished
// with Commit or Rollback keeps its snapshot registered until it falls
// MaxSnapshotLag behind (or the DB closes).
package native
