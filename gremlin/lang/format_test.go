package lang

import (
	"testing"
)

// TestFormatRoundTrip formats every parsed feature traversal back to
// gremlin-lang and parses it again: the bytecode must be identical.
func TestFormatRoundTrip(t *testing.T) {
	n := 0
	for _, c := range loadFeatureCases(t) {
		src, bc, err := ParseTraversal(c.text)
		if err != nil {
			continue // reported by TestFeatureFiles
		}
		text := Format(src, bc)
		src2, bc2, err := ParseTraversal(text)
		if err != nil {
			t.Errorf("%s:%d: reparse of %s: %v", c.file, c.line, text, err)
			continue
		}
		if src != src2 {
			t.Errorf("%s:%d: source %q vs %q", c.file, c.line, src, src2)
		}
		if d := diff("", bc, bc2); d != "" {
			t.Errorf("%s:%d: round trip differs: %s\n%s\n%s", c.file, c.line, d, c.text, text)
		}
		n++
	}
	t.Logf("%d traversals round-tripped through Format", n)
}
