package index

import (
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestTextCandidates(t *testing.T) {
	values := []string{"graph computing pioneer", "Paragraphs here", "GRAPH db", "likes graph databases",
		"graphs", "pioneer-ing", "x graph", "", "computing", "Über graph"}
	for _, tc := range []struct {
		op, s string
		want  string // "" = no candidate
	}{
		{"containing", "graph", ""}, // may be inside "paragraphs"
		{"containing", " graph ", "textContains(graph)"},
		{"containing", "graph computing", "textContainsPrefix(computing)"},
		{"containing", "a graph comp", "textContains(graph)"},
		{"containing", "h db", "textContainsPrefix(db)"},
		{"startingWith", "graph", "textContainsPrefix(graph)"},
		{"startingWith", "Graph c", "textContains(graph)"},
		{"startingWith", "über", "textContainsPrefix(über)"},
		{"startingWith", "--", ""},
		{"endingWith", "graph", ""},
	} {
		p := &value.P{Operator: tc.op, Values: []any{tc.s}}
		c, ok := TextCandidates(p)
		got := ""
		if ok {
			got = c.Operator + "(" + c.Values[0].(string) + ")"
		}
		if got != tc.want {
			t.Errorf("%s(%q): candidate %q, want %q", tc.op, tc.s, got, tc.want)
			continue
		}
		if !ok {
			continue
		}
		// Superset: every value the TextP matches has the candidate token.
		for _, v := range values {
			match := strings.Contains(v, tc.s)
			if tc.op == "startingWith" {
				match = strings.HasPrefix(v, tc.s)
			}
			if !match {
				continue
			}
			w := c.Values[0].(string)
			has := false
			for _, tok := range Tokenize(v) {
				if tok == w || (c.Operator == OpTextContainsPrefix && strings.HasPrefix(tok, w)) {
					has = true
				}
			}
			if !has {
				t.Errorf("%s(%q) matches %q, but the candidate %s misses it", tc.op, tc.s, v, got)
			}
		}
	}
}
