package storage

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestIDsKeepTheirType(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	u := uuid.MustParse("0a1b2c3d-0000-4000-8000-000000000001")
	ids := []any{int32(7), int64(7), "7", u, int16(-3), int8(4), -1234567890123, value.Char('x'), 2.5}
	for _, id := range ids {
		if _, err := tx.AddVertex(id, "thing", nil); err != nil {
			t.Fatalf("AddVertex(%T %v): %v", id, id, err)
		}
	}
	commit(t, tx)
	tx = begin(t, g)
	defer tx.Rollback()
	got := must[[]*value.Vertex](t)(tx.Vertices(ids))
	if len(got) != len(ids) {
		t.Fatalf("got %d vertices, want %d", len(got), len(ids))
	}
	for i, v := range got {
		want := ids[i]
		if n, ok := want.(int); ok {
			want = int64(n)
		}
		if value.Key(v.ID) != value.Key(want) {
			t.Errorf("vertex %d: id %T %v, want %T %v", i, v.ID, v.ID, want, want)
		}
	}
	// int32 7 and int64 7 are different vertices; a missing id is skipped.
	got = must[[]*value.Vertex](t)(tx.Vertices([]any{int64(7), int32(99), int32(7), []int{1}}))
	if len(got) != 2 || got[0].ID != int64(7) || got[1].ID != int32(7) {
		t.Fatalf("Vertices(7L, 99, 7) = %v", got)
	}
}

func TestGeneratedAndDuplicateIDs(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	// A user id in the generated range is skipped by the generator.
	must[*value.Vertex](t)(tx.AddVertex(int64(0), "a", nil))
	v := must[*value.Vertex](t)(tx.AddVertex(nil, "a", []KeyValue{{"name", "x"}}))
	if _, ok := v.ID.(int64); !ok || v.ID == int64(0) {
		t.Fatalf("generated id %T %v, want a fresh int64", v.ID, v.ID)
	}
	if len(v.Properties) != 1 || v.Properties[0].ID == v.ID {
		t.Fatalf("vertex property id must be generated and distinct: %+v", v.Properties)
	}
	_, err := tx.AddVertex(int64(0), "a", nil)
	if !errors.Is(err, ErrDuplicateID) || !strings.Contains(err.Error(), "0") {
		t.Fatalf("duplicate vertex id: got %v, want ErrDuplicateID naming the id", err)
	}
	e := must[*value.Edge](t)(tx.AddEdge("e1", "knows", int64(0), v.ID, nil))
	if e.ID != "e1" || e.OutV.Label != "a" {
		t.Fatalf("edge: %+v", e)
	}
	if _, err := tx.AddEdge("e1", "knows", int64(0), v.ID, nil); !errors.Is(err, ErrDuplicateID) {
		t.Fatalf("duplicate edge id: got %v", err)
	}
	if _, err := tx.AddEdge(nil, "knows", int64(0), int64(12345), nil); !errors.Is(err, ErrVertexNotFound) {
		t.Fatalf("edge to a missing vertex: got %v, want ErrVertexNotFound", err)
	}
	commit(t, tx)
	checkGraph(t, g)
}

func TestModernAdjacency(t *testing.T) {
	g := newGraph(t)
	loadGraphSON(t, g, "tinkerpop-modern.json")
	r := checkGraph(t, g)
	if r.Vertices != 6 || r.Edges != 6 {
		t.Fatalf("modern: %d vertices, %d edges; want 6 and 6", r.Vertices, r.Edges)
	}
	tx := begin(t, g)
	defer tx.Rollback()
	eq := func(what string, got []string, want ...string) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\n got  %q\n want %q", what, got, want)
		}
	}
	eq("out(1)", edgeStrings(t, tx.EdgesOf(int32(1), Out, nil)),
		"e[9][1(person)-created->3(software)] weight=0.4",
		"e[7][1(person)-knows->2(person)] weight=0.5",
		"e[8][1(person)-knows->4(person)] weight=1")
	eq("out(1, knows)", edgeStrings(t, tx.EdgesOf(int32(1), Out, []string{"knows"})),
		"e[7][1(person)-knows->2(person)] weight=0.5", "e[8][1(person)-knows->4(person)] weight=1")
	eq("in(3)", edgeStrings(t, tx.EdgesOf(int32(3), In, nil)),
		"e[9][1(person)-created->3(software)] weight=0.4",
		"e[11][4(person)-created->3(software)] weight=0.4",
		"e[12][6(person)-created->3(software)] weight=0.2")
	eq("both(4)", edgeStrings(t, tx.EdgesOf(int32(4), Both, []string{"created", "knows", "nope"})),
		"e[11][4(person)-created->3(software)] weight=0.4",
		"e[10][4(person)-created->5(software)] weight=1",
		"e[8][1(person)-knows->4(person)] weight=1")
	eq("missing vertex", edgeStrings(t, tx.EdgesOf(int32(99), Both, nil)))
	for _, c := range []struct {
		v      any
		dir    Direction
		labels []string
		want   int64
	}{{int32(1), Out, nil, 3}, {int32(1), Out, []string{"knows"}, 2}, {int32(3), In, nil, 3}, {int32(4), Both, nil, 3}, {int32(2), Out, nil, 0}, {"nope", Both, nil, 0}} {
		if n := must[int64](t)(tx.Degree(c.v, c.dir, c.labels)); n != c.want {
			t.Errorf("Degree(%v, %v, %v) = %d, want %d", c.v, c.dir, c.labels, n, c.want)
		}
	}
	ids := must[[]any](t)(tx.AdjacentIDs(int32(1), Out, []string{"knows"}))
	eq("AdjacentIDs", []string{fmt.Sprint(ids)}, "[2 4]")
	eq("person vertices", vertexIDs(t, tx.ScanVertices("person")), "1", "2", "4", "6")
	eq("all vertices", vertexIDs(t, tx.ScanVertices("")), "1", "2", "3", "4", "5", "6")
	eq("no such label", vertexIDs(t, tx.ScanVertices("robot")))
	eq("created edges", edgeStrings(t, tx.ScanEdges("created")),
		"e[9][1(person)-created->3(software)] weight=0.4",
		"e[10][4(person)-created->5(software)] weight=1",
		"e[11][4(person)-created->3(software)] weight=0.4",
		"e[12][6(person)-created->3(software)] weight=0.2")
	if n := len(edgeStrings(t, tx.ScanEdges(""))); n != 6 {
		t.Errorf("all edges: %d, want 6", n)
	}
	es := must[[]*value.Edge](t)(tx.Edges([]any{int32(12), int32(100), int32(7)}))
	if len(es) != 2 || edgeString(es[0]) != "e[12][6(person)-created->3(software)] weight=0.2" || es[1].ID != int32(7) {
		t.Errorf("Edges: %v", es)
	}
	vs := must[[]*value.Vertex](t)(tx.Vertices([]any{int32(1)}))
	if len(vs) != 1 || len(vs[0].Properties) != 2 {
		t.Fatalf("vertex 1: %+v", vs)
	}
	for _, p := range vs[0].Properties {
		if p.Vertex == nil || p.Vertex.ID != int32(1) {
			t.Errorf("property %s has no owner reference", p.Key)
		}
		if p.Key == "age" && (p.Value != int32(29) || p.ID != int64(1)) {
			t.Errorf("age: %T %v id %T %v", p.Value, p.Value, p.ID, p.ID)
		}
	}
	st := g.Stats()
	if st.Vertices != 6 || st.Edges != 6 || st.VerticesByLabel["person"] != 4 || st.EdgesByLabel["knows"] != 2 {
		t.Errorf("stats: %+v", st)
	}
}

func TestCrewMetaProperties(t *testing.T) {
	g := newGraph(t)
	loadGraphSON(t, g, "tinkerpop-crew.json")
	checkGraph(t, g)
	tx := begin(t, g)
	defer tx.Rollback()
	vs := must[[]*value.Vertex](t)(tx.Vertices([]any{int32(1)}))
	var locs []string
	for _, p := range vs[0].Properties {
		if p.Key == "location" {
			s := fmt.Sprint(p.Value)
			for _, m := range p.Properties {
				s += fmt.Sprintf(" %s=%v", m.Key, m.Value)
				if m.Element != p {
					t.Errorf("meta-property %s does not point at its vertex property", m.Key)
				}
			}
			locs = append(locs, s)
		}
	}
	want := "[san diego endTime=2001 startTime=1997 santa cruz endTime=2004 startTime=2001 brussels endTime=2005 startTime=2004 santa fe startTime=2005]"
	if fmt.Sprint(locs) != want {
		t.Fatalf("marko's locations:\n got  %v\n want %s", locs, want)
	}
}

func TestSelfLoopAppearsTwice(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	must[*value.Vertex](t)(tx.AddVertex(int64(1), "v", nil))
	must[*value.Edge](t)(tx.AddEdge(int64(10), "self", int64(1), int64(1), nil))
	if n := len(edgeStrings(t, tx.EdgesOf(int64(1), Both, nil))); n != 2 {
		t.Fatalf("a self-loop appears %d times in both(), want 2", n)
	}
	if n := must[int64](t)(tx.Degree(int64(1), Both, nil)); n != 2 {
		t.Fatalf("Degree(both) of a self-loop = %d, want 2", n)
	}
	must[struct{}](t)(struct{}{}, tx.RemoveVertex(int64(1)))
	commit(t, tx)
	r := checkGraph(t, g)
	if r.Vertices != 0 || r.Edges != 0 {
		t.Fatalf("after removal: %+v", r)
	}
}

func TestRemoveVertexRemovesEdges(t *testing.T) {
	g := newGraph(t)
	loadGraphSON(t, g, "tinkerpop-modern.json")
	tx := begin(t, g)
	if err := tx.RemoveVertex(int32(4)); err != nil {
		t.Fatal(err)
	}
	if err := tx.RemoveVertex(int32(4)); !errors.Is(err, ErrVertexNotFound) {
		t.Fatalf("second RemoveVertex: got %v, want ErrVertexNotFound", err)
	}
	if n := must[int64](t)(tx.Degree(int32(1), Out, []string{"knows"})); n != 1 {
		t.Fatalf("marko knows %d after josh was removed, want 1", n)
	}
	if err := tx.RemoveEdge(int32(7)); err != nil {
		t.Fatal(err)
	}
	if err := tx.RemoveEdge(int32(7)); !errors.Is(err, ErrEdgeNotFound) {
		t.Fatalf("second RemoveEdge: got %v, want ErrEdgeNotFound", err)
	}
	commit(t, tx)
	r := checkGraph(t, g)
	if r.Vertices != 5 || r.Edges != 2 {
		t.Fatalf("after removal: %d vertices %d edges, want 5 and 2", r.Vertices, r.Edges)
	}
	if st := g.Stats(); st.Edges != 2 || st.VerticesByLabel["person"] != 3 {
		t.Fatalf("stats after removal: %+v", st)
	}
}

func propsOf(t *testing.T, tx *Tx, vid any) string {
	t.Helper()
	vs := must[[]*value.Vertex](t)(tx.Vertices([]any{vid}))
	if len(vs) != 1 {
		t.Fatalf("vertex %v not found", vid)
	}
	var parts []string
	for _, p := range vs[0].Properties {
		s := fmt.Sprintf("%s=%v", p.Key, p.Value)
		for _, m := range p.Properties {
			s += fmt.Sprintf("{%s=%v}", m.Key, m.Value)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestVertexPropertyCardinality(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	must[*value.Vertex](t)(tx.AddVertex("v", "p", []KeyValue{{"name", "a"}, {"x", nil}}))
	step := func(card Cardinality, key string, val any, want string) *value.VertexProperty {
		t.Helper()
		vp, err := tx.SetVertexProperty("v", card, nil, key, val, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := propsOf(t, tx, "v"); got != want {
			t.Fatalf("after %s %s=%v:\n got  %s\n want %s", cardName(card), key, val, got, want)
		}
		return vp
	}
	step(List, "name", "b", "name=a name=b")
	step(List, "name", "b", "name=a name=b name=b")
	step(Set, "name", "a", "name=a name=b name=b")
	step(Set, "name", "c", "name=a name=b name=b name=c")
	step(Single, "name", "d", "name=d")
	vp := step(Single, "age", int32(3), "name=d age=3")
	must[*value.Property](t)(tx.SetMetaProperty("v", vp.ID, "since", int64(2020)))
	must[*value.Property](t)(tx.SetMetaProperty("v", vp.ID, "since", int64(2021)))
	if got := propsOf(t, tx, "v"); got != "name=d age=3{since=2021}" {
		t.Fatalf("meta: %s", got)
	}
	if err := tx.RemoveMetaProperty("v", vp.ID, "since"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.SetMetaProperty("v", int64(987654), "k", 1); !errors.Is(err, ErrPropertyNotFound) {
		t.Fatalf("meta on a missing property: got %v", err)
	}
	if err := tx.RemoveVertexProperty("v", vp.ID); err != nil {
		t.Fatal(err)
	}
	step(Single, "name", nil, "")
	if _, err := tx.SetVertexProperty("nope", Single, nil, "k", 1, nil); !errors.Is(err, ErrVertexNotFound) {
		t.Fatalf("property on a missing vertex: got %v", err)
	}
	vp = must[*value.VertexProperty](t)(tx.SetVertexProperty("v", List, "myid", "k", 1, []KeyValue{{"m", "x"}}))
	if vp.ID != "myid" || len(vp.Properties) != 1 {
		t.Fatalf("explicit vp id and meta: %+v", vp)
	}
	if _, err := tx.SetVertexProperty("v", List, "myid", "k", 2, nil); !errors.Is(err, ErrDuplicateID) {
		t.Fatalf("duplicate vp id: got %v", err)
	}
	commit(t, tx)
	checkGraph(t, g)
}

func TestEdgeProperties(t *testing.T) {
	g := newGraph(t)
	loadGraphSON(t, g, "tinkerpop-modern.json")
	tx := begin(t, g)
	p := must[*value.Property](t)(tx.SetEdgeProperty(int32(7), "weight", 0.75))
	if e, ok := p.Element.(*value.Edge); !ok || e.ID != int32(7) || p.Value != 0.75 {
		t.Fatalf("SetEdgeProperty returned %+v", p)
	}
	must[*value.Property](t)(tx.SetEdgeProperty(int32(7), "since", int32(2001)))
	want := "e[7][1(person)-knows->2(person)] weight=0.75 since=2001"
	if got := edgeStrings(t, tx.EdgesOf(int32(2), In, nil)); fmt.Sprint(got) != "["+want+"]" {
		t.Fatalf("in-edge after update: %v", got)
	}
	if err := tx.RemoveEdgeProperty(int32(7), "weight"); err != nil {
		t.Fatal(err)
	}
	if err := tx.RemoveEdgeProperty(int32(7), "never-used"); err != nil {
		t.Fatal(err)
	}
	es := must[[]*value.Edge](t)(tx.Edges([]any{int32(7)}))
	if edgeString(es[0]) != "e[7][1(person)-knows->2(person)] since=2001" {
		t.Fatalf("after remove: %s", edgeString(es[0]))
	}
	if _, err := tx.SetEdgeProperty(int32(700), "k", 1); !errors.Is(err, ErrEdgeNotFound) {
		t.Fatalf("property on a missing edge: got %v", err)
	}
	commit(t, tx)
	checkGraph(t, g)
}

func TestAllValueTypesRoundTrip(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	bd := value.BigDecimal{Unscaled: big.NewInt(-12345), Scale: 2}
	tm := time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
	off := time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("", 3600))
	m := value.NewMap()
	m.Put("k", []any{int32(1), "x"})
	m.Put(int64(2), value.NewSet("a", "b"))
	vals := []any{int32(1), int64(2), int16(3), int8(4), float32(1.5), 2.25, "s", true, false,
		big.NewInt(0).Lsh(big.NewInt(1), 100), bd, value.Char('é'), uuid.New(), tm, off,
		90 * time.Second, []byte{0, 1, 2}, []any{int32(1), []any{"n"}}, value.NewSet(int32(1), int64(1)), m}
	var props []KeyValue
	for i, v := range vals {
		props = append(props, KeyValue{fmt.Sprintf("p%02d", i), v})
	}
	must[*value.Vertex](t)(tx.AddVertex(int64(1), "v", props))
	commit(t, tx)
	tx = begin(t, g)
	defer tx.Rollback()
	v := must[[]*value.Vertex](t)(tx.Vertices([]any{int64(1)}))[0]
	for i, p := range v.Properties {
		want := vals[i]
		if value.Key(p.Value) != value.Key(want) {
			t.Errorf("%s: got %T %v, want %T %v", p.Key, p.Value, p.Value, want, want)
		}
	}
	if got := v.Properties[14].Value.(time.Time); !got.Equal(off) {
		t.Errorf("offset date-time: %v", got)
	}
	if _, err := begin(t, g).AddVertex(nil, "v", []KeyValue{{"bad", struct{}{}}}); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "struct {}") {
		t.Fatalf("unsupported value: got %v", err)
	}
}

func TestTransactions(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	must[*value.Vertex](t)(tx.AddVertex(int64(1), "v", []KeyValue{{"n", int64(0)}}))
	v0 := g.Version()
	commit(t, tx)
	if g.Version() <= v0 {
		t.Fatalf("Version did not advance on commit")
	}
	// Rollback discards.
	tx = begin(t, g)
	must[*value.Vertex](t)(tx.AddVertex(int64(2), "v", nil))
	if len(must[[]*value.Vertex](t)(tx.Vertices([]any{int64(2)}))) != 1 {
		t.Fatalf("no read-your-writes")
	}
	tx.Rollback()
	if err := tx.Commit(); !errors.Is(err, ErrTxDone) {
		t.Fatalf("Commit after Rollback: %v", err)
	}
	tx = begin(t, g)
	if len(must[[]*value.Vertex](t)(tx.Vertices([]any{int64(2)}))) != 0 {
		t.Fatalf("rolled-back vertex visible")
	}
	tx.Rollback()
	// Two writers of one vertex: the second conflicts.
	t1, t2 := begin(t, g), begin(t, g)
	must[*value.VertexProperty](t)(t1.SetVertexProperty(int64(1), Single, nil, "n", int64(1), nil))
	must[*value.VertexProperty](t)(t2.SetVertexProperty(int64(1), Single, nil, "n", int64(2), nil))
	commit(t, t1)
	if err := t2.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("concurrent update: got %v, want ErrConflict", err)
	}
	// Read-only transactions reject writes.
	ro, err := g.BeginTx(bg, TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.AddVertex(nil, "v", nil); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write in read-only: got %v", err)
	}
	if err := ro.RemoveVertex(int64(1)); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("remove in read-only: got %v", err)
	}
	ro.Commit()
	checkGraph(t, g)
	if st := g.Stats(); st.Vertices != 1 {
		t.Fatalf("stats count rolled-back or conflicting writes: %+v", st)
	}
}

func TestReopenKeepsData(t *testing.T) {
	s := openKV(t)
	g, err := Open(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	loadGraphSON(t, g, "tinkerpop-modern.json")
	g.Close()
	g2, err := Open(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkGraph(t, g2)
	if st := g2.Stats(); st.Vertices != 6 || st.Edges != 6 {
		t.Fatalf("recounted stats: %+v", st)
	}
	tx := begin(t, g2)
	defer tx.Rollback()
	v := must[*value.Vertex](t)(tx.AddVertex(nil, "person", nil))
	if v.ID.(int64) < 0 {
		t.Fatalf("generated id %v", v.ID)
	}
	if n := len(edgeStrings(t, tx.EdgesOf(int32(1), Out, []string{"knows"}))); n != 2 {
		t.Fatalf("after reopen marko knows %d", n)
	}
}

// A String id that names no element but parses as an integer finds the
// element with that integer id (TinkerGraph's numeric id managers convert
// it); a String id that exists as a String keeps its own meaning.
func TestStringIDFindsIntegerID(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	must[*value.Vertex](t)(tx.AddVertex(int32(1), "a", nil))
	must[*value.Vertex](t)(tx.AddVertex(int64(5000000000), "a", nil))
	must[*value.Vertex](t)(tx.AddVertex(int32(2), "a", nil))
	must[*value.Vertex](t)(tx.AddVertex("2", "s", nil))
	must[*value.Edge](t)(tx.AddEdge(int32(11), "knows", int32(1), int32(2), nil))
	commit(t, tx)
	tx = begin(t, g)
	defer tx.Rollback()
	got := must[[]*value.Vertex](t)(tx.Vertices([]any{"1", "5000000000", "2", "01", "+1", "x", "3"}))
	if len(got) != 3 || got[0].ID != int32(1) || got[1].ID != int64(5000000000) || got[2].ID != "2" {
		t.Fatalf("Vertices(\"1\", \"5000000000\", \"2\", ...) = %v", got)
	}
	es := must[[]*value.Edge](t)(tx.Edges([]any{"11", "12"}))
	if len(es) != 1 || es[0].ID != int32(11) {
		t.Fatalf("Edges(\"11\", \"12\") = %v", es)
	}
}
