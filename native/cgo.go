package native

/*
#cgo CXXFLAGS: -std=c++17 -O2 -Wall
#cgo LDFLAGS: -lstdc++ -lpthread
#include <stdlib.h>
#include "kvt.h"
*/
import "C"

import (
	"unsafe"
)

// This file is the only one that talks to C. Every function here passes Go
// memory to C only as pointer+length for the duration of the call (the engine
// never keeps it) and copies or frees every C-owned buffer before returning.

func init() {
	if C.KVT_OK != codeOK || C.KVT_BUFFER_TOO_SMALL != codeBufferTooSmall || C.KVT_INTERNAL != codeInternal {
		panic("kvt: Go and C error codes disagree")
	}
}

// borrow lends b to C for one call.
func borrow(b []byte) C.kvt_borrowed_slice {
	if len(b) == 0 {
		return C.kvt_borrowed_slice{}
	}
	return C.kvt_borrowed_slice{data: (*C.char)(unsafe.Pointer(&b[0])), len: C.size_t(len(b))}
}

func borrowString(s string) C.kvt_borrowed_slice {
	if len(s) == 0 {
		return C.kvt_borrowed_slice{}
	}
	return C.kvt_borrowed_slice{data: (*C.char)(unsafe.Pointer(unsafe.StringData(s))), len: C.size_t(len(s))}
}

func outPtr(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(&b[0]))
}

// status converts and frees a kvt_status.
func status(s C.kvt_status) (int, string) {
	var msg string
	if s.msg != nil {
		msg = C.GoString(s.msg)
		C.kvt_free(unsafe.Pointer(s.msg))
	}
	return int(s.code), msg
}

// result converts a kvt_result and frees its message.
func result(r C.kvt_result) (int, string) {
	var msg string
	if r.msg != nil {
		msg = C.GoString(r.msg)
		C.kvt_free(unsafe.Pointer(r.msg))
	}
	return int(r.code), msg
}

// takeOwned copies and frees a kvt_owned_buf.
func takeOwned(b C.kvt_owned_buf) []byte {
	if b.data == nil {
		return nil
	}
	out := C.GoBytes(unsafe.Pointer(b.data), C.int(b.len))
	C.kvt_free(unsafe.Pointer(b.data))
	return out
}

type cdb = *C.kvt_db
type ctx = *C.kvt_tx

type cOptions struct {
	syncMode       int
	syncIntervalMs int64
	ckptIntervalMs int64
	ckptLogBytes   int64
	segmentBytes   int64
	maxSnapshotLag uint64
	gcIntervalMs   int64
}

func cOpen(dir string, o cOptions) (cdb, int, string) {
	opts := C.kvt_options{
		sync_mode:              C.int32_t(o.syncMode),
		sync_interval_ms:       C.int64_t(o.syncIntervalMs),
		checkpoint_interval_ms: C.int64_t(o.ckptIntervalMs),
		checkpoint_log_bytes:   C.int64_t(o.ckptLogBytes),
		segment_bytes:          C.int64_t(o.segmentBytes),
		max_snapshot_lag:       C.uint64_t(o.maxSnapshotLag),
		gc_interval_ms:         C.int64_t(o.gcIntervalMs),
	}
	var h *C.kvt_db
	code, msg := status(C.kvt_open(borrowString(dir), &opts, &h))
	return h, code, msg
}

func cClose(h cdb) (int, string) { return status(C.kvt_close(h)) }

func cTakeLog(h cdb) []byte { return takeOwned(C.kvt_take_log(h)) }

func cStats(h cdb) Stats {
	var s C.kvt_stats
	C.kvt_stats_get(h, &s)
	return Stats{
		LastCommitTS:    uint64(s.last_commit_ts),
		VisibleTS:       uint64(s.visible_ts),
		GCHorizon:       uint64(s.gc_horizon),
		OldestSnapshot:  uint64(s.oldest_snapshot),
		ActiveTxs:       uint64(s.active_txs),
		LiveVersions:    uint64(s.live_versions),
		VersionBytes:    uint64(s.version_bytes),
		ArenaBytes:      uint64(s.arena_bytes),
		Commits:         uint64(s.commits),
		Conflicts:       uint64(s.conflicts),
		Checkpoints:     uint64(s.checkpoints),
		GCSweeps:        uint64(s.gc_sweeps),
		VersionsFreed:   uint64(s.versions_freed),
		WALSyncs:        uint64(s.wal_syncs),
		WALBytes:        uint64(s.wal_bytes),
		Relocated:       uint64(s.versions_relocated),
		LeavesRelocated: uint64(s.leaves_relocated),
		ArenaReleased:   uint64(s.arena_released),
	}
}

func cCreateTable(h cdb, name string, method PartitionMethod) (TableID, int, string) {
	var id C.uint32_t
	code, msg := status(C.kvt_create_table(h, borrowString(name), C.int32_t(method), &id))
	return TableID(id), code, msg
}

func cDropTable(h cdb, name string) (int, string) {
	return status(C.kvt_drop_table(h, borrowString(name)))
}

func cListTables(h cdb) ([]byte, int, string) {
	var b C.kvt_owned_buf
	code, msg := status(C.kvt_list_tables(h, &b))
	return takeOwned(b), code, msg
}

func cBegin(h cdb, iso Isolation, readOnly bool) (ctx, uint64) {
	ro := C.int32_t(0)
	if readOnly {
		ro = 1
	}
	r := C.kvt_begin(h, C.int32_t(iso), ro)
	return r.tx, uint64(r.snapshot_ts)
}

func cTxApply(t ctx, batch []byte) (int, string) {
	return status(C.kvt_tx_apply(t, borrow(batch)))
}

// cGet reads into out; n is the value length (which may exceed len(out) when
// the code is codeBufferTooSmall). t == nil means a one-shot read on h.
func cGet(h cdb, t ctx, batch []byte, table TableID, key, out []byte) (int, int, string) {
	var r C.kvt_result
	if t != nil {
		r = C.kvt_tx_get(t, borrow(batch), C.uint32_t(table), borrow(key), outPtr(out), C.size_t(len(out)))
	} else {
		r = C.kvt_get(h, C.uint32_t(table), borrow(key), outPtr(out), C.size_t(len(out)))
	}
	code, msg := result(r)
	return int(r.n), code, msg
}

// cMultiGet returns the encoded results: out[:n] when they fit in out, else
// a Go copy of the engine's buffer (freed here).
func cMultiGet(h cdb, t ctx, batch []byte, table TableID, keys, out []byte) ([]byte, int, string) {
	var r C.kvt_result
	if t != nil {
		r = C.kvt_tx_multiget(t, borrow(batch), C.uint32_t(table), borrow(keys), outPtr(out), C.size_t(len(out)))
	} else {
		r = C.kvt_multiget(h, C.uint32_t(table), borrow(keys), outPtr(out), C.size_t(len(out)))
	}
	if r.owned != nil {
		res := C.GoBytes(unsafe.Pointer(r.owned), C.int(r.n))
		C.kvt_free(unsafe.Pointer(r.owned))
		code, msg := result(r)
		return res, code, msg
	}
	code, msg := result(r)
	if code != codeOK {
		return nil, code, msg
	}
	return out[:r.n], code, msg
}

type scanResult struct {
	used  int
	count int
	more  bool
}

func cScan(h cdb, t ctx, batch []byte, table TableID, start, end []byte, endInf bool, limit int, reverse bool, out []byte) (scanResult, int, string) {
	inf, rev := C.int32_t(0), C.int32_t(0)
	if endInf {
		inf = 1
	}
	if reverse {
		rev = 1
	}
	var r C.kvt_result
	if t != nil {
		r = C.kvt_tx_scan(t, borrow(batch), C.uint32_t(table), borrow(start), borrow(end), inf, C.int32_t(limit), rev,
			outPtr(out), C.size_t(len(out)))
	} else {
		r = C.kvt_scan(h, C.uint32_t(table), borrow(start), borrow(end), inf, C.int32_t(limit), rev,
			outPtr(out), C.size_t(len(out)))
	}
	code, msg := result(r)
	return scanResult{used: int(r.n), count: int(r.count), more: r.flag != 0}, code, msg
}

// cCountRanges counts the keys of each encoded range into counts (one call
// for all ranges). t == nil means a one-shot count on h.
func cCountRanges(h cdb, t ctx, batch []byte, table TableID, ranges []byte, counts []int64) (int, string) {
	var p *C.int64_t
	if len(counts) > 0 {
		p = (*C.int64_t)(unsafe.Pointer(&counts[0]))
	}
	var s C.kvt_status
	if t != nil {
		s = C.kvt_tx_count_ranges(t, borrow(batch), C.uint32_t(table), borrow(ranges), p, C.size_t(len(counts)))
	} else {
		s = C.kvt_count_ranges(h, C.uint32_t(table), borrow(ranges), p, C.size_t(len(counts)))
	}
	return status(s)
}

func cTxBatch(t ctx, ops []byte) ([]byte, int, string) {
	var b C.kvt_owned_buf
	code, msg := status(C.kvt_tx_batch(t, borrow(ops), &b))
	return takeOwned(b), code, msg
}

func cTxCommit(t ctx, batch []byte) (uint64, bool, int, string) {
	r := C.kvt_tx_commit(t, borrow(batch))
	code, msg := result(r)
	return uint64(r.n), r.flag != 0, code, msg
}

func cWaitDurable(h cdb, known uint64) (uint64, int, string) {
	var d C.uint64_t
	code, msg := status(C.kvt_wait_durable(h, C.uint64_t(known), &d))
	return uint64(d), code, msg
}

func cTxRollback(t ctx) { C.kvt_tx_rollback(t) }

func cCheckpoint(h cdb) (int, string) { return status(C.kvt_checkpoint(h)) }
func cGC(h cdb) (int, string)         { return status(C.kvt_gc(h)) }
func cSync(h cdb) (int, string)       { return status(C.kvt_sync(h)) }

func cDebugFailNextSync(h cdb)      { C.kvt_debug_fail_next_sync(h) }
func cDebugCrashInCheckpoint(h cdb) { C.kvt_debug_crash_in_checkpoint(h) }
