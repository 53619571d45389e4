package lang

import (
	"errors"
	"testing"
)

// FuzzParse checks that no input panics, that every error is a
// *SyntaxError or *LambdaError, and that every parsed traversal survives
// Format and a second Parse unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`g.V().has("name", P.within("a", "b")).out("knows").values("age").sum()`,
		`g.withStrategies(new PartitionStrategy(partitionKey: "p", readPartitions: ["a"])).V()`,
		`x = g.V(1).next(); g.V(x).both().dedup().count()`,
		`g.inject(1b, 2s, 3i, 4L, 5n, 1.5f, 2.5d, 3.5m, NaN, -Infinity, [a: 1], {1}, 1..3)`,
		`g.V().map{ it.get() }`,
		`g.V().choose(values("age")).option(27, __.constant("x")).option(none, identity())`,
		`g.mergeV([(T.label): "p"]).option(Merge.onCreate, [a: Cardinality.single(1)])`,
		`g.inject(datetime("2023-08-01T00:00:00Z"), UUID("6100808b-62f9-42b7-957e-ed66c30f40d1"))`,
		"g.V()\n.out()\n// c\n.count()",
		`"\u00e9\101\t"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) && !errors.Is(err, ErrLambda) {
				t.Fatalf("%q: unexpected error type %T: %v", s, err, err)
			}
			return
		}
		for _, st := range sc.Statements {
			tr, ok := st.Expr.(*Traversal)
			if !ok {
				continue
			}
			text := Format(tr.Source, tr.Bytecode)
			src2, bc2, err := ParseTraversal(text)
			if err != nil {
				t.Fatalf("%q: formatted %q does not parse: %v", s, text, err)
			}
			if src2 != tr.Source {
				t.Fatalf("%q: source %q vs %q", s, tr.Source, src2)
			}
			if d := diff("", tr.Bytecode, bc2); d != "" {
				t.Fatalf("%q: round trip via %q differs: %s", s, text, d)
			}
		}
	})
}
