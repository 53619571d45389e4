package index

import (
	"strings"
	"unicode"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// TextCandidates maps Gremlin's TextP.containing(s) and startingWith(s)
// to a text-index predicate that selects a superset of the matches, when
// s is token-aligned enough to have one; the TextP must still be applied
// to the candidates (it is case-sensitive and matches substrings, which
// tokens do not).
//
// Tokens are the maximal runs of letters and digits, lower-cased. A run
// of s that is bounded on both sides inside s (by a separator, or, for
// startingWith, by the start of s) is a whole token of every matching
// value; a run s ends with is a prefix of one of its tokens. A run that s
// starts with under containing may be the tail of a longer token and
// gives nothing. The candidate is textContains of the longest whole token,
// else textContainsPrefix of the trailing run; ok is false when neither
// exists (containing("raph"), or s without letters or digits), and the
// predicate is then only filtered.
func TextCandidates(p *value.P) (cand *value.P, ok bool) {
	if p == nil || len(p.Values) != 1 || (p.Operator != "containing" && p.Operator != "startingWith") {
		return nil, false
	}
	s, isStr := p.Values[0].(string)
	if !isStr {
		return nil, false
	}
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	rs := []rune(strings.ToLower(s))
	var whole, trailing string
	for i := 0; i < len(rs); {
		if !word(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && word(rs[j]) {
			j++
		}
		run := string(rs[i:j])
		startBounded := i > 0 || p.Operator == "startingWith"
		endBounded := j < len(rs)
		switch {
		case startBounded && endBounded:
			if len(run) > len(whole) {
				whole = run
			}
		case startBounded && !endBounded:
			trailing = run
		}
		i = j
	}
	switch {
	case whole != "":
		return &value.P{Operator: OpTextContains, Values: []any{whole}}, true
	case trailing != "":
		return &value.P{Operator: OpTextContainsPrefix, Values: []any{trailing}}, true
	}
	return nil, false
}
