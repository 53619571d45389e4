package traversal

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func pop(name string) value.Enum    { return value.Enum{Type: "Pop", Name: name} }
func column(name string) value.Enum { return value.Enum{Type: "Column", Name: name} }
func pOf(op string, v any) *value.P { return &value.P{Operator: op, Values: []any{v}} }

var withoutRetraction = value.Strategy{Class: "org.apache.tinkerpop.gremlin.process.traversal.strategy.optimization.PathRetractionStrategy"}

func keepsOf(t *testing.T, x *bcb) string {
	t.Helper()
	tr, err := testEngine.Compile(x.bc)
	if err != nil {
		t.Fatalf("%s: %v", describe(x.bc), err)
	}
	return tr.keepLabels()
}

// TestPathRetractionKeepLabels checks the keep sets the strategy gives each
// path processor: one list per traversal, in step order, a step's child
// traversals as nested lists. The expectations are those of TinkerPop's
// PathRetractionStrategyTest (3.5+ semantics: match() keeps its start and
// end labels; children listed in compile order here).
func TestPathRetractionKeepLabels(t *testing.T) {
	cases := []struct {
		q    *bcb
		want string
	}{
		{b("V").s("out"), "[]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("where", pNeq("a")).s("out"), "[[]]"},
		// where(traversal) without variables is a filter, not a path processor.
		{b("V").s("as", "a").s("out").s("where", anon().s("out").s("where", pNeq("a")).bc).s("out"), "[[[]]]"},
		{b("V").s("as", "a").s("out").s("where", pNeq("a")).s("out").s("select", "a"), "[[a], []]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("where", pNeq("a")).s("out").s("select", "a", "b").s("out").s("select", "b"),
			"[[a, b], [b], []]"},
		{b("V").s("match", as("a").s("out").s("as", "b").bc), "[[a, b]]"},
		{b("V").s("match", as("a").s("out").s("as", "b").bc).s("select", "a"), "[[a, b], []]"},
		{b("V").s("out").s("out").s("match", as("a").s("in", "created").s("as", "b").bc, as("b").s("in", "knows").s("as", "c").bc).
			s("select", "c").s("out", "created").s("where", pNeq("a")).s("values", "name"), "[[a, b, c], [a], []]"},
		{b("V").s("out").s("as", "a").s("where", pNeq("a")).s("out").s("where", pNeq("a")).s("out"), "[[a], []]"},
		{b("V").s("out").s("as", "a").s("where", anon().s("out").s("select", "a").s("values", "prop").s("count").s("is", pOf("gte", int32(1))).bc).
			s("out").s("where", pNeq("a")), "[[[a]], []]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("where", anon().s("out").s("select", "a", "b", "c").s("values", "prop").s("count").s("is", pOf("gte", int32(1))).bc).
			s("out").s("where", pNeq("a")).s("out").s("select", "b"), "[[[a, b]], [b], []]"},
		{b("V").s("as", "a").s("repeat", anon().s("out").s("where", pNeq("a")).bc).s("emit").s("select", "a").s("values", "test"), "[[[a]], []]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("select", "a").s("out").s("out"), "[[]]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("select", "a").s("barrier").s("count"), "[[]]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("dedup", "a", "b").s("out"), "[[]]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("match", as("a").s("out").s("as", "b").bc).s("select", "a").s("out").s("dedup", "a"),
			"[[a, b], [a], []]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("where", pOf("gt", "a")).s("count"), "[[]]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("select", "a").s("as", "c").s("where", pOf("gt", "b")).s("out"), "[[b], []]"},
		{b("V").s("select", "c").s("map", anon().s("select", "c").s("map", anon().s("select", "c").bc).bc).s("select", "c"),
			"[[c], [[c], [[c]]], []]"},
		{b("V").s("select", "c").s("map", anon().s("select", "c").s("map", anon().s("select", "c").bc).bc).s("select", "b"),
			"[[b, c], [[b, c], [[b]]], []]"},
		{b("V").s("select", "a").s("map", anon().s("select", "c").s("map", anon().s("select", "b").bc).bc).s("select", "c"),
			"[[b, c], [[b, c], [[c]]], []]"},
		{b("V").s("select", "a").s("map", anon().s("select", "b").s("repeat", anon().s("select", "c").bc).bc).s("select", "a"),
			"[[a, b, c], [[a, c], [[a, c]]], []]"},
		// union() has more than one child (its branches and its pick):
		// labels of one branch are kept in all of them; local() has one.
		{b("V").s("as", "a").s("out").s("as", "b").s("select", "a").s("select", "b").
			s("union", as("c").s("out").s("as", "d", "e").s("select", "c", "e").s("out").s("select", "c").bc,
				as("c").s("out").s("as", "d", "e").s("select", "c", "e").s("out").s("select", "c").bc).
			s("out").s("select", "c"), "[[b, c, e], [c, e], [[c, e], [c, e]], [[c, e], [c, e]], []]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("select", "a").s("select", "b").
			s("local", as("c").s("out").s("as", "d", "e").s("select", "c", "e").s("out").s("select", "c").bc).
			s("out").s("select", "c"), "[[b, c, e], [c, e], [[c], [c]], []]"},
		// A repeat() body keeps the labels referenced at its level.
		{b("V").s("as", "a").s("out").s("as", "b").s("select", "a").s("select", "b").
			s("repeat", anon().s("out").s("as", "c").s("select", "b", "c").s("out").s("select", "c").bc).
			s("out").s("select", "c").s("out").s("select", "b"), "[[b, c], [b, c], [[b, c], [b, c]], [b], []]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("select", "a").s("select", "b").
			s("repeat", anon().s("out").s("as", "c").s("select", "b").bc).s("out").s("select", "c").s("out").s("select", "b"),
			"[[b, c], [b, c], [[b, c]], [b], []]"},
		{b("V").s("as", "a").s("out").s("as", "b").s("select", "a").s("select", "b").s("repeat", anon().s("out").s("as", "c").s("select", "b").bc),
			"[[b], [b], [[b]]]"},
		{b("V").s("out", "created").s("project", "a", "b").s("by", "name").s("by", anon().s("in", "created").s("count").bc).
			s("order").s("by", anon().s("select", "b").bc).s("select", "a"), "[[[a]], []]"},
		{b("V").s("outE").s("order").s("by", "weight", value.Enum{Type: "Order", Name: "desc"}).s("store", "w").s("by", "weight").
			s("filter", anon().s("values", "weight").s("as", "cw").s("select", "w").s("by", anon().s("limit", localScope(), int64(1)).bc).
				s("as", "mw").s("where", "cw", pEq("mw")).bc).
			s("project", "from", "to", "weight").s("by", anon().s("outV").bc).s("by", anon().s("inV").bc).s("by", "weight"),
			"[[[cw, mw], []]]"},
		// until() is a second child of repeat(): the labels of each are kept
		// in both.
		{b("V").s("limit", int64(1)).s("as", "z").s("out").
			s("repeat", anon().s("store", "seen").s("out").s("where", pOf("without", "seen")).bc).
			s("until", anon().s("where", pEq("z")).bc), "[[[seen, z]], [[seen, z]]]"},
		// Labels used in the branches of choose() are kept before it, down
		// into optional().
		{b("V").s("as", "a").s("optional", anon().s("bothE").s("dedup").s("as", "b").bc).
			s("choose", anon().s("select", "b").bc, anon().s("select", "a", "b").bc, anon().s("project", "a").s("by", anon().s("select", "a").bc).bc),
			"[[[a, b]], [[a, b]], [[a, b]], [[[a, b]]]]"},
		{b("V").s("as", "a").s("out").s("as", "b").
			s("where", as("b").s("in").s("count").s("is", pEq(int64(3))).s("or").
				s("where", as("b").s("out", "created").s("and").s("as", "b").s("has", T("label"), "person").bc).bc).
			s("select", "a", "b"), "[[a, b], [[[a, b]]], []]"},
		// math() and format() hold their level's working set.
		{b("V").s("as", "a").s("out").s("as", "b").s("math", "a + 1").s("as", "c").s("select", "b").s("select", "c"), "[[a, b, c], [c], []]"},
	}
	for _, c := range cases {
		if got := keepsOf(t, c.q); got != c.want {
			t.Errorf("%s\n got: %s\nwant: %s", describeSteps(c.q.bc.Steps), got, c.want)
		}
	}
}

// TestPathRetractionDisabled: steps that read whole paths, and
// withoutStrategies(PathRetractionStrategy), turn the strategy off.
func TestPathRetractionDisabled(t *testing.T) {
	for _, q := range []*bcb{
		b("V").s("as", "a").s("out").s("select", "a").s("path"),
		b("V").s("as", "a").s("out").s("simplePath").s("select", "a"),
		b("V").s("as", "a").s("outE").s("otherV").s("select", "a"),
		b("V").s("as", "a").s("out").s("tree").s("select", "a"),
		b("V").s("as", "a").s("out").s("select", anon().s("constant", "a").bc),
		b("V").s("as", "a").s("out").s("local", anon().s("path").bc).s("select", "a"),
		b("V").s("as", "a").s("out").s("select", "a").src("withPath"),
		b("V").s("as", "a").s("out").s("select", "a").src("withoutStrategies", withoutRetraction),
	} {
		if got := keepsOf(t, q); got != "[]" {
			t.Errorf("%s: the strategy applied: %s", describeSteps(q.bc.Steps), got)
		}
	}
	if got := keepsOf(t, b("V").s("as", "a").s("out").s("select", "a")); got != "[[]]" {
		t.Errorf("select(a) keeps %s, want [[]]", got)
	}
}

// outputPaths runs q and returns the labels of each result traverser's
// path, oldest first.
func outputPaths(t *testing.T, x *bcb) []string {
	t.Helper()
	tr, err := testEngine.Compile(x.bc)
	if err != nil {
		t.Fatal(err)
	}
	r := newRun(context.Background(), tr, modern(t))
	defer r.Close()
	var out []string
	for tv := r.out.next(); tv != nil; tv = r.out.next() {
		var ls []string
		for _, n := range tv.path.items() {
			ls = append(ls, strings.Join(n.labels, ","))
		}
		out = append(out, "["+strings.Join(ls, " ")+"]")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	return out
}

// TestPathRetractionDropsLabels: traversers stop carrying the labels no
// later step reads.
func TestPathRetractionDropsLabels(t *testing.T) {
	q := func() *bcb {
		return b("V", int32(1)).s("as", "a").s("out", "knows").s("as", "b").s("select", "a").s("as", "c")
	}
	if got := strings.Join(outputPaths(t, q()), " "); got != "[c] [c]" {
		t.Errorf("retracted: %s, want [c] [c]", got)
	}
	if got := strings.Join(outputPaths(t, q().src("withoutStrategies", withoutRetraction)), " "); got != "[a b c] [a b c]" {
		t.Errorf("without the strategy: %s, want [a b c] [a b c]", got)
	}
	// A label read later is kept; where() drops the ones only it read.
	q2 := b("V", int32(1)).s("as", "a").s("out", "knows").s("as", "b").s("where", "a", pNeq("b")).s("select", "b")
	if got := strings.Join(outputPaths(t, q2), " "); got != "[] []" {
		t.Errorf("where/select: %s, want [] []", got)
	}
	q3 := b("V", int32(1)).s("as", "a").s("out", "knows").s("as", "b").s("where", "a", pNeq("b")).s("out").s("select", "a", "b")
	if got := strings.Join(outputPaths(t, q3), " "); got != "[] []" {
		t.Errorf("select(a, b) at the end: %s, want [] []", got)
	}
	// dedup() keeps the labels the select() after it reads (by name: c
	// comes later); select(a, c) keeps nothing.
	q4 := b("V", int32(1)).s("as", "a").s("out", "knows").s("as", "b").s("dedup").s("out").s("as", "c").s("select", "a", "c")
	if got := keepsOf(t, q4); got != "[[a, c], []]" {
		t.Errorf("dedup/select keeps %s, want [[a, c], []]", got)
	}
	q5 := b("V", int32(1)).s("as", "a").s("out", "knows").s("as", "b").s("dedup").s("as", "d")
	if got := strings.Join(outputPaths(t, q5), " "); got != "[d] [d]" {
		t.Errorf("dedup: %s, want [d] [d]", got)
	}
}

// The repeat() body ends with dedup(), which keeps only the labels read at
// the body's level: the "a" read inside filter(select("a")) is gone from
// the second iteration on, so only marko's neighbours are aggregated, as
// TinkerPop does. times() gives repeat() a second child, which keeps "a".
func TestPathRetractionInRepeat(t *testing.T) {
	tx := modern(t)
	q := func() *bcb {
		return b("V", int32(1)).s("as", "a").
			s("repeat", anon().s("out").s("filter", anon().s("select", "a").bc).s("dedup").s("aggregate", "x").bc)
	}
	expect(t, tx, q().s("cap", "x").s("unfold"), false, "v[2]", "v[3]", "v[4]")
	expect(t, tx, q().s("cap", "x").s("unfold").src("withoutStrategies", withoutRetraction), false, "v[2]", "v[3]", "v[4]", "v[5]")
	// path() anywhere needs whole paths: nothing is retracted.
	expect(t, tx, q().s("cap", "x").s("unfold").s("filter", anon().s("path").bc), false, "v[2]", "v[3]", "v[4]", "v[5]")
	expect(t, tx, q().s("times", int32(5)).s("cap", "x").s("unfold"), false, "v[2]", "v[3]", "v[4]", "v[5]")
}

// shortestPaths is TinkerPop's g_V_shortestpath (integrated/Paths.feature).
func shortestPaths() *bcb {
	first, last, all := pop("first"), pop("last"), pop("all")
	project := func(label string) *bcb {
		return anon().s("project", "src", "tgt", "p").
			s("by", anon().s("select", first, "v").bc).
			s("by", anon().s("select", last, "v").bc).
			s("by", anon().s("select", all, "v").bc).s("as", label)
	}
	body := project("t").
		s("filter", anon().s("select", all, "p").s("count", localScope()).s("as", "l").
			s("select", last, "t").s("select", all, "p").s("dedup", localScope()).s("count", localScope()).s("where", pEq("l")).bc).
		s("where", "src", pNeq("tgt")).
		s("select", last, "t").
		s("not", anon().s("select", all, "p").s("as", "p").s("count", localScope()).s("as", "l").
			s("select", all, "x").s("unfold").
			s("filter", anon().s("select", column("keys")).s("where", pEq("t")).s("by", anon().s("select", "src", "tgt").bc).bc).
			s("filter", anon().s("select", column("values")).s("unfold").
				s("or", anon().s("count", localScope()).s("where", pOf("lt", "l")).bc, anon().s("where", pEq("p")).bc).bc).bc).
		s("barrier").
		s("group", "x").s("by", anon().s("select", "src", "tgt").bc).s("by", anon().s("select", all, "p").s("fold").bc).
		s("select", "tgt").s("barrier")
	start := project("triple")
	q := b("V").s("as", "v").s("both").s("as", "v")
	q.bc.Steps = append(q.bc.Steps, start.bc.Steps...)
	q.s("group", "x").s("by", anon().s("select", "src", "tgt").bc).s("by", anon().s("select", "p").s("fold").bc).
		s("select", "tgt").s("barrier").
		s("repeat", anon().s("both").s("as", "v").bc)
	rep := q.bc.Steps[len(q.bc.Steps)-1].Args[0].(*value.Bytecode)
	rep.Steps = append(rep.Steps, body.bc.Steps...)
	return q.s("cap", "x").s("select", column("values")).s("unfold").s("unfold").
		s("map", anon().s("unfold").s("values", "name").s("fold").bc)
}

// TestPathRetractionShortestPath: the repeat() body's last select("tgt")
// keeps only the body's own labels, so from the second iteration on the
// earlier "v" labels are gone and the loop ends after one iteration: the
// reference's 24 paths. Without the strategy all 30 shortest paths come out.
func TestPathRetractionShortestPath(t *testing.T) {
	tx := modern(t)
	got, err := runQ(t, tx, shortestPaths())
	if err != nil {
		t.Fatal(err)
	}
	longest := 0
	for _, g := range got {
		longest = max(longest, len(g.([]any)))
	}
	if len(got) != 24 || longest != 3 {
		t.Errorf("got %d paths (longest %d), want 24 (longest 3)", len(got), longest)
	}
	got, err = runQ(t, tx, shortestPaths().src("withoutStrategies", withoutRetraction))
	if err != nil {
		t.Fatal(err)
	}
	longest = 0
	for _, g := range got {
		longest = max(longest, len(g.([]any)))
	}
	if len(got) != 30 || longest != 4 {
		t.Errorf("without the strategy: got %d paths (longest %d), want 30 (longest 4)", len(got), longest)
	}
}

func TestPathRetract(t *testing.T) {
	var p *pathNode
	p = p.push("v1", []string{"a"}).push("v2", []string{"b", "c"}).push("v3", []string{"d"})
	keep := map[string]bool{"a": true, "c": true}
	r := p.retract(keep)
	got := r.toValue()
	if len(got.Objects) != 2 || got.Objects[1] != "v2" || strings.Join(got.Labels[1], ",") != "c" || strings.Join(got.Labels[0], ",") != "a" {
		t.Fatalf("retract: %v %v", got.Objects, got.Labels)
	}
	if r.prev != p.prev.prev {
		t.Error("the unchanged oldest element is not shared")
	}
	if p.retract(map[string]bool{"a": true, "b": true, "c": true, "d": true}) != p {
		t.Error("a path with nothing to drop is copied")
	}
	if p.retract(map[string]bool{}) != nil {
		t.Error("dropping every label leaves elements")
	}
}

// keepLabels renders the keep sets of t's path processors in step order,
// each step's child traversals as nested lists (empty ones left out), as
// TinkerPop's PathRetractionStrategyTest prints them; "[]" when the
// strategy did not apply.
func (t *Traversal) keepLabels() string {
	if t.retraction == nil {
		return "[]"
	}
	return renderKeeps(t.retraction)
}

func renderKeeps(t *rtrav) string {
	var parts []string
	for _, s := range t.steps {
		if s.pp != ppNone && s.keep != nil {
			ls := make([]string, 0, len(s.keep.labels))
			for l := range s.keep.labels {
				ls = append(ls, l)
			}
			sort.Strings(ls)
			parts = append(parts, "["+strings.Join(ls, ", ")+"]")
		}
		for _, k := range s.kids {
			if r := renderKeeps(k); r != "[]" {
				parts = append(parts, r)
			}
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
