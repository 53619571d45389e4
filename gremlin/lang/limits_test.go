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
