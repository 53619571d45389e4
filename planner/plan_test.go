package planner_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/gremlin/lang"
	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/planner"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the golden files in testdata")

var bg = context.Background()

// engine runs the planned bytecode, which uses the access steps.
var engine = traversal.NewEngine(traversal.Config{AccessSteps: true})

// modern builds TinkerPop's modern graph plus a few vertices that make
// index choices visible, and declares one index of every kind.
func modern(t testing.TB, withIndexes bool) *storage.Graph {
	t.Helper()
	g, err := storage.Open(memkv.New(memkv.Options{}), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := g.Begin(bg, storage.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kv := func(pairs ...any) []storage.KeyValue {
		var out []storage.KeyValue
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, storage.KeyValue{Key: pairs[i].(string), Value: pairs[i+1]})
		}
		return out
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tx.AddVertex(int32(1), "person", kv("name", "marko", "age", int32(29), "uid", "u1", "desc", "graph computing pioneer")))
	must(tx.AddVertex(int32(2), "person", kv("name", "vadas", "age", int32(27), "uid", "u2", "desc", "likes graph databases")))
	must(tx.AddVertex(int32(3), "software", kv("name", "lop", "lang", "java", "uid", "u3")))
	must(tx.AddVertex(int32(4), "person", kv("name", "josh", "age", int32(32), "uid", "u4", "desc", "writes java code")))
	must(tx.AddVertex(int32(5), "software", kv("name", "ripple", "lang", "java", "uid", "u5")))
	must(tx.AddVertex(int32(6), "person", kv("name", "peter", "age", int32(35), "uid", "u6")))
	// Filler people: a label scan on person becomes worse than an index.
	for i := 0; i < 40; i++ {
		must(tx.AddVertex(int64(100+i), "person", kv("name", fmt.Sprintf("p%d", i), "age", int64(20+i%30), "uid", fmt.Sprintf("f%d", i))))
	}
	must(tx.AddEdge(int32(7), "knows", int32(1), int32(2), kv("weight", 0.5)))
	must(tx.AddEdge(int32(8), "knows", int32(1), int32(4), kv("weight", 1.0)))
	must(tx.AddEdge(int32(9), "created", int32(1), int32(3), kv("weight", 0.4)))
	must(tx.AddEdge(int32(10), "created", int32(4), int32(5), kv("weight", 1.0)))
	must(tx.AddEdge(int32(11), "created", int32(4), int32(3), kv("weight", 0.4)))
	must(tx.AddEdge(int32(12), "created", int32(6), int32(3), kv("weight", 0.2)))
	must(tx.AddEdge(int32(13), "knows", int32(6), int32(6), kv("weight", 0.1))) // a self-loop
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if withIndexes {
		for _, d := range []storage.IndexDef{
			{Name: "byName", Kind: index.Exact, Keys: []string{"name"}},
			{Name: "personByAge", Kind: index.Range, Label: "person", Keys: []string{"age"}},
			{Name: "byNameAge", Kind: index.Exact, Keys: []string{"name", "age"}},
			{Name: "byUid", Kind: index.Unique, Keys: []string{"uid"}},
			{Name: "byDesc", Kind: index.Text, Keys: []string{"desc"}},
			{Name: "byLang", Kind: index.Exact, Label: "software", Keys: []string{"lang"}},
			{Name: "edgeByWeight", Kind: index.Range, Element: storage.EdgeElement, Keys: []string{"weight"}},
			{Name: "descByValue", Kind: index.Range, Keys: []string{"desc"}},
		} {
			if err := g.CreateIndex(bg, d); err != nil {
				t.Fatalf("create index %s: %v", d.Name, err)
			}
		}
	}
	return g
}

// parseTraversal parses one script line into bytecode. A line starting
// with "text:" has its containing() predicates turned into the text
// index's textContains (which Gremlin scripts cannot spell).
func parseTraversal(t testing.TB, line string) *value.Bytecode {
	t.Helper()
	text := strings.HasPrefix(line, "text:")
	line = strings.TrimPrefix(line, "text:")
	s, err := lang.Parse(line)
	if err != nil {
		t.Fatalf("parse %q: %v", line, err)
	}
	tr, ok := s.Statements[0].Expr.(*lang.Traversal)
	if !ok {
		t.Fatalf("%q is not a traversal", line)
	}
	if text {
		for i, in := range tr.Bytecode.Steps {
			for j, a := range in.Args {
				if p, ok := a.(*value.P); ok && p.Operator == "containing" {
					tr.Bytecode.Steps[i].Args[j] = &value.P{Operator: index.OpTextContains, Values: p.Values}
				}
			}
		}
	}
	return tr.Bytecode
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *rewrite {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./planner/ -rewrite to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./planner/ -rewrite updates it):\n--- got ---\n%s", name, diff(string(want), got))
	}
}

func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, a, c)
		}
	}
	return b.String()
}

func planOf(t testing.TB, g *storage.Graph, bc *value.Bytecode) *planner.QueryPlan {
	t.Helper()
	tx, err := g.Begin(bg, storage.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	p, err := planner.Plan(bc, planner.GraphInfo(g, tx))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGoldenPlans prints the plan of every traversal in
// testdata/plans.in, with and without indexes.
func TestGoldenPlans(t *testing.T) {
	lines := readLines(t, filepath.Join("testdata", "plans.in"))
	for _, idx := range []bool{true, false} {
		g := modern(t, idx)
		var b strings.Builder
		for _, l := range lines {
			p := planOf(t, g, parseTraversal(t, l))
			fmt.Fprintf(&b, "> %s\n%s\n", l, p)
		}
		name := "plans.golden"
		if !idx {
			name = "plans_noindex.golden"
		}
		golden(t, name, b.String())
	}
}

// run compiles and runs bc, returning its results as sorted strings
// (unordered) or in order.
func run(t testing.TB, g *storage.Graph, bc *value.Bytecode) ([]string, error) {
	t.Helper()
	tr, err := engine.Compile(bc)
	if err != nil {
		return nil, err
	}
	tx, err := g.Begin(bg, storage.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	it := tr.Iterate(bg, tx)
	defer it.Close()
	var out []string
	for {
		tv, ok := it.Next()
		if !ok {
			break
		}
		out = append(out, fmt.Sprintf("%s*%d", show(tv.Value), tv.Bulk))
	}
	return out, it.Err()
}

func show(v any) string {
	switch x := v.(type) {
	case *value.Vertex:
		return fmt.Sprintf("v[%v]", x.ID)
	case *value.Edge:
		return fmt.Sprintf("e[%v]", x.ID)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case *value.Map:
		var parts []string
		for _, e := range x.Entries() {
			parts = append(parts, show(e.Key)+"="+show(e.Value))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return fmt.Sprintf("%T:%v", v, v)
}

// TestDifferential runs every traversal of plans.in and differential.in
// as written and as planned: the results must be the same (in the same
// order when the traversal orders them).
func TestDifferential(t *testing.T) {
	lines := append(readLines(t, filepath.Join("testdata", "plans.in")), readLines(t, filepath.Join("testdata", "differential.in"))...)
	for _, idx := range []bool{true, false} {
		g := modern(t, idx)
		rewritten := 0
		for _, l := range lines {
			bc := parseTraversal(t, l)
			p := planOf(t, g, bc)
			if p.Rewritten() {
				rewritten++
			}
			want, werr := run(t, g, bc)
			got, gerr := run(t, g, p.Bytecode)
			if (werr != nil) != (gerr != nil) {
				t.Errorf("indexes=%v %s: error as written %v, planned %v", idx, l, werr, gerr)
				continue
			}
			if strings.Join(want, " ") != strings.Join(got, " ") && (strings.Contains(l, "or(") || strings.Contains(l, "has('desc')")) {
				// Index unions and has(key) scans keep the scan's order.
				t.Errorf("indexes=%v %s: order differs:\n as written %v\n planned    %v", idx, l, want, got)
			}
			if !strings.Contains(l, "order()") {
				sort.Strings(want)
				sort.Strings(got)
			}
			if strings.Join(want, " ") != strings.Join(got, " ") {
				t.Errorf("indexes=%v %s:\n as written %v\n planned    %v\n plan:\n%s", idx, l, want, got, p)
			}
		}
		if idx && rewritten < len(lines)/2 {
			t.Errorf("only %d of %d traversals were rewritten", rewritten, len(lines))
		}
	}
}

func TestPlanDoesNotModifyInput(t *testing.T) {
	g := modern(t, true)
	bc := parseTraversal(t, "g.V().hasLabel('person').has('age', gt(30)).out('knows').count()")
	before := fmt.Sprint(bc.Steps)
	p := planOf(t, g, bc)
	if !p.Rewritten() {
		t.Fatal("expected a rewrite")
	}
	if fmt.Sprint(bc.Steps) != before {
		t.Fatalf("Plan modified its input: %s → %s", before, fmt.Sprint(bc.Steps))
	}
}

func TestWithoutStrategiesDisablesRule(t *testing.T) {
	g := modern(t, true)
	bc := parseTraversal(t, "g.V().has('uid','u1')")
	bc.Sources = append(bc.Sources, value.Instruction{Operator: "withoutStrategies", Args: []any{value.Class("org.kvtgraph.KvtIndexAccessStrategy")}})
	p := planOf(t, g, bc)
	for _, a := range p.Applied {
		if a.Strategy == "KvtIndexAccessStrategy" && a.Changed {
			t.Fatal("a strategy turned off by withoutStrategies ran")
		}
	}
	if s := p.String(); !strings.HasPrefix(s, "RangeScan(table=vertex") {
		t.Fatalf("plan = %s, want a full scan", s)
	}
}

func TestPlanNilAndEmpty(t *testing.T) {
	if _, err := planner.Plan(nil, nil); err == nil {
		t.Fatal("Plan(nil) did not fail")
	}
	p, err := planner.Plan(&value.Bytecode{}, nil)
	if err != nil || p.Rewritten() || len(p.Nodes) != 0 {
		t.Fatalf("empty bytecode: %v %v", p, err)
	}
	if x := p.Explain(); len(x.Intermediate) != len(planner.Strategies()) || x.Final == nil {
		t.Fatalf("explain of empty = %+v", x)
	}
}
