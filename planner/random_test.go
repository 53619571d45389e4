package planner_test

import (
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// randomTraversal builds a random read traversal over the test graph from
// the shapes the planner rewrites (ids, labels, indexed and unindexed
// has(), or(), has(key), text search) followed by navigation, ordering,
// limits and a terminal step. ordered reports whether the result order is
// defined by the traversal (order() by a unique key).
func randomTraversal(r *rand.Rand) (q string, ordered bool) {
	pick := func(xs ...string) string { return xs[r.Intn(len(xs))] }
	var b strings.Builder
	if r.Intn(6) == 0 {
		b.WriteString("g.V(" + pick("1", "1,2", "4,6,3", "100,101,2", "999") + ")")
	} else {
		b.WriteString("g.V()")
	}
	for n := r.Intn(3); n > 0; n-- {
		b.WriteString(pick(
			".hasLabel('person')", ".hasLabel('software')", ".hasLabel('person','software')",
			".has('name','marko')", ".has('name',within('josh','lop','p7'))",
			".has('age',gt(30))", ".has('age',between(25,33))", ".has('age',outside(22,40))",
			".has('uid','u4')", ".has('lang','java')", ".has('desc')", ".hasNot('age')",
			".has('name','marko').has('age',29)",
			".or(has('name','vadas'),has('uid','u6'))",
			".or(has('age',lt(21)),has('lang','java'))",
			".and(has('age',gte(27)),has('name',within('marko','vadas','josh')))",
			".hasId(1,2,3,104)", ".has(T.id, within(4,5,6))",
			".has('desc', textContains('graph'))", ".has('desc', textContainsPrefix('jav'))",
		))
	}
	for n := r.Intn(3); n > 0; n-- {
		b.WriteString(pick(".out()", ".in()", ".both()", ".out('knows')", ".out('created')", ".in('created')", ".outE('knows').inV()", ".bothE().otherV()"))
	}
	if r.Intn(3) == 0 {
		b.WriteString(".dedup()")
	}
	switch r.Intn(4) {
	case 0:
		b.WriteString(".order().by('name')")
		ordered = true
		if r.Intn(2) == 0 {
			b.WriteString(pick(".limit(3)", ".range(1,4)", ".limit(1)"))
		}
	case 1:
		// A limit without an order: TinkerPop leaves which elements come
		// first to the storage order; planned and unplanned runs must still
		// agree, which the planner guarantees by keeping id order.
		b.WriteString(pick(".limit(2)", ".limit(5)"))
	}
	b.WriteString(pick(".values('name')", ".id()", ".label()", ".count()", ".values('age').sum()", ".values('age').fold()", ".count()", ".valueMap('name','age')"))
	return b.String(), ordered
}

// TestRandomTraversalsDifferential runs many random traversals as written
// and as planned, with and without indexes: the answers must be identical
// (and identically ordered where the traversal defines an order).
func TestRandomTraversalsDifferential(t *testing.T) {
	r := rand.New(rand.NewSource(20261126))
	const n = 400
	for _, idx := range []bool{true, false} {
		g := modern(t, idx)
		rewritten := 0
		for i := 0; i < n; i++ {
			q, ordered := randomTraversal(r)
			bc := parseTraversal(t, q)
			p := planOf(t, g, bc)
			if p.Rewritten() {
				rewritten++
			}
			want, werr := run(t, g, bc)
			got, gerr := run(t, g, p.Bytecode)
			if (werr != nil) != (gerr != nil) {
				t.Errorf("indexes=%v %s: error as written %v, planned %v", idx, q, werr, gerr)
				continue
			}
			if !ordered {
				sort.Strings(want)
				sort.Strings(got)
			}
			if strings.Join(want, " ") != strings.Join(got, " ") {
				t.Errorf("indexes=%v %s:\n as written %v\n planned    %v\n plan:\n%s", idx, q, want, got, p)
			}
		}
		if idx && rewritten < n/3 {
			t.Errorf("only %d of %d random traversals were rewritten: the generator no longer exercises the planner", rewritten, n)
		}
		t.Logf("indexes=%v: %d of %d random traversals rewritten", idx, rewritten, n)
	}
}
