package native

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// SyncMode says when a commit reaches stable storage.
type SyncMode int

const (
	// SyncAlways: Commit returns only after its log record is fsynced
	// (group commit shares one fsync among concurrent committers).
	SyncAlways SyncMode = iota
	// SyncInterval: the log is fsynced every Options.SyncInterval; a crash
	// loses at most that window.
	SyncInterval
	// SyncOff: the log is written in the background and never fsynced
	// except at checkpoints and Close.
	SyncOff
)

func (m SyncMode) String() string {
	switch m {
	case SyncAlways:
		return "always"
	case SyncInterval:
		return "interval"
	case SyncOff:
		return "off"
	}
	return fmt.Sprintf("SyncMode(%d)", int(m))
}

// Options configure Open. The zero value is valid.
type Options struct {
	// Sync is the durability mode; default SyncAlways.
	Sync SyncMode
	// SyncInterval is the fsync period of SyncInterval; default 10ms.
	SyncInterval time.Duration
	// CheckpointInterval triggers a background checkpoint when log was
	// written and this much time passed since the last one; default 5
	// minutes; negative disables background checkpoints (Checkpoint still
	// works).
	CheckpointInterval time.Duration
	// CheckpointLogBytes triggers a background checkpoint once this much
	// log was written since the last one; default 64 MiB.
	CheckpointLogBytes int64
	// SegmentBytes is the log segment size; default 64 MiB.
	SegmentBytes int64
	// MaxSnapshotLag bounds how far (in commits) an open transaction's
	// snapshot may fall behind the newest commit before garbage collection
	// may reclaim versions it could still need; such a transaction then fails
	// with ErrTxTooOld. Default 4,194,304; NoSnapshotLagLimit disables it.
	MaxSnapshotLag uint64
	// GCInterval is the minimum time between background garbage sweeps;
	// default 1s.
	GCInterval time.Duration
	// Logger receives recovery and background messages; default
	// slog.Default().
	Logger *slog.Logger
}

// NoSnapshotLagLimit disables the MaxSnapshotLag policy: old snapshots then
// keep every version they can see alive for as long as they stay open.
const NoSnapshotLagLimit = ^uint64(0)

// PartitionMethod is how a table is organised.
type PartitionMethod int

const (
	// Hash tables support point access (get, multi-get, set, delete) only.
	Hash PartitionMethod = 1
	// Range tables are ordered and also support scans.
	Range PartitionMethod = 2
)

func (m PartitionMethod) String() string {
	switch m {
	case Hash:
		return "hash"
	case Range:
		return "range"
	}
	return fmt.Sprintf("PartitionMethod(%d)", int(m))
}

// TableID identifies a table; ids are never reused within a data directory.
type TableID uint32

// Table describes a table.
type Table struct {
	ID     TableID
	Name   string
	Method PartitionMethod
}

// Stats are engine counters, for tests and monitoring.
type Stats struct {
	LastCommitTS   uint64 // newest allocated commit timestamp
	VisibleTS      uint64 // newest timestamp new snapshots see
	GCHorizon      uint64 // versions older than needed at this ts are gone
	OldestSnapshot uint64 // oldest open transaction snapshot
	ActiveTxs      uint64
	LiveVersions   uint64 // versions in memory, all tables
	VersionBytes   uint64 // bytes of those versions plus B+tree leaves
	ArenaBytes     uint64 // bytes reserved by the version allocator
	Commits        uint64
	Conflicts      uint64
	Checkpoints    uint64
	GCSweeps       uint64
	VersionsFreed  uint64
	WALSyncs       uint64
	WALBytes       uint64
	// Relocated counts versions the sweeps moved next to their neighbours in
	// key order (LeavesRelocated the B+tree leaves moved with them); see
	// "Garbage collection, relocation and long readers" in the package
	// documentation.
	Relocated       uint64
	LeavesRelocated uint64
	// ArenaReleased counts bytes of emptied allocator chunks given back to
	// the OS.
	ArenaReleased uint64
}

// DB is an open KVT engine. All methods are safe for concurrent use.
type DB struct {
	// mu is held shared by every call into the engine and exclusively by
	// Close, so the engine is never freed under a running call.
	mu     sync.RWMutex
	c      cdb
	closed bool
	dir    string
	logger *slog.Logger
	tables atomic.Pointer[map[TableID]Table]
	stop   chan struct{}
	wg     sync.WaitGroup
	dur    durability
	mgHint atomic.Int64 // result bytes per key of the last MultiGet (buffer size guess)
}

// durability tracks the engine's durable commit timestamp on the Go side, so
// that committers waiting for their fsync park as goroutines while a single
// goroutine (durabilityLoop) blocks in C.
type durability struct {
	mu      sync.Mutex
	cond    sync.Cond
	durable uint64
	want    uint64
	err     error
	kick    chan struct{}
}

func (db *DB) waitDurable(ts uint64) error {
	d := &db.dur
	d.mu.Lock()
	defer d.mu.Unlock()
	for d.durable < ts {
		if d.err != nil {
			return d.err
		}
		if ts > d.want {
			d.want = ts
		}
		select {
		case d.kick <- struct{}{}:
		default:
		}
		d.cond.Wait()
	}
	return nil
}

func (db *DB) durabilityLoop() {
	defer db.wg.Done()
	d := &db.dur
	for {
		select {
		case <-db.stop:
			return
		case <-d.kick:
		}
		for {
			d.mu.Lock()
			want, known := d.want, d.durable
			d.mu.Unlock()
			if want <= known {
				break
			}
			if db.enter() != nil {
				return // Close settles the waiters
			}
			durable, code, msg := cWaitDurable(db.c, known)
			db.mu.RUnlock()
			d.mu.Lock()
			if durable > d.durable {
				d.durable = durable
			}
			if code != codeOK && d.err == nil {
				d.err = codeError(code, msg)
			}
			d.cond.Broadcast()
			d.mu.Unlock()
			if code != codeOK {
				break
			}
		}
	}
}

// settleDurability wakes every waiter at Close: the engine synced the log
// while closing, so pending commits are durable unless closing failed.
func (db *DB) settleDurability(closeErr error) {
	d := &db.dur
	d.mu.Lock()
	if closeErr == nil {
		d.durable = ^uint64(0)
	} else if d.err == nil {
		d.err = closeErr
	}
	d.cond.Broadcast()
	d.mu.Unlock()
}

// Open opens (creating if needed) the data directory dir and recovers it, or
// opens an in-memory engine when dir is "". Only one DB may have a directory
// open at a time (ErrLocked otherwise).
func Open(dir string, opts Options) (*DB, error) {
	o := cOptions{syncMode: int(opts.Sync)}
	if opts.Sync < SyncAlways || opts.Sync > SyncOff {
		return nil, fmt.Errorf("%w: unknown sync mode %d (want SyncAlways, SyncInterval or SyncOff)", ErrInvalidArgument, int(opts.Sync))
	}
	o.syncIntervalMs = durMs(opts.SyncInterval, 10*time.Millisecond)
	switch {
	case opts.CheckpointInterval < 0:
		o.ckptIntervalMs = -1
	default:
		o.ckptIntervalMs = durMs(opts.CheckpointInterval, 5*time.Minute)
	}
	o.ckptLogBytes = opts.CheckpointLogBytes
	o.segmentBytes = opts.SegmentBytes
	switch opts.MaxSnapshotLag {
	case 0:
		o.maxSnapshotLag = 1 << 22
	case NoSnapshotLagLimit:
		o.maxSnapshotLag = 0
	default:
		o.maxSnapshotLag = opts.MaxSnapshotLag
	}
	o.gcIntervalMs = durMs(opts.GCInterval, time.Second)
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("%w: create data directory: %v", ErrIO, err)
		}
	}
	h, code, msg := cOpen(dir, o)
	if code != codeOK {
		return nil, fmt.Errorf("kvt: open %q: %w", dir, codeError(code, msg))
	}
	db := &DB{c: h, dir: dir, logger: logger, stop: make(chan struct{})}
	db.dur.cond.L = &db.dur.mu
	db.dur.kick = make(chan struct{}, 1)
	db.drainLog()
	if err := db.refreshTables(); err != nil {
		_ = db.Close()
		return nil, err
	}
	db.wg.Add(2)
	go db.logLoop()
	go db.durabilityLoop()
	return db, nil
}

func durMs(d, def time.Duration) int64 {
	if d <= 0 {
		d = def
	}
	ms := d.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	return ms
}

func (db *DB) logLoop() {
	defer db.wg.Done()
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
			db.mu.RLock()
			if !db.closed {
				db.drainLog()
			}
			db.mu.RUnlock()
		}
	}
}

// drainLog forwards engine messages to the logger. Callers hold mu or own db.
func (db *DB) drainLog() {
	b := cTakeLog(db.c)
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if len(line) == 0 {
			continue
		}
		msg := string(line[1:])
		switch line[0] {
		case 'E':
			db.logger.Error(msg, "dir", db.dir)
		case 'W':
			db.logger.Warn(msg, "dir", db.dir)
		default:
			db.logger.Info(msg, "dir", db.dir)
		}
	}
}

// Close flushes and syncs the log, releases the directory lock and frees the
// engine. Open transactions become unusable (ErrClosed). Close is idempotent
// after the first call returns ErrClosed.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return ErrClosed
	}
	db.closed = true
	db.drainLog()
	code, msg := cClose(db.c)
	db.c = nil
	db.mu.Unlock()
	var err error
	if code != codeOK {
		err = fmt.Errorf("kvt: close: %w", codeError(code, msg))
	}
	db.settleDurability(err)
	close(db.stop)
	db.wg.Wait()
	return err
}

// enter takes the shared lock; callers must call db.mu.RUnlock when err is nil.
func (db *DB) enter() error {
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

func (db *DB) refreshTables() error {
	if err := db.enter(); err != nil {
		return err
	}
	b, code, msg := cListTables(db.c)
	db.mu.RUnlock()
	if code != codeOK {
		return codeError(code, msg)
	}
	m := make(map[TableID]Table)
	for len(b) >= 7 {
		id := binary.LittleEndian.Uint32(b)
		method := PartitionMethod(b[4])
		n := int(binary.LittleEndian.Uint16(b[5:]))
		m[TableID(id)] = Table{ID: TableID(id), Method: method, Name: string(b[7 : 7+n])}
		b = b[7+n:]
	}
	db.tables.Store(&m)
	return nil
}

// CreateTable creates a table. Table creation is immediate and durable (per
// the sync mode), not part of any transaction.
func (db *DB) CreateTable(name string, method PartitionMethod) (Table, error) {
	if method != Hash && method != Range {
		return Table{}, fmt.Errorf("%w: partition method %d for table %q (want Hash or Range)", ErrInvalidArgument, int(method), name)
	}
	if name == "" || len(name) > 0xffff {
		return Table{}, fmt.Errorf("%w: table name must be 1..65535 bytes", ErrInvalidArgument)
	}
	if err := db.enter(); err != nil {
		return Table{}, err
	}
	id, code, msg := cCreateTable(db.c, name, method)
	db.mu.RUnlock()
	if err := db.refreshTables(); err != nil && code == codeOK {
		return Table{}, err
	}
	if code != codeOK {
		return Table{}, fmt.Errorf("kvt: create table %q: %w", name, codeError(code, msg))
	}
	return Table{ID: id, Name: name, Method: method}, nil
}

// DropTable removes a table and all its data. Transactions still using it
// fail with ErrTableNotFound.
func (db *DB) DropTable(name string) error {
	if err := db.enter(); err != nil {
		return err
	}
	code, msg := cDropTable(db.c, name)
	db.mu.RUnlock()
	if err := db.refreshTables(); err != nil && code == codeOK {
		return err
	}
	if code != codeOK {
		return fmt.Errorf("kvt: drop table %q: %w", name, codeError(code, msg))
	}
	return nil
}

// Table looks a table up by name.
func (db *DB) Table(name string) (Table, error) {
	for _, t := range *db.tables.Load() {
		if t.Name == name {
			return t, nil
		}
	}
	return Table{}, fmt.Errorf("%w: %q", ErrTableNotFound, name)
}

// TableByID looks a table up by id.
func (db *DB) TableByID(id TableID) (Table, error) {
	if t, ok := (*db.tables.Load())[id]; ok {
		return t, nil
	}
	return Table{}, fmt.Errorf("%w: id %d", ErrTableNotFound, id)
}

// Tables lists all tables ordered by id.
func (db *DB) Tables() []Table {
	m := *db.tables.Load()
	out := make([]Table, 0, len(m))
	for _, t := range m {
		out = append(out, t)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func (db *DB) checkTable(id TableID) error {
	if _, ok := (*db.tables.Load())[id]; !ok {
		return fmt.Errorf("%w: id %d", ErrTableNotFound, id)
	}
	return nil
}

// Get is a one-shot read of the newest committed value, outside any
// transaction. It returns a copy the caller owns (allocated per call;
// GetAppend reads into a buffer the caller supplies).
func (db *DB) Get(table TableID, key []byte) ([]byte, error) {
	v, err := db.GetAppend(make([]byte, 0, 128), table, key)
	if err != nil {
		return nil, err
	}
	return v[:len(v):len(v)], nil
}

// GetAppend is a one-shot read that appends the newest committed value of
// key to dst, with the buffer contract of Tx.GetAppend: no allocation when
// dst has room for the value, and the engine never keeps dst.
func (db *DB) GetAppend(dst []byte, table TableID, key []byte) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return dst, err
	}
	if err := db.enter(); err != nil {
		return dst, err
	}
	v, err := getAppend(db.c, nil, nil, table, key, dst)
	db.mu.RUnlock()
	return v, err
}

// MultiGet is a one-shot read of several keys at one snapshot. A nil entry in
// the result means the key is absent.
func (db *DB) MultiGet(table TableID, keys [][]byte) ([][]byte, error) {
	enc, err := encodeKeys(keys)
	if err != nil {
		return nil, err
	}
	if err := db.enter(); err != nil {
		return nil, err
	}
	defer db.mu.RUnlock()
	return multiGet(db.c, nil, nil, table, enc, len(keys), &db.mgHint)
}

// CountRanges is a one-shot Tx.CountRanges at the newest snapshot.
func (db *DB) CountRanges(table TableID, ranges []KeyRange) ([]int64, error) {
	counts := make([]int64, len(ranges))
	if len(ranges) == 0 {
		return counts, nil
	}
	if err := db.enter(); err != nil {
		return nil, err
	}
	defer db.mu.RUnlock()
	for i := 0; i < len(ranges); i += countChunk {
		j := min(len(ranges), i+countChunk)
		if code, msg := cCountRanges(db.c, nil, nil, table, encodeRanges(ranges[i:j]), counts[i:j]); code != codeOK {
			return nil, codeError(code, msg)
		}
	}
	return counts, nil
}

// Scan is a one-shot scan page of a range table. Each page reads its own
// snapshot; use a transaction for a consistent multi-page scan.
func (db *DB) Scan(table TableID, start, end []byte, opts ScanOptions) (*Page, error) {
	if err := db.enter(); err != nil {
		return nil, err
	}
	defer db.mu.RUnlock()
	return scanPage(db.c, nil, nil, table, start, end, opts)
}

// Checkpoint writes a consistent snapshot of all tables and truncates the log
// it covers. A no-op for in-memory engines.
func (db *DB) Checkpoint() error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.mu.RUnlock()
	code, msg := cCheckpoint(db.c)
	db.drainLog()
	if code != codeOK {
		return fmt.Errorf("kvt: checkpoint: %w", codeError(code, msg))
	}
	return nil
}

// GC runs a garbage-collection sweep now (it also runs in the background).
func (db *DB) GC() error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.mu.RUnlock()
	code, msg := cGC(db.c)
	return codeError(code, msg)
}

// Sync flushes and fsyncs the log (useful with SyncInterval or SyncOff).
func (db *DB) Sync() error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.mu.RUnlock()
	code, msg := cSync(db.c)
	if code != codeOK {
		return fmt.Errorf("kvt: sync: %w", codeError(code, msg))
	}
	return nil
}

// Stats returns engine counters.
func (db *DB) Stats() Stats {
	if err := db.enter(); err != nil {
		return Stats{}
	}
	defer db.mu.RUnlock()
	return cStats(db.c)
}

// MaxRetries is how many times Update and View run a transaction that fails
// with a retryable error before giving up.
const MaxRetries = 100

// Update runs fn in a serializable read-write transaction and commits it,
// retrying from scratch on ErrConflict or ErrTxTooOld (so fn may run more
// than once and must not have side effects outside tx). An error from fn
// rolls back and is returned as is.
func (db *DB) Update(fn func(tx *Tx) error) error {
	return db.UpdateWith(TxOptions{}, fn)
}

// UpdateWith is Update with explicit transaction options.
func (db *DB) UpdateWith(opts TxOptions, fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; attempt < MaxRetries; attempt++ {
		if attempt > 0 {
			backoff(attempt)
		}
		var tx *Tx
		tx, err = db.Begin(opts)
		if err != nil {
			return err
		}
		if err = fn(tx); err != nil {
			_ = tx.Rollback()
			if IsRetryable(err) {
				continue
			}
			return err
		}
		if err = tx.Commit(); err == nil || !IsRetryable(err) {
			return err
		}
	}
	return fmt.Errorf("kvt: gave up after %d attempts: %w", MaxRetries, err)
}

// View runs fn in a read-only snapshot transaction, retrying on ErrTxTooOld.
func (db *DB) View(fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; attempt < MaxRetries; attempt++ {
		if attempt > 0 {
			backoff(attempt)
		}
		var tx *Tx
		tx, err = db.Begin(TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
		if err != nil {
			return err
		}
		err = fn(tx)
		_ = tx.Rollback()
		if err == nil || !IsRetryable(err) {
			return err
		}
	}
	return fmt.Errorf("kvt: gave up after %d attempts: %w", MaxRetries, err)
}

func backoff(attempt int) {
	d := time.Duration(1<<min(attempt, 10)) * time.Microsecond
	time.Sleep(d + time.Duration(rand.Int64N(int64(d))))
}

// debugFailNextSync makes the next log fsync fail (test hook).
func (db *DB) debugFailNextSync() {
	if db.enter() == nil {
		cDebugFailNextSync(db.c)
		db.mu.RUnlock()
	}
}

// debugCrashInCheckpoint makes the next checkpoint exit the process halfway
// through writing its file (test hook for crash tests).
func (db *DB) debugCrashInCheckpoint() {
	if db.enter() == nil {
		cDebugCrashInCheckpoint(db.c)
		db.mu.RUnlock()
	}
}

// Batch runs mixed gets, sets and deletes in one serializable transaction
// (one engine call for the operations, one for the commit), retrying the
// whole batch on conflicts like Update.
func (db *DB) Batch(ops []BatchOp) ([]BatchResult, error) {
	var res []BatchResult
	err := db.Update(func(tx *Tx) error {
		var err error
		res, err = tx.Batch(ops)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
