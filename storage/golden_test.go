package storage

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the golden files in testdata/")

// recStore records the writes of user transactions.
type recStore struct {
	kv.Store
	log *[]string
}

func (s recStore) Begin(ctx context.Context, o kv.TxOptions) (kv.Txn, error) {
	t, err := s.Store.Begin(ctx, o)
	return recTxn{Txn: t, log: s.log}, err
}

type recTxn struct {
	kv.Txn
	log *[]string
}

func (t recTxn) Set(tb kv.Table, k, v []byte) error {
	*t.log = append(*t.log, fmt.Sprintf("  set %-15s %x = %x", tb.Name, k, v))
	return t.Txn.Set(tb, k, v)
}

func (t recTxn) Delete(tb kv.Table, k []byte) error {
	*t.log = append(*t.log, fmt.Sprintf("  del %-15s %x", tb.Name, k))
	return t.Txn.Delete(tb, k)
}

// TestGoldenKeyLayout prints the KV writes of each kind of graph write. Run
// with -rewrite to accept a deliberate layout change.
func TestGoldenKeyLayout(t *testing.T) {
	var log []string
	g, err := Open(recStore{Store: memkv.New(memkv.Options{}), log: &log}, Options{IDBlockSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	step := func(name string, fn func(tx *Tx) error) {
		t.Helper()
		log = log[:0]
		tx := begin(t, g)
		if err := fn(tx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		commit(t, tx)
		fmt.Fprintf(&out, "%s\n%s\n\n", name, strings.Join(log, "\n"))
	}
	ddl := func(name string, fn func() error) {
		t.Helper()
		log = log[:0]
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fmt.Fprintf(&out, "%s\n%s\n\n", name, strings.Join(log, "\n"))
	}
	ddl("create exact index on name", func() error {
		return g.CreateIndex(bg, IndexDef{Name: "byName", Kind: index.Exact, Keys: []string{"name"}})
	})
	step("add vertex 1 person name=marko age=29", func(tx *Tx) error {
		_, err := tx.AddVertex(int64(1), "person", []KeyValue{{"name", "marko"}, {"age", int32(29)}})
		return err
	})
	step("add vertex \"s\" software (string id)", func(tx *Tx) error {
		_, err := tx.AddVertex("s", "software", nil)
		return err
	})
	step("add edge 7 1-created->s weight=0.4", func(tx *Tx) error {
		_, err := tx.AddEdge(int32(7), "created", int64(1), "s", []KeyValue{{"weight", 0.4}})
		return err
	})
	step("set vertex property list name=mark with meta since=2001", func(tx *Tx) error {
		_, err := tx.SetVertexProperty(int64(1), List, int64(50), "name", "mark", []KeyValue{{"since", int32(2001)}})
		return err
	})
	step("set edge property weight=0.5", func(tx *Tx) error {
		_, err := tx.SetEdgeProperty(int32(7), "weight", 0.5)
		return err
	})
	step("remove vertex property 50", func(tx *Tx) error { return tx.RemoveVertexProperty(int64(1), int64(50)) })
	step("remove vertex 1 (and its edge)", func(tx *Tx) error { return tx.RemoveVertex(int64(1)) })

	path := filepath.Join("testdata", "key_layout.golden")
	if *rewrite {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -rewrite to create it)", err)
	}
	if out.String() != string(want) {
		t.Fatalf("key layout changed; if deliberate, run go test ./storage -run Golden -rewrite\n--- got\n%s", out.String())
	}
}
