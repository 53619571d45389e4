package kvt_test

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvt"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvtest"
)

// The KV conformance suite, on KVT in memory and on disk.
func TestConformanceInMemory(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store {
		s, err := kvt.Open("", native.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestConformanceOnDisk(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store {
		s, err := kvt.Open(t.TempDir(), native.Options{Sync: native.SyncOff})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestCountRanges(t *testing.T) {
	s, err := kvt.Open("", native.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	tb, err := s.CreateTable(ctx, "t", kv.Range)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := s.Begin(ctx, kv.TxOptions{})
	for _, k := range []string{"a1", "a2", "a3", "b1", "c1", "c2"} {
		_ = tx.Set(tb, []byte(k), []byte("v"))
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx, _ = s.Begin(ctx, kv.TxOptions{})
	defer tx.Rollback()
	_ = tx.Delete(tb, []byte("a2"))
	_ = tx.Set(tb, []byte("b2"), []byte("v"))
	n, err := tx.(kv.MultiRangeCounter).CountRanges(tb, []kv.KeyRange{
		{Start: []byte("a"), End: []byte("b")}, {Start: []byte("b"), End: []byte("c")},
		{Start: []byte("c")}, {}, {Start: []byte("z"), End: []byte("a")}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{2, 2, 2, 6, 0}; len(n) != len(want) || n[0] != 2 || n[1] != 2 || n[2] != 2 || n[3] != 6 || n[4] != 0 {
		t.Fatalf("CountRanges = %v, want %v", n, want)
	}
}
