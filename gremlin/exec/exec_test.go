package exec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kvtgraph/kvtgraph/gremlin/lang"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

func newExec(t *testing.T) *Executor {
	t.Helper()
	g, err := storage.Open(memkv.New(memkv.Options{}), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	e, err := New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func drain(t *testing.T, r server.Results, err error) []any {
	t.Helper()
	if err != nil {
		t.Fatalf("request failed: %v", err)
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
		t.Fatalf("results failed: %v", err)
	}
	return out
}

func eval(t *testing.T, e *Executor, script string, bindings map[string]any) []any {
	t.Helper()
	r, err := e.Eval(context.Background(), &server.EvalRequest{Script: script, Bindings: bindings})
	return drain(t, r, err)
}

func sessEval(t *testing.T, s server.Session, script string) []any {
	t.Helper()
	r, err := s.Eval(context.Background(), &server.EvalRequest{Script: script})
	return drain(t, r, err)
}

func TestEvalScriptStatementsAndVariables(t *testing.T) {
	e := newExec(t)
	got := eval(t, e, "g.addV('person').property('name','marko').iterate(); g.addV('person').property('name','vadas').iterate()\ng.V().count()", nil)
	if len(got) != 1 || got[0] != int64(2) {
		t.Fatalf("count after two addV = %v, want [2L]", got)
	}
	got = eval(t, e, "x = g.V().has('name', n).next(); g.V(x).values('name')", map[string]any{"n": "vadas"})
	if len(got) != 1 || got[0] != "vadas" {
		t.Fatalf("variable lookup = %v, want [vadas]", got)
	}
	// A map result is unrolled into one-entry maps, as Gremlin Server does.
	got = eval(t, e, "g.V().has('name','marko').valueMap().next()", nil)
	if len(got) != 1 {
		t.Fatalf("valueMap().next() items = %v, want one entry", got)
	}
	if m, ok := got[0].(*value.Map); !ok || m.Len() != 1 {
		t.Fatalf("item = %#v, want a one-entry map", got[0])
	}
}

func TestEvalRollsBackFailedRequest(t *testing.T) {
	e := newExec(t)
	_, err := e.Eval(context.Background(), &server.EvalRequest{Script: "g.addV('a').iterate(); g.V().fail('boom')"})
	if err == nil {
		t.Fatal("fail() should fail the request")
	}
	if got := eval(t, e, "g.V().count()", nil); got[0] != int64(0) {
		t.Fatalf("a failed request's write survived: count = %v", got)
	}
}

func TestEvalErrorsAreClassified(t *testing.T) {
	e := newExec(t)
	_, err := e.Eval(context.Background(), &server.EvalRequest{Script: "g.V().out("})
	var syn *lang.SyntaxError
	if !errors.As(err, &syn) || !errors.Is(err, server.ErrEvaluation) {
		t.Fatalf("syntax error = %v, want a *lang.SyntaxError classified as evaluation error", err)
	}
	_, err = e.Eval(context.Background(), &server.EvalRequest{Script: "h.V()"})
	if err == nil || !strings.Contains(err.Error(), `"h"`) {
		t.Fatalf("unknown source error = %v, want it to name h", err)
	}
	_, err = e.Eval(context.Background(), &server.EvalRequest{Script: "g.V().map{ it.get() }"})
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "lambda") {
		t.Fatalf("lambda error = %v, want a refusal naming lambdas", err)
	}
}

func TestSubmitBytecodeReturnsTraversers(t *testing.T) {
	e := newExec(t)
	eval(t, e, "g.addV('a').iterate(); g.addV('a').iterate()", nil)
	bc := &value.Bytecode{Steps: []value.Instruction{{Operator: "V"}, {Operator: "label"}}}
	r, err := e.Submit(context.Background(), &server.BytecodeRequest{Bytecode: bc, Alias: "g", Source: "g"})
	got := drain(t, r, err)
	var total int64
	for _, it := range got {
		tr, ok := it.(value.Traverser)
		if !ok {
			t.Fatalf("bytecode item %#v is not a Traverser", it)
		}
		total += tr.Bulk
	}
	if total != 2 {
		t.Fatalf("total bulk = %d, want 2", total)
	}
}

func TestSessionKeepsVariablesAndTransaction(t *testing.T) {
	e := newExec(t)
	s, err := e.NewSession("s1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	sessEval(t, s, "v = g.addV('x').next()")
	// Not committed yet: a sessionless reader does not see it.
	if got := eval(t, e, "g.V().count()", nil); got[0] != int64(0) {
		t.Fatalf("uncommitted session write visible outside: %v", got)
	}
	got := sessEval(t, s, "g.V(v).label()")
	if len(got) != 1 || got[0] != "x" {
		t.Fatalf("session variable lost: %v", got)
	}
	if err := s.Commit(ctx, "g"); err != nil {
		t.Fatal(err)
	}
	if got := eval(t, e, "g.V().count()", nil); got[0] != int64(1) {
		t.Fatalf("committed session write not visible: %v", got)
	}
	sessEval(t, s, "g.addV('y').iterate()")
	if err := s.Rollback(ctx, "g"); err != nil {
		t.Fatal(err)
	}
	if got := eval(t, e, "g.V().count()", nil); got[0] != int64(1) {
		t.Fatalf("rolled-back write visible: %v", got)
	}
}

func TestEvalTimeoutCancels(t *testing.T) {
	e := newExec(t)
	eval(t, e, "g.addV('a').as('a').addE('self').to('a').iterate()", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r, err := e.Eval(ctx, &server.EvalRequest{Script: "g.V().repeat(out()).times(100000000).count()"})
	if err == nil {
		for {
			if _, ok := r.Next(); !ok {
				break
			}
		}
		err = r.Err()
		r.Close()
	}
	if !errors.Is(err, server.ErrTimeout) {
		t.Fatalf("err = %v, want a timeout", err)
	}
}

func TestEvalNestedTraversalArgument(t *testing.T) {
	e := newExec(t)
	eval(t, e, "g.addV('p').property('name','a').iterate(); g.addV('p').property('name','b').iterate()", nil)
	got := eval(t, e, "g.V(g.V().has('name','b').id().next()).values('name')", nil)
	if len(got) != 1 || got[0] != "b" {
		t.Fatalf("nested traversal argument = %v, want [b]", got)
	}
	_, err := e.Eval(context.Background(), &server.EvalRequest{Script: "g.V(g.V().id()).count()"})
	if err == nil || !strings.Contains(err.Error(), "terminal") {
		t.Fatalf("unterminated nested traversal: err = %v, want a message asking for a terminal method", err)
	}
}

// A traversal source prints the same way whether it is a script's result
// or converted with toString(), in TinkerPop's GraphTraversalSource form.
func TestSourceStringForms(t *testing.T) {
	e := newExec(t)
	want := "graphtraversalsource[kvtgraph[graph], standard]"
	for _, script := range []string{"g", "g.toString()"} {
		got := eval(t, e, script, nil)
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s = %v, want [%s]", script, got, want)
		}
	}
}

// io() reads from the directory ConfigureTraversals names, and is off
// without one.
func TestConfigureTraversalsIORoot(t *testing.T) {
	e := newExec(t)
	dir := t.TempDir()
	data := `{"id":1,"label":"person","properties":{"name":[{"id":2,"value":"io"}]}}
`
	if err := os.WriteFile(filepath.Join(dir, "g.json"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := e.Eval(context.Background(), &server.EvalRequest{Script: `g.io("g.json").read()`})
	if err == nil || !strings.Contains(err.Error(), "io() is not enabled") {
		t.Fatalf("io() without a root: %v", err)
	}
	e.ConfigureTraversals(TraversalOptions{IORoot: dir})
	eval(t, e, `g.io("g.json").read()`, nil)
	if got := eval(t, e, `g.V().values("name")`, nil); len(got) != 1 || got[0] != "io" {
		t.Fatalf("after io().read(): %v", got)
	}
}

// The executor's engine compiles the planner's access steps: a planned
// label scan runs as one (its profile names the index range scan) instead
// of falling back to the bytecode as written.
func TestPlannedTraversalRunsAccessSteps(t *testing.T) {
	e := newExec(t)
	e.ConfigureTraversals(TraversalOptions{})
	eval(t, e, `g.addV("person").property("name","a")`, nil)
	out := eval(t, e, `g.V().hasLabel("person").profile()`, nil)
	m, ok := out[0].(*value.TraversalMetrics)
	if !ok || len(m.Metrics) == 0 {
		t.Fatalf("profile: %#v", out)
	}
	if name := m.Metrics[0].Name; !strings.HasPrefix(name, "RangeScan(table=label_index") {
		t.Errorf("first step %q; want the planner's label scan", name)
	}
}
