package storage

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

func lookup(t *testing.T, tx *Tx, name, op string, vals ...any) string {
	t.Helper()
	ids, err := tx.LookupIDs(IndexQuery{Index: name, Pred: &value.P{Operator: op, Values: vals}})
	if err != nil {
		t.Fatalf("lookup %s %s%v: %v", name, op, vals, err)
	}
	return fmt.Sprint(ids)
}

func TestIndexes(t *testing.T) {
	g := newGraph(t)
	loadGraphSON(t, g, "tinkerpop-modern.json")
	for _, d := range []IndexDef{
		{Name: "byName", Kind: index.Exact, Keys: []string{"name"}},
		{Name: "byAge", Kind: index.Range, Label: "person", Keys: []string{"age"}},
		{Name: "byNameUnique", Kind: index.Unique, Keys: []string{"name"}},
		{Name: "byLangName", Kind: index.Exact, Keys: []string{"lang", "name"}},
		{Name: "weights", Kind: index.Range, Element: EdgeElement, Keys: []string{"weight"}},
		{Name: "text", Kind: index.Text, Keys: []string{"bio"}},
	} {
		if err := g.CreateIndex(bg, d); err != nil {
			t.Fatalf("CreateIndex %s: %v", d.Name, err)
		}
	}
	if err := g.CreateIndex(bg, IndexDef{Name: "byName", Kind: index.Exact, Keys: []string{"x"}}); !errors.Is(err, ErrIndexExists) {
		t.Fatalf("duplicate index: %v", err)
	}
	checkGraph(t, g)
	tx := begin(t, g)
	for _, c := range []struct {
		idx, op, want string
		vals          []any
	}{
		{"byName", "eq", "[4]", []any{"josh"}},
		{"byName", "within", "[1 4]", []any{"marko", "josh", "nobody"}},
		{"byNameUnique", "eq", "[5]", []any{"ripple"}},
		{"byLangName", "eq", "[3 5]", []any{"java"}},
		{"byLangName", "eq", "[5]", []any{"java", "ripple"}},
		{"byAge", "lt", "[2 1]", []any{int64(30)}},
		{"byAge", "lte", "[2 1]", []any{29.0}},
		{"byAge", "gt", "[4 6]", []any{int8(29)}},
		{"byAge", "gte", "[1 4 6]", []any{int32(29)}},
		{"byAge", "between", "[1 4]", []any{29, 35}},
		{"byAge", "inside", "[4]", []any{29, 35}},
		{"byAge", "outside", "[2 6]", []any{29, 32}},
		{"byAge", "eq", "[]", []any{"29"}},
		{"byAge", "lt", "[]", []any{"zzz"}},
		{"weights", "gte", "[8 10]", []any{1}},
	} {
		if got := lookup(t, tx, c.idx, c.op, c.vals...); got != c.want {
			t.Errorf("%s %s%v = %s, want %s", c.idx, c.op, c.vals, got, c.want)
		}
	}
	es := must[[]*value.Edge](t)(tx.LookupEdges(IndexQuery{Index: "weights", Pred: &value.P{Operator: "lt", Values: []any{0.3}}}))
	if len(es) != 1 || es[0].ID != int32(12) {
		t.Fatalf("edge lookup: %v", es)
	}
	// Maintenance: writes move entries, with read-your-writes.
	must[*value.VertexProperty](t)(tx.SetVertexProperty(int32(1), Single, nil, "name", "marcus", nil))
	must[*value.VertexProperty](t)(tx.SetVertexProperty(int32(1), Single, nil, "bio", "Likes Graphs, and graph databases", nil))
	must[*value.VertexProperty](t)(tx.SetVertexProperty(int32(2), Single, nil, "bio", "graphs are fun", nil))
	if got := lookup(t, tx, "byName", "eq", "marko"); got != "[]" {
		t.Errorf("old value still indexed: %s", got)
	}
	if got := lookup(t, tx, "byName", "eq", "marcus"); got != "[1]" {
		t.Errorf("new value not indexed: %s", got)
	}
	for _, c := range []struct{ op, q, want string }{
		{index.OpTextContains, "graphs", "[1 2]"},
		{index.OpTextContains, "GRAPHS likes", "[1]"},
		{index.OpTextContainsPrefix, "datab", "[1]"},
		{index.OpTextContainsRegex, "gr.*h", "[1]"},
		{index.OpTextContainsRegex, "f.n", "[2]"},
	} {
		if got := lookup(t, tx, "text", c.op, c.q); got != c.want {
			t.Errorf("%s(%q) = %s, want %s", c.op, c.q, got, c.want)
		}
	}
	_, err := tx.AddVertex(nil, "person", []KeyValue{{"name", "josh"}})
	var se *SchemaError
	if !errors.As(err, &se) || se.Index != "byNameUnique" || !strings.Contains(err.Error(), "vertex 4 holds it") {
		t.Fatalf("unique violation: got %v", err)
	}
	must[*value.Vertex](t)(tx.AddVertex(int64(100), "person", []KeyValue{{"name", "new"}, {"age", int64(50)}}))
	if got := lookup(t, tx, "byAge", "gt", 40); got != "[100]" {
		t.Errorf("new vertex not in range index: %s", got)
	}
	if err := tx.RemoveVertex(int32(4)); err != nil {
		t.Fatal(err)
	}
	if got := lookup(t, tx, "weights", "gte", 1); got != "[]" {
		t.Errorf("removed edges still indexed: %s", got)
	}
	if _, err := tx.LookupIDs(IndexQuery{Index: "byName", Pred: &value.P{Operator: "lt", Values: []any{1}}}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("lt on an exact index: %v", err)
	}
	if _, err := tx.LookupIDs(IndexQuery{Index: "nope", Pred: &value.P{Operator: "eq", Values: []any{1}}}); !errors.Is(err, ErrIndexNotFound) {
		t.Errorf("missing index: %v", err)
	}
	if n := must[int64](t)(tx.EstimateLookup(IndexQuery{Index: "byAge", Pred: &value.P{Operator: "gt", Values: []any{0}}}, 2)); n != 2 {
		t.Errorf("EstimateLookup with limit 2 = %d", n)
	}
	commit(t, tx)
	checkGraph(t, g)
	if d, ok := g.FindIndex(VertexElement, "person", "age", "between"); !ok || d.Name != "byAge" {
		t.Errorf("FindIndex(age between) = %v %v", d, ok)
	}
	if d, ok := g.FindIndex(VertexElement, "", "name", "eq"); !ok || d.Name != "byNameUnique" {
		t.Errorf("FindIndex(name eq) = %v %v", d, ok)
	}
	if g.Stats().IndexEntries["byName"] != 6 {
		t.Errorf("index stats: %v", g.Stats().IndexEntries)
	}
	// Dropping removes every entry.
	for _, name := range []string{"byName", "byAge", "byNameUnique", "byLangName", "weights", "text"} {
		if err := g.DropIndex(bg, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.DropIndex(bg, "byName"); !errors.Is(err, ErrIndexNotFound) {
		t.Fatalf("drop twice: %v", err)
	}
	if r := checkGraph(t, g); r.IndexEntries != 0 {
		t.Fatalf("%d index entries left after drop", r.IndexEntries)
	}
}

func TestUniqueBackfillRejectsDuplicates(t *testing.T) {
	g := newGraph(t)
	loadGraphSON(t, g, "tinkerpop-modern.json")
	err := g.CreateIndex(bg, IndexDef{Name: "u", Kind: index.Unique, Keys: []string{"lang"}})
	var se *SchemaError
	if !errors.As(err, &se) {
		t.Fatalf("unique index over duplicate values: got %v, want *SchemaError", err)
	}
	if _, ok := g.Index("u"); ok {
		t.Fatalf("failed index still defined")
	}
	checkGraph(t, g)
}

func TestSchemaValidation(t *testing.T) {
	g := newGraph(t)
	if err := g.DefinePropertyKey(bg, PropertyKeyDef{Name: "age", Type: TypeInt, Cardinality: Single}); err != nil {
		t.Fatal(err)
	}
	if err := g.DefinePropertyKey(bg, PropertyKeyDef{Name: "age", Type: TypeString}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("redeclaring with another type: %v", err)
	}
	if err := g.DefineVertexLabel(bg, LabelDef{Name: "person", Properties: []string{"age", "name"}}); err != nil {
		t.Fatal(err)
	}
	tx := begin(t, g)
	defer tx.Rollback()
	must[*value.Vertex](t)(tx.AddVertex(int64(1), "person", []KeyValue{{"age", int32(3)}, {"name", "x"}}))
	_, err := tx.AddVertex(nil, "person", []KeyValue{{"age", "old"}})
	var se *SchemaError
	if !errors.As(err, &se) || se.Key != "age" || se.Expected != "Integer" || se.Given != "old" ||
		!strings.Contains(err.Error(), `property "age" expects Integer, got old (string)`) {
		t.Fatalf("type violation: %v", err)
	}
	if _, err := tx.SetVertexProperty(int64(1), List, nil, "age", int32(4), nil); !errors.As(err, &se) || !strings.Contains(se.Expected, "single") {
		t.Fatalf("cardinality violation: %v", err)
	}
	if _, err := tx.AddVertex(nil, "person", []KeyValue{{"age", int32(1)}, {"age", int32(2)}}); !errors.As(err, &se) {
		t.Fatalf("two values for a single key: %v", err)
	}
	if _, err := tx.AddVertex(nil, "person", []KeyValue{{"color", "red"}}); !errors.As(err, &se) || se.Label != "person" {
		t.Fatalf("undeclared key on a declared label: %v", err)
	}
	// Undeclared labels stay schemaless.
	must[*value.Vertex](t)(tx.AddVertex(nil, "thing", []KeyValue{{"color", "red"}, {"age", int32(5)}}))
	s := g.Schema()
	if len(s.PropertyKeys) != 1 || s.PropertyKeys[0].Type != TypeInt || len(s.VertexLabels) != 1 {
		t.Fatalf("Schema() = %+v", s)
	}
	// The schema survives a reopen.
	g2, err := Open(g.KV(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s2 := g2.Schema(); fmt.Sprint(s2) != fmt.Sprint(s) {
		t.Fatalf("schema after reopen:\n%+v\nwant\n%+v", s2, s)
	}
}
