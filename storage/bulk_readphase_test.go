package storage

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

// readAfterWriteStore counts the reads a transaction makes after its first
// write (what makes KVT leave its write-only commit path).
type readAfterWriteStore struct {
	kv.Store
	late atomic.Int64
}

func (s *readAfterWriteStore) Begin(ctx context.Context, o kv.TxOptions) (kv.Txn, error) {
	t, err := s.Store.Begin(ctx, o)
	if err != nil {
		return nil, err
	}
	return &rawTxn{Txn: t, s: s}, nil
}

type rawTxn struct {
	kv.Txn
	s     *readAfterWriteStore
	wrote bool
}

func (t *rawTxn) read() {
	if t.wrote {
		t.s.late.Add(1)
	}
}
func (t *rawTxn) Get(tb kv.Table, k []byte) ([]byte, error) { t.read(); return t.Txn.Get(tb, k) }
func (t *rawTxn) MultiGet(tb kv.Table, ks [][]byte) ([][]byte, error) {
	t.read()
	return t.Txn.MultiGet(tb, ks)
}
func (t *rawTxn) Scan(tb kv.Table, s, e []byte, o kv.ScanOptions) (kv.Page, error) {
	t.read()
	return t.Txn.Scan(tb, s, e, o)
}
func (t *rawTxn) Set(tb kv.Table, k, v []byte) error { t.wrote = true; return t.Txn.Set(tb, k, v) }
func (t *rawTxn) Delete(tb kv.Table, k []byte) error { t.wrote = true; return t.Txn.Delete(tb, k) }

// TestBulkLoadWritesOnly checks that bulk-load batches of additions never
// read their KV transaction after writing, and still report duplicate ids,
// missing endpoints and unique violations, within a batch and across.
func TestBulkLoadWritesOnly(t *testing.T) {
	s := &readAfterWriteStore{Store: memkv.New(memkv.Options{})}
	defer s.Close()
	g, err := Open(s, Options{BulkBatchOps: 50, IDBlockSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.CreateIndex(bg, IndexDef{Name: "u", Kind: index.Unique, Keys: []string{"uid"}}); err != nil {
		t.Fatal(err)
	}
	if err := g.CreateIndex(bg, IndexDef{Name: "ue", Element: EdgeElement, Kind: index.Unique, Keys: []string{"eid"}}); err != nil {
		t.Fatal(err)
	}
	s.late.Store(0)
	const nv, base = 300, 1 << 40
	err = g.BulkLoad(bg, func(tx GraphTx) error {
		ids := make([]any, 0, nv)
		for i := 0; i < nv; i++ {
			ids = append(ids, int64(base+i))
		}
		if err := tx.(*bulkTx).Prefetch(ids[:nv/2]); err != nil {
			return err
		}
		for i := 0; i < nv; i++ {
			if _, err := tx.AddVertex(int64(base+i), "p", []KeyValue{{Key: "uid", Value: int64(i)}}); err != nil {
				return err
			}
			if _, err := tx.AddVertex(nil, "q", nil); err != nil {
				return err
			}
		}
		for i := 0; i < 2*nv; i++ {
			var id any
			if i%3 == 0 {
				id = "e" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
			}
			if _, err := tx.AddEdge(id, "k", int64(base+i%nv), int64(base+(i*7)%nv), []KeyValue{{Key: "eid", Value: int64(i)}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.late.Load(); n != 0 {
		t.Fatalf("%d reads after writes in bulk batches", n)
	}
	checkGraph(t, g)

	// The checks still fail as outside bulk loads, within a batch and
	// across batches.
	cases := []struct {
		name string
		fn   func(tx GraphTx) error
		want error
	}{
		{"duplicate vertex, earlier batch", func(tx GraphTx) error {
			_, err := tx.AddVertex(int64(base+5), "p", nil)
			return err
		}, ErrDuplicateID},
		{"duplicate vertex, same batch", func(tx GraphTx) error {
			if _, err := tx.AddVertex(int64(1000), "p", nil); err != nil {
				return err
			}
			_, err := tx.AddVertex(int64(1000), "p", nil)
			return err
		}, ErrDuplicateID},
		{"duplicate edge, earlier batch", func(tx GraphTx) error {
			_, err := tx.AddEdge("eaa", "k", int64(base+1), int64(base+2), nil)
			return err
		}, ErrDuplicateID},
		{"duplicate edge, same batch", func(tx GraphTx) error {
			if _, err := tx.AddEdge("new", "k", int64(base+1), int64(base+2), nil); err != nil {
				return err
			}
			_, err := tx.AddEdge("new", "k", int64(base+1), int64(base+2), nil)
			return err
		}, ErrDuplicateID},
		{"missing endpoint", func(tx GraphTx) error {
			_, err := tx.AddEdge(nil, "k", int64(base+1), int64(99999), nil)
			return err
		}, ErrVertexNotFound},
		{"removed endpoint, same batch", func(tx GraphTx) error {
			if _, err := tx.AddVertex(int64(2000), "p", nil); err != nil {
				return err
			}
			if err := tx.RemoveVertex(int64(2000)); err != nil {
				return err
			}
			_, err := tx.AddEdge(nil, "k", int64(base+1), int64(2000), nil)
			return err
		}, ErrVertexNotFound},
	}
	for _, c := range cases {
		err := g.BulkLoad(bg, c.fn)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	var se *SchemaError
	err = g.BulkLoad(bg, func(tx GraphTx) error {
		_, err := tx.AddVertex(nil, "p", []KeyValue{{Key: "uid", Value: int64(7)}})
		return err
	})
	if !errors.As(err, &se) {
		t.Errorf("unique violation, earlier batch: got %v", err)
	}
	err = g.BulkLoad(bg, func(tx GraphTx) error {
		if _, err := tx.AddVertex(nil, "p", []KeyValue{{Key: "uid", Value: int64(-1)}}); err != nil {
			return err
		}
		_, err := tx.AddVertex(nil, "p", []KeyValue{{Key: "uid", Value: int64(-1)}})
		return err
	})
	if !errors.As(err, &se) {
		t.Errorf("unique violation, same batch: got %v", err)
	}
	checkGraph(t, g)
}
