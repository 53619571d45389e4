package storage

import (
	"errors"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/index"
)

func TestRemoveSchemaElements(t *testing.T) {
	g := newGraph(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(g.DefinePropertyKey(bg, PropertyKeyDef{Name: "age", Type: TypeInt, Cardinality: Single}))
	must(g.DefinePropertyKey(bg, PropertyKeyDef{Name: "name", Type: TypeString, Cardinality: Single}))
	must(g.DefinePropertyKey(bg, PropertyKeyDef{Name: "free", Type: TypeString, Cardinality: Single}))
	must(g.DefineVertexLabel(bg, LabelDef{Name: "person", Properties: []string{"name", "age"}}))
	must(g.DefineVertexLabel(bg, LabelDef{Name: "empty"}))
	must(g.DefineEdgeLabel(bg, LabelDef{Name: "knows"}))
	must(g.CreateIndex(bg, IndexDef{Name: "byAge", Kind: index.Range, Label: "person", Keys: []string{"age"}}))
	tx, err := g.Begin(bg, TxOptions{})
	must(err)
	_, err = tx.AddVertex(int64(1), "person", []KeyValue{{Key: "name", Value: "a"}})
	must(err)
	_, err = tx.AddVertex(int64(2), "person", nil)
	must(err)
	_, err = tx.AddEdge(int64(3), "knows", int64(1), int64(2), nil)
	must(err)
	must(tx.Commit())

	expect := func(err error, kind error, parts ...string) {
		t.Helper()
		if err == nil || !errors.Is(err, kind) {
			t.Fatalf("err = %v, want %v", err, kind)
		}
		for _, p := range parts {
			if !strings.Contains(err.Error(), p) {
				t.Errorf("%q does not mention %q", err, p)
			}
		}
	}
	expect(g.RemovePropertyKey(bg, "age"), ErrSchemaInUse, `index "byAge"`, `vertex label "person"`)
	expect(g.RemovePropertyKey(bg, "name"), ErrSchemaInUse, `vertex label "person"`)
	expect(g.RemovePropertyKey(bg, "nope"), ErrSchemaNotFound)
	expect(g.RemoveVertexLabel(bg, "person"), ErrSchemaInUse, `index "byAge"`)
	expect(g.RemoveEdgeLabel(bg, "knows"), ErrSchemaInUse, "edges of the label exist")
	expect(g.RemoveVertexLabel(bg, "nope"), ErrSchemaNotFound)

	must(g.RemovePropertyKey(bg, "free"))
	must(g.RemoveVertexLabel(bg, "empty"))
	expect(g.RemovePropertyKey(bg, "free"), ErrSchemaNotFound) // already removed
	must(g.DropIndex(bg, "byAge"))
	expect(g.RemoveVertexLabel(bg, "person"), ErrSchemaInUse, "vertices of the label exist (2)")

	s := g.Schema()
	for _, k := range s.PropertyKeys {
		if k.Name == "free" {
			t.Fatal("removed key still declared")
		}
	}
	for _, l := range s.VertexLabels {
		if l.Name == "empty" {
			t.Fatal("removed label still declared")
		}
	}
	// An undeclared key accepts any type; it can be declared again.
	tx, err = g.Begin(bg, TxOptions{})
	must(err)
	_, err = tx.AddVertex(int64(9), "empty", []KeyValue{{Key: "free", Value: int32(5)}})
	must(err)
	must(tx.Commit())
	must(g.DefinePropertyKey(bg, PropertyKeyDef{Name: "free", Type: TypeLong, Cardinality: Single}))

	// The removal survives a reload of the schema.
	must(g.loadSchema(bg))
	if e, ok := g.lookupName(nsVertexLabel, "empty"); !ok || e.declared {
		t.Fatalf("after reload: empty = %+v", e)
	}
}

func TestBackfillProgress(t *testing.T) {
	g := newGraph(t)
	tx, err := g.Begin(bg, TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 600
	for i := 0; i < n; i++ {
		if _, err := tx.AddVertex(int64(i), "v", []KeyValue{{Key: "k", Value: int64(i % 7)}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var calls []int64
	ctx := WithBackfillProgress(bg, func(name string, scanned int64) {
		if name != "byK" {
			t.Errorf("progress for %q", name)
		}
		calls = append(calls, scanned)
	})
	if err := g.CreateIndex(ctx, IndexDef{Name: "byK", Kind: index.Exact, Keys: []string{"k"}}); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 || calls[len(calls)-1] != n {
		t.Fatalf("progress calls %v, want several ending at %d", calls, n)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i] <= calls[i-1] {
			t.Fatalf("progress not increasing: %v", calls)
		}
	}
	// Without the option nothing is reported and nothing fails.
	if err := g.CreateIndex(bg, IndexDef{Name: "byK2", Kind: index.Range, Keys: []string{"k"}}); err != nil {
		t.Fatal(err)
	}
}
