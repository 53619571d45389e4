package fn

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// The full-text predicates give, as filters, the answers a search index
// gives, so planned and unplanned runs agree.
func TestTokenTextPredicates(t *testing.T) {
	cases := []struct {
		op, query, text string
		want            bool
	}{
		{"textContains", "graph", "A Graph database, fast", true},
		{"textContains", "graph fast", "A Graph database, fast", true},
		{"textContains", "graph slow", "A Graph database, fast", false},
		{"textContains", "grap", "A Graph database", false},
		{"textContainsPrefix", "Data", "A Graph database", true},
		{"textContainsPrefix", "base", "A Graph database", false},
		{"textContainsRegex", "g.*h", "A Graph database", true},
		{"textContainsRegex", "raph", "A Graph database", false},
	}
	for _, c := range cases {
		got, err := TestP(&value.P{Operator: c.op, Values: []any{c.query}, Text: true}, c.text)
		if err != nil || got != c.want {
			t.Errorf("%s(%q) on %q = %v, %v; want %v", c.op, c.query, c.text, got, err, c.want)
		}
	}
	if _, err := TestP(&value.P{Operator: "textContains", Values: []any{" , "}, Text: true}, "x"); err == nil {
		t.Error("textContains with no word in the query should be an error")
	}
	if got, err := TestP(&value.P{Operator: "textContains", Values: []any{"x"}, Text: true}, 5); err != nil || got {
		t.Errorf("textContains on a number = %v, %v; want false (not comparable)", got, err)
	}
}
