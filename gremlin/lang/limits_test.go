package lang

import (
	"strings"
	"testing"
)

func TestDeepNestingRefused(t *testing.T) {
	for _, s := range []string{
		"g.inject(" + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + ")",
		"g.V()" + strings.Repeat(".where(__.not(__.identity()", 5000) + strings.Repeat("))", 5000),
		"g.V().is(" + strings.Repeat("not(", 5000) + "eq(1)" + strings.Repeat(")", 5000) + ")",
	} {
		_, err := Parse(s)
		if err == nil || !strings.Contains(err.Error(), "nesting deeper than") {
			t.Errorf("deep nesting: %v", err)
		}
	}
	// moderate nesting and long chains are fine
	if _, err := Parse("g.inject(" + strings.Repeat("[", 50) + strings.Repeat("]", 50) + ")"); err != nil {
		t.Error(err)
	}
	if _, err := Parse("g.V()" + strings.Repeat(".out()", 20000)); err != nil {
		t.Error(err)
	}
}

// A predicate's and()/or() chain nests it one level per link, and a
// BigDecimal literal's exponent sets how many digits it spells out: both
// are bounded.
func TestPredicateChainAndDecimalScaleBounded(t *testing.T) {
	chain := func(n int) string {
		return `g.V().has("age", P.gt(1)` + strings.Repeat(`.or(P.lt(100))`, n) + `)`
	}
	if _, err := Parse(chain(maxPredicateChain)); err != nil {
		t.Errorf("%d links: %v", maxPredicateChain, err)
	}
	if _, err := Parse(chain(maxPredicateChain + 1)); err == nil || !strings.Contains(err.Error(), "and()/or() links") {
		t.Errorf("%d links: err = %v, want a refusal naming the links", maxPredicateChain+1, err)
	}
	for _, s := range []string{`g.inject(1e10000m)`, `g.inject(1e-10000m)`, `g.inject(1.5e-9999m)`} {
		if _, err := Parse(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{`g.inject(1e10001m)`, `g.inject(1e-99999999m)`, `g.inject(1.5e-9999999m)`} {
		if _, err := Parse(s); err == nil || !strings.Contains(err.Error(), "scale within ±10000") {
			t.Errorf("%s: err = %v, want a refusal naming the scale bound", s, err)
		}
	}
}
