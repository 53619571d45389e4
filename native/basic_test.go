package native

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openMem(t testing.TB) *DB {
	t.Helper()
	db, err := Open("", Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func mustTable(t testing.TB, db *DB, name string, m PartitionMethod) TableID {
	t.Helper()
	tb, err := db.CreateTable(name, m)
	if err != nil {
		t.Fatal(err)
	}
	return tb.ID
}

func k(i int) []byte { return []byte(fmt.Sprintf("k%05d", i)) }

func TestTablesLifecycle(t *testing.T) {
	db := openMem(t)
	a := mustTable(t, db, "a", Range)
	b := mustTable(t, db, "b", Hash)
	if a == b {
		t.Fatalf("ids must differ: %d %d", a, b)
	}
	if _, err := db.CreateTable("a", Hash); !errors.Is(err, ErrTableExists) {
		t.Fatalf("duplicate create: %v", err)
	}
	if _, err := db.CreateTable("", Hash); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := db.CreateTable("x", PartitionMethod(9)); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad method: %v", err)
	}
	tb, err := db.Table("b")
	if err != nil || tb.ID != b || tb.Method != Hash {
		t.Fatalf("lookup b: %+v %v", tb, err)
	}
	if tb, err := db.TableByID(a); err != nil || tb.Name != "a" || tb.Method != Range {
		t.Fatalf("lookup a by id: %+v %v", tb, err)
	}
	if got := db.Tables(); len(got) != 2 || got[0].ID != a || got[1].ID != b {
		t.Fatalf("tables: %+v", got)
	}
	if err := db.DropTable("a"); err != nil {
		t.Fatal(err)
	}
	if err := db.DropTable("a"); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("double drop: %v", err)
	}
	if _, err := db.Table("a"); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("lookup dropped: %v", err)
	}
	if _, err := db.TableByID(a); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("lookup dropped id: %v", err)
	}
	c := mustTable(t, db, "a", Range)
	if c == a {
		t.Fatal("table ids must not be reused")
	}
	if _, err := db.Get(a, []byte("x")); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("get on dropped table: %v", err)
	}
}

func TestCRUD(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	tx, err := db.Begin(TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Get(tb, []byte("a")); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("get absent: %v", err)
	}
	if err := tx.Set(tb, []byte("a"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("v"), 5000)
	if err := tx.Set(tb, []byte("big"), big); err != nil {
		t.Fatal(err)
	}
	if err := tx.Set(tb, []byte("empty"), nil); err != nil {
		t.Fatal(err)
	}
	if v, err := tx.Get(tb, []byte("a")); err != nil || string(v) != "1" {
		t.Fatalf("read own write: %q %v", v, err)
	}
	if v, err := tx.Get(tb, []byte("big")); err != nil || !bytes.Equal(v, big) {
		t.Fatalf("read big own write: %d %v", len(v), err)
	}
	if v, err := tx.Get(tb, []byte("empty")); err != nil || v == nil || len(v) != 0 {
		t.Fatalf("empty value: %v %v", v, err)
	}
	// Another transaction does not see uncommitted writes.
	if _, err := db.Get(tb, []byte("a")); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("dirty read: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if tx.CommitTS() == 0 {
		t.Fatal("commit ts not set")
	}
	if err := tx.Commit(); !errors.Is(err, ErrTxDone) {
		t.Fatalf("double commit: %v", err)
	}
	if err := tx.Rollback(); !errors.Is(err, ErrTxDone) {
		t.Fatalf("rollback after commit: %v", err)
	}
	if _, err := tx.Get(tb, []byte("a")); !errors.Is(err, ErrTxDone) {
		t.Fatalf("get after commit: %v", err)
	}
	if err := tx.Set(tb, []byte("a"), nil); !errors.Is(err, ErrTxDone) {
		t.Fatalf("set after commit: %v", err)
	}
	if v, err := db.Get(tb, []byte("big")); err != nil || !bytes.Equal(v, big) {
		t.Fatalf("one-shot get big: %d %v", len(v), err)
	}
	// Delete, then overwrite in the same tx.
	err = db.Update(func(tx *Tx) error {
		if err := tx.Delete(tb, []byte("a")); err != nil {
			return err
		}
		if _, err := tx.Get(tb, []byte("a")); !errors.Is(err, ErrKeyNotFound) {
			return fmt.Errorf("own delete not visible: %v", err)
		}
		return tx.Delete(tb, []byte("never-existed"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Get(tb, []byte("a")); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("deleted key: %v", err)
	}
	// Rollback discards.
	tx, _ = db.Begin(TxOptions{})
	_ = tx.Set(tb, []byte("r"), []byte("x"))
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Get(tb, []byte("r")); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("rolled back write visible: %v", err)
	}
}

func TestArgumentErrors(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	h := mustTable(t, db, "h", Hash)
	tx, _ := db.Begin(TxOptions{})
	defer tx.Rollback()
	if err := tx.Set(tb, nil, []byte("x")); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("empty key: %v", err)
	}
	if err := tx.Set(tb, make([]byte, MaxKeySize+1), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("long key: %v", err)
	}
	if _, err := tx.Get(tb, nil); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("get empty key: %v", err)
	}
	if err := tx.Set(999, []byte("a"), nil); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("unknown table: %v", err)
	}
	if _, err := tx.Get(999, []byte("a")); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("get unknown table: %v", err)
	}
	if _, err := tx.Scan(h, nil, nil, ScanOptions{}); !errors.Is(err, ErrNotRangeTable) {
		t.Fatalf("scan hash: %v", err)
	}
	if _, err := tx.Scan(tb, nil, nil, ScanOptions{Limit: -1}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("negative limit: %v", err)
	}
	if _, err := db.Begin(TxOptions{Isolation: 7}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad isolation: %v", err)
	}
	if _, err := tx.MultiGet(tb, [][]byte{[]byte("a"), nil}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("multiget empty key: %v", err)
	}
	if _, err := tx.Batch([]BatchOp{{Kind: 9, Table: tb, Key: []byte("a")}}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("batch bad op: %v", err)
	}
	if _, err := Open("", Options{Sync: 5}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad sync mode: %v", err)
	}
	ro, _ := db.Begin(TxOptions{ReadOnly: true})
	if err := ro.Set(tb, []byte("a"), nil); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write in read-only: %v", err)
	}
	if _, err := ro.Batch([]BatchOp{{Kind: OpSet, Table: tb, Key: []byte("a")}}); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("batch write in read-only: %v", err)
	}
	if err := ro.Commit(); err != nil {
		t.Fatalf("read-only commit: %v", err)
	}
	// Writes to a table dropped after they were buffered fail at commit.
	tx2, _ := db.Begin(TxOptions{})
	if err := tx2.Set(h, []byte("a"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	if err := db.DropTable("h"); err != nil {
		t.Fatal(err)
	}
	if err := tx2.Commit(); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("commit to dropped table: %v", err)
	}
}

func TestClosedErrors(t *testing.T) {
	db, err := Open("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := mustTable(t, db, "t", Range)
	tx, _ := db.Begin(TxOptions{})
	_ = tx.Set(tb, []byte("a"), []byte("b"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("double close: %v", err)
	}
	if err := tx.Commit(); !errors.Is(err, ErrClosed) {
		t.Fatalf("commit after close: %v", err)
	}
	if _, err := tx.Get(tb, []byte("a")); !errors.Is(err, ErrClosed) {
		t.Fatalf("get after close: %v", err)
	}
	if _, err := db.Begin(TxOptions{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("begin after close: %v", err)
	}
	if _, err := db.Get(tb, []byte("a")); !errors.Is(err, ErrClosed) {
		t.Fatalf("get after close: %v", err)
	}
	if _, err := db.CreateTable("x", Range); !errors.Is(err, ErrClosed) {
		t.Fatalf("create after close: %v", err)
	}
	if err := db.Checkpoint(); !errors.Is(err, ErrClosed) {
		t.Fatalf("checkpoint after close: %v", err)
	}
}

func TestMultiGetAndBatch(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Hash)
	err := db.Update(func(tx *Tx) error {
		for i := 0; i < 100; i += 2 {
			if err := tx.Set(tb, k(i), bytes.Repeat([]byte{byte(i)}, i*10)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	keys := make([][]byte, 100)
	for i := range keys {
		keys[i] = k(i)
	}
	check := func(name string, res [][]byte) {
		t.Helper()
		for i, v := range res {
			if i%2 == 1 {
				if v != nil {
					t.Fatalf("%s: key %d should be absent", name, i)
				}
				continue
			}
			if v == nil || !bytes.Equal(v, bytes.Repeat([]byte{byte(i)}, i*10)) {
				t.Fatalf("%s: key %d = %d bytes", name, i, len(v))
			}
		}
	}
	res, err := db.MultiGet(tb, keys)
	if err != nil {
		t.Fatal(err)
	}
	check("one-shot", res)
	tx, _ := db.Begin(TxOptions{})
	_ = tx.Set(tb, k(1), []byte{1})
	_ = tx.Delete(tb, k(2))
	res, err = tx.MultiGet(tb, keys[:4])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res[1], []byte{1}) || res[2] != nil || res[3] != nil || res[0] == nil {
		t.Fatalf("multiget with own writes: %v", res)
	}
	br, err := tx.Batch([]BatchOp{
		{Kind: OpGet, Table: tb, Key: k(5)},
		{Kind: OpSet, Table: tb, Key: k(5), Value: []byte("five")},
		{Kind: OpGet, Table: tb, Key: k(5)},
		{Kind: OpDelete, Table: tb, Key: k(4)},
		{Kind: OpGet, Table: tb, Key: k(4)},
		{Kind: OpGet, Table: tb, Key: k(1)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if br[0].Found || !br[1].Found || !br[2].Found || string(br[2].Value) != "five" || br[4].Found || string(br[5].Value) != "\x01" {
		t.Fatalf("batch results: %+v", br)
	}
	if _, err := tx.Batch([]BatchOp{{Kind: OpGet, Table: 77, Key: k(1)}}); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("batch unknown table: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if v, err := db.Get(tb, k(5)); err != nil || string(v) != "five" {
		t.Fatalf("batch write committed: %q %v", v, err)
	}
	if _, err := db.Get(tb, k(4)); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("batch delete committed: %v", err)
	}
}

// TestMultiGetResultSizes reads batches whose results are far larger, then
// far smaller, than the binding's buffer guess (learned from the previous
// call): the engine returns oversized results in a buffer of its own, in
// the same call, so every read must still be exact, for both table kinds,
// one-shot and in a transaction.
func TestMultiGetResultSizes(t *testing.T) {
	db := openMem(t)
	for _, m := range []PartitionMethod{Range, Hash} {
		tb := mustTable(t, db, "t"+m.String(), m)
		size := func(i int) int { return []int{0, 3, 700, 9000}[i%4] * (i % 3) }
		err := db.Update(func(tx *Tx) error {
			for i := 0; i < 300; i++ {
				if i%5 == 4 {
					continue // absent
				}
				if err := tx.Set(tb, k(i), bytes.Repeat([]byte{byte(i)}, size(i))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		check := func(name string, keys []int, res [][]byte) {
			t.Helper()
			for j, i := range keys {
				if i%5 == 4 {
					if res[j] != nil {
						t.Fatalf("%s %v: key %d should be absent", name, m, i)
					}
					continue
				}
				if res[j] == nil || !bytes.Equal(res[j], bytes.Repeat([]byte{byte(i)}, size(i))) {
					t.Fatalf("%s %v: key %d = %d bytes, want %d", name, m, i, len(res[j]), size(i))
				}
			}
		}
		for round, ks := range [][]int{
			{3, 7, 11, 2, 4},               // small and absent values
			{6, 10, 14, 18, 22, 26, 30, 1}, // large ones: past the guess
			{0, 4, 8, 9, 12},               // small again: the guess is now large
			{},
		} {
			keys := make([][]byte, len(ks))
			for j, i := range ks {
				keys[j] = k(i)
			}
			res, err := db.MultiGet(tb, keys)
			if err != nil {
				t.Fatal(err)
			}
			check(fmt.Sprintf("one-shot round %d", round), ks, res)
			err = db.View(func(tx *Tx) error {
				res, err := tx.MultiGet(tb, keys)
				if err != nil {
					return err
				}
				check(fmt.Sprintf("tx round %d", round), ks, res)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func collect(t *testing.T, scan func(cont []byte) (*Page, error)) (keys []string, pages int) {
	t.Helper()
	var cont []byte
	for {
		p, err := scan(cont)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for i := 0; i < p.Len(); i++ {
			keys = append(keys, string(p.Key(i)))
		}
		if !p.More() {
			if p.Continuation() != nil {
				t.Fatal("continuation without more")
			}
			p.Release()
			return keys, pages
		}
		cont = p.Continuation()
		p.Release()
	}
}

func TestScanPaging(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	err := db.Update(func(tx *Tx) error {
		for i := 0; i < 1000; i++ {
			if err := tx.Set(tb, k(i), []byte(fmt.Sprint(i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Begin(TxOptions{})
	defer tx.Rollback()
	// Own writes merge into scans.
	_ = tx.Set(tb, []byte("k00100x"), []byte("new"))
	_ = tx.Delete(tb, k(101))
	_ = tx.Set(tb, k(102), []byte("upd"))
	keys, pages := collect(t, func(c []byte) (*Page, error) {
		return tx.Scan(tb, k(100), k(200), ScanOptions{Limit: 7, Continuation: c})
	})
	if len(keys) != 100 || pages != 15 {
		t.Fatalf("forward: %d keys in %d pages", len(keys), pages)
	}
	if keys[0] != "k00100" || keys[1] != "k00100x" || keys[2] != "k00102" || keys[99] != "k00199" {
		t.Fatalf("forward order: %v", keys[:3])
	}
	rkeys, _ := collect(t, func(c []byte) (*Page, error) {
		return tx.Scan(tb, k(100), k(200), ScanOptions{Limit: 9, Reverse: true, Continuation: c})
	})
	if len(rkeys) != 100 || rkeys[0] != "k00199" || rkeys[98] != "k00100x" || rkeys[99] != "k00100" {
		t.Fatalf("reverse: %d %v", len(rkeys), rkeys[len(rkeys)-3:])
	}
	p, err := tx.Scan(tb, k(102), k(103), ScanOptions{})
	if err != nil || p.Len() != 1 || string(p.Value(0)) != "upd" || p.More() {
		t.Fatalf("own update in scan: %v", err)
	}
	// Unbounded, whole table, small MaxBytes forces buffer-limited pages.
	all, _ := collect(t, func(c []byte) (*Page, error) {
		return db.Scan(tb, nil, nil, ScanOptions{Limit: 100000, MaxBytes: 100, Continuation: c})
	})
	if len(all) != 1000 {
		t.Fatalf("all: %d", len(all))
	}
	// Empty and inverted ranges.
	if p, err := tx.Scan(tb, k(5), k(5), ScanOptions{}); err != nil || p.Len() != 0 || p.More() {
		t.Fatalf("empty range: %v", err)
	}
	if p, err := tx.Scan(tb, k(9), k(5), ScanOptions{Reverse: true}); err != nil || p.Len() != 0 {
		t.Fatalf("inverted range: %v", err)
	}
	// Iterator.
	it := tx.NewIterator(tb, IterOptions{Lower: k(990), PageSize: 3})
	var got []string
	for it.Next() {
		got = append(got, string(it.UnsafeKey()))
		if string(it.Value()) != fmt.Sprint(990+len(got)-1) {
			t.Fatalf("iterator value at %s", it.UnsafeKey())
		}
	}
	if err := it.Close(); err != nil || len(got) != 10 || got[9] != "k00999" {
		t.Fatalf("iterator: %v %v", got, err)
	}
	if it.Next() {
		t.Fatal("Next after Close")
	}
	rit := tx.NewIterator(tb, IterOptions{Upper: k(3), Reverse: true})
	got = got[:0]
	for rit.Next() {
		got = append(got, string(rit.Key()))
	}
	if rit.Close() != nil || len(got) != 3 || got[0] != "k00002" {
		t.Fatalf("reverse iterator: %v", got)
	}
	hit := tx.NewIterator(999, IterOptions{})
	if hit.Next() || !errors.Is(hit.Err(), ErrTableNotFound) || !errors.Is(hit.Close(), ErrTableNotFound) {
		t.Fatalf("iterator error: %v", hit.Err())
	}
}

func TestLargeValuesScan(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	big := bytes.Repeat([]byte("x"), 200<<10) // larger than the initial page buffer
	_ = db.Update(func(tx *Tx) error {
		for i := 0; i < 5; i++ {
			_ = tx.Set(tb, k(i), big)
		}
		return nil
	})
	p, err := db.Scan(tb, nil, nil, ScanOptions{})
	if err != nil || p.Len() != 5 || !bytes.Equal(p.UnsafeValue(4), big) {
		t.Fatalf("large scan: %v", err)
	}
}

func TestDBBatch(t *testing.T) {
	db := openMem(t)
	tb := mustTable(t, db, "t", Hash)
	res, err := db.Batch([]BatchOp{
		{Kind: OpSet, Table: tb, Key: []byte("a"), Value: []byte("1")},
		{Kind: OpGet, Table: tb, Key: []byte("a")},
		{Kind: OpDelete, Table: tb, Key: []byte("b")},
	})
	if err != nil || len(res) != 3 || string(res[1].Value) != "1" {
		t.Fatalf("batch: %+v %v", res, err)
	}
	if v, err := db.Get(tb, []byte("a")); err != nil || string(v) != "1" {
		t.Fatalf("batch committed: %q %v", v, err)
	}
	if _, err := db.Batch([]BatchOp{{Kind: OpSet, Table: 99, Key: []byte("a")}}); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("batch on unknown table: %v", err)
	}
}

func TestUnsafeSlicesInvalidatedUnderInvariants(t *testing.T) {
	if !invariants {
		t.Skip("needs -tags invariants")
	}
	db := openMem(t)
	tb := mustTable(t, db, "t", Range)
	set(t, db, tb, "a", "value")
	p, err := db.Scan(tb, nil, nil, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := p.UnsafeValue(0)
	safe := p.Value(0)
	p.Release()
	if string(v) == "value" || string(safe) != "value" {
		t.Fatalf("borrowed %q, copied %q", v, safe)
	}
}
