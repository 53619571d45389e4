package graphtest

import (
	"context"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

// AddModern adds TinkerPop's modern graph to tx, with the reference
// server's id types: int32 vertex and edge ids 1..6 and 7..12.
func AddModern(tx storage.GraphTx) error {
	vs := []struct {
		id          int32
		label, name string
		key         string
		val         any
	}{
		{1, "person", "marko", "age", int32(29)}, {2, "person", "vadas", "age", int32(27)},
		{3, "software", "lop", "lang", "java"}, {4, "person", "josh", "age", int32(32)},
		{5, "software", "ripple", "lang", "java"}, {6, "person", "peter", "age", int32(35)},
	}
	for _, v := range vs {
		if _, err := tx.AddVertex(v.id, v.label, []storage.KeyValue{{Key: "name", Value: v.name}, {Key: v.key, Value: v.val}}); err != nil {
			return err
		}
	}
	es := []struct {
		id, out, in int32
		label       string
		w           float64
	}{{7, 1, 2, "knows", 0.5}, {8, 1, 4, "knows", 1.0}, {9, 1, 3, "created", 0.4},
		{10, 4, 5, "created", 1.0}, {11, 4, 3, "created", 0.4}, {12, 6, 3, "created", 0.2}}
	for _, e := range es {
		if _, err := tx.AddEdge(e.id, e.label, e.out, e.in, []storage.KeyValue{{Key: "weight", Value: e.w}}); err != nil {
			return err
		}
	}
	return nil
}

// ModernTx opens an in-memory graph and returns a transaction on it that
// holds the modern graph, not yet committed.
func ModernTx(tb testing.TB) storage.GraphTx {
	tb.Helper()
	g, err := storage.Open(memkv.New(memkv.Options{}), storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tx, err := g.Begin(context.Background(), storage.TxOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := AddModern(tx); err != nil {
		tb.Fatal(err)
	}
	return tx
}

// Modern opens an in-memory graph holding the modern graph, committed.
func Modern(tb testing.TB) *storage.Graph {
	tb.Helper()
	g, err := storage.Open(memkv.New(memkv.Options{}), storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tx, err := g.Begin(context.Background(), storage.TxOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := AddModern(tx); err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return g
}
