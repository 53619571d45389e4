package traversal

import (
	"context"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// as starts an anonymous pattern with a variable: __.as(label).
func as(label string) *bcb { return anon().s("as", label) }

func pNeq(v any) *value.P { return &value.P{Operator: "neq", Values: []any{v}} }
func pEq(v any) *value.P  { return &value.P{Operator: "eq", Values: []any{v}} }
func pGt(v any) *value.P  { return &value.P{Operator: "gt", Values: []any{v}} }

func TestMatchBasics(t *testing.T) {
	tx := modern(t)
	// One pattern: the start label is bound to each incoming vertex.
	expect(t, tx, b("V").s("match", as("a").s("out").s("as", "b").bc), false,
		"{a:v[1],b:v[3]}", "{a:v[1],b:v[2]}", "{a:v[1],b:v[4]}",
		"{a:v[4],b:v[5]}", "{a:v[4],b:v[3]}", "{a:v[6],b:v[3]}")
	// A join on b; the patterns may come in any order (computed start "a").
	want := []string{"{a:v[1],b:v[4],c:v[5]}", "{a:v[1],b:v[4],c:v[3]}"}
	expect(t, tx, b("V").s("match", as("a").s("out", "knows").s("as", "b").bc, as("b").s("out", "created").s("as", "c").bc), false, want...)
	expect(t, tx, b("V").s("match", as("b").s("out", "created").s("as", "c").bc, as("a").s("out", "knows").s("as", "b").bc), false, want...)
	// An end label already bound filters: a created b and b was created by a.
	expect(t, tx, b("V").s("match", as("a").s("out", "created").s("as", "b").bc, as("b").s("in", "created").s("as", "a").bc), false,
		"{a:v[1],b:v[3]}", "{a:v[4],b:v[5]}", "{a:v[4],b:v[3]}", "{a:v[6],b:v[3]}")
	// select() and dedup() read the bindings map.
	expect(t, tx, b("V").s("match", as("a").s("out").s("as", "b").bc).s("select", "b").s("by", T("id")), false,
		"3:int32", "2:int32", "4:int32", "5:int32", "3:int32", "3:int32")
	expect(t, tx, b("V").s("match", as("a").s("out", "knows").s("as", "b").bc, as("b").s("out", "created").s("as", "c").bc,
		as("a").s("out", "created").s("as", "c").bc).s("dedup", "a", "b", "c").s("select", "a").s("by", "name"), false, "marko")
	// Non-vertex start values and a pattern ending in a value.
	expect(t, tx, b("V", int32(2)).s("valueMap").s("match", as("a").s("select", "name").s("as", "b").bc).s("select", "b"), false, "[vadas]")
	expect(t, tx, b("V").s("match", as("a").s("out", "knows").s("values", "name").s("as", "b").bc).s("identity"), false,
		"{a:v[1],b:vadas}", "{a:v[1],b:josh}")
	// The match step's own label names the bindings map.
	expect(t, tx, b("V", int32(1)).s("match", as("a").s("out", "knows").s("as", "b").bc).s("as", "m").s("select", "m").s("select", "b"), false,
		"v[2]", "v[4]")
}

func TestMatchWhereAndNot(t *testing.T) {
	tx := modern(t)
	// where() after match over bound labels.
	expect(t, tx, b("V").s("match", as("a").s("out", "created").s("as", "b").bc, as("b").s("in", "created").s("as", "c").bc).
		s("where", "a", pNeq("c")).s("select", "a", "c").s("by", "name"), false,
		"{a:marko,c:josh}", "{a:marko,c:peter}", "{a:josh,c:marko}", "{a:josh,c:peter}", "{a:peter,c:marko}", "{a:peter,c:josh}")
	// not() pattern: a out b, but not a created b.
	expect(t, tx, b("V").s("match", as("a").s("out").s("as", "b").bc, anon().s("not", as("a").s("out", "created").s("as", "b").bc).bc), false,
		"{a:v[1],b:v[2]}", "{a:v[1],b:v[4]}")
	// where(P) pattern with a start key, and where(traversal) patterns whose
	// start label is pulled out (or not, under and()).
	expect(t, tx, b("V").s("match", anon().s("where", "a", pNeq("c")).bc, as("a").s("out", "created").s("as", "b").bc,
		as("b").s("in", "created").s("as", "c").bc).s("select", "a", "c").s("by", "name"), false,
		"{a:marko,c:josh}", "{a:marko,c:peter}", "{a:josh,c:marko}", "{a:josh,c:peter}", "{a:peter,c:marko}", "{a:peter,c:josh}")
	expect(t, tx, b("V").s("match",
		anon().s("where", anon().s("and", as("a").s("out", "created").s("as", "b").bc,
			as("b").s("in", "created").s("count").s("is", pEq(int64(3))).bc).bc).bc,
		as("a").s("both").s("as", "b").bc,
		anon().s("where", as("b").s("in").bc).bc), false,
		"{a:v[1],b:v[3]}", "{a:v[4],b:v[3]}", "{a:v[6],b:v[3]}")
	// A variable start followed by where(traversal).
	expect(t, tx, b("V").s("match", as("a").s("out", "created").s("has", "name", "lop").s("as", "b").bc,
		as("b").s("in", "created").s("has", "age", int32(29)).s("as", "c").bc,
		as("c").s("where", anon().s("repeat", anon().s("out").bc).s("times", int32(2)).bc).bc).s("select", "a").s("by", "name"), false,
		"marko", "josh", "peter")
	// match() inside not(): the start label defaults on the child's traverser.
	expect(t, tx, b("V").s("not", anon().s("match", as("a").s("values", "age").s("as", "b").bc, as("a").s("values", "name").s("as", "c").bc).
		s("where", "b", pEq("c")).s("select", "a").bc).s("values", "name"), false,
		"marko", "vadas", "lop", "josh", "ripple", "peter")
}

func TestMatchBarriersAndBoundLabels(t *testing.T) {
	tx := modern(t)
	// count() in a pattern is per traverser and keeps the path (a stays bound).
	expect(t, tx, b("V").s("match", as("a").s("out", "knows").s("count").s("as", "b").bc).s("select", "a", "b").s("by", "name").s("by"), false,
		"{a:marko,b:2:int64}", "{a:vadas,b:0:int64}", "{a:lop,b:0:int64}", "{a:josh,b:0:int64}", "{a:ripple,b:0:int64}", "{a:peter,b:0:int64}")
	// Labels bound before match() are used; no start label is added.
	expect(t, tx, b("V").s("as", "a").s("out").s("as", "b").s("match", as("a").s("out").s("count").s("as", "c").bc, as("b").s("in").s("count").s("as", "c").bc), false,
		"{a:v[1],b:v[3],c:3:int64}")
	// order().limit() inside a pattern runs per start.
	expect(t, tx, b("V").s("match", as("a").s("outE", "created").s("order").s("by", "weight", value.Enum{Type: "Order", Name: "desc"}).s("limit", int64(1)).s("inV").s("as", "b").bc,
		as("b").s("has", "lang", "java").bc).s("select", "a", "b").s("by", "name"), false,
		"{a:marko,b:lop}", "{a:josh,b:ripple}", "{a:peter,b:lop}")
	expect(t, tx, b("V").s("match", as("a").s("out", "created").s("as", "b").bc, as("a").s("repeat", anon().s("out").bc).s("times", int32(2)).s("as", "b").bc).
		s("select", "a", "b").s("by", "name"), false, "{a:marko,b:lop}")
	expect(t, tx, b("V").s("out").s("out").s("match", as("a").s("in", "created").s("as", "b").bc, as("b").s("in", "knows").s("as", "c").bc).
		s("select", "c").s("out", "created").s("values", "name"), false, "lop", "lop")
}

func TestMatchWhereKeysDelayPatterns(t *testing.T) {
	tx := modern(t)
	// The second pattern compares with w (bound by the third) inside a
	// filter(): it must not run before w is bound.
	expect(t, tx, b("V").s("match", as("a").s("outE", "created").s("as", "e").bc,
		as("e").s("filter", anon().s("values", "weight").s("where", &value.P{Operator: "gte", Values: []any{"w"}}).bc).s("inV").s("as", "x").bc,
		as("a").s("map", anon().s("outE", "created").s("values", "weight").s("max").bc).s("as", "w").bc).
		s("select", "a", "x").s("by", "name"), false,
		"{a:marko,x:lop}", "{a:josh,x:ripple}", "{a:peter,x:lop}")
}

func TestMatchConnectives(t *testing.T) {
	tx := modern(t)
	// Nested and() patterns bind labels for the outer match.
	expect(t, tx, b("V").s("match", as("a").s("out", "knows").s("as", "b").bc,
		anon().s("and", as("a").s("out", "created").s("as", "c").bc, as("b").s("out", "created").s("as", "c").bc,
			anon().s("and", as("b").s("out", "created").s("count").s("as", "d").bc, as("a").s("out", "knows").s("count").s("as", "d").bc).bc).bc), false,
		"{a:v[1],b:v[4],c:v[3],d:2:int64}")
	// or() with an infix and() whose right side starts with the marker's label.
	or := anon().s("or", as("a").s("out", "knows").s("as", "b").bc,
		as("b").s("in").s("count").s("as", "c").s("and").s("as", "c").s("is", pGt(int64(2))).bc)
	expect(t, tx, b("V").s("as", "a").s("out").s("as", "b").s("match", as("a").s("out").s("count").s("as", "c").bc, or.bc), false,
		"{a:v[1],b:v[3],c:3:int64}", "{a:v[1],b:v[2],c:3:int64}", "{a:v[1],b:v[4],c:3:int64}")
	expect(t, tx, b("V").s("match", anon().s("where", "a", pNeq("c")).bc,
		as("a").s("out", "created").s("as", "b").bc,
		anon().s("or", as("a").s("out", "knows").s("has", "name", "vadas").bc,
			as("a").s("in", "knows").s("and").s("as", "a").s("has", T("label"), "person").bc).bc,
		as("b").s("in", "created").s("as", "c").bc,
		as("b").s("in", "created").s("count").s("is", pGt(int64(1))).bc).s("select", "a", "b", "c").s("by", T("id")), false,
		"{a:1:int32,b:3:int32,c:4:int32}", "{a:1:int32,b:3:int32,c:6:int32}", "{a:4:int32,b:3:int32,c:1:int32}", "{a:4:int32,b:3:int32,c:6:int32}")
	// A match() inside a pattern has its own labels (d is not bound outside).
	expect(t, tx, b("V").s("match", as("a").s("out", "knows").s("as", "b").bc,
		as("b").s("out", "created").s("has", "name", "lop").bc,
		as("b").s("match", as("b").s("out", "created").s("as", "d").bc, as("d").s("in", "created").s("as", "c").bc).s("select", "c").s("as", "c").bc), false,
		"{a:v[1],b:v[4],c:v[4]}", "{a:v[1],b:v[4],c:v[1]}", "{a:v[1],b:v[4],c:v[4]}", "{a:v[1],b:v[4],c:v[6]}")
}

func TestMatchStrategiesAndBulk(t *testing.T) {
	tx := modern(t)
	want := []string{"{a:v[1],b:v[2],c:v[3]}", "{a:v[1],b:v[4],c:v[3]}"}
	q := func() *bcb {
		return b("V").s("match", as("a").s("out", "knows").s("as", "b").bc, as("a").s("out", "created").s("as", "c").bc)
	}
	for _, alg := range []string{"CountMatchAlgorithm", "GreedyMatchAlgorithm"} {
		cfg := value.NewMap()
		cfg.Put("matchAlgorithm", "org.apache.tinkerpop.gremlin.process.traversal.step.map.MatchStep$"+alg)
		expect(t, tx, q().src("withStrategies", value.Strategy{Class: "MatchAlgorithmStrategy", Config: cfg}), false, want...)
	}
	expect(t, tx, q().src("withoutStrategies", value.Class("MatchAlgorithmStrategy")), false, want...)
	expect(t, tx, q().src("withStrategies", value.Strategy{Class: "MatchPredicateStrategy"}), false, want...)

	// Bulk is carried through the patterns.
	tr, err := testEngine.Compile(b("inject", int32(7), int32(7)).s("barrier").s("match", as("a").s("is", int32(7)).bc).bc)
	if err != nil {
		t.Fatal(err)
	}
	it := tr.Iterate(context.Background(), tx)
	defer it.Close()
	var bulks []int64
	for {
		r, ok := it.Next()
		if !ok {
			break
		}
		bulks = append(bulks, r.Bulk)
		if show(r.Value) != "{a:7:int32}" {
			t.Errorf("bulk match: got %s", show(r.Value))
		}
	}
	if it.Err() != nil || len(bulks) != 1 || bulks[0] != 2 {
		t.Errorf("bulk match: bulks %v err %v", bulks, it.Err())
	}
}

func TestMatchErrors(t *testing.T) {
	tx := modern(t)
	for _, c := range []struct {
		q    *bcb
		want string
	}{
		{b("V").s("match", anon().s("out").s("as", "b").bc), "single start label"},
		{b("V").s("match"), "at least one"},
		{b("V").s("match", as("a").s("out").s("as", "b").s("as", "c").bc), "at most one label"},
		// Neither pattern can start: x and y are never bound.
		{b("V").s("match", as("a").s("out").s("as", "b").bc, as("x").s("out").s("as", "y").bc, as("y").s("out").s("as", "x").bc), "unsolvable"},
	} {
		_, err := runQ(t, tx, c.q)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want %q", describe(c.q.bc), err, c.want)
		}
	}
}

func TestMatchStartLabel(t *testing.T) {
	p := func(start []string, end string) *matchPattern { return &matchPattern{startLabels: start, endKey: end} }
	for _, c := range []struct {
		ps   []*matchPattern
		want string
	}{
		{[]*matchPattern{p([]string{"b"}, "c"), p([]string{"a"}, "b")}, "a"},
		{[]*matchPattern{p([]string{"d"}, "a"), p([]string{"d"}, ""), p([]string{"a"}, "b"), p([]string{"b"}, "c")}, "d"},
		// Several free start labels: Java's HashSet order ("a" before "b").
		{[]*matchPattern{p([]string{"b"}, "d"), p([]string{"a"}, "d")}, "a"},
		{[]*matchPattern{p([]string{"a", "c"}, ""), p([]string{"a"}, "b"), p([]string{"b"}, "c")}, "a"},
		// Every start label is an end label: the sorted order decides.
		{[]*matchPattern{p([]string{"b"}, "a"), p([]string{"a"}, "b")}, "b"},
		{[]*matchPattern{p([]string{"a"}, "b"), p([]string{"b"}, "a")}, "a"},
	} {
		got, ok := computeStartLabel(c.ps)
		if !ok || got != c.want {
			t.Errorf("computeStartLabel: got %q, want %q", got, c.want)
		}
	}
	// HashSet buckets: "p" (112) falls in bucket 0, before "a" (97) in 1.
	if got := strings.Join(javaHashOrder([]string{"b", "p", "a"}), ","); got != "p,a,b" {
		t.Errorf("javaHashOrder: got %s", got)
	}
}
