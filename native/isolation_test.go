package native

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

func begin(t *testing.T, db *DB, o TxOptions) *Tx {
	t.Helper()
	tx, err := db.Begin(o)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

func set(t *testing.T, db *DB, tb TableID, key, val string) {
	t.Helper()
	if err := db.Update(func(tx *Tx) error { return tx.Set(tb, []byte(key), []byte(val)) }); err != nil {
		t.Fatal(err)
	}
}

func TestLostUpdatePrevented(t *testing.T) {
	for _, iso := range []Isolation{Serializable, SnapshotIsolation} {
		db := openMem(t)
		tb := mustTable(t, db, "t", Range)
		set(t, db, tb, "ctr", "0")
		t1, t2 := begin(t, db, TxOptions{Isolation: iso}), begin(t, db, TxOptions{Isolation: iso})
		for _, tx := range []*Tx{t1, t2} {
			v, err := tx.Get(tb, []byte("ctr"))
			if err != nil {
				t.Fatal(err)
			}
			n, _ := strconv.Atoi(string(v))
			_ = tx.Set(tb, []byte("ctr"), []byte(strconv.Itoa(n+1)))
		}
		if err := t1.Commit(); err != nil {
			t.Fatal(err)
		}
		err := t2.Commit()
		if !errors.Is(err, ErrConflict) || !IsRetryable(err) {
			t.Fatalf("iso %d: lost update not detected: %v", iso, err)
		}
		if v, _ := db.Get(tb, []byte("ctr")); string(v) != "1" {
			t.Fatalf("ctr = %s", v)
		}
	}
	// The Update helper retries conflicts: N concurrent increments all land.
	db := openMem(t)
	tb := mustTable(t, db, "t", Hash)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				err := db.Update(func(tx *Tx) error {
					v, err := tx.Get(tb, []byte("ctr"))
					n := 0
					if err == nil {
						n, _ = strconv.Atoi(string(v))
					} else if !errors.Is(err, ErrKeyNotFound) {
						return err
					}
					return tx.Set(tb, []byte("ctr"), []byte(strconv.Itoa(n+1)))
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if v, _ := db.Get(tb, []byte("ctr")); string(v) != "400" {
		t.Fatalf("concurrent increments: %s", v)
	}
}

func TestWriteSkew(t *testing.T) {
	run := func(iso Isolation) error {
		db := openMem(t)
		tb := mustTable(t, db, "oncall", Range)
		set(t, db, tb, "alice", "1")
		set(t, db, tb, "bob", "1")
		t1, t2 := begin(t, db, TxOptions{Isolation: iso}), begin(t, db, TxOptions{Isolation: iso})
		// Each doctor checks that the other is on call, then goes off call.
		for i, tx := range []*Tx{t1, t2} {
			other := []string{"bob", "alice"}[i]
			me := []string{"alice", "bob"}[i]
			if v, err := tx.Get(tb, []byte(other)); err != nil || string(v) != "1" {
				t.Fatalf("read %s: %v", other, err)
			}
			_ = tx.Set(tb, []byte(me), []byte("0"))
		}
		if err := t1.Commit(); err != nil {
			t.Fatal(err)
		}
		return t2.Commit()
	}
	if err := run(Serializable); !errors.Is(err, ErrConflict) {
		t.Fatalf("serializable must prevent write skew: %v", err)
	}
	if err := run(SnapshotIsolation); err != nil {
		t.Fatalf("snapshot isolation permits write skew (documented): %v", err)
	}
}

func TestPhantomInScannedRange(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	for i := 0; i < 10; i++ {
		set(t, db, tb, fmt.Sprintf("item/%02d", i*10), "x")
	}
	count := func(tx *Tx, lo, hi string, limit int) (int, bool) {
		p, err := tx.Scan(tb, []byte(lo), []byte(hi), ScanOptions{Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Release()
		return p.Len(), p.More()
	}
	// T1 counts items in [item/20, item/50) and records the count elsewhere.
	t1 := begin(t, db, TxOptions{})
	if n, _ := count(t1, "item/20", "item/50", 100); n != 3 {
		t.Fatalf("count: %d", n)
	}
	set(t, db, tb, "item/35", "phantom")
	_ = t1.Set(tb, []byte("summary"), []byte("3"))
	if err := t1.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("phantom not detected: %v", err)
	}
	// A deletion inside the range is a conflict too.
	t2 := begin(t, db, TxOptions{})
	count(t2, "item/20", "item/50", 100)
	_ = db.Update(func(tx *Tx) error { return tx.Delete(tb, []byte("item/30")) })
	_ = t2.Set(tb, []byte("summary"), []byte("3"))
	if err := t2.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("delete in scanned range not detected: %v", err)
	}
	// An insert outside the scanned range, or past where a limited scan
	// stopped, does not conflict.
	t3 := begin(t, db, TxOptions{})
	if n, more := count(t3, "item/", "item/99", 2); n != 2 || !more {
		t.Fatalf("limited scan: %d %v", n, more)
	}
	set(t, db, tb, "item/55", "later")
	set(t, db, tb, "zzz", "outside")
	_ = t3.Set(tb, []byte("summary"), []byte("2"))
	if err := t3.Commit(); err != nil {
		t.Fatalf("insert past the scanned prefix must not conflict: %v", err)
	}
	// Reverse scans record their range as well.
	t4 := begin(t, db, TxOptions{})
	p, _ := t4.Scan(tb, []byte("item/"), []byte("item/99"), ScanOptions{Limit: 2, Reverse: true})
	p.Release()
	set(t, db, tb, "item/01", "below the reverse page")
	set(t, db, tb, "item/85", "inside the reverse page")
	_ = t4.Set(tb, []byte("summary"), []byte("r"))
	if err := t4.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("phantom in reverse page not detected: %v", err)
	}
	// Reading an absent key then someone inserting it conflicts.
	t5 := begin(t, db, TxOptions{})
	if _, err := t5.Get(tb, []byte("nothere")); !errors.Is(err, ErrKeyNotFound) {
		t.Fatal(err)
	}
	set(t, db, tb, "nothere", "now")
	_ = t5.Set(tb, []byte("summary"), []byte("x"))
	if err := t5.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("insert of a key read as absent not detected: %v", err)
	}
}

func TestReadOnlySnapshotStable(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	for i := 0; i < 100; i++ {
		set(t, db, tb, string(k(i)), "v0")
	}
	snap := begin(t, db, TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for n := 0; !stop.Load(); n++ {
				_ = db.Update(func(tx *Tx) error {
					for j := 0; j < 5; j++ {
						i := (n*7 + j*13 + g) % 150
						if i%4 == 0 {
							_ = tx.Delete(tb, k(i))
						} else {
							_ = tx.Set(tb, k(i), []byte(fmt.Sprintf("v%d", n+1)))
						}
					}
					return nil
				})
			}
		}(g)
	}
	for round := 0; round < 30; round++ {
		it := snap.NewIterator(tb, IterOptions{PageSize: 17})
		n := 0
		for it.Next() {
			if string(it.UnsafeValue()) != "v0" {
				t.Errorf("round %d: %s changed to %s", round, it.UnsafeKey(), it.UnsafeValue())
			}
			n++
		}
		if err := it.Close(); err != nil || n != 100 {
			t.Fatalf("round %d: %d keys, %v", round, n, err)
		}
		if v, err := snap.Get(tb, k(4)); err != nil || string(v) != "v0" {
			t.Fatalf("point read changed: %q %v", v, err)
		}
		if _, err := snap.Get(tb, k(120)); !errors.Is(err, ErrKeyNotFound) {
			t.Fatalf("key inserted later visible: %v", err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if err := snap.Commit(); err != nil {
		t.Fatalf("read-only commit: %v", err)
	}
	if db.Stats().Commits == 0 {
		t.Fatal("writers did not commit")
	}
}

// TestBlindDeletesConflict: deleting a key is a write even when it is absent,
// so two snapshot transactions that both delete (lock) it conflict.
func TestBlindDeletesConflict(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	t1 := begin(t, db, TxOptions{Isolation: SnapshotIsolation})
	t2 := begin(t, db, TxOptions{Isolation: SnapshotIsolation})
	for _, tx := range []*Tx{t1, t2} {
		_ = tx.Delete(tb, []byte("uniq"))
	}
	if err := t1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := t2.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("second blind delete: %v", err)
	}
	if _, err := db.Get(tb, []byte("uniq")); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("delete created the key: %v", err)
	}
	_ = db.GC()
	if v := db.Stats().LiveVersions; v != 0 {
		t.Fatalf("tombstone not reclaimed: %d", v)
	}
}
