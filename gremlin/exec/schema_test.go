package exec

import (
	"context"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

func evalErr(t *testing.T, e *Executor, script string) error {
	t.Helper()
	r, err := e.Eval(context.Background(), &server.EvalRequest{Script: script})
	if err == nil {
		for {
			if _, ok := r.Next(); !ok {
				break
			}
		}
		err = r.Err()
		r.Close()
	}
	return err
}

func TestSchemaBuilder(t *testing.T) {
	_, on, _ := planGraph(t)
	eval(t, on, `schema.propertyKey('age').asInt().ifNotExist().create()
schema.propertyKey('name').asText().valueSingle().ifNotExist().create()
schema.propertyKey('tags').asText().valueSet().create()
schema.propertyKey('weight').asDouble().create()
schema.vertexLabel('person').properties('name', 'age', 'tags').primaryKeys('name').ifNotExist().create()
schema.edgeLabel('knows').sourceLabel('person').targetLabel('person').properties('weight').create()`, nil)
	keys := eval(t, on, "schema.getPropertyKeys()", nil)
	if len(keys) != 4 {
		t.Fatalf("getPropertyKeys() = %v", showAll(keys))
	}
	if m := keys[0].(*value.Map); mapName(m) != "age" {
		t.Fatalf("first key = %v", showItem(m))
	}
	if got := showAll(eval(t, on, "schema.getVertexLabels()", nil)); !strings.Contains(got, "name=string:person") {
		t.Fatalf("getVertexLabels() = %s", got)
	}
	if got := showAll(eval(t, on, "schema.getEdgeLabels()", nil)); !strings.Contains(got, "knows") {
		t.Fatalf("getEdgeLabels() = %s", got)
	}
	// Declared types are enforced on writes.
	if err := evalErr(t, on, "g.addV('person').property('age', 'old')"); err == nil {
		t.Fatal("a String written to an Int key was accepted")
	}
	// Creating again without ifNotExist fails; with it, it is a no-op.
	if err := evalErr(t, on, "schema.propertyKey('age').asLong().create()"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("re-creating a key: %v", err)
	}
	eval(t, on, "schema.propertyKey('age').asInt().ifNotExist().create()", nil)

	// An index on existing data is backfilled and used by the planner.
	eval(t, on, "schema.indexLabel('personByAge2').onV('person').by('age').range().create()", nil)
	eval(t, on, "schema.indexLabel('byLang').onV('software').by('lang').secondary().ifNotExist().create()", nil)
	idx := showAll(eval(t, on, "schema.getIndexLabels()", nil))
	for _, want := range []string{"personByAge2", "index_type=string:RANGE", "byLang", "index_type=string:SECONDARY"} {
		if !strings.Contains(idx, want) {
			t.Fatalf("getIndexLabels() = %s, missing %s", idx, want)
		}
	}
	x := eval(t, on, "g.V().hasLabel('software').has('lang','java').explain()", nil)[0].(*value.TraversalExplanation)
	if !strings.Contains(strings.Join(x.Final, " "), "byLang") && !strings.Contains(strings.Join(x.Final, " "), "label_index") {
		t.Fatalf("final plan = %v", x.Final)
	}
	if got := eval(t, on, "g.V().hasLabel('software').has('lang','java').count()", nil); got[0] != int64(2) {
		t.Fatalf("count through the backfilled index = %v", got)
	}
	eval(t, on, "schema.indexLabel('byLang').remove()", nil)
	if idx := showAll(eval(t, on, "schema.getIndexLabels()", nil)); strings.Contains(idx, "byLang") {
		t.Fatalf("removed index still listed: %s", idx)
	}
	if got := eval(t, on, "g.V().hasLabel('software').has('lang','java').count()", nil); got[0] != int64(2) {
		t.Fatalf("count after removing the index = %v", got)
	}
	// A map result is unrolled into its entries, as Gremlin Server does.
	if m := showAll(eval(t, on, "schema.getIndexLabel('personByAge2')", nil)); !strings.Contains(m, "{string:name=string:personByAge2}") {
		t.Fatalf("getIndexLabel = %v", m)
	}
}

func TestSchemaBuilderErrors(t *testing.T) {
	_, on, _ := planGraph(t)
	for script, want := range map[string]string{
		"schema.propertyKey('a').asInt()":                              "create() or remove()",
		"schema.propertyKey('a').asWhat().create()":                    "unknown builder method asWhat()",
		"schema.vertexLabel('person').remove()":                        "no vertex label named",
		"schema.indexLabel('x').by('a').create()":                      "onV(label) or onE(label)",
		"schema.indexLabel('x').onV('person').create()":                "by(key, ...)",
		"schema.indexLabel('x').onV('p').by('a','b').range().create()": "exactly one key",
		"schema.indexLabel('nope').remove()":                           "no index label named",
		"schema.propertyKey('a'":                                       "unclosed",
		"schema.propertyKey(1).create()":                               "non-empty String",
		"schema.frobnicate()":                                          "unknown schema method",
		"schema.getIndexLabel('nope')":                                 "no index label named",
		"schema.propertyKey('a').create().asInt()":                     "must be the last call",
	} {
		err := evalErr(t, on, script)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", script, err, want)
		}
	}
	// A script that is not all schema statements goes to the parser.
	if got := eval(t, on, "g.V().count()", nil); got[0] != int64(6) {
		t.Fatalf("count = %v", got)
	}
}
