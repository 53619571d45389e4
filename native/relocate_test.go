package native

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
)

// Tests of relocation: the sweep (background, or DB.GC) copies stable
// leaves and their versions into key order and frees the old blocks (see
// relocate_leaf in kvt_engine.cc and "Garbage collection, relocation and
// long readers" in doc.go).

// relocValue is the value of key i in generation gen: sizes vary from empty
// to past the arena's 4 KiB limit (such versions live outside the arena and
// stay where they are).
func relocValue(i, gen int) []byte {
	n := (i * 37) % 300
	switch i % 97 {
	case 0:
		n = 0
	case 1:
		n = 5000
	}
	v := bytes.Repeat([]byte{byte('a' + (i+gen)%26)}, n)
	return append(v, fmt.Sprintf("/%d/%d", i, gen)...)
}

// readAll returns the table's contents at one snapshot, read three ways
// (small forward pages, small reverse pages, Get of every key), after
// checking that they agree.
func readAll(t *testing.T, db *DB, tb TableID) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := db.View(func(tx *Tx) error {
		var keys []string
		it := tx.NewIterator(tb, IterOptions{PageSize: 7})
		for it.Next() {
			k := string(it.Key())
			if n := len(keys); n > 0 && keys[n-1] >= k {
				return fmt.Errorf("scan out of order: %q after %q", k, keys[n-1])
			}
			keys = append(keys, k)
			got[k] = string(it.Value())
		}
		if err := it.Close(); err != nil {
			return err
		}
		var rev []string
		it = tx.NewIterator(tb, IterOptions{PageSize: 5, Reverse: true})
		for it.Next() {
			rev = append(rev, string(it.Key()))
			if got[string(it.Key())] != string(it.Value()) {
				return fmt.Errorf("reverse scan: %q = %q, forward scan saw %q", it.Key(), it.Value(), got[string(it.Key())])
			}
		}
		if err := it.Close(); err != nil {
			return err
		}
		if len(rev) != len(keys) {
			return fmt.Errorf("reverse scan: %d keys, forward %d", len(rev), len(keys))
		}
		var buf []byte
		for k, v := range got {
			var err error
			if buf, err = tx.GetAppend(buf[:0], tb, []byte(k)); err != nil || string(buf) != v {
				return fmt.Errorf("get %q: %q %v, scan saw %q", k, buf, err, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func diffData(got, want map[string]string) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d keys, want %d", len(got), len(want))
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return fmt.Errorf("%q = %q (present %v), want %q", k, g, ok, v)
		}
	}
	return nil
}

func sameData(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if err := diffData(got, want); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestRelocationKeepsData loads keys in random order (versions scattered in
// memory), relocates them, and checks that every read path returns the same
// data, that emptied memory went back to the OS, that packed leaves are not
// copied again, and that the result survives a checkpoint and a reopen.
func TestRelocationKeepsData(t *testing.T) {
	dir := t.TempDir()
	db := openDir(t, dir, Options{Sync: SyncOff, GCInterval: 1 << 40, CheckpointInterval: -1})
	tb := mustTable(t, db, "t", Range)
	hb := mustTable(t, db, "h", Hash) // hash tables are not relocated
	const n = 20000
	want := map[string]string{}
	perm := rand.New(rand.NewPCG(5, 5)).Perm(n)
	// The range table first, the hash table after: the chunks that the
	// range table's versions leave are then theirs alone, and empty.
	for _, table := range []TableID{tb, hb} {
		for i := 0; i < n; i += 1000 {
			err := db.Update(func(tx *Tx) error {
				for _, j := range perm[i : i+1000] {
					if err := tx.Set(table, k(j), relocValue(j, 0)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for j := 0; j < n; j++ {
		want[string(k(j))] = string(relocValue(j, 0))
	}
	// Overwrites and deletions leave garbage, tombstones and gaps.
	err := db.Update(func(tx *Tx) error {
		for j := 0; j < n; j += 7 {
			v := relocValue(j, 1)
			want[string(k(j))] = string(v)
			if err := tx.Set(tb, k(j), v); err != nil {
				return err
			}
		}
		for j := 3; j < n; j += 11 {
			delete(want, string(k(j)))
			if err := tx.Delete(tb, k(j)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sameData(t, "before relocation", readAll(t, db, tb), want)
	before := db.Stats()
	if err := db.GC(); err != nil {
		t.Fatal(err)
	}
	s := db.Stats()
	if s.Relocated <= before.Relocated || s.LeavesRelocated == 0 {
		t.Fatalf("nothing relocated: %+v", s)
	}
	if s.ArenaReleased == 0 {
		t.Fatalf("relocation emptied no chunk: %+v", s)
	}
	// The chunks the old versions lived in are gone: what stays reserved is
	// close to what is used (a few partly used chunks, 2 MiB each).
	if s.ArenaBytes > s.VersionBytes+s.VersionBytes/4+(8<<20) {
		t.Fatalf("after relocation %d bytes reserved for %d used", s.ArenaBytes, s.VersionBytes)
	}
	sameData(t, "after relocation", readAll(t, db, tb), want)
	hash := map[string]string{}
	for j := 0; j < n; j++ {
		hash[string(k(j))] = string(relocValue(j, 0))
	}
	for key, v := range hash {
		got, err := db.Get(hb, []byte(key))
		if err != nil || string(got) != v {
			t.Fatalf("hash get %q: %q %v", key, got, err)
		}
	}

	// Packed leaves are left alone.
	if err := db.GC(); err != nil {
		t.Fatal(err)
	}
	if s2 := db.Stats(); s2.Relocated != s.Relocated {
		t.Fatalf("second sweep relocated %d versions again", s2.Relocated-s.Relocated)
	}

	// New keys disorder the leaves (a few per leaf are tolerated, these are
	// more); the next sweep packs them again.
	err = db.Update(func(tx *Tx) error {
		for j := 0; j < n; j += 8 {
			key := append(k(j), "+new"...)
			want[string(key)] = "new"
			if err := tx.Set(tb, key, []byte("new")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.GC(); err != nil {
		t.Fatal(err)
	}
	if s3 := db.Stats(); s3.Relocated == s.Relocated {
		t.Fatal("leaves disordered by new keys were not relocated")
	}
	sameData(t, "after new writes", readAll(t, db, tb), want)
	counts, err := db.CountRanges(tb, []KeyRange{{Start: k(0), End: k(n / 2)}, {Start: k(n / 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if int(counts[0]+counts[1]) != len(want) {
		t.Fatalf("counts %v, want %d keys", counts, len(want))
	}

	if err := db.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDir(t, dir, Options{})
	defer db.Close()
	sameData(t, "after reopen", readAll(t, db, tb), want)
}

// TestRelocationConcurrent runs relocation (DB.GC in a loop, plus the
// background sweep) while writers move balance between accounts (changing
// value sizes, and inserting and deleting keys between them, so leaves
// split, shrink and are disordered) and readers check at their snapshot
// that the balances add up and that scans agree with gets, MultiGet and
// reverse scans. For the first half of the run an old snapshot stays open
// (holding the horizon back: only leaves untouched since it are relocated);
// it must still read exactly what it read at the start.
func TestRelocationConcurrent(t *testing.T) {
	db, err := Open("", Options{GCInterval: 1, MaxSnapshotLag: NoSnapshotLagLimit, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tb := mustTable(t, db, "accounts", Range)
	const accounts = 3000
	const initial = 1000
	acct := func(i int) []byte { return []byte(fmt.Sprintf("a%05d", i)) }
	enc := func(bal int64, pad int) []byte {
		v := make([]byte, 8+pad)
		binary.LittleEndian.PutUint64(v, uint64(bal))
		for i := 8; i < len(v); i++ {
			v[i] = byte(i)
		}
		return v
	}
	dec := func(v []byte) (int64, error) {
		if len(v) < 8 {
			return 0, fmt.Errorf("value of %d bytes", len(v))
		}
		return int64(binary.LittleEndian.Uint64(v)), nil
	}
	perm := rand.New(rand.NewPCG(9, 9)).Perm(accounts)
	for i := 0; i < accounts; i += 500 {
		err := db.Update(func(tx *Tx) error {
			for _, j := range perm[i : i+500] {
				if err := tx.Set(tb, acct(j), enc(initial, j%200)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	if err := db.GC(); err != nil { // packs everything written so far
		t.Fatal(err)
	}
	// Disorder many leaves before the old snapshot, so that relocation has
	// work it may do while the snapshot holds the horizon back.
	err = db.Update(func(tx *Tx) error {
		for i := 0; i < accounts; i += 20 {
			if err := tx.Set(tb, append(acct(i), "-x"...), enc(0, i%50)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The old snapshot reads everything now, and again halfway through.
	old, err := db.Begin(TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Rollback()
	snapshot := func() map[string]string {
		m := map[string]string{}
		it := old.NewIterator(tb, IterOptions{PageSize: 64})
		for it.Next() {
			m[string(it.Key())] = string(it.Value())
		}
		if err := it.Close(); err != nil {
			t.Errorf("old snapshot: %v", err)
		}
		return m
	}
	oldData := snapshot()
	if len(oldData) != accounts+accounts/20 {
		t.Fatalf("old snapshot sees %d keys", len(oldData))
	}
	var progress atomic.Int64

	var stop atomic.Bool
	var wg sync.WaitGroup
	fail := func(err error) {
		t.Error(err)
		stop.Store(true)
	}
	// Writers.
	var writerWG sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		writerWG.Add(1)
		go func(w int) {
			defer wg.Done()
			defer writerWG.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for i := 0; i < 1000 && !stop.Load(); i++ {
				progress.Add(1)
				a, b := r.IntN(accounts), r.IntN(accounts)
				if a == b {
					continue
				}
				amt := int64(r.IntN(50))
				tmp := append(acct(r.IntN(accounts)), fmt.Sprintf("-tmp%d", w)...)
				err := db.Update(func(tx *Tx) error {
					va, err := tx.Get(tb, acct(a))
					if err != nil {
						return err
					}
					vb, err := tx.Get(tb, acct(b))
					if err != nil {
						return err
					}
					ba, err := dec(va)
					if err != nil {
						return err
					}
					bb, err := dec(vb)
					if err != nil {
						return err
					}
					if err := tx.Set(tb, acct(a), enc(ba-amt, r.IntN(400))); err != nil {
						return err
					}
					if err := tx.Set(tb, acct(b), enc(bb+amt, r.IntN(400))); err != nil {
						return err
					}
					// Keys with a zero balance come and go between accounts.
					if i%2 == 0 {
						return tx.Set(tb, tmp, enc(0, r.IntN(100)))
					}
					return tx.Delete(tb, tmp)
				})
				if err != nil {
					fail(fmt.Errorf("writer %d: %w", w, err))
					return
				}
			}
		}(w)
	}
	// Readers.
	for rd := 0; rd < 2; rd++ {
		wg.Add(1)
		go func(rd int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(rd), 2))
			for !stop.Load() {
				err := db.View(func(tx *Tx) error {
					var sum int64
					var keys []string
					vals := map[string]string{}
					it := tx.NewIterator(tb, IterOptions{PageSize: 1 + r.IntN(300)})
					for it.Next() {
						bal, err := dec(it.UnsafeValue())
						if err != nil {
							it.Close()
							return fmt.Errorf("key %q: %w", it.Key(), err)
						}
						sum += bal
						keys = append(keys, string(it.Key()))
						vals[string(it.Key())] = string(it.Value())
					}
					if err := it.Close(); err != nil {
						return err
					}
					if sum != accounts*initial {
						return fmt.Errorf("balances add up to %d, want %d", sum, accounts*initial)
					}
					if !sort.StringsAreSorted(keys) {
						return errors.New("scan out of order")
					}
					// Gets and MultiGet agree with the scan.
					batch := make([][]byte, 40)
					for i := range batch {
						batch[i] = []byte(keys[r.IntN(len(keys))])
					}
					res, err := tx.MultiGet(tb, batch)
					if err != nil {
						return err
					}
					for i, key := range batch {
						if string(res[i]) != vals[string(key)] {
							return fmt.Errorf("multiget %q: %q, scan saw %q", key, res[i], vals[string(key)])
						}
						v, err := tx.Get(tb, key)
						if err != nil || string(v) != vals[string(key)] {
							return fmt.Errorf("get %q: %q %v, scan saw %q", key, v, err, vals[string(key)])
						}
					}
					// A reverse scan of a random range is the forward one
					// backwards.
					lo := r.IntN(len(keys))
					hi := min(len(keys), lo+1+r.IntN(500))
					var end []byte
					if hi < len(keys) {
						end = []byte(keys[hi])
					}
					it = tx.NewIterator(tb, IterOptions{Lower: []byte(keys[lo]), Upper: end, Reverse: true, PageSize: 1 + r.IntN(50)})
					j := hi - 1
					for it.Next() {
						if j < lo || string(it.Key()) != keys[j] || string(it.Value()) != vals[keys[j]] {
							it.Close()
							return fmt.Errorf("reverse scan disagrees at %q (forward index %d)", it.Key(), j)
						}
						j--
					}
					if err := it.Close(); err != nil {
						return err
					}
					if j != lo-1 {
						return fmt.Errorf("reverse scan of [%d,%d) stopped at %d", lo, hi, j)
					}
					return nil
				})
				if err != nil {
					fail(fmt.Errorf("reader %d: %w", rd, err))
					return
				}
			}
		}(rd)
	}
	// Relocation, continuously.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			if err := db.GC(); err != nil {
				fail(err)
				return
			}
		}
	}()
	for progress.Load() < 1500 && !stop.Load() {
		runtime.Gosched()
	}
	if err := diffData(snapshot(), oldData); err != nil {
		fail(fmt.Errorf("old snapshot: %w", err))
	}
	old.Rollback()
	writerWG.Wait()
	stop.Store(true)
	wg.Wait()
	if t.Failed() {
		return
	}
	if err := db.GC(); err != nil {
		t.Fatal(err)
	}
	s := db.Stats()
	if s.Relocated == 0 || s.LeavesRelocated == 0 {
		t.Fatalf("nothing was relocated: %+v", s)
	}
	t.Logf("relocated %d versions in %d leaves over %d sweeps", s.Relocated, s.LeavesRelocated, s.GCSweeps)
	var sum int64
	for _, v := range readAll(t, db, tb) {
		bal, err := dec([]byte(v))
		if err != nil {
			t.Fatal(err)
		}
		sum += bal
	}
	if sum != accounts*initial {
		t.Fatalf("final balances add up to %d", sum)
	}
}
