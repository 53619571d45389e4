package lang

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestTextContainsPredicates(t *testing.T) {
	for script, op := range map[string]string{
		"g.V().has('desc', textContains('graph'))":           "textContains",
		"g.V().has('desc', textContainsPrefix('gra'))":       "textContainsPrefix",
		"g.V().has('desc', textContainsRegex('gr.*'))":       "textContainsRegex",
		"g.V().has('desc', Text.textContains('graph'))":      "textContains",
		"g.V().has('desc', Text.textContainsPrefix('gra'))":  "textContainsPrefix",
		"g.V().has('desc', TextP.textContainsRegex('g.*h'))": "textContainsRegex",
		"g.V().has('desc', TextP.containing('graph'))":       "containing",
		"g.V().has('desc', containing('graph'))":             "containing",
	} {
		s, err := Parse(script)
		if err != nil {
			t.Errorf("%s: %v", script, err)
			continue
		}
		tr := s.Statements[0].Expr.(*Traversal)
		p, ok := tr.Bytecode.Steps[1].Args[1].(*value.P)
		if !ok || p.Operator != op || !p.Text || len(p.Values) != 1 {
			t.Errorf("%s: predicate %#v, want %s", script, tr.Bytecode.Steps[1].Args[1], op)
		}
	}
	for _, bad := range []string{"g.V().has('d', textContains(1))", "g.V().has('d', textContains('a','b'))",
		"g.V().has('d', Text.textContainsFoo('a'))"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%s parsed", bad)
		}
	}
}
