package native

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Benchmarks: 16-byte keys, 100-byte values. Figures against bbolt and
// Pebble come from tests/bench/kvcompare.
//
// Timed loops generate each key into a reused buffer (putBenchKey) instead
// of indexing a table of separately allocated keys: a lookup in such a table
// costs the harness itself one or two cache misses (slice header, key bytes)
// per operation, which would be charged to the engine.

const benchKeys = 200_000

// putBenchKey writes key i (16 bytes: a scrambled 8-byte prefix, then i) into
// b and returns it.
func putBenchKey(b []byte, i int) []byte {
	b = b[:16]
	binary.BigEndian.PutUint64(b, uint64(i)*0x9E3779B97F4A7C15)
	binary.BigEndian.PutUint64(b[8:], uint64(i))
	return b
}

func benchKey(i int) []byte { return putBenchKey(make([]byte, 16), i) }

var (
	benchOnce sync.Once
	benchDB   *DB
	benchTB   TableID
)

func benchFixture(b *testing.B) (*DB, TableID) {
	benchOnce.Do(func() {
		db, err := Open("", Options{Logger: quietLogger()})
		if err != nil {
			b.Fatal(err)
		}
		tb, _ := db.CreateTable("bench", Range)
		val := make([]byte, 100)
		kb := make([]byte, 16)
		perm := rand.New(rand.NewPCG(1, 1)).Perm(benchKeys)
		for i := 0; i < benchKeys; i += 10000 {
			tx, _ := db.Begin(TxOptions{})
			for _, j := range perm[i : i+10000] {
				_ = tx.Set(tb.ID, putBenchKey(kb, j), val)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		// Steady state: what the background sweep would do within a
		// GCInterval of the load, done now so that no benchmark races it.
		if err := db.GC(); err != nil {
			b.Fatal(err)
		}
		benchDB, benchTB = db, tb.ID
	})
	return benchDB, benchTB
}

func BenchmarkTxGet(b *testing.B) {
	db, tb := benchFixture(b)
	r := rand.New(rand.NewPCG(2, 2))
	kb := make([]byte, 16)
	tx, _ := db.Begin(TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%1000 == 999 {
			tx.Rollback()
			tx, _ = db.Begin(TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
		}
		if _, err := tx.Get(tb, putBenchKey(kb, r.IntN(benchKeys))); err != nil {
			b.Fatal(err)
		}
	}
	tx.Rollback()
}

func BenchmarkSerializableTxGet(b *testing.B) {
	db, tb := benchFixture(b)
	r := rand.New(rand.NewPCG(2, 2))
	kb := make([]byte, 16)
	tx, _ := db.Begin(TxOptions{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%1000 == 999 {
			tx.Rollback()
			tx, _ = db.Begin(TxOptions{})
		}
		if _, err := tx.Get(tb, putBenchKey(kb, r.IntN(benchKeys))); err != nil {
			b.Fatal(err)
		}
	}
	tx.Rollback()
}

func BenchmarkDBGet(b *testing.B) {
	db, tb := benchFixture(b)
	r := rand.New(rand.NewPCG(2, 2))
	kb := make([]byte, 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Get(tb, putBenchKey(kb, r.IntN(benchKeys))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTxGetAppend is BenchmarkTxGet through the allocation-free API.
func BenchmarkTxGetAppend(b *testing.B) {
	db, tb := benchFixture(b)
	r := rand.New(rand.NewPCG(2, 2))
	kb := make([]byte, 16)
	var val []byte
	tx, _ := db.Begin(TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%1000 == 999 {
			tx.Rollback()
			tx, _ = db.Begin(TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
		}
		var err error
		if val, err = tx.GetAppend(val[:0], tb, putBenchKey(kb, r.IntN(benchKeys))); err != nil {
			b.Fatal(err)
		}
	}
	tx.Rollback()
}

// BenchmarkDBGetAppend is BenchmarkDBGet through the allocation-free API.
func BenchmarkDBGetAppend(b *testing.B) {
	db, tb := benchFixture(b)
	r := rand.New(rand.NewPCG(2, 2))
	kb := make([]byte, 16)
	var val []byte
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if val, err = db.GetAppend(val[:0], tb, putBenchKey(kb, r.IntN(benchKeys))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMultiGet100(b *testing.B) {
	db, tb := benchFixture(b)
	r := rand.New(rand.NewPCG(2, 2))
	keys := make([][]byte, 100)
	kbuf := make([]byte, 16*len(keys))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range keys {
			keys[j] = putBenchKey(kbuf[16*j:], r.IntN(benchKeys))
		}
		if _, err := db.MultiGet(tb, keys); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/key")
}

func BenchmarkScan100(b *testing.B) {
	db, tb := benchFixture(b)
	r := rand.New(rand.NewPCG(3, 3))
	kb := make([]byte, 16)
	tx, _ := db.Begin(TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	defer tx.Rollback()
	entries := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := tx.Scan(tb, putBenchKey(kb, r.IntN(benchKeys)), nil, ScanOptions{Limit: 100})
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < p.Len(); j++ {
			_ = p.UnsafeValue(j)
		}
		entries += p.Len()
		p.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(entries), "ns/entry")
}

func BenchmarkCommitNoSync(b *testing.B) {
	db, err := Open(b.TempDir(), Options{Sync: SyncOff, CheckpointInterval: -1, CheckpointLogBytes: 1 << 40, Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tb, _ := db.CreateTable("t", Range)
	val := make([]byte, 100)
	kb := make([]byte, 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx, _ := db.Begin(TxOptions{})
		_ = tx.Set(tb.ID, putBenchKey(kb, i), val)
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCommitSync32(b *testing.B) {
	db, err := Open(b.TempDir(), Options{CheckpointInterval: -1, CheckpointLogBytes: 1 << 40, Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tb, _ := db.CreateTable("t", Range)
	val := make([]byte, 100)
	var seq atomic.Int64
	b.SetParallelism(32)
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tx, _ := db.Begin(TxOptions{})
			_ = tx.Set(tb.ID, benchKey(int(seq.Add(1))), val)
			if err := tx.Commit(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commits/s")
	b.ReportMetric(float64(db.Stats().WALSyncs), "fsyncs")
}

// BenchmarkCommitBatch50k commits batches of 50k random new keys (16-byte
// keys, 100-byte values) into a growing table, WAL on without fsync: the
// per-key cost of a large (bulk-load) commit, as ns/key.
func BenchmarkCommitBatch50k(b *testing.B) {
	db, err := Open(b.TempDir(), Options{Sync: SyncOff, CheckpointInterval: -1, CheckpointLogBytes: 1 << 40, Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tb, _ := db.CreateTable("t", Range)
	val := make([]byte, 100)
	kb := make([]byte, 16)
	const n = 50_000
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx, _ := db.Begin(TxOptions{})
		for j := 0; j < n; j++ {
			_ = tx.Set(tb.ID, putBenchKey(kb, i*n+j), val)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
}
