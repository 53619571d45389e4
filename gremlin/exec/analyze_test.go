package exec

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

func metricsCount(t *testing.T, m *value.Metrics, key string) int64 {
	t.Helper()
	v, _ := m.Counts.Get(key)
	n, ok := v.(int64)
	if !ok {
		t.Fatalf("metrics %s has %s = %#v", m.Name, key, v)
	}
	return n
}

func annotation(m *value.Metrics, key string) any {
	v, _ := m.Annotations.Get(key)
	return v
}

func TestAnalyzerExplain(t *testing.T) {
	_, on, off := planGraph(t)
	ctx := context.Background()
	v, err := on.Explain(ctx, &server.EvalRequest{Script: "g.V().has('name', n).out('knows')", Bindings: map[string]any{"n": "marko"}})
	if err != nil {
		t.Fatal(err)
	}
	x, ok := v.(*value.TraversalExplanation)
	if !ok {
		t.Fatalf("Explain returned %T", v)
	}
	if !strings.HasPrefix(x.Final[0], "IndexLookup(index=byName,") {
		t.Errorf("final = %v, want an IndexLookup on byName", x.Final)
	}
	// Earlier statements run; a variable holding a traversal is explained;
	// a trailing explain() is accepted.
	for _, script := range []string{"t = g.V().has('name','marko'); t", "g.V().has('name','marko').explain()"} {
		v, err = on.Explain(ctx, &server.EvalRequest{Script: script})
		if err != nil {
			t.Fatalf("%s: %v", script, err)
		}
		if x := v.(*value.TraversalExplanation); !strings.HasPrefix(x.Final[0], "IndexLookup(index=byName,") {
			t.Errorf("%s: final = %v", script, x.Final)
		}
	}
	v, err = off.Explain(ctx, &server.EvalRequest{Script: "g.V().has('name','marko')"})
	if err != nil {
		t.Fatal(err)
	}
	if x := v.(*value.TraversalExplanation); x.Final[0] != "RangeScan(table=vertex,prefix=[])" {
		t.Errorf("planner off: final = %v", x.Final)
	}
}

func TestAnalyzerProfile(t *testing.T) {
	_, on, off := planGraph(t)
	ctx := context.Background()
	v, err := on.Profile(ctx, &server.EvalRequest{Script: "g.V().has('name','marko').out('knows')"})
	if err != nil {
		t.Fatal(err)
	}
	tm, ok := v.(*value.TraversalMetrics)
	if !ok {
		t.Fatalf("Profile returned %T", v)
	}
	if len(tm.Metrics) < 2 {
		t.Fatalf("metrics %+v", tm.Metrics)
	}
	first, last := tm.Metrics[0], tm.Metrics[len(tm.Metrics)-1]
	if !strings.HasPrefix(first.Name, "IndexLookup(index=byName,") {
		t.Errorf("access step named %q, want the plan node", first.Name)
	}
	if annotation(first, "access") != "index" || annotation(first, "index") != "byName" {
		t.Errorf("access annotations %v", first.Annotations.Entries())
	}
	if last.Name != "VertexStep(OUT,[knows],vertex)" || metricsCount(t, last, "elementCount") != 2 {
		t.Errorf("last metrics %s = %d", last.Name, metricsCount(t, last, "elementCount"))
	}
	if metricsCount(t, first, "elementCount") != 1 {
		t.Errorf("index lookup found %d elements, want 1", metricsCount(t, first, "elementCount"))
	}

	// Planner off: a full scan, named and annotated as such.
	v, err = off.Profile(ctx, &server.EvalRequest{Script: "g.V().has('name','marko').out('knows').toList()"})
	if err != nil {
		t.Fatal(err)
	}
	tm = v.(*value.TraversalMetrics)
	if tm.Metrics[0].Name != "RangeScan(table=vertex,prefix=[])" || annotation(tm.Metrics[0], "access") != "fullscan" {
		t.Errorf("planner off: first metrics %s %v", tm.Metrics[0].Name, tm.Metrics[0].Annotations.Entries())
	}
	if metricsCount(t, tm.Metrics[0], "elementCount") != 6 {
		t.Errorf("full scan counted %d vertices, want 6", metricsCount(t, tm.Metrics[0], "elementCount"))
	}

	// A trailing profile() is not doubled.
	if _, err := on.Profile(ctx, &server.EvalRequest{Script: "g.V().out().profile()"}); err != nil {
		t.Errorf("profile of a profiled traversal: %v", err)
	}
}

func TestAnalyzerProfileNeverCommits(t *testing.T) {
	_, on, _ := planGraph(t)
	ctx := context.Background()
	v, err := on.Profile(ctx, &server.EvalRequest{Script: "g.addV('tmp').property('name','x')"})
	if err != nil {
		t.Fatal(err)
	}
	if tm := v.(*value.TraversalMetrics); metricsCount(t, tm.Metrics[0], "elementCount") != 1 {
		t.Errorf("addV metrics %+v", tm.Metrics[0])
	}
	if got := eval(t, on, "g.V().hasLabel('tmp').count()", nil); len(got) != 1 || got[0] != int64(0) {
		t.Errorf("profiled mutation was committed: %v", got)
	}
}

func TestAnalyzerErrors(t *testing.T) {
	_, on, _ := planGraph(t)
	ctx := context.Background()
	for _, script := range []string{"x = 1; x", "g.V().foo()", "g.V(", "nosuch.V()"} {
		for name, f := range map[string]func(context.Context, *server.EvalRequest) (any, error){"explain": on.Explain, "profile": on.Profile} {
			_, err := f(ctx, &server.EvalRequest{Script: script})
			if err == nil {
				t.Errorf("%s(%q) did not fail", name, script)
				continue
			}
			var coder server.StatusCoder
			if !errors.Is(err, server.ErrEvaluation) && !errors.As(err, &coder) && !errors.Is(err, server.ErrInvalidRequest) {
				t.Errorf("%s(%q): unclassified error %v", name, script, err)
			}
		}
	}
}

// profile() in a script: TinkerPop step names from the planner, counts
// per step, and never served from the query cache.
func TestEvalProfileStep(t *testing.T) {
	_, on, _ := planGraph(t)
	for range 2 {
		got := eval(t, on, "g.V().out().out().profile()", nil)
		if len(got) != 1 {
			t.Fatalf("profile() = %v", got)
		}
		tm := got[0].(*value.TraversalMetrics)
		if len(tm.Metrics) != 3 || tm.Metrics[1].Name != "VertexStep(OUT,[],vertex)" {
			t.Fatalf("metrics %+v", tm.Metrics)
		}
		if n := metricsCount(t, tm.Metrics[2], "elementCount"); n != 2 {
			t.Errorf("out().out() counted %d, want 2", n)
		}
	}
	if s := on.CacheStats("graph"); s.Hits != 0 {
		t.Errorf("a profile() result was served from the cache: %+v", s)
	}
	got := eval(t, on, "g.V().out().profile('m').cap('m')", nil)
	if tm, ok := got[0].(*value.TraversalMetrics); !ok || len(tm.Metrics) != 2 {
		t.Errorf("profile('m').cap('m') = %#v", got)
	}
}
