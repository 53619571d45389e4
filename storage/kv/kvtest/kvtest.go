package kvtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// Run runs the whole suite as subtests.
func Run(t *testing.T, open func(t *testing.T) kv.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s kv.Store)
	}{
		{"Tables", testTables},
		{"GetSetDelete", testGetSetDelete},
		{"MultiGet", testMultiGet},
		{"InvalidKey", testInvalidKey},
		{"ScanForward", testScanForward},
		{"ScanReverse", testScanReverse},
		{"ScanPaging", testScanPaging},
		{"ScanKeysOnly", testScanKeysOnly},
		{"ScanReadYourWrites", testScanReadYourWrites},
		{"ScanRandomized", testScanRandomized},
		{"CountRange", testCountRange},
		{"UnsafeVisit", testUnsafeVisit},
		{"HashTable", testHashTable},
		{"CommitRollback", testCommitRollback},
		{"TxnDone", testTxnDone},
		{"ReadOnly", testReadOnly},
		{"SnapshotReads", testSnapshotReads},
		{"Versions", testVersions},
		{"WriteWriteConflict", testWriteWriteConflict},
		{"LostUpdate", testLostUpdate},
		{"WriteSkew", testWriteSkew},
		{"Phantom", testPhantom},
		{"LockKeys", testLockKeys},
		{"Limits", testLimits},
		{"ContextCanceled", testContextCanceled},
		{"DroppedTable", testDroppedTable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tc.fn(t, s)
		})
	}
}

var ctx = context.Background()

func mustTable(t *testing.T, s kv.Store, name string, p kv.Partitioning) kv.Table {
	t.Helper()
	tb, err := s.CreateTable(ctx, name, p)
	if err != nil {
		t.Fatalf("CreateTable(%q): %v", name, err)
	}
	return tb
}

func begin(t *testing.T, s kv.Store, opts kv.TxOptions) kv.Txn {
	t.Helper()
	tx, err := s.Begin(ctx, opts)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return tx
}

func commit(t *testing.T, tx kv.Txn) {
	t.Helper()
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func set(t *testing.T, tx kv.Txn, tb kv.Table, k, v string) {
	t.Helper()
	if err := tx.Set(tb, []byte(k), []byte(v)); err != nil {
		t.Fatalf("Set(%q): %v", k, err)
	}
}

// load writes pairs k=v in one committed transaction.
func load(t *testing.T, s kv.Store, tb kv.Table, kvs ...string) {
	t.Helper()
	tx := begin(t, s, kv.TxOptions{})
	for i := 0; i+1 < len(kvs); i += 2 {
		set(t, tx, tb, kvs[i], kvs[i+1])
	}
	commit(t, tx)
}

func getStr(t *testing.T, tx kv.Txn, tb kv.Table, k string) (string, bool) {
	t.Helper()
	v, err := tx.Get(tb, []byte(k))
	if errors.Is(err, kv.ErrKeyNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatalf("Get(%q): %v", k, err)
	}
	return string(v), true
}

// scanAll pages through [start,end) with the given limit and returns
// "k=v" strings (or keys only).
func scanAll(t *testing.T, tx kv.Txn, tb kv.Table, start, end []byte, opts kv.ScanOptions) []string {
	t.Helper()
	var out []string
	for pages := 0; ; pages++ {
		if pages > 100000 {
			t.Fatalf("scan did not terminate")
		}
		p, err := tx.Scan(tb, start, end, opts)
		if err != nil {
			t.Fatalf("Scan: %v", err)
		}
		if opts.Limit > 0 && len(p.Keys) > opts.Limit {
			t.Fatalf("Scan returned %d pairs, over the limit %d", len(p.Keys), opts.Limit)
		}
		if opts.KeysOnly && p.Values != nil {
			t.Fatalf("KeysOnly scan returned values")
		}
		if !opts.KeysOnly && len(p.Values) != len(p.Keys) {
			t.Fatalf("Scan returned %d keys and %d values", len(p.Keys), len(p.Values))
		}
		for i, k := range p.Keys {
			if opts.KeysOnly {
				out = append(out, string(k))
			} else {
				out = append(out, string(k)+"="+string(p.Values[i]))
			}
		}
		if p.Cursor == nil {
			return out
		}
		opts.Cursor = p.Cursor
	}
}

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func testTables(t *testing.T, s kv.Store) {
	a := mustTable(t, s, "a", kv.Range)
	b := mustTable(t, s, "b", kv.Hash)
	if a.Name != "a" || a.Partitioning != kv.Range || b.Partitioning != kv.Hash {
		t.Fatalf("handles: %+v %+v", a, b)
	}
	if a.ID == b.ID {
		t.Fatalf("two tables share id %d", a.ID)
	}
	if _, err := s.CreateTable(ctx, "a", kv.Range); !errors.Is(err, kv.ErrTableExists) {
		t.Fatalf("CreateTable of an existing name: got %v, want ErrTableExists", err)
	}
	got, err := s.OpenTable(ctx, "b")
	if err != nil || got != b {
		t.Fatalf("OpenTable(b) = %+v, %v; want %+v", got, err, b)
	}
	if _, err := s.OpenTable(ctx, "zzz"); !errors.Is(err, kv.ErrTableNotFound) {
		t.Fatalf("OpenTable of a missing table: got %v, want ErrTableNotFound", err)
	}
	list, err := s.ListTables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range list {
		names = append(names, tb.Name)
	}
	eq(t, "ListTables", names, []string{"a", "b"})
	load(t, s, a, "k", "v")
	if err := s.DropTable(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.DropTable(ctx, "a"); !errors.Is(err, kv.ErrTableNotFound) {
		t.Fatalf("DropTable twice: got %v, want ErrTableNotFound", err)
	}
	a2 := mustTable(t, s, "a", kv.Range)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	if _, ok := getStr(t, tx, a2, "k"); ok {
		t.Fatalf("a re-created table still holds the dropped table's keys")
	}
}

func testGetSetDelete(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	tx := begin(t, s, kv.TxOptions{})
	if _, err := tx.Get(tb, []byte("x")); !errors.Is(err, kv.ErrKeyNotFound) {
		t.Fatalf("Get missing: got %v, want ErrKeyNotFound", err)
	}
	set(t, tx, tb, "x", "1")
	if v, ok := getStr(t, tx, tb, "x"); !ok || v != "1" {
		t.Fatalf("read-your-write: got %q %v", v, ok)
	}
	set(t, tx, tb, "x", "2")
	if v, _ := getStr(t, tx, tb, "x"); v != "2" {
		t.Fatalf("overwrite: got %q", v)
	}
	set(t, tx, tb, "empty", "")
	if v, ok := getStr(t, tx, tb, "empty"); !ok || v != "" {
		t.Fatalf("empty value: got %q %v", v, ok)
	}
	if err := tx.Delete(tb, []byte("nope")); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	commit(t, tx)

	tx = begin(t, s, kv.TxOptions{})
	if v, _ := getStr(t, tx, tb, "x"); v != "2" {
		t.Fatalf("after commit: got %q", v)
	}
	// The store must not alias caller buffers.
	k, v := []byte("alias"), []byte("orig")
	if err := tx.Set(tb, k, v); err != nil {
		t.Fatal(err)
	}
	copy(v, "XXXX")
	k[0] = 'b'
	if got, ok := getStr(t, tx, tb, "alias"); !ok || got != "orig" {
		t.Fatalf("store aliased the caller's buffers: got %q %v", got, ok)
	}
	got, _ := tx.Get(tb, []byte("alias"))
	copy(got, "ZZZZ")
	if again, _ := getStr(t, tx, tb, "alias"); again != "orig" {
		t.Fatalf("returned value aliases the store: %q", again)
	}
	if err := tx.Delete(tb, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, ok := getStr(t, tx, tb, "x"); ok {
		t.Fatalf("deleted key still visible in its transaction")
	}
	commit(t, tx)
	tx = begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	if _, ok := getStr(t, tx, tb, "x"); ok {
		t.Fatalf("deleted key visible after commit")
	}
	if v, ok := getStr(t, tx, tb, "empty"); !ok || v != "" {
		t.Fatalf("empty value after commit: %q %v", v, ok)
	}
}

func testMultiGet(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	load(t, s, tb, "a", "1", "b", "2", "e", "")
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	set(t, tx, tb, "c", "3")
	if err := tx.Delete(tb, []byte("b")); err != nil {
		t.Fatal(err)
	}
	vals, err := tx.MultiGet(tb, [][]byte{[]byte("c"), []byte("a"), []byte("b"), []byte("zz"), []byte("e"), []byte("a")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"3", "1", "<nil>", "<nil>", "", "1"}
	var got []string
	for _, v := range vals {
		if v == nil {
			got = append(got, "<nil>")
		} else {
			got = append(got, string(v))
		}
	}
	eq(t, "MultiGet", got, want)
	if vals[4] == nil {
		t.Fatalf("MultiGet: an empty value must be non-nil")
	}
	vals, err = tx.MultiGet(tb, nil)
	if err != nil || len(vals) != 0 {
		t.Fatalf("MultiGet(nil) = %v, %v", vals, err)
	}
}

func testInvalidKey(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	if err := tx.Set(tb, nil, []byte("v")); !errors.Is(err, kv.ErrInvalidKey) {
		t.Fatalf("Set with empty key: got %v, want ErrInvalidKey", err)
	}
	if err := tx.Set(tb, []byte{}, []byte("v")); !errors.Is(err, kv.ErrInvalidKey) {
		t.Fatalf("Set with empty key: got %v, want ErrInvalidKey", err)
	}
	// Binary keys with zero and 0xff bytes are fine.
	if err := tx.Set(tb, []byte{0, 0xff, 0}, []byte{0}); err != nil {
		t.Fatalf("binary key: %v", err)
	}
	v, err := tx.Get(tb, []byte{0, 0xff, 0})
	if err != nil || !bytes.Equal(v, []byte{0}) {
		t.Fatalf("binary key read back: %v %v", v, err)
	}
}

func fill(t *testing.T, s kv.Store, tb kv.Table, n int) []string {
	tx := begin(t, s, kv.TxOptions{})
	var all []string
	for i := 0; i < n; i++ {
		k, v := fmt.Sprintf("k%03d", i), fmt.Sprintf("v%d", i)
		set(t, tx, tb, k, v)
		all = append(all, k+"="+v)
	}
	commit(t, tx)
	return all
}

func reversed(in []string) []string {
	out := append([]string(nil), in...)
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func testScanForward(t *testing.T, s kv.Store) {
	tb := mustTable(t, s, "t", kv.Range)
	other := mustTable(t, s, "u", kv.Range)
	load(t, s, other, "k000", "other")
	all := fill(t, s, tb, 20)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	eq(t, "full scan", scanAll(t, tx, tb, nil, nil, kv.ScanOptions{}), all)
	eq(t, "[k005,k010)", scanAll(t, tx, tb, []byte("k005"), []byte("k010"), kv.ScanOptions{}), all[5:10])
	eq(t, "[k0055,k010)", scanAll(t, tx, tb, []byte("k0055"), []byte("k010"), kv.ScanOptions{}), all[6:10])
	eq(t, "[k015,nil)", scanAll(t, tx, tb, []byte("k015"), nil, kv.ScanOptions{}), all[15:])
	eq(t, "[nil,k003)", scanAll(t, tx, tb, nil, []byte("k003"), kv.ScanOptions{}), all[:3])
	eq(t, "empty range", scanAll(t, tx, tb, []byte("k010"), []byte("k010"), kv.ScanOptions{}), nil)
	eq(t, "inverted range", scanAll(t, tx, tb, []byte("k011"), []byte("k010"), kv.ScanOptions{}), nil)
	eq(t, "prefix k01", scanAll(t, tx, tb, []byte("k01"), kv.PrefixEnd([]byte("k01")), kv.ScanOptions{}), all[10:20])
}

func testScanReverse(t *testing.T, s kv.Store) {
	if !s.Capabilities().ReverseScan {
		tb := mustTable(t, s, "t", kv.Range)
		tx := begin(t, s, kv.TxOptions{})
		defer tx.Rollback()
		if _, err := tx.Scan(tb, nil, nil, kv.ScanOptions{Reverse: true}); !errors.Is(err, kv.ErrUnsupported) {
			t.Fatalf("reverse scan without the capability: got %v, want ErrUnsupported", err)
		}
		return
	}
	tb := mustTable(t, s, "t", kv.Range)
	all := fill(t, s, tb, 20)
	tx := begin(t, s, kv.TxOptions{})
	defer tx.Rollback()
	for _, limit := range []int{0, 1, 3, 7, 100} {
		o := kv.ScanOptions{Reverse: true, Limit: limit}
		eq(t, fmt.Sprintf("reverse full, limit %d", limit), scanAll(t, tx, tb, nil, nil, o), reversed(all))
		eq(t, fmt.Sprintf("reverse [k005,k010), limit %d", limit), scanAll(t, tx, tb, []byte("k005"), []byte("k010"), o), reversed(all[5:10]))
	}
	set(t, tx, tb, "k0105", "new")
	if err := tx.Delete(tb, []byte("k011")); err != nil {
		t.Fatal(err)
	}
	got := scanAll(t, tx, tb, []byte("k009"), []byte("k013"), kv.ScanOptions{Reverse: true, Limit: 2})
	eq(t, "reverse with local writes", got, []string{"k012=v12", "k0105=new", "k010=v10", "k009=v9"})
}
