package index

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Kind is the kind of an index.
type Kind uint8

const (
	// Exact indexes answer equality on one key or a composite of keys.
	Exact Kind = iota + 1
	// Range indexes answer eq, lt, lte, gt, gte, between, inside,
	// outside and within on one key.
	Range
	// Unique indexes answer equality and reject a second element with the
	// same values.
	Unique
	// Text indexes tokenize string values and answer textContains,
	// textContainsPrefix and textContainsRegex over tokens.
	Text
)

func (k Kind) String() string {
	switch k {
	case Exact:
		return "exact"
	case Range:
		return "range"
	case Unique:
		return "unique"
	case Text:
		return "text"
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Operators a Text index answers (JanusGraph's names).
const (
	OpTextContains       = "textContains"
	OpTextContainsPrefix = "textContainsPrefix"
	OpTextContainsRegex  = "textContainsRegex"
)

// OpExists selects every element with an entry in a one-key exact, unique
// or range index: the elements that have the key (has(key)). It takes no
// values.
const OpExists = "exists"

// Tokenize splits text into lower-case tokens at every character that is
// not a letter or digit. Duplicates are kept once, in first-seen order.
func Tokenize(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	seen := make(map[string]bool, len(fields))
	out := fields[:0]
	for _, f := range fields {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// AppendToken appends the key encoding of a text token.
func AppendToken(dst []byte, tok string) []byte { return AppendEscaped(dst, []byte(tok)) }

// Span is a half-open key range [Start, End).
type Span struct {
	Start, End []byte
}

// Supports reports whether an index of kind k answers operator op.
func Supports(k Kind, op string) bool {
	switch k {
	case Exact, Unique:
		return op == "eq" || op == "within" || op == OpExists
	case Range:
		switch op {
		case "eq", "lt", "lte", "gt", "gte", "between", "inside", "outside", "within", OpExists:
			return true
		}
	case Text:
		return op == OpTextContains || op == OpTextContainsPrefix || op == OpTextContainsRegex
	}
	return false
}

// RangeSpans returns the spans of a Range index (entries are
// prefix + value + id) that hold the values matching p. The spans do not
// overlap. Operators are TinkerPop's P names.
func RangeSpans(prefix []byte, p *value.P) ([]Span, error) {
	enc := func(i int) ([]byte, error) {
		if i >= len(p.Values) {
			return nil, fmt.Errorf("index: predicate %s needs %d values, got %d", p.Operator, i+1, len(p.Values))
		}
		return AppendValue(append([]byte(nil), prefix...), p.Values[i])
	}
	cat := func(b []byte) []byte { return append(append([]byte(nil), prefix...), b...) }
	classOf := func(e []byte) (s, en []byte) {
		cs, ce := ClassRange(e[len(prefix):])
		return cat(cs), cat(ce)
	}
	switch p.Operator {
	case "eq":
		a, err := enc(0)
		if err != nil {
			return nil, err
		}
		return []Span{{a, kv.PrefixEnd(a)}}, nil
	case "within":
		var out []Span
		seen := map[string]bool{}
		for i := range p.Values {
			a, err := enc(i)
			if err != nil {
				return nil, err
			}
			if !seen[string(a)] {
				seen[string(a)] = true
				out = append(out, Span{a, kv.PrefixEnd(a)})
			}
		}
		return out, nil
	case "lt", "lte", "gt", "gte":
		a, err := enc(0)
		if err != nil {
			return nil, err
		}
		cs, ce := classOf(a)
		switch p.Operator {
		case "lt":
			return nonEmpty(Span{cs, a}), nil
		case "lte":
			return nonEmpty(Span{cs, kv.PrefixEnd(a)}), nil
		case "gt":
			return nonEmpty(Span{kv.PrefixEnd(a), ce}), nil
		default:
			return nonEmpty(Span{a, ce}), nil
		}
	case "between", "inside", "outside":
		a, err := enc(0)
		if err != nil {
			return nil, err
		}
		b, err := enc(1)
		if err != nil {
			return nil, err
		}
		if !Comparable(a[len(prefix):], b[len(prefix):]) {
			if p.Operator == "outside" {
				return nil, fmt.Errorf("index: outside needs two comparable bounds, got %T and %T", p.Values[0], p.Values[1])
			}
			return nil, nil
		}
		cs, ce := classOf(a)
		switch p.Operator {
		case "between": // [a, b)
			return nonEmpty(Span{a, b}), nil
		case "inside": // (a, b)
			return nonEmpty(Span{kv.PrefixEnd(a), b}), nil
		default: // < a or > b
			return nonEmpty(Span{cs, a}, Span{kv.PrefixEnd(b), ce}), nil
		}
	}
	return nil, fmt.Errorf("index: a range index cannot answer the predicate %q (want eq, lt, lte, gt, gte, between, inside, outside or within)", p.Operator)
}

func nonEmpty(spans ...Span) []Span {
	var out []Span
	for _, s := range spans {
		if string(s.Start) < string(s.End) {
			out = append(out, s)
		}
	}
	return out
}

// TextSpans returns the spans of a Text index (entries are prefix + token
// + id) for one token operator, and for regex the compiled pattern that
// each token found in the span must match.
func TextSpans(prefix []byte, p *value.P) (spans []Span, match *regexp.Regexp, err error) {
	if len(p.Values) != 1 {
		return nil, nil, fmt.Errorf("index: %s needs one string, got %d values", p.Operator, len(p.Values))
	}
	s, ok := p.Values[0].(string)
	if !ok {
		return nil, nil, fmt.Errorf("index: %s needs a string, got %T", p.Operator, p.Values[0])
	}
	switch p.Operator {
	case OpTextContains:
		toks := Tokenize(s)
		if len(toks) == 0 {
			return nil, nil, fmt.Errorf("index: textContains(%q) has no word to look up", s)
		}
		for _, t := range toks {
			k := AppendToken(append([]byte(nil), prefix...), t)
			spans = append(spans, Span{k, kv.PrefixEnd(k)})
		}
		return spans, nil, nil
	case OpTextContainsPrefix:
		k := append(append([]byte(nil), prefix...), strings.ToLower(s)...)
		return []Span{{k, kv.PrefixEnd(k)}}, nil, nil
	case OpTextContainsRegex:
		re, err := regexp.Compile("^(?:" + s + ")$")
		if err != nil {
			return nil, nil, fmt.Errorf("index: textContainsRegex: bad pattern %q: %w", s, err)
		}
		lit, _ := re.LiteralPrefix()
		k := append(append([]byte(nil), prefix...), lit...)
		return []Span{{k, kv.PrefixEnd(k)}}, re, nil
	}
	return nil, nil, fmt.Errorf("index: a text index cannot answer %q (want %s, %s or %s)", p.Operator, OpTextContains, OpTextContainsPrefix, OpTextContainsRegex)
}
