package native

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// countByScan counts [start, end) by paging a scan: the reference for
// CountRanges.
func countByScan(t *testing.T, tx *Tx, tb TableID, r KeyRange) int64 {
	t.Helper()
	var n int64
	opts := ScanOptions{Limit: 7}
	for {
		p, err := tx.Scan(tb, r.Start, r.End, opts)
		if err != nil {
			t.Fatal(err)
		}
		n += int64(p.Len())
		if !p.More() {
			return n
		}
		opts.Continuation = p.Continuation()
	}
}

func TestCountRangesMatchesScan(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	rng := rand.New(rand.NewPCG(7, 7))
	// Committed data with overwrites and deletions over several commits.
	for c := 0; c < 5; c++ {
		if err := db.Update(func(tx *Tx) error {
			for i := 0; i < 300; i++ {
				j := rng.IntN(1000)
				if rng.IntN(4) == 0 {
					_ = tx.Delete(tb, k(j))
				} else {
					_ = tx.Set(tb, k(j), []byte("v"))
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	old := begin(t, db, TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	defer old.Rollback()
	oldRanges := []KeyRange{{Start: k(0)}, {Start: k(100), End: k(200)}}
	oldWant := []int64{countByScan(t, old, tb, oldRanges[0]), countByScan(t, old, tb, oldRanges[1])}
	// Newer commits the old snapshot must not see.
	set(t, db, tb, string(k(150)), "new")
	set(t, db, tb, string(k(5000)), "new")

	tx := begin(t, db, TxOptions{})
	defer tx.Rollback()
	// Pending writes: read-your-writes, including deletes of present keys.
	for i := 0; i < 200; i++ {
		j := rng.IntN(1100)
		if rng.IntN(3) == 0 {
			_ = tx.Delete(tb, k(j))
		} else {
			_ = tx.Set(tb, k(j), []byte("w"))
		}
	}
	var ranges []KeyRange
	for i := 0; i < 50; i++ {
		a, b := rng.IntN(1200), rng.IntN(1200)
		r := KeyRange{Start: k(a), End: k(b)}
		if i%10 == 0 {
			r.End = nil
		}
		ranges = append(ranges, r)
	}
	ranges = append(ranges, KeyRange{Start: []byte("k"), End: []byte("l")}, KeyRange{Start: []byte{0}})
	got, err := tx.CountRanges(tb, ranges)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range ranges {
		if want := countByScan(t, tx, tb, r); got[i] != want {
			t.Fatalf("range %d [%q, %q): CountRanges = %d, scan = %d", i, r.Start, r.End, got[i], want)
		}
	}
	got, err = old.CountRanges(tb, oldRanges)
	if err != nil {
		t.Fatal(err)
	}
	for i := range oldRanges {
		if got[i] != oldWant[i] {
			t.Fatalf("old snapshot range %d: %d, want %d", i, got[i], oldWant[i])
		}
	}
	one, err := db.CountRanges(tb, []KeyRange{{Start: k(5000), End: k(5001)}})
	if err != nil || one[0] != 1 {
		t.Fatalf("DB.CountRanges = %v, %v", one, err)
	}
	h := mustTable(t, db, "h", Hash)
	if _, err := db.CountRanges(h, []KeyRange{{Start: k(0)}}); !errors.Is(err, ErrNotRangeTable) {
		t.Fatalf("count on a hash table: %v", err)
	}
}

// A counted range is a read: a concurrent insert into it is a phantom.
func TestCountRangesPhantom(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	set(t, db, tb, "a1", "x")
	for _, inside := range []bool{true, false} {
		tx := begin(t, db, TxOptions{})
		n, err := tx.CountRanges(tb, []KeyRange{{Start: []byte("a"), End: []byte("b")}, {Start: []byte("c"), End: []byte("d")}})
		if err != nil || n[0] < 1 || (inside && n[1] != 0) {
			t.Fatalf("counts %v, %v", n, err)
		}
		_ = tx.Set(tb, []byte("z"), []byte("w")) // make it a writer
		key := "c5"
		if !inside {
			key = "b5"
		}
		set(t, db, tb, key, "y")
		err = tx.Commit()
		if inside && !errors.Is(err, ErrConflict) {
			t.Fatalf("phantom in a counted range not detected: %v", err)
		}
		if !inside && err != nil {
			t.Fatalf("insert outside the counted ranges conflicted: %v", err)
		}
	}
}

// Writes flushed early (past flushBytes) stay unindexed until a read or the
// commit: reads, Batch gets and the commit must all see them, the last
// write of a key winning across the flush boundary.
func TestDeferredWrites(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	val := make([]byte, 1000)
	for _, read := range []string{"none", "get", "batch", "count"} {
		tx := begin(t, db, TxOptions{})
		_ = tx.Set(tb, []byte("x-"+read), []byte("first"))
		_ = tx.Set(tb, []byte("y-"+read), []byte("keep"))
		for i := 0; i < 3000; i++ { // > flushBytes: flushed before the end
			_ = tx.Set(tb, []byte(read+string(k(i))), val)
		}
		switch read {
		case "get":
			if v, err := tx.Get(tb, []byte("x-"+read)); err != nil || string(v) != "first" {
				t.Fatalf("get after deferred writes: %q, %v", v, err)
			}
		case "batch":
			res, err := tx.Batch([]BatchOp{{Kind: OpGet, Table: tb, Key: []byte("x-" + read)}})
			if err != nil || !res[0].Found || string(res[0].Value) != "first" {
				t.Fatalf("batch get after deferred writes: %+v, %v", res, err)
			}
		case "count":
			n, err := tx.CountRanges(tb, []KeyRange{{Start: []byte(read), End: []byte(read + "\xff")}})
			if err != nil || n[0] != 3000 {
				t.Fatalf("count after deferred writes: %v, %v", n, err)
			}
		}
		_ = tx.Set(tb, []byte("x-"+read), []byte("second"))
		_ = tx.Delete(tb, []byte("y-"+read))
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if v, err := db.Get(tb, []byte("x-"+read)); err != nil || string(v) != "second" {
			t.Fatalf("%s: x = %q, %v", read, v, err)
		}
		if _, err := db.Get(tb, []byte("y-"+read)); !errors.Is(err, ErrKeyNotFound) {
			t.Fatalf("%s: deleted key: %v", read, err)
		}
		n, _ := db.CountRanges(tb, []KeyRange{{Start: []byte(read), End: []byte(read + "\xff")}})
		if n[0] != 3000 {
			t.Fatalf("%s: %d keys committed, want 3000", read, n[0])
		}
	}
}
