package kvtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

func testScanPaging(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	all := fill(t, s, tb, 50)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	for _, limit := range []int{1, 2, 7, 49, 50, 51} {
		eq(t, fmt.Sprintf("paged limit %d", limit), scanAll(t, tx, tb, nil, nil, kv.ScanOptions{Limit: limit}), all)
	}
	// Pages come in the requested size while the range lasts.
	p, err := tx.Scan(tb, nil, nil, kv.ScanOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Keys) != 10 || p.Cursor == nil {
		t.Fatalf("first page: %d keys, cursor %v; want 10 and a cursor", len(p.Keys), p.Cursor)
	}
	p, err = tx.Scan(tb, []byte("k045"), nil, kv.ScanOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Keys) != 5 || p.Cursor != nil {
		t.Fatalf("last page: %d keys, cursor %v; want 5 and no cursor", len(p.Keys), p.Cursor)
	}
	// A page boundary falling between a transaction's own writes.
	set(t, tx, tb, "k0005", "x")
	set(t, tx, tb, "k0006", "y")
	got := scanAll(t, tx, tb, nil, []byte("k002"), kv.ScanOptions{Limit: 1})
	eq(t, "paging over local writes", got, []string{"k000=v0", "k0005=x", "k0006=y", "k001=v1"})
}

func testScanKeysOnly(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	fill(t, s, tb, 5)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	got := scanAll(t, tx, tb, nil, nil, kv.ScanOptions{KeysOnly: true, Limit: 2})
	eq(t, "keys only", got, []string{"k000", "k001", "k002", "k003", "k004"})
}

func testScanReadYourWrites(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	load(t, s, tb, "a", "1", "c", "3", "e", "5")
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	set(t, tx, tb, "b", "2")
	set(t, tx, tb, "c", "33")
	if err := tx.Delete(tb, []byte("e")); err != nil {
		t.Fatal(err)
	}
	set(t, tx, tb, "f", "6")
	eq(t, "merged scan", scanAll(t, tx, tb, nil, nil, kv.ScanOptions{}), []string{"a=1", "b=2", "c=33", "f=6"})
	eq(t, "merged scan paged", scanAll(t, tx, tb, nil, nil, kv.ScanOptions{Limit: 1}), []string{"a=1", "b=2", "c=33", "f=6"})
	if s.Capabilities().ReverseScan {
		eq(t, "merged reverse", scanAll(t, tx, tb, nil, nil, kv.ScanOptions{Reverse: true, Limit: 1}), []string{"f=6", "c=33", "b=2", "a=1"})
	}
	// Another transaction sees none of it.
	tx2 := begin(t, s, kv.TxOptions{})
	defer tx2.Rollback()
	eq(t, "isolated", scanAll(t, tx2, tb, nil, nil, kv.ScanOptions{}), []string{"a=1", "c=3", "e=5"})
}

// testScanRandomized compares paged scans against a sorted model after
// random committed and uncommitted writes.
func testScanRandomized(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	rng := rand.New(rand.NewSource(7))
	model := map[string]string{}
	key := func() string { return fmt.Sprintf("%c%c", 'a'+rng.Intn(6), 'a'+rng.Intn(6)) }
	for round := 0; round < 20; round++ {
		tx := begin(t, s, kv.TxOptions{})
		local := map[string]string{}
		for k, v := range model {
			local[k] = v
		}
		for i := 0; i < 8; i++ {
			k := key()
			if rng.Intn(3) == 0 {
				if err := tx.Delete(tb, []byte(k)); err != nil {
					t.Fatal(err)
				}
				delete(local, k)
			} else {
				v := fmt.Sprint(rng.Intn(100))
				set(t, tx, tb, k, v)
				local[k] = v
			}
		}
		lo, hi := key(), key()
		if hi < lo {
			lo, hi = hi, lo
		}
		var want []string
		for k, v := range local {
			if k >= lo && k < hi {
				want = append(want, k+"="+v)
			}
		}
		sort.Strings(want)
		limit := 1 + rng.Intn(4)
		eq(t, fmt.Sprintf("round %d [%s,%s) limit %d", round, lo, hi, limit),
			scanAll(t, tx, tb, []byte(lo), []byte(hi), kv.ScanOptions{Limit: limit}), want)
		if s.Capabilities().ReverseScan {
			eq(t, fmt.Sprintf("round %d reverse", round),
				scanAll(t, tx, tb, []byte(lo), []byte(hi), kv.ScanOptions{Limit: limit, Reverse: true}), reversed(want))
		}
		if rng.Intn(4) == 0 {
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		commit(t, tx)
		model = local
	}
}

func testCountRange(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	fill(t, s, tb, 30)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	set(t, tx, tb, "k0105", "x")
	c, ok := tx.(kv.RangeCounter)
	if !ok {
		t.Skip("store does not implement kv.RangeCounter")
	}
	n, err := c.CountRange(tb, []byte("k010"), []byte("k020"), 0)
	if err != nil || n != 11 {
		t.Fatalf("CountRange = %d, %v; want 11", n, err)
	}
	n, err = c.CountRange(tb, nil, nil, 5)
	if err != nil || n != 5 {
		t.Fatalf("CountRange with limit 5 = %d, %v; want 5", n, err)
	}
}

func testUnsafeVisit(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	fill(t, s, tb, 30)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	set(t, tx, tb, "k0105", "x")
	if err := tx.Delete(tb, []byte("k012")); err != nil {
		t.Fatal(err)
	}
	c, ok := tx.(kv.UnsafeVisitor)
	if !ok {
		t.Skip("store does not implement kv.UnsafeVisitor")
	}
	walk := func(opts kv.ScanOptions, stopAfter int) []string {
		t.Helper()
		var got []string
		err := c.UnsafeVisit(tb, []byte("k010"), []byte("k020"), opts, func(k, v []byte) bool {
			if opts.KeysOnly && v != nil {
				t.Fatalf("UnsafeVisit KeysOnly gave value %q", v)
			}
			got = append(got, string(k)+"="+string(v)) // copies: k and v are borrowed
			return stopAfter <= 0 || len(got) < stopAfter
		})
		if err != nil {
			t.Fatalf("UnsafeVisit: %v", err)
		}
		return got
	}
	want := "k010=v10 k0105=x k011=v11 k013=v13 k014=v14 k015=v15 k016=v16 k017=v17 k018=v18 k019=v19"
	for _, limit := range []int{0, 1, 3} {
		if got := strings.Join(walk(kv.ScanOptions{Limit: limit}, 0), " "); got != want {
			t.Fatalf("UnsafeVisit (page %d) = %s; want %s", limit, got, want)
		}
	}
	if got := strings.Join(walk(kv.ScanOptions{Limit: 2}, 4), " "); got != "k010=v10 k0105=x k011=v11 k013=v13" {
		t.Fatalf("UnsafeVisit stopping after 4 = %s", got)
	}
	if got := strings.Join(walk(kv.ScanOptions{KeysOnly: true, Limit: 4}, 0), " "); got != "k010= k0105= k011= k013= k014= k015= k016= k017= k018= k019=" {
		t.Fatalf("UnsafeVisit KeysOnly = %s", got)
	}
	if s.Capabilities().ReverseScan {
		if got := strings.Join(walk(kv.ScanOptions{Reverse: true, Limit: 3}, 3), " "); got != "k019=v19 k018=v18 k017=v17" {
			t.Fatalf("UnsafeVisit reverse = %s", got)
		}
	}
}

func testHashTable(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "h", kv.Hash)
	load(t, s, tb, "x", "1", "y", "2")
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	if v, ok := getStr(t, tx, tb, "y"); !ok || v != "2" {
		t.Fatalf("hash table Get: %q %v", v, ok)
	}
	vals, err := tx.MultiGet(tb, [][]byte{[]byte("x"), []byte("z")})
	if err != nil || string(vals[0]) != "1" || vals[1] != nil {
		t.Fatalf("hash table MultiGet: %q %v", vals, err)
	}
}

func testCommitRollback(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	tx := begin(t, s, kv.TxOptions{})
	set(t, tx, tb, "a", "1")
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatalf("second Rollback: %v", err)
	}
	tx = begin(t, s, kv.TxOptions{})
	if _, ok := getStr(t, tx, tb, "a"); ok {
		t.Fatalf("rolled-back write is visible")
	}
	set(t, tx, tb, "b", "2")
	commit(t, tx)
	tx = begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	if v, ok := getStr(t, tx, tb, "b"); !ok || v != "2" {
		t.Fatalf("committed write: %q %v", v, ok)
	}
}

func testTxnDone(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	tx := begin(t, s, kv.TxOptions{})
	set(t, tx, tb, "a", "1")
	commit(t, tx)
	if _, err := tx.Get(tb, []byte("a")); !errors.Is(err, kv.ErrTxnDone) {
		t.Fatalf("Get after Commit: got %v, want ErrTxnDone", err)
	}
	if err := tx.Set(tb, []byte("a"), nil); !errors.Is(err, kv.ErrTxnDone) {
		t.Fatalf("Set after Commit: got %v, want ErrTxnDone", err)
	}
	if _, err := tx.Scan(tb, nil, nil, kv.ScanOptions{}); !errors.Is(err, kv.ErrTxnDone) {
		t.Fatalf("Scan after Commit: got %v, want ErrTxnDone", err)
	}
	if err := tx.Commit(); !errors.Is(err, kv.ErrTxnDone) {
		t.Fatalf("second Commit: got %v, want ErrTxnDone", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatalf("Rollback after Commit: %v", err)
	}
}

func testReadOnly(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	load(t, s, tb, "a", "1")
	tx := begin(t, s, kv.TxOptions{ReadOnly: true})
	if v, ok := getStr(t, tx, tb, "a"); !ok || v != "1" {
		t.Fatalf("read-only Get: %q %v", v, ok)
	}
	if err := tx.Set(tb, []byte("b"), []byte("2")); !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("Set in read-only: got %v, want ErrReadOnly", err)
	}
	if err := tx.Delete(tb, []byte("a")); !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("Delete in read-only: got %v, want ErrReadOnly", err)
	}
	if err := tx.LockKeys(tb, []byte("a")); !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("LockKeys in read-only: got %v, want ErrReadOnly", err)
	}
	commit(t, tx)
	if tx.CommitVersion() != 0 {
		t.Fatalf("read-only commit got version %d, want 0", tx.CommitVersion())
	}
}

func testSnapshotReads(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	load(t, s, tb, "a", "1", "b", "1")
	reader := begin(t, s, kv.TxOptions{ReadOnly: true})
	defer reader.Rollback()
	if v, _ := getStr(t, reader, tb, "a"); v != "1" {
		t.Fatalf("got %q", v)
	}
	w := begin(t, s, kv.TxOptions{})
	set(t, w, tb, "a", "2")
	set(t, w, tb, "b", "2")
	set(t, w, tb, "c", "2")
	commit(t, w)
	// The reader keeps its snapshot: no torn read of a and b, no phantom c.
	if v, _ := getStr(t, reader, tb, "b"); v != "1" {
		t.Fatalf("reader saw a later commit: b=%q", v)
	}
	eq(t, "snapshot scan", scanAll(t, reader, tb, nil, nil, kv.ScanOptions{}), []string{"a=1", "b=1"})
	commit(t, reader)
}

func testVersions(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	tx := begin(t, s, kv.TxOptions{})
	set(t, tx, tb, "a", "1")
	if tx.CommitVersion() != 0 {
		t.Fatalf("CommitVersion before commit = %d, want 0", tx.CommitVersion())
	}
	commit(t, tx)
	c1 := tx.CommitVersion()
	if c1 == 0 || c1 <= tx.ReadVersion() {
		t.Fatalf("commit version %d must be > read version %d and > 0", c1, tx.ReadVersion())
	}
	tx2 := begin(t, s, kv.TxOptions{})
	if tx2.ReadVersion() < c1 {
		t.Fatalf("a new transaction reads at %d, before the last commit %d", tx2.ReadVersion(), c1)
	}
	set(t, tx2, tb, "a", "2")
	commit(t, tx2)
	if tx2.CommitVersion() <= c1 {
		t.Fatalf("commit versions must increase: %d then %d", c1, tx2.CommitVersion())
	}
}

func testWriteWriteConflict(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	t1 := begin(t, s, kv.TxOptions{Isolation: kv.Snapshot})
	t2 := begin(t, s, kv.TxOptions{Isolation: kv.Snapshot})
	set(t, t1, tb, "k", "1")
	set(t, t2, tb, "k", "2")
	commit(t, t1)
	err := t2.Commit()
	if !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("second writer of the same key: got %v, want ErrConflict", err)
	}
	if !kv.Retryable(err) {
		t.Fatalf("ErrConflict must be retryable")
	}
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	if v, _ := getStr(t, tx, tb, "k"); v != "1" {
		t.Fatalf("the loser's write is visible: %q", v)
	}
}

func serializable(t *testing.T, s kv.Store) {
	if s.Capabilities().Isolation != kv.Serializable {
		t.Skip("store is not serializable")
	}
}

func testLostUpdate(t *testing.T, s kv.Store) {
	serializable(t, s)
	tb := mustTable(t, s, "t", kv.Range)
	load(t, s, tb, "counter", "0")
	t1 := begin(t, s, kv.TxOptions{})
	t2 := begin(t, s, kv.TxOptions{})
	v1, _ := getStr(t, t1, tb, "counter")
	v2, _ := getStr(t, t2, tb, "counter")
	set(t, t1, tb, "counter", v1+"+1")
	set(t, t2, tb, "counter", v2+"+1")
	commit(t, t1)
	if err := t2.Commit(); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("lost update committed: got %v, want ErrConflict", err)
	}
}

func testWriteSkew(t *testing.T, s kv.Store) {
	serializable(t, s)
	tb := mustTable(t, s, "t", kv.Range)
	load(t, s, tb, "x", "on", "y", "on")
	// Each transaction checks both are on, then turns a different one off.
	t1 := begin(t, s, kv.TxOptions{})
	t2 := begin(t, s, kv.TxOptions{})
	for _, tx := range []kv.Txn{t1, t2} {
		getStr(t, tx, tb, "x")
		getStr(t, tx, tb, "y")
	}
	set(t, t1, tb, "x", "off")
	set(t, t2, tb, "y", "off")
	commit(t, t1)
	if err := t2.Commit(); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("write skew committed: got %v, want ErrConflict", err)
	}
}

func testPhantom(t *testing.T, s kv.Store) {
	serializable(t, s)
	tb := mustTable(t, s, "t", kv.Range)
	load(t, s, tb, "row1", "a")
	// t1 scans the range and writes elsewhere; t2 inserts into the range.
	t1 := begin(t, s, kv.TxOptions{})
	t2 := begin(t, s, kv.TxOptions{})
	n := len(scanAll(t, t1, tb, []byte("row"), kv.PrefixEnd([]byte("row")), kv.ScanOptions{}))
	set(t, t1, tb, "count", fmt.Sprint(n))
	set(t, t2, tb, "row2", "b")
	commit(t, t2)
	if err := t1.Commit(); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("phantom insert into a scanned range: got %v, want ErrConflict", err)
	}
	// A write outside the scanned range does not conflict.
	t3 := begin(t, s, kv.TxOptions{})
	t4 := begin(t, s, kv.TxOptions{})
	scanAll(t, t3, tb, []byte("row"), kv.PrefixEnd([]byte("row")), kv.ScanOptions{})
	set(t, t3, tb, "count", "2")
	set(t, t4, tb, "zzz", "1")
	commit(t, t4)
	commit(t, t3)
}

func testLockKeys(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	// Two transactions check that a unique key is free, lock it, and write
	// different rows: only one may commit.
	t1 := begin(t, s, kv.TxOptions{Isolation: kv.Snapshot})
	t2 := begin(t, s, kv.TxOptions{Isolation: kv.Snapshot})
	for i, tx := range []kv.Txn{t1, t2} {
		if _, ok := getStr(t, tx, tb, "uniq"); ok {
			t.Fatalf("unexpected value")
		}
		if err := tx.LockKeys(tb, []byte("uniq")); err != nil {
			t.Fatalf("LockKeys: %v", err)
		}
		set(t, tx, tb, fmt.Sprintf("row%d", i), "x")
	}
	commit(t, t1)
	if err := t2.Commit(); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("two lockers of one key both committed: got %v, want ErrConflict", err)
	}
	// Locking does not create the key.
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	if _, ok := getStr(t, tx, tb, "uniq"); ok {
		t.Fatalf("LockKeys created the key")
	}
}

func testLimits(t *testing.T, s kv.Store) {
	c := s.Capabilities()
	if c.MaxTxnOps == 0 && c.MaxTxnBytes == 0 {
		t.Skip("store declares no transaction limits")
	}
	tb := mustTable(t, s, "t", kv.Range)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	var err error
	for i := 0; i < 1_000_000 && err == nil; i++ {
		if err = tx.Set(tb, []byte(fmt.Sprintf("key%07d", i)), make([]byte, 100)); err == nil && c.MaxTxnOps > 0 && i >= c.MaxTxnOps {
			t.Fatalf("wrote %d keys, over MaxTxnOps %d, without error", i+1, c.MaxTxnOps)
		}
	}
	if err == nil {
		err = tx.Commit()
	}
	if !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("over the declared limits: got %v, want ErrTooLarge", err)
	}
}

func testContextCanceled(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	c, cancel := context.WithCancel(context.Background())
	tx, err := s.Begin(c, kv.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := tx.Get(tb, []byte("a")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Get after cancel: got %v, want context.Canceled", err)
	}
	tx.Rollback()
	if _, err := s.Begin(c, kv.TxOptions{}); err == nil {
		t.Fatalf("Begin with a canceled context succeeded")
	}
}

func testDroppedTable(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	if err := s.DropTable(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	if _, err := tx.Get(tb, []byte("a")); !errors.Is(err, kv.ErrTableNotFound) {
		t.Fatalf("Get on a dropped table: got %v, want ErrTableNotFound", err)
	}
	if err := tx.Set(tb, []byte("a"), nil); !errors.Is(err, kv.ErrTableNotFound) {
		t.Fatalf("Set on a dropped table: got %v, want ErrTableNotFound", err)
	}
}
