package planner_test

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/planner"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal"
)

// When the value statistics say a lookup is large, the planner takes
// their estimate instead of counting entries; small ones are still
// counted exactly.
func TestPlannerUsesStatsEstimate(t *testing.T) {
	for _, tc := range []struct {
		stats      int64
		wantCounts int
		wantEst    int64
	}{
		{stats: 40_000, wantCounts: 0, wantEst: 40_000},
		{stats: 30, wantCounts: 1, wantEst: 25},
	} {
		counted := 0
		info := &planner.Info{
			Indexes: []storage.IndexDef{{Name: "age", Kind: index.Range, Element: storage.VertexElement, Keys: []string{"age"}}},
			Stats:   storage.Stats{Vertices: 100_000, IndexEntries: map[string]int64{"age": 100_000}},
			Estimate: func(q storage.IndexQuery, limit int) (int64, error) {
				counted++
				return 25, nil
			},
			StatsEstimate: func(q storage.IndexQuery) (int64, bool) { return tc.stats, true },
		}
		bc := &value.Bytecode{Steps: []value.Instruction{
			{Operator: "V"},
			{Operator: "has", Args: []any{"age", &value.P{Operator: "gt", Values: []any{int32(30)}}}},
		}}
		p, err := planner.Plan(bc, info)
		if err != nil {
			t.Fatal(err)
		}
		var got *planner.IndexLookup
		for _, n := range p.Nodes {
			if l, ok := n.(planner.IndexLookup); ok {
				got = &l
			}
		}
		if got == nil {
			t.Fatalf("stats %d: no index lookup in\n%s", tc.stats, p)
		}
		if counted != tc.wantCounts || got.Estimate != tc.wantEst {
			t.Fatalf("stats %d: counted %d times, estimate %d; want %d, %d", tc.stats, counted, got.Estimate, tc.wantCounts, tc.wantEst)
		}
	}
}

// TextP.containing / startingWith on a text-indexed key: the index reads
// the candidates by a whole token (or token prefix) and has() still
// filters them.
func TestPlannerTextPCandidates(t *testing.T) {
	info := &planner.Info{
		Indexes: []storage.IndexDef{{Name: "byDesc", Kind: index.Text, Element: storage.VertexElement, Keys: []string{"desc"}}},
		Stats:   storage.Stats{Vertices: 10_000, IndexEntries: map[string]int64{"byDesc": 30_000}},
		Estimate: func(q storage.IndexQuery, limit int) (int64, error) {
			return 3, nil
		},
	}
	for _, tc := range []struct{ op, s, want string }{
		{"containing", "a graph db", "textContains"},
		{"startingWith", "graph", "textContainsPrefix"},
		{"containing", "raph", ""},
	} {
		has := value.Instruction{Operator: "has", Args: []any{"desc", &value.P{Operator: tc.op, Values: []any{tc.s}}}}
		p, err := planner.Plan(&value.Bytecode{Steps: []value.Instruction{{Operator: "V"}, has}}, info)
		if err != nil {
			t.Fatal(err)
		}
		steps := p.Bytecode.Steps
		if tc.want == "" {
			if steps[0].Operator != "V" {
				t.Fatalf("%s(%q): planned %v, want a scan", tc.op, tc.s, steps)
			}
			continue
		}
		if steps[0].Operator != traversal.OpIndexV || steps[0].Args[1].(*value.P).Operator != tc.want {
			t.Fatalf("%s(%q): planned %v, want an index lookup by %s", tc.op, tc.s, steps, tc.want)
		}
		if len(steps) < 2 || steps[1].Operator != "has" {
			t.Fatalf("%s(%q): the has() filter was dropped: %v", tc.op, tc.s, steps)
		}
	}
}
