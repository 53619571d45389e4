package traversal

import (
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestRepeatPerIterationRange(t *testing.T) {
	tx := modern(t)
	// limit() inside repeat() applies to each iteration separately.
	expect(t, tx, b("V", int32(5)).s("repeat", anon().s("limit", int64(1)).s("in").bc).s("times", int32(2)).s("values", "name"), false, "marko")
	expect(t, tx, b("V", int32(5)).s("repeat", anon().s("range", int64(0), int64(1)).s("in").s("aggregate", "x").bc).s("times", int32(2)).s("cap", "x"), false, "[v[4],v[1]]")
	expect(t, tx, b("V").s("repeat", anon().s("both").s("limit", int64(1)).bc).s("times", int32(2)).s("count"), true, "1:int64")
	// a limit in a nested child of the body is per iteration too.
	expect(t, tx, b("V").s("repeat", anon().s("union", anon().s("constant", "y").s("limit", int64(1)).bc, anon().s("identity").bc).bc).s("times", int32(2)),
		false, "y", "y", "v[1]", "v[2]", "v[3]", "v[4]", "v[5]", "v[6]")
	// dedup() state is kept across iterations.
	expect(t, tx, b("V").s("repeat", anon().s("dedup").s("both").bc).s("times", int32(2)), false)
	// limit() after repeat() still stops pulling.
	expect(t, tx, b("V").s("repeat", anon().s("both").bc).s("emit").s("limit", int64(3)).s("count"), true, "3:int64")
}

func TestRepeatBreadthFirstBarriers(t *testing.T) {
	tx := modern(t)
	// order() in the body sorts a whole iteration.
	expect(t, tx, b("V").s("order").s("by", "name").s("repeat", anon().s("both").s("order").s("by", "name").bc).s("times", int32(2)).s("limit", int64(10)).s("values", "name"), true,
		"josh", "josh", "josh", "josh", "josh", "josh", "josh", "lop", "lop", "lop")
	expect(t, tx, b("V").s("repeat", anon().s("both").s("repeat", anon().s("order").s("by", "name").bc).s("times", int32(1)).bc).s("times", int32(1)).s("values", "name"), true,
		"josh", "josh", "josh", "lop", "lop", "lop", "marko", "marko", "marko", "peter", "ripple", "vadas")
	expect(t, tx, b("V").s("repeat", anon().s("both").s("sample", int32(1)).bc).s("times", int32(2)).s("count"), true, "1:int64")
	// emit() results come out one iteration at a time.
	expect(t, tx, b("V", int32(1), int32(2)).s("repeat", anon().s("both").s("barrier").bc).s("emit").s("times", int32(2)).s("path").s("count", value.Enum{Type: "Scope", Name: "local"}), true,
		"2:int64", "2:int64", "2:int64", "2:int64", "3:int64", "3:int64", "3:int64", "3:int64", "3:int64", "3:int64", "3:int64", "3:int64", "3:int64", "3:int64")
	// aggregate() in the body sees every iteration.
	expect(t, tx, b("V").s("repeat", anon().s("aggregate", "x").bc).s("times", int32(2)).s("select", "x").s("limit", int64(1)).s("unfold").s("count"), true, "12:int64")
}

func TestRepeatBulkMerging(t *testing.T) {
	tx := modern(t)
	// 8 iterations of both() on the modern graph: equal traversers are
	// merged between iterations so this is cheap; the count is exact.
	expect(t, tx, b("V").s("repeat", anon().s("both").bc).s("times", int32(8)).s("count"), true, "5910:int64")
}

func TestRepeatErrors(t *testing.T) {
	tx := modern(t)
	for _, q := range []*bcb{b("V").s("emit"), b("V").s("times", int32(5)), b("V").s("until", anon().s("identity").bc)} {
		_, err := runQ(t, tx, q)
		if err == nil || !strings.Contains(err.Error(), "The repeat()-traversal was not defined") {
			t.Errorf("%s: %v", describe(q.bc), err)
		}
	}
	_, err := runQ(t, tx, b("V").s("repeat", anon().s("inject", "y").bc).s("times", int32(2)))
	if err == nil || !strings.Contains(err.Error(), "The parent of inject()-step can not be repeat()-step") {
		t.Errorf("inject in repeat: %v", err)
	}
}

func TestSackSemantics(t *testing.T) {
	tx := modern(t)
	op := func(n string) value.Enum { return value.Enum{Type: "Operator", Name: n} }
	// an unproductive by() filters.
	expect(t, tx, b("V").s("sack", op("assign")).s("by", "age").s("sack"), false, "29:int32", "27:int32", "32:int32", "35:int32")
	if _, err := testEngine.Compile(b("V").s("sack", op("assign")).s("by", "age").s("by", "name").bc); err == nil || !strings.Contains(err.Error(), "Sack step can only have one by modulator") {
		t.Errorf("two by(): %v", err)
	}
	// with a sack merge operator, equal traversers merge and combine sacks.
	expect(t, tx, b("V", int32(1)).s("local", anon().s("out", "knows").s("barrier", value.Enum{Type: "Barrier", Name: "normSack"}).bc).s("in", "knows").s("barrier").s("sack").
		src("withSack", 1.0, op("sum")), false, "1:float64", "1:float64")
	// withBulk(false): merged traversers keep bulk 1.
	expect(t, tx, b("V").s("out").s("barrier").s("sack").src("withBulk", false).src("withSack", int32(1), op("sum")), false, "3:int32", "1:int32", "1:int32", "1:int32")
	// integer division overflow promotes.
	expect(t, tx, b("inject", int32(-1)).s("sack", op("div")).s("sack").src("withSack", int32(-2147483648)), false, "2147483648:int64")
	// inside repeat() too: elements without age are filtered.
	expect(t, tx, b("V").s("repeat", anon().s("sack", op("sum")).s("by", "age").s("where", anon().s("sack").s("is", &value.P{Operator: "lt", Values: []any{int32(59)}}).bc).bc).s("times", int32(2)).
		src("withSack", int64(0)), false, "v[1]", "v[2]")
}

func TestRangeTailLocalCollections(t *testing.T) {
	tx := modern(t)
	local := value.Enum{Type: "Scope", Name: "local"}
	l := func(vs ...any) []any { return vs }
	expect(t, tx, b("inject", l(int32(1), int32(2), int32(3))).s("limit", local, int64(1)), true, "[1:int32]")
	expect(t, tx, b("inject", l(int32(1), int32(2)), l(int32(3), int32(4), int32(5))).s("limit", local, int64(1)), true, "[1:int32]", "[3:int32]")
	expect(t, tx, b("inject", l(int32(1), int32(2), int32(3))).s("range", local, int64(1), int64(2)), true, "[2:int32]")
	expect(t, tx, b("inject", l(int32(1), int32(2), int32(3))).s("tail", local, int64(1)), true, "[3:int32]")
	expect(t, tx, b("inject", l(int32(1), int32(2), int32(3))).s("tail", local, int64(1)).s("unfold"), true, "3:int32")
	expect(t, tx, b("V").s("fold").s("range", local, int64(6), int64(7)), true, "[]")
	expect(t, tx, b("V", int32(1)).s("values", "age").s("range", local, int64(20), int64(30)), true, "29:int32")
}

func TestUnionBarrierChildren(t *testing.T) {
	tx := modern(t)
	// a barrier in a union child sees every input traverser at once.
	expect(t, tx, b("V", int32(1), int32(2)).s("union", anon().s("outE").s("count").bc, anon().s("inE").s("count").bc, anon().s("outE").s("values", "weight").s("sum").bc), false,
		"3:int64", "1:int64", "1.9:float64")
	// inside local() each traverser is on its own.
	expect(t, tx, b("V", int32(1), int32(2)).s("local", anon().s("union", anon().s("count").bc).bc), false, "1:int64", "1:int64")
	// without a barrier union() keeps per-traverser order.
	expect(t, tx, b("V", int32(1), int32(2)).s("union", anon().s("constant", "a").bc, anon().s("constant", "b").bc), true, "a", "b", "a", "b")
	// no input: the barrier child produces nothing.
	expect(t, tx, b("V").s("hasLabel", "none").s("union", anon().s("count").bc), true)
}

func TestLocalSplitsBulk(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("V").s("in").s("barrier").s("local", anon().s("count").bc), false, "1:int64", "1:int64", "1:int64", "1:int64", "1:int64", "1:int64")
	expect(t, tx, b("V", int32(1), int32(1)).s("barrier").s("local", anon().s("values", "name").s("fold").bc), false, "[marko]", "[marko]")
	expect(t, tx, b("V").s("union", anon().s("outE").s("count").bc, anon().s("local", anon().s("inE").s("count").bc).bc), false,
		"6:int64", "0:int64", "1:int64", "3:int64", "1:int64", "1:int64", "0:int64")
}

func TestChooseBranchBarriers(t *testing.T) {
	tx := modern(t)
	is1 := anon().s("is", int32(1)).bc
	// an option that receives nothing produces nothing, even with a barrier.
	expect(t, tx, b("inject", int32(1)).s("choose", is1, anon().s("constant", int32(10)).s("fold").bc, anon().s("fold").bc), true, "[10:int32]")
	expect(t, tx, b("inject", int32(2)).s("choose", is1, anon().s("constant", int32(10)).s("fold").bc, anon().s("fold").bc), true, "[2:int32]")
	// barriers in branch options see every traverser routed to them.
	expect(t, tx, b("V").s("branch", anon().s("identity").bc).
		s("option", anon().s("hasLabel", "software").bc, anon().s("in", "created").s("values", "name").s("order").s("fold").bc).
		s("option", anon().s("has", "name", "vadas").bc, anon().s("values", "age").bc).
		s("option", &value.P{Operator: "neq", Values: []any{int32(123)}}, anon().s("bothE").s("count").bc), false,
		"[josh,josh,marko,peter]", "27:int32", "12:int64")
	_, err := testEngine.Compile(b("V").s("choose", anon().s("values", "name").bc).s("option", anon().s("is", "marko").bc, anon().s("values", "age").bc).bc)
	if err == nil || !strings.Contains(err.Error(), "Traversal is not allowed as a Pick token") {
		t.Errorf("choose traversal pick: %v", err)
	}
}

func TestSingleByModulator(t *testing.T) {
	for step, msg := range map[string]string{"aggregate": "Aggregate", "sample": "Sample", "dedup": "Dedup"} {
		var q *bcb
		switch step {
		case "aggregate":
			q = b("V").s("aggregate", "x")
		case "sample":
			q = b("V").s("sample", int32(1))
		default:
			q = b("V").s("dedup")
		}
		_, err := testEngine.Compile(q.s("by", "name").s("by", "age").bc)
		if err == nil || !strings.Contains(err.Error(), msg+" step can only have one by modulator") {
			t.Errorf("%s: %v", step, err)
		}
	}
}

func TestAggregateCollectionOperators(t *testing.T) {
	tx := modern(t)
	op := func(n string) value.Enum { return value.Enum{Type: "Operator", Name: n} }
	l := []any{int32(1), int32(2), int32(3)}
	expect(t, tx, b("V").s("aggregate", "a").s("by", "age").s("cap", "a").s("unfold").src("withSideEffect", "a", l, op("addAll")), false,
		"1:int32", "2:int32", "3:int32", "29:int32", "27:int32", "32:int32", "35:int32")
	expect(t, tx, b("V").s("local", anon().s("aggregate", "a").s("by", "age").bc).s("cap", "a").s("unfold").src("withSideEffect", "a", l, op("addAll")), false,
		"1:int32", "2:int32", "3:int32", "29:int32", "27:int32", "32:int32", "35:int32")
	expect(t, tx, b("V").s("aggregate", "a").s("by", "age").s("cap", "a").s("unfold").src("withSideEffect", "a", l, op("assign")), false,
		"29:int32", "27:int32", "32:int32", "35:int32")
}

func TestPathByUnproductiveFilters(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("V", int32(1)).s("out").s("path").s("by", "age"), false, "p[29:int32,27:int32]", "p[29:int32,32:int32]")
	expect(t, tx, b("V", int32(1)).s("both").s("both").s("cyclicPath").s("by", "age"), false, "v[1]", "v[1]")
	expect(t, tx, b("V", int32(2)).s("both").s("both").s("simplePath").s("by", "age").s("values", "name"), true, "josh")
}
