package traversal

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/graphtest"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// b builds bytecode by hand: b("V").s("out", "knows").
type bcb struct{ bc *value.Bytecode }

func b(op string, args ...any) *bcb {
	return &bcb{bc: &value.Bytecode{Steps: []value.Instruction{{Operator: op, Args: args}}}}
}

func anon() *bcb { return &bcb{bc: &value.Bytecode{}} }

func (x *bcb) s(op string, args ...any) *bcb {
	x.bc.Steps = append(x.bc.Steps, value.Instruction{Operator: op, Args: args})
	return x
}

func (x *bcb) src(op string, args ...any) *bcb {
	x.bc.Sources = append(x.bc.Sources, value.Instruction{Operator: op, Args: args})
	return x
}

func T(name string) value.Enum { return value.Enum{Type: "T", Name: name} }

// modern builds TinkerPop's modern graph with int32 ids (uncommitted).
func modern(t *testing.T) storage.GraphTx { return graphtest.ModernTx(t) }

// testEngine compiles the tests' traversals: the Gremlin steps and the
// planner's access steps, io() disabled.
var testEngine = NewEngine(Config{AccessSteps: true})

func runQ(t *testing.T, tx storage.GraphTx, x *bcb) ([]any, error) {
	t.Helper()
	return runWith(t, testEngine, tx, x)
}

// runWith is runQ with the given engine.
func runWith(t *testing.T, eng *Engine, tx storage.GraphTx, x *bcb) ([]any, error) {
	t.Helper()
	tr, err := eng.Compile(x.bc)
	if err != nil {
		return nil, err
	}
	it := tr.Iterate(context.Background(), tx)
	defer it.Close()
	var out []any
	for {
		r, ok := it.Next()
		if !ok {
			break
		}
		for i := int64(0); i < r.Bulk; i++ {
			out = append(out, r.Value)
		}
	}
	return out, it.Err()
}

// show renders results compactly for comparisons.
func show(v any) string {
	switch t := v.(type) {
	case *value.Vertex:
		return fmt.Sprintf("v[%v]", t.ID)
	case *value.Edge:
		return fmt.Sprintf("e[%v]", t.ID)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case *value.Map:
		parts := []string{}
		for _, e := range t.Entries() {
			parts = append(parts, show(e.Key)+":"+show(e.Value))
		}
		return "{" + strings.Join(parts, ",") + "}"
	case *value.Path:
		return "p" + show(t.Objects)
	case value.Enum:
		return t.Name
	case string:
		return t
	}
	return fmt.Sprintf("%v:%T", v, v)
}

func expect(t *testing.T, tx storage.GraphTx, x *bcb, ordered bool, want ...string) {
	t.Helper()
	got, err := runQ(t, tx, x)
	if err != nil {
		t.Fatalf("%v: error %v", x.bc.Steps, err)
	}
	gs := make([]string, len(got))
	for i, g := range got {
		gs[i] = show(g)
	}
	if !ordered {
		sort.Strings(gs)
		want = append([]string{}, want...)
		sort.Strings(want)
	}
	if strings.Join(gs, " | ") != strings.Join(want, " | ") {
		t.Errorf("%s\n got: %v\nwant: %v", describe(x.bc), gs, want)
	}
}

func TestBasics(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("V"), false, "v[1]", "v[2]", "v[3]", "v[4]", "v[5]", "v[6]")
	expect(t, tx, b("V", int32(1)).s("out", "knows"), false, "v[2]", "v[4]")
	expect(t, tx, b("V", int32(1)).s("out", "knows").s("values", "name"), false, "vadas", "josh")
	expect(t, tx, b("V").s("count"), true, "6:int64")
	expect(t, tx, b("V").s("both").s("count"), true, "12:int64")
	expect(t, tx, b("V").s("hasLabel", "software").s("values", "name"), false, "lop", "ripple")
	expect(t, tx, b("V").s("outE").s("limit", int64(2)).s("count"), true, "2:int64")
	expect(t, tx, b("V", int32(4)).s("bothE").s("otherV").s("values", "name"), false, "marko", "ripple", "lop")
	expect(t, tx, b("V", int32(1)).s("out").s("out").s("path").s("by", "name"), false, "p[marko,josh,ripple]", "p[marko,josh,lop]")
	expect(t, tx, b("V", int32(1)).s("as", "a").s("out", "created").s("as", "b").s("select", "a", "b").s("by", "name"), false, "{a:marko,b:lop}")
	expect(t, tx, b("inject", int32(1), int32(2), int32(2)).s("dedup"), true, "1:int32", "2:int32")
	expect(t, tx, b("V").s("values", "name").s("fold").s("count", value.Enum{Type: "Scope", Name: "local"}), true, "6:int64")
	expect(t, tx, b("V").s("union", anon().s("out", "knows").bc, anon().s("in", "knows").bc).s("values", "name"), false, "vadas", "josh", "marko", "marko")
	expect(t, tx, b("V", int32(1)).s("repeat", anon().s("out").bc).s("times", int32(2)).s("values", "name"), false, "ripple", "lop")
	expect(t, tx, b("V", int32(1)).s("repeat", anon().s("out").bc).s("emit").s("values", "name"), false, "vadas", "josh", "lop", "ripple", "lop")
	expect(t, tx, b("V").s("coalesce", anon().s("out", "knows").bc, anon().s("constant", "x").bc).s("count"), true, "7:int64")
	expect(t, tx, b("V").s("choose", anon().s("hasLabel", "person").bc, anon().s("constant", "p").bc, anon().s("constant", "s").bc), false, "p", "p", "p", "p", "s", "s")
	expect(t, tx, b("V").s("hasLabel", "person").s("project", "n", "c").s("by", "name").s("by", anon().s("outE").s("count").bc), false,
		"{n:marko,c:3:int64}", "{n:vadas,c:0:int64}", "{n:josh,c:2:int64}", "{n:peter,c:1:int64}")
	expect(t, tx, b("V").s("not", anon().s("outE").bc).s("values", "name"), false, "vadas", "lop", "ripple")
	expect(t, tx, b("V").s("values", "name").s("tail", int64(2)), true, "ripple", "peter")
	expect(t, tx, b("V").s("outE").s("values", "weight").s("range", int64(1), int64(3)), true, "1:float64", "0.4:float64")
}

func TestHarnessQueries(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("V").s("group").s("by", "name").s("by", anon().s("tail").bc), true,
		"{marko:v[1],vadas:v[2],lop:v[3],josh:v[4],ripple:v[5],peter:v[6]}")
	q := b("E").s("group").s("by", anon().s("project", "o", "l", "i").
		s("by", anon().s("outV").s("values", "name").bc).s("by", T("label")).s("by", anon().s("inV").s("values", "name").bc).bc).
		s("by", anon().s("tail").bc)
	got, err := runQ(t, tx, q)
	if err != nil || len(got) != 1 || got[0].(*value.Map).Len() != 6 {
		t.Fatalf("edge group: %v %v", got, err)
	}
	expect(t, tx, b("V").s("group").s("by", T("label")).s("by", anon().s("count").bc), true, "{person:4:int64,software:2:int64}")
	expect(t, tx, b("V").s("groupCount").s("by", T("label")), true, "{person:4:int64,software:2:int64}")
}

func TestMutations(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("addV", "person").s("property", "name", "stephen").s("values", "name"), true, "stephen")
	expect(t, tx, b("V").s("has", "name", "stephen").s("addE", "knows").s("to", anon().s("V", int32(1)).bc).s("inV").s("values", "name"), true, "marko")
	expect(t, tx, b("V", int32(1)).s("inE", "knows").s("count"), true, "1:int64")
	expect(t, tx, b("V").s("has", "name", "stephen").s("drop"), true)
	expect(t, tx, b("V").s("count"), true, "6:int64")
	tr, _ := testEngine.Compile(b("V").s("drop").bc)
	if !tr.Mutating() {
		t.Error("drop should be mutating")
	}
	_, err := runQ(t, tx, b("V").s("drop").src("withStrategies", value.Strategy{Class: "org.apache.tinkerpop.gremlin.process.traversal.strategy.verification.ReadOnlyStrategy"}))
	if err == nil {
		t.Error("ReadOnlyStrategy should refuse drop")
	}
}

func TestErrors(t *testing.T) {
	tx := modern(t)
	if _, err := testEngine.Compile(b("V").s("map", &value.Lambda{Script: "x"}).bc); err != ErrLambda {
		t.Errorf("want ErrLambda, got %v", err)
	}
	if _, err := testEngine.Compile(b("V").s("bogus").bc); err == nil {
		t.Error("unknown step should fail")
	}
	_, err := runQ(t, tx, b("V").s("fail", "boom"))
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("fail(): %v", err)
	}
	_, err = runQ(t, tx, b("inject", int32(1)).s("out"))
	if err == nil {
		t.Error("out() on an integer should fail")
	}
}

func TestCancel(t *testing.T) {
	tx := modern(t)
	ctx, cancel := context.WithCancel(context.Background())
	tr, err := testEngine.Compile(b("V").s("repeat", anon().s("both").bc).s("count").bc)
	if err != nil {
		t.Fatal(err)
	}
	it := tr.Iterate(ctx, tx)
	cancel()
	if _, ok := it.Next(); ok || it.Err() == nil {
		t.Errorf("expected cancellation, got err=%v", it.Err())
	}
	it.Close()
}

func TestWhereSackStrings(t *testing.T) {
	tx := modern(t)
	// marko's co-creators: where(neq("a")).
	expect(t, tx, b("V", int32(1)).s("as", "a").s("out", "created").s("in", "created").
		s("where", &value.P{Operator: "neq", Values: []any{"a"}}).s("values", "name"), false, "josh", "peter")
	expect(t, tx, b("V").s("where", anon().s("out", "created").s("count").s("is", int64(2)).bc).s("values", "name"), false, "josh")
	expect(t, tx, b("V", int32(1)).s("outE").s("sack", value.Enum{Type: "Operator", Name: "sum"}).s("by", "weight").s("sack").
		src("withSack", float64(1)), false, "1.5:float64", "2:float64", "1.4:float64")
	expect(t, tx, b("V").s("has", "name", "marko").s("values", "name").s("toUpper"), true, "MARKO")
}
