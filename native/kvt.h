/*
 * kvt.h: the narrow C interface of the KVT engine.
 *
 * Ownership is in the type names:
 *   kvt_borrowed_slice  memory owned by the caller, read by the engine only for
 *                       the duration of the call; the engine never keeps it.
 *   kvt_owned_buf       memory allocated by the engine with malloc; the caller
 *                       owns it and must release it with kvt_free.
 *   kvt_status          a code plus an optional message (kvt_owned_buf
 *                       semantics: free msg with kvt_free when non-NULL).
 *   char* out, cap      an output buffer owned by the caller; the engine
 *                       writes at most cap bytes during the call.
 *   kvt_result          a kvt_status plus the call's scalar outputs, returned
 *                       by value: the hot calls (get, multiget, scan, begin,
 *                       commit) take no out-pointers, because every pointer a
 *                       Go caller passes to C escapes to the Go heap (one
 *                       allocation per out-parameter per call).
 *
 * Handles (kvt_db*, kvt_tx*) are opaque engine pointers. A kvt_tx* is freed by
 * kvt_tx_commit or kvt_tx_rollback (always, whatever the outcome) and by
 * kvt_close for transactions still open. A kvt_tx must not be used by two
 * threads at once.
 *
 * Encodings (all integers little-endian):
 *   write batch / batch ops: repeated
 *       [u8 op][u32 table][u32 klen][key] and, for op SET only, [u32 vlen][val]
 *     op: 1 = set, 2 = delete, 3 = get (get only in kvt_tx_batch)
 *   key list (multiget): repeated [u32 klen][key]
 *   multiget / batch results: per key or op [u8 found][u32 vlen][val]
 *     (vlen and val are present only when found == 1; set/delete ops in a
 *      batch produce [u8 1][u32 0])
 *   scan page: repeated [u32 klen][u32 vlen][key][val]
 *   table list: repeated [u32 id][u8 method][u16 nlen][name]
 *   range list (count ranges): repeated
 *       [u32 slen][start][u8 end_inf][u32 elen][end]
 */
#ifndef KVT_H
#define KVT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  KVT_OK = 0,
  KVT_KEY_NOT_FOUND = 1,
  KVT_TABLE_NOT_FOUND = 2,
  KVT_TABLE_EXISTS = 3,
  KVT_CONFLICT = 4,
  KVT_TX_TOO_OLD = 5,
  KVT_NOT_RANGE_TABLE = 6,
  KVT_LOCKED = 7,
  KVT_IO = 8,
  KVT_FENCED = 9,
  KVT_CLOSED = 10,
  KVT_INVALID_ARGUMENT = 11,
  KVT_BUFFER_TOO_SMALL = 12,
  KVT_CORRUPT = 13,
  KVT_READ_ONLY = 14,
  KVT_INTERNAL = 15
};

typedef struct kvt_db kvt_db;
typedef struct kvt_tx kvt_tx;

enum { KVT_SYNC_ALWAYS = 0, KVT_SYNC_INTERVAL = 1, KVT_SYNC_OFF = 2 };
enum { KVT_METHOD_HASH = 1, KVT_METHOD_RANGE = 2 };
enum { KVT_SERIALIZABLE = 0, KVT_SNAPSHOT = 1 };
enum { KVT_OP_SET = 1, KVT_OP_DELETE = 2, KVT_OP_GET = 3 };

typedef struct {
  int32_t code;
  char* msg; /* owned by the caller when non-NULL: kvt_free */
} kvt_status;

/* Status and scalar outputs of one call; which fields are set is said at
 * each function. msg as in kvt_status. */
typedef struct {
  int32_t code;
  int32_t flag;  /* scan: entries remain; commit: caller must wait for durability */
  char* msg;
  uint64_t n;    /* get: value length; multiget: bytes of results; scan: bytes used or needed;
                    commit: commit ts */
  int64_t count; /* scan: entries written */
  char* owned;   /* multiget: the results, when they did not fit in out (kvt_owned_buf
                    semantics: the caller frees it with kvt_free) */
} kvt_result;

typedef struct {
  kvt_tx* tx;
  uint64_t snapshot_ts;
} kvt_begin_result;

typedef struct {
  const char* data;
  size_t len;
} kvt_borrowed_slice;

typedef struct {
  char* data; /* owned by the caller: kvt_free */
  size_t len;
} kvt_owned_buf;

typedef struct {
  int32_t sync_mode;
  int64_t sync_interval_ms;
  int64_t checkpoint_interval_ms; /* <0: no background checkpoints */
  int64_t checkpoint_log_bytes;   /* checkpoint after this much log */
  int64_t segment_bytes;          /* log segment rotation size */
  uint64_t max_snapshot_lag;      /* 0: unlimited */
  int64_t gc_interval_ms;
} kvt_options;

typedef struct {
  uint64_t last_commit_ts;
  uint64_t visible_ts;
  uint64_t gc_horizon;
  uint64_t oldest_snapshot;
  uint64_t active_txs;
  uint64_t live_versions;
  uint64_t version_bytes;
  uint64_t arena_bytes;
  uint64_t commits;
  uint64_t conflicts;
  uint64_t checkpoints;
  uint64_t gc_sweeps;
  uint64_t versions_freed;
  uint64_t wal_syncs;
  uint64_t wal_bytes;
  uint64_t versions_relocated; /* versions moved into key order by sweeps */
  uint64_t leaves_relocated;
  uint64_t arena_released; /* bytes of emptied arena chunks returned to the OS */
} kvt_stats;

/* dir.len == 0 opens an in-memory engine. */
kvt_status kvt_open(kvt_borrowed_slice dir, const kvt_options* opts, kvt_db** out);
kvt_status kvt_close(kvt_db* db);
void kvt_free(void* p);
/* Messages the engine wants logged (recovery warnings, background errors),
 * newline separated; first byte of each line is the level: 'I', 'W', 'E'. */
kvt_owned_buf kvt_take_log(kvt_db* db);
void kvt_stats_get(kvt_db* db, kvt_stats* out);

kvt_status kvt_create_table(kvt_db* db, kvt_borrowed_slice name, int32_t method, uint32_t* id);
kvt_status kvt_drop_table(kvt_db* db, kvt_borrowed_slice name);
kvt_status kvt_list_tables(kvt_db* db, kvt_owned_buf* out);

kvt_begin_result kvt_begin(kvt_db* db, int32_t isolation, int32_t read_only);
/* Every tx read call first applies the pending write batch (may be empty). */
kvt_status kvt_tx_apply(kvt_tx* tx, kvt_borrowed_slice batch);
/* Reads key's value into out: n = value length (also on
 * KVT_BUFFER_TOO_SMALL, when it exceeds cap; nothing is written then). */
kvt_result kvt_tx_get(kvt_tx* tx, kvt_borrowed_slice batch, uint32_t table, kvt_borrowed_slice key, char* out,
                      size_t cap);
/* Looks up every key at once (one snapshot) and writes the results, n bytes:
 * into out when they fit in cap, else into an engine-allocated buffer
 * returned in owned (out's contents are then undefined). */
kvt_result kvt_tx_multiget(kvt_tx* tx, kvt_borrowed_slice batch, uint32_t table, kvt_borrowed_slice keys, char* out,
                           size_t cap);
/* Scans [start, end) (end_inf: no upper bound). Writes at most limit entries
 * that fit in cap: n = bytes used, count = entries, flag = 1 when entries
 * remain after the last one written. KVT_BUFFER_TOO_SMALL with n = bytes
 * needed when not even one fits. */
kvt_result kvt_tx_scan(kvt_tx* tx, kvt_borrowed_slice batch, uint32_t table, kvt_borrowed_slice start,
                       kvt_borrowed_slice end, int32_t end_inf, int32_t limit, int32_t reverse, char* out, size_t cap);
/* Counts the visible keys (with the transaction's own writes) in each range
 * of a packed range list, writing n counts to the caller's counts array: one
 * call for many ranges. Counted ranges are reads (validated at commit like a
 * scan run to the end of its range). KVT_NOT_RANGE_TABLE on a hash table. */
kvt_status kvt_tx_count_ranges(kvt_tx* tx, kvt_borrowed_slice batch, uint32_t table, kvt_borrowed_slice ranges,
                               int64_t* counts, size_t n);
kvt_status kvt_tx_batch(kvt_tx* tx, kvt_borrowed_slice ops, kvt_owned_buf* results);
/* Frees tx whatever the outcome. n = commit timestamp. When flag is set on
 * success (sync mode always), the commit is installed but neither durable
 * nor visible yet: the caller must not report it before kvt_wait_durable
 * says durable >= ts. (Waiting is left to the caller so that one thread can
 * wait for many.) */
kvt_result kvt_tx_commit(kvt_tx* tx, kvt_borrowed_slice batch);
/* Blocks until the durable commit timestamp exceeds known (or the log
 * failed: KVT_IO) and returns it in *durable_ts. */
kvt_status kvt_wait_durable(kvt_db* db, uint64_t known, uint64_t* durable_ts);
void kvt_tx_rollback(kvt_tx* tx);

/* One-shot reads at the newest visible snapshot, outside any transaction. */
kvt_result kvt_get(kvt_db* db, uint32_t table, kvt_borrowed_slice key, char* out, size_t cap);
kvt_result kvt_multiget(kvt_db* db, uint32_t table, kvt_borrowed_slice keys, char* out, size_t cap);
kvt_status kvt_count_ranges(kvt_db* db, uint32_t table, kvt_borrowed_slice ranges, int64_t* counts, size_t n);
kvt_result kvt_scan(kvt_db* db, uint32_t table, kvt_borrowed_slice start, kvt_borrowed_slice end,
                    int32_t end_inf, int32_t limit, int32_t reverse, char* out, size_t cap);

kvt_status kvt_checkpoint(kvt_db* db);
kvt_status kvt_gc(kvt_db* db);
kvt_status kvt_sync(kvt_db* db);

/* Test hooks. */
void kvt_debug_fail_next_sync(kvt_db* db);
/* The next checkpoint _exit(3)s the process after writing part of its file. */
void kvt_debug_crash_in_checkpoint(kvt_db* db);

#ifdef __cplusplus
}
#endif

#endif
