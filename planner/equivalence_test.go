package planner_test

import (
	"sort"
	"strings"
	"testing"
)

// TestEquivalentQueriesAgree: queries that Gremlin defines to select the
// same elements must give the same results, planned and as written, with
// composite and single-key indexes in play (a recurring bug class: the
// planner picking a different index for each spelling and one of them
// dropping or duplicating results).
func TestEquivalentQueriesAgree(t *testing.T) {
	groups := [][]string{
		{
			"g.V().has('name', 'marko').has('age', 29)",
			"g.V().has('age', 29).has('name', 'marko')",
			"g.V().and(has('name', 'marko'), has('age', 29))",
			"g.V().and(has('age', 29), has('name', 'marko'))",
			"g.V().hasLabel('person').has('name', 'marko').has('age', 29)",
			"g.V().has('name', within('marko')).has('age', within(29))",
		},
		{
			"g.V().has('name', 'josh').has('uid', 'u4').values('age')",
			"g.V().has('uid', 'u4').has('name', 'josh').values('age')",
			"g.V().and(has('uid', 'u4'), has('name', 'josh')).values('age')",
		},
		{
			"g.V().hasLabel('person').has('age', gt(30)).values('name')",
			"g.V().has('age', gt(30)).hasLabel('person').values('name')",
			"g.V().has('person', 'age', gt(30)).values('name')",
			"g.V().and(hasLabel('person'), has('age', gt(30))).values('name')",
		},
		{
			"g.V().has('name', 'p3').has('age', 23L)",
			"g.V().has('age', 23L).has('name', 'p3')",
			"g.V().and(has('name', 'p3'), has('age', 23L))",
			"g.V().has('name', 'p3').has('age', 23)",
		},
		{
			"g.V().hasId(1, 4).order().by('age').limit(1).values('name')",
			"g.V().hasId(4, 1).order().by('age').limit(1).values('name')",
			"g.V(1, 4).order().by('age').limit(1).values('name')",
			"g.V().has('name', within('marko', 'josh')).order().by('age').limit(1).values('name')",
		},
	}
	for _, idx := range []bool{true, false} {
		g := modern(t, idx)
		for _, grp := range groups {
			var first string
			for i, l := range grp {
				bc := parseTraversal(t, l)
				p := planOf(t, g, bc)
				for _, b := range []bool{false, true} {
					code := bc
					if b {
						code = p.Bytecode
					}
					res, err := run(t, g, code)
					if err != nil {
						t.Fatalf("indexes=%v %s: %v", idx, l, err)
					}
					sort.Strings(res)
					s := strings.Join(res, " ")
					if i == 0 && !b {
						first = s
						if s == "" {
							t.Fatalf("indexes=%v %s: no results", idx, l)
						}
						continue
					}
					if s != first {
						t.Errorf("indexes=%v planned=%v %s = %s\n but %s = %s\n plan:\n%s", idx, b, l, s, grp[0], first, p)
					}
				}
			}
		}
	}
}
