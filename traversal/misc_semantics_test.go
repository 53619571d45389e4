package traversal

import (
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestHasIDStringsAndNullKeys(t *testing.T) {
	tx := modern(t)
	// String ids compare with the id's String form (HasContainer).
	expect(t, tx, b("V", int32(1)).s("out").s("hasId", "2", "3"), false, "v[2]", "v[3]")
	expect(t, tx, b("V").s("hasId", "1", "2", nil), false, "v[1]", "v[2]")
	expect(t, tx, b("V").s("has", T("id"), "4"), false, "v[4]")
	expect(t, tx, b("V").s("hasId", int32(2), "3"), false, "v[2]")
	// g.V("1") / g.E("11") find integer ids.
	expect(t, tx, b("V", "1").s("out", "knows"), false, "v[2]", "v[4]")
	expect(t, tx, b("E", "11").s("outV").s("outE").s("hasId", "10"), false, "e[10]")
	// A null property key matches nothing instead of failing.
	expect(t, tx, b("V").s("has", nil), false)
	expect(t, tx, b("E").s("has", nil), false)
	expect(t, tx, b("V").s("has", nil, "x"), false)
	// A connective built from a TextP.
	and := &value.P{Operator: "and", Text: true, Values: []any{
		&value.P{Operator: "containing", Text: true, Values: []any{"o"}},
		&value.P{Operator: "lt", Values: []any{"m"}}}}
	expect(t, tx, b("V").s("has", "person", "name", and), false, "v[4]")
}
func localScope() any { return value.Enum{Type: "Scope", Name: "local"} }

func TestListStepTraversalArguments(t *testing.T) {
	tx := modern(t)
	for _, name := range []string{"combine", "merge", "product", "intersect", "difference", "disjunct"} {
		_, err := runQ(t, tx, b("V").s("fold").s(name, anon().s("constant", nil).bc))
		if err == nil || !strings.Contains(err.Error(), "traversal argument for "+name+" step must yield an iterable type, not null") {
			t.Errorf("%s(constant(null)): %v", name, err)
		}
		_, err = runQ(t, tx, b("V").s("fold").s(name, anon().s("V").bc))
		if err == nil || !strings.Contains(err.Error(), "traversal argument for "+name+" step must yield an iterable type, encountered") {
			t.Errorf("%s(V()): %v", name, err)
		}
		// A literal argument keeps its own message.
		_, err = runQ(t, tx, b("V").s("fold").s(name, nil))
		if err == nil || !strings.Contains(err.Error(), "Argument provided for "+name+" step can't be null") {
			t.Errorf("%s(null): %v", name, err)
		}
	}
	_, err := runQ(t, tx, b("V").s("fold").s("merge", anon().s("V").s("as", "a").s("project", "a").s("by", "name").bc))
	if err == nil || !strings.Contains(err.Error(), "traversal argument for merge step must yield an iterable type, encountered") {
		t.Errorf("merge(project): %v", err)
	}
	expect(t, tx, b("V").s("values", "age").s("fold").s("combine", anon().s("constant", []any{int32(1)}).bc).s("count", localScope()), true, "5:int64")
}

func TestStringLocalSteps(t *testing.T) {
	tx := modern(t)
	for _, name := range []string{"trim", "lTrim", "rTrim", "toUpper", "length"} {
		_, err := runQ(t, tx, b("inject", []any{int32(1), int32(2)}).s(name, localScope()))
		if err == nil || !strings.Contains(err.Error(), "The "+name+"(local) step can only take string or list of strings") {
			t.Errorf("%s(local) on [1,2]: %v", name, err)
		}
	}
	expect(t, tx, b("inject", []any{" a ", nil, "b "}).s("trim", localScope()), true, "[a,<nil>:<nil>,b]")
	expect(t, tx, b("inject", " a ").s("lTrim", localScope()), true, "a ")
}

// A child traversal that starts with inject() sees its incoming traverser
// before the injected values; at the root injected values come first.
func TestInjectOrderInChild(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("inject", "a", "b").s("concat", anon().s("inject", "c").bc), true, "aa", "bb")
	expect(t, tx, b("inject", "a").s("concat", anon().s("inject", []any{"b", "c"}).bc), true, "aa")
	expect(t, tx, b("inject", int32(1)).s("inject", int32(2)), true, "2:int32", "1:int32")
}

func TestReducingNullsAndByLimits(t *testing.T) {
	tx := modern(t)
	pb := value.Strategy{Class: "org.apache.tinkerpop.gremlin.process.traversal.strategy.optimization.ProductiveByStrategy"}
	for _, name := range []string{"sum", "mean", "min", "max"} {
		// all values null: null; no values: nothing
		expect(t, tx, b("V").s("aggregate", "a").s("by", "foo").s("cap", "a").s("unfold").s(name).src("withStrategies", pb), true, "<nil>:<nil>")
		expect(t, tx, b("V").s("aggregate", "a").s("by", "foo").s("cap", "a").s(name, localScope()).src("withStrategies", pb), true, "<nil>:<nil>")
		expect(t, tx, b("V").s("values", "foo").s(name), true)
	}
	expect(t, tx, b("inject", int32(1), nil, int32(3)).s("sum"), true, "4:int32")
	for _, q := range []struct {
		bc  *bcb
		msg string
	}{
		{b("V").s("valueMap", "name").s("by", anon().s("unfold").bc).s("by"), "ValueMap step can only have one by modulator"},
		{b("V").s("groupCount", "x").s("by", "name").s("by", "age"), "GroupCount step can only have one by modulator"},
		{b("V").s("group").s("by", "name").s("by", "age").s("by", "age"), "Group step can only have two by modulators"},
	} {
		_, err := runQ(t, tx, q.bc)
		if err == nil || !strings.Contains(err.Error(), q.msg) {
			t.Errorf("%s: %v, want %q", describe(q.bc.bc), err, q.msg)
		}
	}
	// A null key names no property.
	expect(t, tx, b("V", int32(3)).s("valueMap", "name", "age", nil), true, "{name:[lop]}")
}

func TestSideEffectGroupIsBarrierAndSelectByTraversal(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("V").s("groupCount", "a").s("select", "a").s("count", localScope()), true,
		"6:int64", "6:int64", "6:int64", "6:int64", "6:int64", "6:int64")
	expect(t, tx, b("V").s("group", "a").s("by", "name").s("by").s("select", "a").s("count", localScope()), true,
		"6:int64", "6:int64", "6:int64", "6:int64", "6:int64", "6:int64")
	// select(traversal) looks a non-String key up in the current Map.
	expect(t, tx, b("V").s("as", "a").s("group", "m").s("by").s("by", anon().s("bothE").s("count").bc).s("barrier").
		s("select", "m").s("select", anon().s("select", "a").bc), false,
		"3:int64", "1:int64", "3:int64", "3:int64", "1:int64", "1:int64")
	// withSideEffect("x", set) keeps set semantics under aggregate().
	expect(t, tx, b("V").s("both").s("both").s("sideEffect", anon().s("local", anon().s("aggregate", "x").s("by", "name").bc).bc).
		s("cap", "x").s("unfold").src("withSideEffect", "x", value.NewSet()), false, "marko", "vadas", "lop", "josh", "ripple", "peter")
	// aggregate's BulkSet is a SET for typeOf
	got, err := runQ(t, tx, b("V").s("values", "name").s("aggregate", "x").s("cap", "x").s("is", &value.P{Operator: "typeOf", Values: []any{value.Enum{Type: "GType", Name: "SET"}}}))
	if err != nil || len(got) != 1 {
		t.Errorf("aggregate is(typeOf(SET)): %v %v", got, err)
	}
}

func TestWhereScopedConnectives(t *testing.T) {
	tx := modern(t)
	q := b("V").s("as", "a").s("out", "created").s("as", "b").
		s("where", anon().s("and", anon().s("as", "b").s("in").bc,
			anon().s("not", anon().s("as", "a").s("out", "created").s("has", "name", "ripple").bc).bc).bc).
		s("select", "a", "b").s("by", "name")
	expect(t, tx, q, false, "{a:marko,b:lop}", "{a:peter,b:lop}")
	q = b("V").s("as", "a").s("out").s("as", "b").
		s("where", anon().s("and", anon().s("as", "a").s("out", "knows").s("as", "b").bc,
			anon().s("or", anon().s("as", "b").s("out", "created").s("has", "name", "ripple").bc,
				anon().s("as", "b").s("in", "knows").s("count").s("is", &value.P{Operator: "not", Values: []any{&value.P{Operator: "eq", Values: []any{int64(0)}}}}).bc).bc).bc).
		s("select", "a", "b").s("by", "name")
	expect(t, tx, q, false, "{a:marko,b:josh}", "{a:marko,b:vadas}")
	// plain where(as("a").out().as("b")) still works
	expect(t, tx, b("V").s("as", "a").s("out", "created").s("in", "created").s("as", "b").
		s("where", anon().s("as", "a").s("out", "knows").s("as", "b").bc).s("select", "a", "b").s("by", "name"), false, "{a:marko,b:josh}")
}

func TestToDirectionAndOrderOfTokens(t *testing.T) {
	tx := modern(t)
	out := value.Enum{Type: "Direction", Name: "OUT"}
	expect(t, tx, b("V", int32(1)).s("to", out, "knows"), false, "v[2]", "v[4]")
	expect(t, tx, b("V", int32(1)).s("toE", out, "created"), false, "e[9]")
	keys := value.Enum{Type: "Column", Name: "keys"}
	expect(t, tx, b("V", int32(1)).s("elementMap").s("order", localScope()).s("by", keys, value.Enum{Type: "Order", Name: "asc"}).s("unfold"), true,
		"{age:29:int32}", "{id:1:int32}", "{label:person}", "{name:marko}")
	// properties dedup by key and value
	expect(t, tx, b("V").s("bothE").s("properties").s("dedup").s("value"), false, "0.5:float64", "1:float64", "0.4:float64", "0.2:float64")
}
