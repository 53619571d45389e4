package traversal

import (
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// labelledPaths runs x (which must end in path()) and renders each path
// with its labels: "v[1]{a}>v[5]{}". The result is sorted.
func labelledPaths(t *testing.T, tx storage.GraphTx, x *bcb) []string {
	t.Helper()
	got, err := runQ(t, tx, x)
	if err != nil {
		t.Fatalf("%s: %v", describe(x.bc), err)
	}
	var out []string
	for _, g := range got {
		p, ok := g.(*value.Path)
		if !ok {
			t.Fatalf("%s: expected a path, got %T", describe(x.bc), g)
		}
		parts := make([]string, len(p.Objects))
		for i, o := range p.Objects {
			parts[i] = show(o) + "{" + strings.Join(p.Labels[i], ",") + "}"
		}
		out = append(out, strings.Join(parts, ">"))
	}
	sort.Strings(out)
	return out
}

func samePaths(t *testing.T, tx storage.GraphTx, x *bcb, want ...string) {
	t.Helper()
	got := labelledPaths(t, tx, x)
	sort.Strings(want)
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("%s\n got: %v\nwant: %v", describe(x.bc), got, want)
	}
}

// coalesce() is a FlatMapStep in TinkerPop: each end object of the first
// productive child becomes a split of the incoming traverser, so the path
// gains only that object (with coalesce's own labels), and the child's
// steps, labels and sack changes stay inside it.
func TestCoalesceEmitsSplitsOfIncomingTraverser(t *testing.T) {
	tx := modern(t)
	knowsCreated := anon().s("out", "knows").s("out", "created").bc
	x := anon().s("constant", "x").bc
	expect(t, tx, b("V", int32(1)).s("coalesce", knowsCreated, x).s("path"), false, "p[v[1],v[5]]", "p[v[1],v[3]]")
	// the second child answers: the path is the start plus the constant.
	expect(t, tx, b("V", int32(2)).s("coalesce", anon().s("out", "knows").s("out", "created").bc, anon().s("constant", "x").bc).s("path"), false, "p[v[2],x]")
	// labels inside the child are not part of the path; coalesce's own are.
	samePaths(t, tx, b("V", int32(1)).s("as", "s").
		s("coalesce", anon().s("out", "knows").s("as", "a").s("out", "created").s("as", "c").bc, anon().s("constant", "x").bc).
		s("as", "b").s("path"),
		"v[1]{s}>v[3]{b}", "v[1]{s}>v[5]{b}")
	// so select() cannot see them.
	expect(t, tx, b("V", int32(1)).s("coalesce", anon().s("out", "knows").s("as", "a").bc, anon().s("constant", "x").bc).s("select", "a"), false)
	expect(t, tx, b("V", int32(1)).s("coalesce", anon().s("out", "knows").s("as", "a").bc, anon().s("constant", "x").bc).s("as", "b").
		s("select", "b").s("values", "name"), false, "vadas", "josh")
	// the sack is the incoming traverser's, not the one the child changed.
	sum := value.Enum{Type: "Operator", Name: "sum"}
	expect(t, tx, b("V", int32(1)).s("coalesce", anon().s("sack", sum).s("by", anon().s("constant", int32(5)).bc).s("out", "knows").bc, anon().s("constant", "x").bc).s("sack").
		src("withSack", int32(1)), false, "1:int32", "1:int32")
	// bulk: an incoming bulk multiplies the child's results, once.
	expect(t, tx, b("V").s("out", "created").s("order").s("by", "name").s("coalesce", anon().s("values", "name").bc, anon().s("constant", "x").bc), false,
		"lop", "lop", "lop", "ripple")
	expect(t, tx, b("V").s("out", "created").s("barrier").s("coalesce", anon().s("in", "created").bc, anon().s("constant", "x").bc).s("count"), true, "10:int64")
	// a bulked result of the child counts as that many results.
	twoA := anon().s("union", anon().s("constant", "a").bc, anon().s("constant", "a").bc).s("barrier").bc
	expect(t, tx, b("V", int32(1), int32(2)).s("coalesce", twoA, anon().s("constant", "x").bc), false, "a", "a", "a", "a")
}

// flatMap(traversal) emits every end object of the child, counting a
// bulked child result as that many objects, each a split of the incoming
// traverser.
func TestFlatMapChildBulkAndPath(t *testing.T) {
	tx := modern(t)
	twoA := anon().s("union", anon().s("constant", "a").bc, anon().s("constant", "a").bc).s("barrier").bc
	expect(t, tx, b("V", int32(1)).s("flatMap", twoA), false, "a", "a")
	expect(t, tx, b("V", int32(1), int32(1)).s("barrier").s("flatMap", anon().s("union", anon().s("constant", "a").bc, anon().s("constant", "a").bc).s("barrier").bc).s("count"), true, "4:int64")
	samePaths(t, tx, b("V", int32(1)).s("flatMap", anon().s("out", "knows").s("as", "a").s("out", "created").bc).s("as", "b").s("path"),
		"v[1]{}>v[3]{b}", "v[1]{}>v[5]{b}")
	// map() takes the first end object only, whatever its bulk.
	expect(t, tx, b("V", int32(1)).s("map", anon().s("union", anon().s("constant", "a").bc, anon().s("constant", "a").bc).s("barrier").bc), false, "a")
	samePaths(t, tx, b("V", int32(1)).s("map", anon().s("out", "knows").s("has", "name", "josh").s("as", "a").s("out", "created").s("has", "name", "lop").bc).s("as", "b").s("path"),
		"v[1]{}>v[3]{b}")
}

// local(), optional(), union(), choose() and repeat() pass their
// children's traversers on: steps and labels inside them are on the path.
func TestBranchChildrenKeepPaths(t *testing.T) {
	tx := modern(t)
	kc := func() *value.Bytecode { return anon().s("out", "knows").s("as", "a").s("out", "created").bc }
	want := []string{"v[1]{}>v[4]{a}>v[3]{b}", "v[1]{}>v[4]{a}>v[5]{b}"}
	samePaths(t, tx, b("V", int32(1)).s("local", kc()).s("as", "b").s("path"), want...)
	samePaths(t, tx, b("V", int32(1)).s("optional", kc()).s("as", "b").s("path"), want...)
	samePaths(t, tx, b("V", int32(1)).s("union", kc()).s("as", "b").s("path"), want...)
	samePaths(t, tx, b("V", int32(1)).s("choose", anon().s("hasLabel", "person").bc, kc()).s("as", "b").s("path"), want...)
	samePaths(t, tx, b("V", int32(1)).s("repeat", kc()).s("times", int32(1)).s("as", "b").s("path"), want...)
	expect(t, tx, b("V", int32(1)).s("local", kc()).s("select", "a").s("values", "name"), false, "josh", "josh")
}

// A by() modulator on the traverser's own object runs for a split of the
// traverser (project(), math()'s "_", where()'s start); on any other
// object (a path element, a label's value, a property's values, a
// branch() choice) TinkerPop starts a fresh traverser from the bare
// object: its sack is the initial one and its path is just the object.
func TestByOnObjectsStartsFresh(t *testing.T) {
	tx := modern(t)
	sum := value.Enum{Type: "Operator", Name: "sum"}
	plus5 := func() *bcb {
		return b("V", int32(1)).s("sack", sum).s("by", anon().s("constant", int32(5)).bc)
	}
	sack := func() *value.Bytecode { return anon().s("sack").bc }
	expect(t, tx, plus5().s("project", "s").s("by", sack()).src("withSack", int32(1)), false, "{s:6:int32}")
	expect(t, tx, plus5().s("out", "knows").s("path").s("by", sack()).src("withSack", int32(1)), false, "p[1:int32,1:int32]", "p[1:int32,1:int32]")
	expect(t, tx, plus5().s("as", "a").s("select", "a").s("by", sack()).src("withSack", int32(1)), false, "1:int32")
	expect(t, tx, plus5().s("as", "a").s("out", "created").s("as", "b").s("select", "a", "b").s("by", sack()).src("withSack", int32(1)), false, "{a:1:int32,b:1:int32}")
	expect(t, tx, b("V", int32(1)).s("as", "a").s("out", "created").s("select", "a").s("by", anon().s("path").s("count", localScope()).bc), false, "1:int64")
	expect(t, tx, plus5().s("as", "a").s("math", "_ + a").s("by", sack()).src("withSack", int32(2)), false, "9:float64")
	expect(t, tx, plus5().s("as", "a").s("out", "knows").s("where", pEq("a")).s("by", sack()).src("withSack", int32(1)), false)
	expect(t, tx, plus5().s("valueMap", "name").s("by", sack()).src("withSack", int32(1)), false, "{name:1:int32}")
	expect(t, tx, plus5().s("branch", anon().s("values", "age").bc).
		s("option", anon().s("sack").s("is", int32(1)).bc, anon().s("constant", "fresh").bc).
		s("option", anon().s("sack").s("is", int32(6)).bc, anon().s("constant", "split").bc).src("withSack", int32(1)), false, "fresh")
}

// has(key, traversal) is filter(values(key).traversal): the child starts
// from the element's traverser and sees all the values at once.
func TestHasTraversalSeesValuesTogether(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("V").s("has", "age", anon().s("count").s("is", int64(0)).bc), false, "v[3]", "v[5]")
	expect(t, tx, b("V").s("has", "age", anon().s("is", pGt(int32(30))).bc), false, "v[4]", "v[6]")
	expect(t, tx, b("V").s("has", "age", anon().s("sack").s("is", int32(1)).bc).src("withSack", int32(1)), false, "v[1]", "v[2]", "v[4]", "v[6]")
	expect(t, tx, b("V").s("has", "person", "name", anon().s("is", "josh").bc), false, "v[4]")
}
