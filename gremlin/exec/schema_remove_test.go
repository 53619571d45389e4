package exec

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage"
)

func TestSchemaRemoveKeysAndLabels(t *testing.T) {
	_, on, _ := planGraph(t)
	eval(t, on, `schema.propertyKey('age').asInt().ifNotExist().create()
schema.propertyKey('nick').asText().create()
schema.propertyKey('unused').asText().create()
schema.vertexLabel('person').properties('name', 'age', 'nick').create()
schema.vertexLabel('robot').create()
schema.edgeLabel('likes').create()
schema.edgeLabel('knows').create()`, nil)
	refused := func(script string, parts ...string) {
		t.Helper()
		err := evalErr(t, on, script)
		if err == nil || !errors.Is(err, server.ErrEvaluation) {
			t.Fatalf("%s: err = %v, want an evaluation error", script, err)
		}
		for _, p := range parts {
			if !strings.Contains(err.Error(), p) {
				t.Errorf("%s: %q does not mention %q", script, err, p)
			}
		}
	}
	refused("schema.propertyKey('age').remove()", `index "personByAge"`, `vertex label "person"`)
	refused("schema.propertyKey('nick').remove()", `vertex label "person"`)
	refused("schema.vertexLabel('person').remove()", `index "personByAge"`)
	refused("schema.edgeLabel('knows').remove()", "edges of the label exist")
	refused("schema.propertyKey('nope').remove()", `no property key named "nope"`)

	eval(t, on, "schema.propertyKey('unused').remove()\nschema.vertexLabel('robot').remove()\nschema.edgeLabel('likes').remove()", nil)
	for _, c := range []struct{ list, name string }{{"getPropertyKeys", "unused"}, {"getVertexLabels", "robot"}, {"getEdgeLabels", "likes"}} {
		for _, m := range eval(t, on, "schema."+c.list+"()", nil) {
			if strings.Contains(showItem(m), c.name) {
				t.Errorf("%s still lists %s: %s", c.list, c.name, showItem(m))
			}
		}
	}
	// Data written with a removed label's name still reads and writes.
	eval(t, on, "g.addV('robot').property('unused', 3).iterate()", nil)
	if got := eval(t, on, "g.V().hasLabel('robot').values('unused')", nil); len(got) != 1 {
		t.Fatalf("robot values = %v", got)
	}
}

func TestIndexBackfillProgressLogged(t *testing.T) {
	g, _, _ := planGraph(t)
	logs := newSyncBuffer()
	e, err := New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"},
		slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	eval(t, e, "g.inject(1).repeat(addV('n').property('k', 1)).times(600).iterate()", nil)
	old := backfillLogEvery
	backfillLogEvery = 200
	defer func() { backfillLogEvery = old }()
	eval(t, e, "schema.indexLabel('byK').onV('n').by('k').secondary().create()", nil)
	s := logs.String()
	if n := strings.Count(s, "index backfill progress"); n < 2 || !strings.Contains(s, "index=byK") {
		t.Fatalf("%d progress lines in:\n%s", n, s)
	}
}

// TestSearchIndexFromScript: a script's textContains reaches the search
// index through the planner.
func TestSearchIndexFromScript(t *testing.T) {
	_, on, off := planGraph(t)
	eval(t, on, "g.V(1).property('desc','Graph computing pioneer').iterate(); g.V(2).property('desc','likes graph databases').iterate(); g.V(4).property('desc','writes java')", nil)
	eval(t, on, "schema.indexLabel('byDesc').onV('person').by('desc').search().create()", nil)
	for script, want := range map[string]string{
		"g.V().hasLabel('person').has('desc', textContains('graph')).values('name')":           "marko vadas",
		"g.V().hasLabel('person').has('desc', Text.textContainsPrefix('pion')).values('name')": "marko",
		"g.V().hasLabel('person').has('desc', textContainsRegex('jav.')).values('name')":       "josh",
		"g.V().hasLabel('person').has('desc', textContains('graph databases')).values('name')": "vadas",
	} {
		if got := showAll(eval(t, on, script, nil)); got != fmtStrings(want) {
			t.Errorf("%s = %s, want %s", script, got, fmtStrings(want))
		}
		// Without the planner the predicate runs as a filter over the same
		// words, so the answer is the same.
		if got := showAll(eval(t, off, script, nil)); got != fmtStrings(want) {
			t.Errorf("planner off: %s = %s, want %s", script, got, fmtStrings(want))
		}
	}
	x := eval(t, on, "g.V().hasLabel('person').has('desc', textContains('graph')).explain()", nil)
	if s := showAll(x); !strings.Contains(s, "IndexLookup(index=byDesc,text,table=search_index") {
		t.Fatalf("explain = %s", s)
	}
}

func fmtStrings(s string) string {
	var parts []string
	for _, w := range strings.Fields(s) {
		parts = append(parts, "string:"+w)
	}
	return strings.Join(parts, " ")
}
