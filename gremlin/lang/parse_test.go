package lang

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func mustParse(t *testing.T, s string) *Script {
	t.Helper()
	sc, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return sc
}

// injectArg parses g.inject(<lit>) and returns the single argument.
func injectArg(t *testing.T, lit string) any {
	t.Helper()
	_, bc, err := ParseTraversal("g.inject(" + lit + ")")
	if err != nil {
		t.Fatalf("%s: %v", lit, err)
	}
	if len(bc.Steps) != 1 || len(bc.Steps[0].Args) != 1 {
		t.Fatalf("%s: unexpected bytecode %s", lit, Format("g", bc))
	}
	return bc.Steps[0].Args[0]
}

func mapOf(kv ...any) *value.Map {
	m := value.NewMap()
	for i := 0; i < len(kv); i += 2 {
		m.Put(kv[i], kv[i+1])
	}
	return m
}

func TestLiterals(t *testing.T) {
	bigN, _ := new(big.Int).SetString("99999999999999999999", 10)
	negBig, _ := new(big.Int).SetString("-9223372036854775809", 10)
	cases := []struct {
		lit  string
		want any
	}{
		{"1", int32(1)}, {"-1", int32(-1)}, {"+7", int32(7)}, {"2147483647", int32(math.MaxInt32)},
		{"2147483648", int64(2147483648)}, {"-2147483649", int64(-2147483649)},
		{"99999999999999999999", bigN}, {"-9223372036854775809", negBig},
		{"1b", int8(1)}, {"-128b", int8(-128)}, {"1B", int8(1)}, {"2s", int16(2)}, {"3i", int32(3)},
		{"4l", int64(4)}, {"4L", int64(4)}, {"5n", big.NewInt(5)}, {"5N", big.NewInt(5)},
		{"0x1F", int32(31)}, {"0xffL", int64(255)}, {"010", int32(8)}, {"1_000", int32(1000)}, {"0", int32(0)},
		{"1.5", 1.5}, {"1.5d", 1.5}, {"1.5D", 1.5}, {"1d", 1.0}, {"2f", float32(2)}, {"2.5F", float32(2.5)},
		{"1e3", 1000.0}, {"1.5e-2", 0.015}, {"-0.5", -0.5},
		{"1.50m", value.BigDecimal{Unscaled: big.NewInt(150), Scale: 2}},
		{"7m", value.BigDecimal{Unscaled: big.NewInt(7), Scale: 0}},
		{"1.5e3m", value.BigDecimal{Unscaled: big.NewInt(15), Scale: -2}},
		{"NaN", math.NaN()}, {"Infinity", math.Inf(1)}, {"+Infinity", math.Inf(1)}, {"-Infinity", math.Inf(-1)},
		{"true", true}, {"false", false}, {"null", nil},
		{`"a\"b"`, `a"b`}, {`'it''s'`, nil}, // placeholder replaced below
		{`'x\ty'`, "x\ty"}, {`"\u00e9\101"`, "éA"}, {`"\uD83D\uDE00"`, "😀"}, {`''`, ""},
		{`"line\
cont"`, "linecont"},
		{"[1, 'a']", []any{int32(1), "a"}}, {"[]", []any{}}, {"[:]", value.NewMap()},
		{"[a: 1, 'b': 2, (T.id): 3, T.label: 4, (OUT): 5, 6: 7, keys: 8, label: 9]",
			mapOf("a", int32(1), "b", int32(2), value.Enum{Type: "T", Name: "id"}, int32(3),
				value.Enum{Type: "T", Name: "label"}, int32(4), value.Enum{Type: "Direction", Name: "OUT"}, int32(5),
				int32(6), int32(7), "keys", int32(8), "label", int32(9))},
		{"[[1]: 'x']", mapOf([]any{int32(1)}, "x")},
		{"{1, 2, 2}", value.NewSet(int32(1), int32(2))}, {"{}", value.NewSet()},
		{"1..3", []any{int32(1), int32(2), int32(3)}}, {"3..1", []any{int32(3), int32(2), int32(1)}},
		{"'a'..'c'", []any{"a", "b", "c"}},
		{`datetime("2023-08-01T00:00:00Z")`, time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC)},
		{`datetime('2018-03-22T00:35:44.741+16:00')`, time.Date(2018, 3, 21, 8, 35, 44, 741000000, time.UTC)},
		{`datetime("2023-08-01")`, time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC)},
		{`DateTime("2023-08-01T10:00:00")`, time.Date(2023, 8, 1, 10, 0, 0, 0, time.UTC)},
		{`UUID("6100808b-62f9-42b7-957e-ed66c30f40d1")`, uuid.MustParse("6100808b-62f9-42b7-957e-ed66c30f40d1")},
		{`new Vertex(1, "person")`, &value.Vertex{ID: int32(1), Label: "person"}},
		{`ReferenceVertex("v1")`, &value.Vertex{ID: "v1", Label: "vertex"}},
		{"Cardinality.list(1)", CardinalityValue("list", int32(1))},
		{"single('x')", CardinalityValue("single", "x")},
		{"WithOptions.tokens", "~tinkerpop.valueMap.tokens"}, {"WithOptions.all", int32(15)},
		{"WithOptions.none", int32(0)}, {"WithOptions.keys", int32(4)}, {"WithOptions.values", int32(8)},
		{"WithOptions.list", int32(0)}, {"IO.graphml", "graphml"}, {"IO.writer", "~tinkerpop.io.writer"},
		{"ShortestPath.maxDistance", "~tinkerpop.shortestPath.maxDistance"},
		{"ConnectedComponent.component", "gremlin.connectedComponentVertexProgram.component"},
		{"xx1", value.Binding{Key: "xx1"}},
	}
	for _, c := range cases {
		if c.lit == `'it''s'` {
			continue
		}
		got := injectArg(t, c.lit)
		if d := diff(c.lit, c.want, got); d != "" {
			t.Errorf("%s", d)
		}
	}
	// datetime() and UUID() without arguments yield fresh values
	if _, ok := injectArg(t, "datetime()").(time.Time); !ok {
		t.Error("datetime() is not a time")
	}
	if u, ok := injectArg(t, "UUID()").(uuid.UUID); !ok || u == uuid.Nil {
		t.Error("UUID() is not a random UUID")
	}
}

func TestEnumsBareAndQualified(t *testing.T) {
	n := 0
	for typ, names := range enums {
		for name, canon := range names {
			want := value.Enum{Type: typ, Name: canon}
			if d := diff(typ+"."+name, want, injectArg(t, typ+"."+name)); d != "" {
				t.Error(d)
			}
			n++
			if typ == "GType" {
				continue
			}
			if d := diff(name, want, injectArg(t, name)); d != "" {
				t.Error(d)
			}
		}
	}
	if n < 60 {
		t.Fatalf("only %d enum constants", n)
	}
	// GType is only accepted qualified: a bare INT is a variable
	if d := diff("INT", value.Binding{Key: "INT"}, injectArg(t, "INT")); d != "" {
		t.Error(d)
	}
}

func TestPredicates(t *testing.T) {
	p := func(op string, vals ...any) *value.P { return &value.P{Operator: op, Values: vals} }
	tp := func(op string, vals ...any) *value.P { return &value.P{Operator: op, Values: vals, Text: true} }
	cases := []struct {
		src  string
		want *value.P
	}{
		{"P.eq(1)", p("eq", int32(1))},
		{"gt(1).and(lt(5))", p("and", p("gt", int32(1)), p("lt", int32(5)))},
		{"gt(1).and(lt(5)).or(eq(9))", p("or", p("and", p("gt", int32(1)), p("lt", int32(5))), p("eq", int32(9)))},
		{"P.within('a', 'b')", p("within", "a", "b")},
		{"within(['a', 'b'])", p("within", "a", "b")},
		{"within({'a'})", p("within", "a")},
		{"within()", p("within")},
		{"within(xs)", p("within", value.Binding{Key: "xs"})},
		{"not(eq(1))", p("not", p("eq", int32(1)))},
		{"P.not(P.within(1))", p("not", p("within", int32(1)))},
		{"TextP.regex('^a')", tp("regex", "^a")},
		{"startingWith('a').or(endingWith('b'))", tp("or", tp("startingWith", "a"), tp("endingWith", "b"))},
		{"eq(1).negate()", p("neq", int32(1))},
		{"lt(1).negate()", p("gte", int32(1))},
		{"gt(1).and(lt(5)).negate()", p("or", p("lte", int32(1)), p("gte", int32(5)))},
		{"between(1, 5).negate()", p("or", p("lt", int32(1)), p("gte", int32(5)))},
		{"outside(1, 5).negate()", p("and", p("gte", int32(1)), p("lte", int32(5)))},
		{"not(eq(1)).negate()", p("eq", int32(1))},
		{"containing('a').negate()", tp("notContaining", "a")},
		{"P.typeOf(GType.STRING)", p("typeOf", value.Enum{Type: "GType", Name: "STRING"})},
		{"P.typeOf(GType.STRING).negate()", p("not", p("typeOf", value.Enum{Type: "GType", Name: "STRING"}))},
	}
	for _, c := range cases {
		_, bc, err := ParseTraversal("g.V().is(" + c.src + ")")
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if d := diff(c.src, c.want, bc.Steps[1].Args[0]); d != "" {
			t.Error(d)
		}
	}
	// not() with a traversal is the step, with a predicate P.not
	_, bc, err := ParseTraversal("g.V().where(not(out())).where(not(eq('a')))")
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := bc.Steps[1].Args[0].(*value.Bytecode); !ok || b.Steps[0].Operator != "not" {
		t.Errorf("where(not(out())) arg = %s", FormatValue(bc.Steps[1].Args[0]))
	}
	if q, ok := bc.Steps[2].Args[0].(*value.P); !ok || q.Operator != "not" {
		t.Errorf("where(not(eq('a'))) arg = %s", FormatValue(bc.Steps[2].Args[0]))
	}
}

func TestNestedTraversals(t *testing.T) {
	_, bc, err := ParseTraversal(`g.V().union(out("a").in(), __.both().values("x"), local(count())).where(__.not(__.out()))`)
	if err != nil {
		t.Fatal(err)
	}
	want := `g.V().union(__.out("a").in(), __.both().values("x"), __.local(__.count())).where(__.not(__.out()))`
	if got := Format("g", bc); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSourceConfig(t *testing.T) {
	src, bc, err := ParseTraversal(`gmodern.with("a", 1).withStrategies(ReadOnlyStrategy, new SeedStrategy(seed: 1L)).with("b").withSideEffect("x", [], sum).withoutStrategies(CountStrategy).V()`)
	if err != nil {
		t.Fatal(err)
	}
	if src != "gmodern" {
		t.Errorf("source %q", src)
	}
	opts := value.Strategy{Class: strategies["OptionsStrategy"], Config: mapOf("a", int32(1), "b", true)}
	want := &value.Bytecode{
		Sources: []value.Instruction{
			{Operator: "withStrategies", Args: []any{opts}},
			{Operator: "withStrategies", Args: []any{
				value.Strategy{Class: nsVerification + "ReadOnlyStrategy", Config: value.NewMap()},
				value.Strategy{Class: nsDecoration + "SeedStrategy", Config: mapOf("seed", int64(1))},
			}},
			{Operator: "withSideEffect", Args: []any{"x", []any{}, value.Enum{Type: "Operator", Name: "sum"}}},
			{Operator: "withoutStrategies", Args: []any{value.Class(nsOptimization + "CountStrategy")}},
		},
		Steps: []value.Instruction{{Operator: "V", Args: []any{}}},
	}
	if d := diff("", want, bc); d != "" {
		t.Error(d)
	}
}

func TestScripts(t *testing.T) {
	sc := mustParse(t, `
		// a comment
		def v = g.V(1).next() ; x = g.V(v).out().toList()
		/* block
		   comment */ y = [x, 2]
		y
		graph.traversal().withStrategies(ReadOnlyStrategy)
		g.tx().commit()
		g.V().count().next(3)
		g.V()
		  .out()   // continuation lines start with a dot
		  .count().iterate()
		''
		42
		g.V().toString()
		g`)
	kinds := []string{}
	for _, st := range sc.Statements {
		k := strings.TrimPrefix(strings.TrimPrefix(typeName(st.Expr), "*"), "lang.")
		if st.Var != "" {
			k = st.Var + "=" + k
		}
		kinds = append(kinds, k)
	}
	want := "v=Traversal x=Traversal y=Literal VarRef SourceExpr TxExpr Traversal Traversal EmptyQuery Literal Traversal VarRef"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("statements:\n got %s\nwant %s", got, want)
	}
	if !sc.Statements[0].Def || sc.Statements[1].Def {
		t.Error("def flag")
	}
	if tr := sc.Statements[0].Expr.(*Traversal); tr.Terminal == nil || tr.Terminal.Name != "next" || tr.Terminal.Count != -1 {
		t.Errorf("next(): %+v", tr.Terminal)
	}
	if tr := sc.Statements[6].Expr.(*Traversal); tr.Terminal.Count != 3 {
		t.Errorf("next(3): %+v", tr.Terminal)
	}
	if tr := sc.Statements[7].Expr.(*Traversal); tr.Terminal.Name != "iterate" || len(tr.Bytecode.Steps) != 3 {
		t.Errorf("continued traversal: %s %+v", Format(tr.Source, tr.Bytecode), tr.Terminal)
	}
	if src := sc.Statements[4].Expr.(*SourceExpr); !src.FromGraph || src.Source != "graph" || len(src.Bytecode.Sources) != 1 {
		t.Errorf("graph.traversal(): %+v", src)
	}
	if tx := sc.Statements[5].Expr.(*TxExpr); tx.Action != "commit" || tx.Source != "g" {
		t.Errorf("tx: %+v", tx)
	}
	if !sc.Statements[10].Expr.(*Traversal).ToString {
		t.Error("toString")
	}
	lit := sc.Statements[2].Expr.(*Literal)
	if d := diff("y", []any{value.Binding{Key: "x"}, int32(2)}, lit.Value); d != "" {
		t.Error(d)
	}
	if sc.Statements[1].Line != 3 || sc.Statements[1].Col != 27 {
		t.Errorf("position of x = ...: %d:%d", sc.Statements[1].Line, sc.Statements[1].Col)
	}
}

func typeName(e Expr) string {
	switch e.(type) {
	case *Traversal:
		return "Traversal"
	case *SourceExpr:
		return "SourceExpr"
	case *TxExpr:
		return "TxExpr"
	case *VarRef:
		return "VarRef"
	case *Literal:
		return "Literal"
	case *EmptyQuery:
		return "EmptyQuery"
	}
	return "?"
}

func TestTerminatedTraversalArgument(t *testing.T) {
	_, bc, err := ParseTraversal(`g.V(g.V().has("name", "marko").id().next()).out()`)
	if err != nil {
		t.Fatal(err)
	}
	inner, ok := bc.Steps[0].Args[0].(*Traversal)
	if !ok || inner.Terminal == nil || inner.Terminal.Name != "next" || len(inner.Bytecode.Steps) != 3 {
		t.Fatalf("inner traversal = %#v", bc.Steps[0].Args[0])
	}
	if _, _, err := ParseTraversal(`g.V(g.V().id())`); err == nil {
		t.Error("an unterminated root traversal as an argument was accepted")
	}
}

func TestLambdasRefused(t *testing.T) {
	for _, s := range []string{
		`g.V().map{ it.get() }`,
		`g.V().filter({ it.get().value('age') > 30 })`,
		`g.V().map({ x -> x.get() })`,
		`g.V().map(Lambda.function("it.get()"))`,
		`g.V().sideEffect(Lambda.consumer("x -> 1"))`,
		`g.V().map(x -> x)`,
		`g.V().order().by({ a, b -> a <=> b })`,
		`g.V().filter{it}`,
		`g.V().where({ it })`,
		`g.inject([x -> x])`,
	} {
		_, err := Parse(s)
		if err == nil {
			t.Errorf("%s: accepted", s)
			continue
		}
		var le *LambdaError
		if !errors.Is(err, ErrLambda) || !errors.As(err, &le) || !IsLambda(err) {
			t.Errorf("%s: %v (%T) is not a lambda error", s, err, err)
		}
		if !strings.Contains(err.Error(), "lambdas are not supported") {
			t.Errorf("%s: message %q", s, err)
		}
	}
	// sets are not lambdas
	for _, s := range []string{`g.inject({})`, `g.inject({1, "a"})`, `g.withSideEffect("x", {}).V()`} {
		if _, err := Parse(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}

func TestParseTraversalErrors(t *testing.T) {
	for _, s := range []string{"g", "x", "1", "g.V(); g.E()", "x = g.V()", "g.tx().begin()"} {
		if _, _, err := ParseTraversal(s); err == nil {
			t.Errorf("ParseTraversal(%q) succeeded", s)
		}
	}
}
