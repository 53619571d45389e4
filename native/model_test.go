package native

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
)

// The model test runs random concurrent transactions, records what each
// committed transaction read and wrote, and checks the history against a
// reference map replayed in commit order: a serializable writer must have
// read exactly the state left by every commit before its commit timestamp
// (plus its own writes); a read-only snapshot transaction exactly the state
// at its snapshot timestamp.

type mop struct {
	kind    int // 0 get, 1 set, 2 delete, 3 scan, 4 multiget
	key     string
	keys    []string
	val     string
	lo, hi  string
	limit   int
	reverse bool
	// observed
	found bool
	got   string
	page  [][2]string
	more  bool
	multi []*string
}

type mtx struct {
	ops      []mop
	ts       uint64
	readOnly bool
}

const modelKeys = 24

func mkey(i int) string { return fmt.Sprintf("key%02d", i) }

func randomTx(r *rand.Rand, readOnly bool) []mop {
	n := 1 + r.IntN(6)
	ops := make([]mop, 0, n)
	for i := 0; i < n; i++ {
		kind := r.IntN(5)
		if readOnly && (kind == 1 || kind == 2) {
			kind = 0
		}
		op := mop{kind: kind, key: mkey(r.IntN(modelKeys))}
		switch kind {
		case 1:
			op.val = fmt.Sprintf("v%d", r.IntN(1000))
		case 3:
			a, b := r.IntN(modelKeys+1), r.IntN(modelKeys+1)
			if a > b {
				a, b = b, a
			}
			op.lo, op.hi = mkey(a), mkey(b)
			if r.IntN(4) == 0 {
				op.hi = ""
			}
			op.limit = 1 + r.IntN(8)
			op.reverse = r.IntN(2) == 0
		case 4:
			for j := 0; j < 1+r.IntN(4); j++ {
				op.keys = append(op.keys, mkey(r.IntN(modelKeys)))
			}
		}
		ops = append(ops, op)
	}
	return ops
}

func execTx(tx *Tx, tb TableID, ops []mop) error {
	for i := range ops {
		op := &ops[i]
		switch op.kind {
		case 0:
			v, err := tx.Get(tb, []byte(op.key))
			if err != nil && !errors.Is(err, ErrKeyNotFound) {
				return err
			}
			op.found, op.got = err == nil, string(v)
		case 1:
			if err := tx.Set(tb, []byte(op.key), []byte(op.val)); err != nil {
				return err
			}
		case 2:
			if err := tx.Delete(tb, []byte(op.key)); err != nil {
				return err
			}
		case 3:
			p, err := tx.Scan(tb, []byte(op.lo), []byte(op.hi), ScanOptions{Limit: op.limit, Reverse: op.reverse})
			if err != nil {
				return err
			}
			for j := 0; j < p.Len(); j++ {
				op.page = append(op.page, [2]string{string(p.UnsafeKey(j)), string(p.UnsafeValue(j))})
			}
			op.more = p.More()
			p.Release()
		case 4:
			keys := make([][]byte, len(op.keys))
			for j, k := range op.keys {
				keys[j] = []byte(k)
			}
			res, err := tx.MultiGet(tb, keys)
			if err != nil {
				return err
			}
			op.multi = make([]*string, len(res))
			for j, v := range res {
				if v != nil {
					s := string(v)
					op.multi[j] = &s
				}
			}
		}
	}
	return nil
}

// check replays one transaction against state (a copy-on-write overlay) and
// reports the first read that disagrees.
func check(state map[string]string, t mtx) (map[string]*string, error) {
	own := map[string]*string{}
	lookup := func(k string) (string, bool) {
		if v, ok := own[k]; ok {
			if v == nil {
				return "", false
			}
			return *v, true
		}
		v, ok := state[k]
		return v, ok
	}
	for i, op := range t.ops {
		switch op.kind {
		case 0:
			v, ok := lookup(op.key)
			if ok != op.found || v != op.got {
				return nil, fmt.Errorf("op %d get %s: got (%v,%q) want (%v,%q)", i, op.key, op.found, op.got, ok, v)
			}
		case 1:
			v := op.val
			own[op.key] = &v
		case 2:
			own[op.key] = nil
		case 3:
			var all []string
			for j := 0; j < modelKeys; j++ {
				k := mkey(j)
				if k < op.lo || (op.hi != "" && k >= op.hi) {
					continue
				}
				if _, ok := lookup(k); ok {
					all = append(all, k)
				}
			}
			if op.reverse {
				sort.Sort(sort.Reverse(sort.StringSlice(all)))
			}
			more := len(all) > op.limit
			if more {
				all = all[:op.limit]
			}
			if len(all) != len(op.page) || more != op.more {
				return nil, fmt.Errorf("op %d scan [%s,%s) rev=%v limit=%d: got %v more=%v want %v more=%v", i, op.lo, op.hi, op.reverse, op.limit, op.page, op.more, all, more)
			}
			for j, k := range all {
				v, _ := lookup(k)
				if op.page[j] != [2]string{k, v} {
					return nil, fmt.Errorf("op %d scan entry %d: got %v want %s=%s", i, j, op.page[j], k, v)
				}
			}
		case 4:
			for j, k := range op.keys {
				v, ok := lookup(k)
				got := op.multi[j]
				if ok != (got != nil) || (ok && *got != v) {
					return nil, fmt.Errorf("op %d multiget %s: got %v want (%v,%q)", i, k, got, ok, v)
				}
			}
		}
	}
	return own, nil
}

func runModel(t *testing.T, db *DB, workers, txPerWorker int) map[string]string {
	tb, err := db.Table("model")
	if err != nil {
		tb, err = db.CreateTable("model", Range)
		if err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var history []mtx
	conflicts := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 42))
			// Each worker holds up to two transactions open at once: a
			// transaction is sometimes left open while the next one runs, and
			// finished after it. Overlap, and so commit-time validation, is
			// exercised even when the scheduler runs the workers one by one.
			type open struct {
				tx  *Tx
				ops []mop
				ro  bool
			}
			finish := func(o open) bool {
				if r.IntN(10) == 0 {
					o.tx.Rollback()
					return true
				}
				err := o.tx.Commit()
				if errors.Is(err, ErrConflict) {
					mu.Lock()
					conflicts++
					mu.Unlock()
					return true
				}
				if err != nil {
					t.Error(err)
					return false
				}
				mu.Lock()
				history = append(history, mtx{ops: o.ops, ts: o.tx.CommitTS(), readOnly: o.ro})
				mu.Unlock()
				return true
			}
			var held *open
			for i := 0; i < txPerWorker; i++ {
				ro := r.IntN(5) == 0
				opts := TxOptions{}
				if ro {
					opts = TxOptions{Isolation: SnapshotIsolation, ReadOnly: true}
				}
				ops := randomTx(r, ro)
				tx, err := db.Begin(opts)
				if err != nil {
					t.Error(err)
					return
				}
				if err := execTx(tx, tb.ID, ops); err != nil {
					t.Error(err)
					tx.Rollback()
					return
				}
				cur := open{tx: tx, ops: ops, ro: ro}
				if held == nil && r.IntN(3) == 0 {
					held = &cur
					continue
				}
				if !finish(cur) {
					return
				}
				if held != nil {
					if !finish(*held) {
						return
					}
					held = nil
				}
			}
			if held != nil {
				finish(*held)
			}
		}(w)
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	hasWrites := func(m mtx) bool {
		for _, op := range m.ops {
			if op.kind == 1 || op.kind == 2 {
				return true
			}
		}
		return false
	}
	// Writers at their commit ts; pure readers after the writer with their
	// snapshot ts.
	sort.SliceStable(history, func(i, j int) bool {
		a, b := history[i], history[j]
		if a.ts != b.ts {
			return a.ts < b.ts
		}
		return hasWrites(a) && !hasWrites(b)
	})
	state := map[string]string{}
	seenTS := map[uint64]bool{}
	for i, m := range history {
		own, err := check(state, m)
		if err != nil {
			t.Fatalf("history entry %d (ts %d, read-only %v): %v", i, m.ts, m.readOnly, err)
		}
		if hasWrites(m) {
			if seenTS[m.ts] {
				t.Fatalf("two writers share commit ts %d", m.ts)
			}
			seenTS[m.ts] = true
			for k, v := range own {
				if v == nil {
					delete(state, k)
				} else {
					state[k] = *v
				}
			}
		}
	}
	t.Logf("%d committed transactions, %d conflicts", len(history), conflicts)
	if conflicts == 0 {
		t.Error("no conflicts: the workload does not exercise validation")
	}
	return state
}

func compareState(t *testing.T, db *DB, want map[string]string) {
	t.Helper()
	tb, err := db.Table("model")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err = db.View(func(tx *Tx) error {
		it := tx.NewIterator(tb.ID, IterOptions{PageSize: 5})
		for it.Next() {
			got[string(it.Key())] = string(it.Value())
		}
		return it.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("final state: %d keys, model %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("final state %s = %q, model %q", k, got[k], v)
		}
	}
}

func TestModelRandomized(t *testing.T) {
	db := openMem(t)
	want := runModel(t, db, 6, 400)
	compareState(t, db, want)
}

func TestModelRandomizedDurable(t *testing.T) {
	dir := t.TempDir()
	db := openDir(t, dir, Options{Sync: SyncOff, CheckpointLogBytes: 4 << 10, SegmentBytes: 2 << 10, GCInterval: 1})
	want := runModel(t, db, 4, 300)
	compareState(t, db, want)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDir(t, dir, Options{})
	defer db.Close()
	compareState(t, db, want)
}
