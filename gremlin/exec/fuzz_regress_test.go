package exec

import (
	"context"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// TestFuzzRegressions replays the minimized inputs FuzzExecute and the
// mutation runs found: each must pass checkScript (no panic, hang or
// Go-internal message) and give the stated result or error.
func TestFuzzRegressions(t *testing.T) {
	for _, c := range []struct {
		script string
		want   string // the results in Java's toString form, or
		err    string // a fragment of the expected error
	}{
		// typeName printed Go types (*value.Property).
		{script: `g.E().properties().property("x", 1)`, err: "property(): expected an Element but got Property"},
		// sample(local, -1) made a slice of negative capacity; TinkerPop
		// samples nothing.
		{script: `g.V().fold().sample(local, -1)`, want: "[[]]"},
		{script: `g.inject([a: 1]).sample(local, -1)`, want: "[{}]"},
		// g.union()'s start placeholder reached the results (and the
		// serializers, which refused a Go type).
		{script: `g.union(__.as("a"), __.inject(1), __.inject(2))`, err: "union(): a child traversal of g.union() without a start step"},
		{script: `g.union(__.identity()).fold()`, err: "start placeholder"},
		{script: `g.union(__.identity()).values("name")`, err: "expected an Element but got Object (the start placeholder of g.union())"},
		{script: `g.union(__.identity()).count()`, want: "[1]"},
		// tree() kept internal bulk sets in its keys.
		{script: `g.V().limit(2).aggregate("x").cap("x").tree()`, want: "[{[v[1], v[2]]={}}]"},
		// A huge BigDecimal exponent made printing and arithmetic spell
		// out every digit (minutes for 1e99999999).
		{script: `g.inject(1e99999999m)`, err: "found '1e99999999m' but expected a BigDecimal literal whose exponent keeps its scale within ±10000"},
		{script: `g.inject("1e999999999").asNumber()`, err: "beyond the supported BigDecimal scale of ±10000"},
		{script: `g.inject("1e9999").asNumber()`, want: "[1E+9999]"},
		// A long and() chain nests the predicate as deep: the planner's
		// printing of it is quadratic (20000 links took 9 s).
		{script: `g.V().has("age", P.gt(1)` + strings.Repeat(`.and(P.lt(100))`, 1001) + `)`, err: "more than 1000 and()/or() links"},
		{script: `g.V().has("age", P.gt(1)` + strings.Repeat(`.and(P.lt(100))`, 1000) + `).count()`, want: "[4]"},
		// A group("x") value traversal reading x finished x again from
		// inside its own finishing, until the stack overflowed.
		{script: `g.V().group("x").by(label).by(select("x")).cap("x")`,
			err: `group(): the side-effect "x" cannot be read by the by() traversals of the group("x") that computes it`},
		{script: `g.V().group("x").by(label).by(count()).cap("x")`, want: "[{person=4, software=2}]"},
		// tail(local) with a negative count sliced past the end.
		{script: `g.V().values("age").fold().tail(local, -2)`, want: "[[]]"},
		{script: `g.V().valueMap("name").tail(local, -1)`, want: "[{}, {}, {}, {}, {}, {}]"},
		{script: `g.V().values("age").fold().tail(local, 9223372036854775807)`, want: "[[29, 27, 32, 35]]"},
		// cap() hands out the side-effect container, so aggregate() put
		// it into itself and printing it overflowed the stack.
		{script: `g.V().values("name").cap("x").aggregate("x")`, want: "[[[]]]"},
		{script: `g.V().values("name").limit(2).aggregate("x").cap("x").aggregate("x")`, want: "[[marko, vadas, [marko, vadas]]]"},
		{script: `g.withSideEffect("x", {1}).V().values("name").limit(1).aggregate("x").cap("x").aggregate("x")`, want: "[[1, marko, [1, marko]]]"},
		{script: `g.V().values("name").limit(1).aggregate("x").cap("x").fold().aggregate("x").cap("x")`, want: "[[marko, [[marko]]]]"},
		// Error messages printed internal values with Go's %v.
		{script: `g.V().aggregate("a").out().as("b").select("a", "b").by("name")`,
			err: `it is being applied to [{v[1]=1, v[2]=1, v[3]=1, v[4]=1, v[5]=1, v[6]=1}] a BulkSet class instead`},
		{script: `g.V().aggregate("a").cap("a").concat("x")`,
			err: "String concat() can only take string as argument, encountered BulkSet ({v[1]=1, v[2]=1, v[3]=1, v[4]=1, v[5]=1, v[6]=1})"},
		{script: `g.V().repeat(aggregate("x")).times(2).select("x").trim()`, err: "encountered BulkSet ({v[1]=2, "},
		{script: `g.mergeV([({[a:1],2}): "marko", (T.label): "person"])`, err: "check: [{a=1}, 2]"},
		// A reducing step in repeat() emitted a traverser without a loop
		// counter, so times(1) never ended (and group() blew up the keys).
		{script: `g.inject(1).repeat(group()).times(1)`, want: "[{1=[1]}]"},
		{script: `g.V().repeat(count()).times(1)`, want: "[6]"},
		{script: `g.V().repeat(group()).times(2)`, err: "timeout"},
	} {
		t.Run("", func(t *testing.T) {
			checkScript(t, c.script)
			got, err := evalJava(t, c.script)
			switch {
			case c.err != "":
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("%s: err = %v, want one containing %q", c.script, err, c.err)
				}
			case err != nil:
				t.Errorf("%s: %v", c.script, err)
			case got != c.want:
				t.Errorf("%s = %s, want %s", c.script, got, c.want)
			}
		})
	}
}

// evalJava runs script on a fresh modern graph and renders its results
// as Java's toString would.
func evalJava(t *testing.T, script string) (string, error) {
	g := fuzzModern(t)
	defer g.Close()
	e, err := New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"}, nil)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), fuzzTimeout)
	defer cancel()
	r, err := e.Eval(ctx, &server.EvalRequest{Script: script})
	if err != nil {
		return "", err
	}
	defer r.Close()
	var out []any
	for {
		v, ok := r.Next()
		if !ok {
			break
		}
		out = append(out, v)
	}
	if err := r.Err(); err != nil {
		return "", err
	}
	return fn.ToJavaString(out), nil
}
