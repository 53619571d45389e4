package exec

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/planner"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

const modernScript = `
g.addV('person').property(T.id, 1).property('name','marko').property('age',29).as('marko').
  addV('person').property(T.id, 2).property('name','vadas').property('age',27).as('vadas').
  addV('software').property(T.id, 3).property('name','lop').property('lang','java').as('lop').
  addV('person').property(T.id, 4).property('name','josh').property('age',32).as('josh').
  addV('software').property(T.id, 5).property('name','ripple').property('lang','java').as('ripple').
  addV('person').property(T.id, 6).property('name','peter').property('age',35).as('peter').
  addE('knows').from('marko').to('vadas').property(T.id, 7).property('weight',0.5d).
  addE('knows').from('marko').to('josh').property(T.id, 8).property('weight',1.0d).
  addE('created').from('marko').to('lop').property(T.id, 9).property('weight',0.4d).
  addE('created').from('josh').to('ripple').property(T.id, 10).property('weight',1.0d).
  addE('created').from('josh').to('lop').property(T.id, 11).property('weight',0.4d).
  addE('created').from('peter').to('lop').property(T.id, 12).property('weight',0.2d).iterate()`

// planGraph returns a modern graph with indexes, and two executors over
// it: one with the planner and the cache, one with neither.
func planGraph(t *testing.T) (*storage.Graph, *Executor, *Executor) {
	t.Helper()
	g, err := storage.Open(memkv.New(memkv.Options{}), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	on, err := New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	off, err := New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	off.ConfigurePlanner(PlanOptions{DisablePlanner: true, Cache: planner.CacheConfig{Disabled: true}})
	eval(t, on, modernScript, nil)
	for _, d := range []storage.IndexDef{
		{Name: "byName", Kind: index.Exact, Keys: []string{"name"}},
		{Name: "personByAge", Kind: index.Range, Label: "person", Keys: []string{"age"}},
		{Name: "byNameAge", Kind: index.Exact, Keys: []string{"name", "age"}},
		{Name: "edgeByWeight", Kind: index.Range, Element: storage.EdgeElement, Keys: []string{"weight"}},
	} {
		if err := g.CreateIndex(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	return g, on, off
}

func showAll(items []any) string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = showItem(v)
	}
	return strings.Join(out, " ")
}

func showItem(v any) string {
	switch x := v.(type) {
	case *value.Vertex:
		return fmt.Sprintf("v[%v]", x.ID)
	case *value.Edge:
		return fmt.Sprintf("e[%v]", x.ID)
	case []any:
		return "[" + showAll(x) + "]"
	case *value.Map:
		var parts []string
		for _, e := range x.Entries() {
			parts = append(parts, showItem(e.Key)+"="+showItem(e.Value))
		}
		return "{" + strings.Join(parts, ",") + "}"
	case *value.TraversalExplanation:
		return fmt.Sprint(x.Final)
	}
	return fmt.Sprintf("%T:%v", v, v)
}

var differentialScripts = []string{
	"g.V().has('name','marko')",
	"g.V().has('name', within('marko','josh','nobody')).values('age')",
	"g.V().hasLabel('person').has('age', gt(28)).values('name')",
	"g.V().hasLabel('person').has('age', between(27, 33)).order().by('age').values('name')",
	"g.V().has('person','age', 29L)",
	"g.V().has('name','marko').has('age', 29)",
	"g.V().hasId(1, 4).out().values('name')",
	"g.V().hasId(4, 1).order().by(id).limit(1)",
	"g.V().hasId(2, 1).limit(1)",
	"g.V().has(T.id, within(1, 2, 99))",
	"g.V().hasLabel('software').in('created').dedup().values('name')",
	"g.V().out().out().count()",
	"g.V().both().count()",
	"g.V(1).outE('knows').count()",
	"g.V().or(has('name','marko'), has('age', 27)).values('name')",
	"g.V().has('name').count()",
	"g.V().has('name','marko').union(out('knows'), in()).count()",
	"g.E().has('weight', gte(0.5)).count()",
	"g.E().hasLabel('created').has('weight', lt(0.45)).outV().dedup().values('name')",
	"g.V().hasLabel('person').limit(2).has('age', gt(30)).count()",
	"g.V().has('age', gt(30)).limit(1).values('name')",
	"g.V().hasLabel('person','software').limit(3)",
	"g.V().has('name','marko').as('a').out('knows').as('b').select('a','b').by('name')",
	"g.V().has('name','marko').where(out().count().is(3)).values('name')",
}

// TestDifferentialPlannerAndCache: the same scripts give the same
// results with the planner and the cache on (twice, to read from the
// cache) and off.
func TestDifferentialPlannerAndCache(t *testing.T) {
	_, on, off := planGraph(t)
	for _, s := range differentialScripts {
		want := showAll(eval(t, off, s, nil))
		for round := 0; round < 2; round++ {
			got := showAll(eval(t, on, s, nil))
			if !strings.Contains(s, "order()") && !strings.Contains(s, "limit") {
				got, want = sortWords(got), sortWords(want)
			}
			if got != want {
				t.Errorf("%s (round %d):\n planner+cache %s\n as written     %s", s, round, got, want)
			}
		}
	}
	if st := on.CacheStats("graph"); st.Hits < int64(len(differentialScripts)) {
		t.Errorf("cache stats %+v: want at least %d hits", st, len(differentialScripts))
	}
	if st := off.CacheStats("graph"); st.Hits+st.Misses != 0 {
		t.Errorf("a disabled cache counted lookups: %+v", st)
	}
}

func sortWords(s string) string {
	w := strings.Fields(s)
	sort.Strings(w)
	return strings.Join(w, " ")
}

func TestExplainScript(t *testing.T) {
	_, on, off := planGraph(t)
	got := eval(t, on, "g.V().has('name','marko').out('knows').explain()", nil)
	if len(got) != 1 {
		t.Fatalf("explain() = %v", got)
	}
	x, ok := got[0].(*value.TraversalExplanation)
	if !ok {
		t.Fatalf("explain() returned %T", got[0])
	}
	if want := "[GraphStep(vertex,[]), HasStep([name.eq(marko)]), VertexStep(OUT,[knows],vertex)]"; fmt.Sprint("[", strings.Join(x.Original, ", "), "]") != want {
		t.Errorf("original = %v, want %s", x.Original, want)
	}
	if !strings.HasPrefix(x.Final[0], "IndexLookup(index=byName,") {
		t.Errorf("final = %v, want an IndexLookup on byName", x.Final)
	}
	if len(x.Intermediate) != len(planner.Strategies()) || x.Intermediate[0].Category != "provider" {
		t.Errorf("intermediate = %+v", x.Intermediate)
	}
	// Without an index the traversal is a filtered scan, and explain says so.
	x = eval(t, on, "g.V().has('lang','java').explain()", nil)[0].(*value.TraversalExplanation)
	if x.Final[0] != "RangeScan(table=vertex,prefix=[])" || x.Final[1] != "Filter(HasStep([lang.eq(java)]))" {
		t.Errorf("final without index = %v", x.Final)
	}
	// With the planner off, nothing is rewritten.
	x = eval(t, off, "g.V().has('name','marko').explain()", nil)[0].(*value.TraversalExplanation)
	if x.Final[0] != "RangeScan(table=vertex,prefix=[])" {
		t.Errorf("final with the planner off = %v", x.Final)
	}
	// A traversal that does not compile fails explain() as it would run.
	if _, err := on.Eval(context.Background(), &server.EvalRequest{Script: "g.V().foo().explain()"}); err == nil {
		t.Error("explain() of an unknown step did not fail")
	}
}

func TestCacheVersionAndSessions(t *testing.T) {
	_, on, _ := planGraph(t)
	q := "g.V().hasLabel('person').count()"
	if got := eval(t, on, q, nil); got[0] != int64(4) {
		t.Fatalf("count = %v", got)
	}
	if got := eval(t, on, q, nil); got[0] != int64(4) {
		t.Fatalf("cached count = %v", got)
	}
	h := on.CacheStats("graph").Hits
	eval(t, on, "g.addV('person').property('name','new').iterate()", nil)
	if got := eval(t, on, q, nil); got[0] != int64(5) {
		t.Fatalf("count after a write = %v, want 5 (stale cache?)", got)
	}
	if on.CacheStats("graph").Hits != h {
		t.Fatal("a read after a committed write was served from the cache")
	}
	// Bindings are part of the key.
	a := eval(t, on, "g.V().has('name', n).values('age')", map[string]any{"n": "marko"})
	b := eval(t, on, "g.V().has('name', n).values('age')", map[string]any{"n": "josh"})
	if showAll(a) == showAll(b) {
		t.Fatalf("different bindings gave the same cached result %v", a)
	}
	// A session's uncommitted write is seen by the session only, and its
	// reads neither come from nor go to the cache.
	s, _ := on.NewSession("s1")
	defer s.Close()
	sessEval(t, s, "g.addV('person').property('name','uncommitted').iterate()")
	before := on.CacheStats("graph")
	if got := sessEval(t, s, q); got[0] != int64(6) {
		t.Fatalf("session count = %v, want 6", got)
	}
	if got := eval(t, on, q, nil); got[0] != int64(5) {
		t.Fatalf("sessionless count = %v, want 5 (uncommitted data leaked)", got)
	}
	if got := sessEval(t, s, q); got[0] != int64(6) {
		t.Fatalf("session count = %v, want 6 (served another's cached read)", got)
	}
	after := on.CacheStats("graph")
	if after.Hits+after.Misses != before.Hits+before.Misses+1 {
		t.Fatalf("session reads used the cache: %+v → %+v", before, after)
	}
}

// TestCacheNeverStaleUnderWrites: while a writer commits, every cached
// read sees at least what was committed before it started.
func TestCacheNeverStaleUnderWrites(t *testing.T) {
	_, on, _ := planGraph(t)
	var committed atomic.Int64
	committed.Store(6)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 60; i++ {
			r, err := on.Eval(context.Background(), &server.EvalRequest{Script: "g.addV('x').iterate()"})
			if err != nil {
				t.Errorf("write: %v", err)
				break
			}
			r.Close()
			committed.Add(1)
		}
		close(stop)
	}()
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				floor := committed.Load()
				r, err := on.Eval(context.Background(), &server.EvalRequest{Script: "g.V().count()"})
				if err != nil {
					t.Errorf("read: %v", err)
					return
				}
				v, ok := r.Next()
				r.Close()
				if !ok || v.(int64) < floor {
					t.Errorf("stale read: count %v, but %d were committed before the read began", v, floor)
					return
				}
			}
		}()
	}
	wg.Wait()
	if st := on.CacheStats("graph"); st.Hits == 0 {
		t.Logf("no cache hits during the run: %+v", st)
	}
}

func TestCacheBounds(t *testing.T) {
	c := planner.NewCache(planner.CacheConfig{MaxEntries: 2, MaxBytes: 1 << 20})
	items := []value.Traverser{{Value: "a", Bulk: 1}}
	for i, k := range []string{"a", "b", "c"} {
		c.Put(1, k, items, int64(10*(i+1)))
	}
	if _, ok := c.Get(1, "a"); ok {
		t.Fatal("the least recently used entry was not evicted")
	}
	if _, ok := c.Get(1, "c"); !ok {
		t.Fatal("the newest entry is missing")
	}
	if _, ok := c.Get(2, "c"); ok {
		t.Fatal("an entry of an older version was served")
	}
	c.Put(2, "d", items, 10)
	if _, ok := c.Get(2, "c"); ok {
		t.Fatal("an older version's entry survived a newer version")
	}
	c.Put(1, "old", items, 10)
	if _, ok := c.Get(1, "old"); ok {
		t.Fatal("a result computed at an older version was cached")
	}
	c.Put(2, "huge", items, 1<<20)
	if _, ok := c.Get(2, "huge"); ok {
		t.Fatal("a result over the size bound was cached")
	}
	st := c.Stats()
	if st.Evictions != 1 || st.Entries != 1 || st.Bytes != 10 {
		t.Fatalf("stats = %+v", st)
	}
	if planner.NewCache(planner.CacheConfig{Disabled: true}) != nil {
		t.Fatal("a disabled cache was built")
	}
}
