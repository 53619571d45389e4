package fn

import (
	"github.com/kvtgraph/kvtgraph/index"

	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// tri is a ternary boolean: FALSE, TRUE or ERROR (Gremlin semantics).
type tri int8

const (
	triFalse tri = iota
	triTrue
	triError
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

func triAnd(a, b tri) tri {
	switch {
	case a == triFalse || b == triFalse:
		return triFalse
	case a == triError || b == triError:
		return triError
	}
	return triTrue
}

func triOr(a, b tri) tri {
	switch {
	case a == triTrue || b == triTrue:
		return triTrue
	case a == triError || b == triError:
		return triError
	}
	return triFalse
}

func triNot(a tri) tri {
	switch a {
	case triTrue:
		return triFalse
	case triFalse:
		return triTrue
	}
	return triError
}

func testP(p *value.P, v any) (bool, error) {
	r, err := evalP(p, v)
	return r == triTrue, err
}

// cmpTri evaluates a comparability test; not comparable is ERROR.
func cmpTri(v, arg any, accept func(int) bool) tri {
	c, ok := compare(v, arg)
	if !ok {
		return triError
	}
	return triOf(accept(c))
}

func lt(c int) bool  { return c < 0 }
func lte(c int) bool { return c <= 0 }
func gt(c int) bool  { return c > 0 }
func gte(c int) bool { return c >= 0 }

func evalP(p *value.P, v any) (tri, error) {
	if p == nil {
		return triFalse, fmt.Errorf("predicate: nil P")
	}
	op := p.Operator
	vals := p.Values
	arg := func(i int) (any, error) {
		if i >= len(vals) {
			return nil, fmt.Errorf("predicate %s: expected %d argument(s), got %d", op, i+1, len(vals))
		}
		return vals[i], nil
	}
	// A connective built from a TextP (TextP.containing("o").and(...))
	// arrives marked as a TextP; its operands decide, not the marker.
	if p.Text && op != "and" && op != "or" && op != "not" {
		return evalText(p, v)
	}
	switch op {
	case "eq", "neq", "lt", "lte", "gt", "gte":
		a, err := arg(0)
		if err != nil {
			return triFalse, err
		}
		switch op {
		case "eq":
			return triOf(equal(v, a)), nil
		case "neq":
			return triOf(!equal(v, a)), nil
		case "lt":
			return cmpTri(v, a, lt), nil
		case "lte":
			return cmpTri(v, a, lte), nil
		case "gt":
			return cmpTri(v, a, gt), nil
		}
		return cmpTri(v, a, gte), nil
	case "inside", "outside", "between":
		lo, err := arg(0)
		if err != nil {
			return triFalse, err
		}
		hi, err := arg(1)
		if err != nil {
			return triFalse, err
		}
		switch op {
		case "inside":
			return triAnd(cmpTri(v, lo, gt), cmpTri(v, hi, lt)), nil
		case "outside":
			return triOr(cmpTri(v, lo, lt), cmpTri(v, hi, gt)), nil
		}
		return triAnd(cmpTri(v, lo, gte), cmpTri(v, hi, lt)), nil
	case "within", "without":
		members := vals
		if len(members) == 1 {
			if items, ok := collectionItems(members[0]); ok {
				members = items
			}
		}
		found := false
		for _, m := range members {
			if equal(v, m) {
				found = true
				break
			}
		}
		if op == "within" {
			return triOf(found), nil
		}
		return triOf(!found), nil
	case "not":
		a, err := arg(0)
		if err != nil {
			return triFalse, err
		}
		inner, ok := a.(*value.P)
		if !ok {
			return triFalse, fmt.Errorf("predicate not: expected a P argument, got %s", describe(a))
		}
		r, err := evalP(inner, v)
		return triNot(r), err
	case "and", "or":
		if len(vals) == 0 {
			return triFalse, fmt.Errorf("predicate %s: expected P arguments, got none", op)
		}
		var acc tri
		for i, a := range vals {
			inner, ok := a.(*value.P)
			if !ok {
				return triFalse, fmt.Errorf("predicate %s: argument %d must be a P, got %s", op, i, describe(a))
			}
			r, err := evalP(inner, v)
			if err != nil {
				return triFalse, err
			}
			if i == 0 {
				acc = r
			} else if op == "and" {
				acc = triAnd(acc, r)
			} else {
				acc = triOr(acc, r)
			}
		}
		return acc, nil
	case "typeOf":
		a, err := arg(0)
		if err != nil {
			return triFalse, err
		}
		ok, err := matchesGType(v, a)
		return triOf(ok), err
	case "containing", "notContaining", "startingWith", "notStartingWith",
		"endingWith", "notEndingWith", "regex", "notRegex",
		index.OpTextContains, index.OpTextContainsPrefix, index.OpTextContainsRegex:
		return evalText(p, v)
	}
	return triFalse, fmt.Errorf("unknown predicate %q: expected eq, neq, lt, lte, gt, gte, inside, outside, between, within, without, not, and, or, typeOf or a TextP", op)
}

// collectionItems returns the members of a list, set or path argument.
func collectionItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case *value.Set:
		return x.Items(), true
	}
	return nil, false
}

var (
	regexMu    sync.Mutex
	regexCache = map[string]*regexp.Regexp{}
)

func compileRegex(pat string) (*regexp.Regexp, error) {
	regexMu.Lock()
	defer regexMu.Unlock()
	if re, ok := regexCache[pat]; ok {
		return re, nil
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, fmt.Errorf("predicate regex: invalid pattern %q: %v", pat, err)
	}
	if len(regexCache) > 256 {
		clear(regexCache)
	}
	regexCache[pat] = re
	return re, nil
}

func evalText(p *value.P, v any) (tri, error) {
	op := p.Operator
	if len(p.Values) < 1 {
		return triFalse, fmt.Errorf("predicate %s: expected a string argument", op)
	}
	a := p.Values[0]
	if a == nil {
		return triError, nil
	}
	pat, ok := a.(string)
	if !ok {
		return triFalse, fmt.Errorf("predicate %s: expected a string argument, got %s", op, describe(a))
	}
	s, ok := v.(string)
	if !ok {
		// TextP against a non-string: type error (ERROR, filtered).
		if op == "regex" || op == "notRegex" {
			if _, err := compileRegex(pat); err != nil {
				return triFalse, err
			}
		}
		return triError, nil
	}
	switch op {
	case "containing":
		return triOf(strings.Contains(s, pat)), nil
	case "notContaining":
		return triOf(!strings.Contains(s, pat)), nil
	case "startingWith":
		return triOf(strings.HasPrefix(s, pat)), nil
	case "notStartingWith":
		return triOf(!strings.HasPrefix(s, pat)), nil
	case "endingWith":
		return triOf(strings.HasSuffix(s, pat)), nil
	case "notEndingWith":
		return triOf(!strings.HasSuffix(s, pat)), nil
	case "regex", "notRegex":
		re, err := compileRegex(pat)
		if err != nil {
			return triFalse, err
		}
		m := re.MatchString(s)
		if op == "notRegex" {
			m = !m
		}
		return triOf(m), nil
	case index.OpTextContains, index.OpTextContainsPrefix, index.OpTextContainsRegex:
		return evalTokenText(op, pat, s)
	}
	return triFalse, fmt.Errorf("unknown text predicate %q: expected containing, notContaining, startingWith, notStartingWith, endingWith, notEndingWith, regex or notRegex", op)
}

// gtypeAliases maps lower-cased GType constants and Java simple class
// names to a canonical GType name.
var gtypeAliases = map[string]string{
	"bigdecimal": "BIGDECIMAL", "bigint": "BIGINT", "biginteger": "BIGINT",
	"binary": "BINARY", "bytebuffer": "BINARY", "boolean": "BOOLEAN",
	"byte": "BYTE", "char": "CHAR", "character": "CHAR",
	"datetime": "DATETIME", "date": "DATETIME", "offsetdatetime": "DATETIME",
	"double": "DOUBLE", "duration": "DURATION", "edge": "EDGE",
	"float": "FLOAT", "graph": "GRAPH", "int": "INT", "integer": "INT",
	"list": "LIST", "long": "LONG", "map": "MAP", "null": "NULL",
	"number": "NUMBER", "path": "PATH", "property": "PROPERTY",
	"set": "SET", "short": "SHORT", "string": "STRING", "tree": "TREE",
	"uuid": "UUID", "vertex": "VERTEX", "vproperty": "VPROPERTY",
	"vertexproperty": "VPROPERTY",
}

// canonicalGType resolves a GType enum value or a type name.
func canonicalGType(t any) (string, error) {
	var name string
	switch x := t.(type) {
	case value.Enum:
		name = x.Name
	case string:
		name = x
	default:
		return "", fmt.Errorf("typeOf: expected a GType or type name, got %s", describe(t))
	}
	name = strings.TrimPrefix(name, "GType.")
	g, ok := gtypeAliases[strings.ToLower(name)]
	if !ok {
		return "", fmt.Errorf("typeOf: unknown type %q", name)
	}
	return g, nil
}

// MatchesGType reports whether v is of the GType t (a value.Enum of type
// GType, or a type name such as "String" or "INT"): the P.typeOf test.
// NUMBER matches every number; NULL matches only nil. Unknown names are
// an error.
func MatchesGType(v any, t any) (bool, error) { return matchesGType(v, t) }

func matchesGType(v any, t any) (bool, error) {
	g, err := canonicalGType(t)
	if err != nil {
		return false, err
	}
	switch g {
	case "NULL":
		return v == nil, nil
	case "NUMBER":
		return isNumber(v), nil
	case "BYTE", "SHORT", "INT", "LONG", "BIGINT", "FLOAT", "DOUBLE", "BIGDECIMAL":
		c, ok := classOf(v)
		if !ok {
			return false, nil
		}
		return [...]string{"BYTE", "SHORT", "INT", "LONG", "BIGINT", "FLOAT", "DOUBLE", "BIGDECIMAL"}[c] == g, nil
	}
	switch v.(type) {
	case bool:
		return g == "BOOLEAN", nil
	case string:
		return g == "STRING", nil
	case value.Char:
		return g == "CHAR", nil
	case []byte:
		return g == "BINARY", nil
	case time.Time:
		return g == "DATETIME", nil
	case time.Duration:
		return g == "DURATION", nil
	case uuid.UUID:
		return g == "UUID", nil
	case []any:
		return g == "LIST", nil
	case *value.Set, *value.BulkSet:
		return g == "SET", nil // a BulkSet (aggregate's result) is a Set
	case *value.Map:
		return g == "MAP", nil
	case *value.Path:
		return g == "PATH", nil
	case *value.Vertex:
		return g == "VERTEX", nil
	case *value.Edge:
		return g == "EDGE", nil
	case *value.VertexProperty:
		return g == "VPROPERTY" || g == "PROPERTY", nil
	case *value.Property:
		return g == "PROPERTY", nil
	case *value.Tree:
		return g == "TREE", nil
	case *big.Int:
		return g == "BIGINT", nil
	}
	return false, nil
}

// evalTokenText evaluates the full-text predicates over the words of s,
// exactly as a search index answers them (index.Tokenize splits and
// lower-cases), so a query gives the same result with or without an
// index: textContains needs every word of the query among s's words,
// textContainsPrefix a word of s starting with the lower-cased query, and
// textContainsRegex a word of s that the pattern matches whole.
func evalTokenText(op, pat, s string) (tri, error) {
	words := index.Tokenize(s)
	switch op {
	case index.OpTextContains:
		want := index.Tokenize(pat)
		if len(want) == 0 {
			return triFalse, fmt.Errorf("predicate %s(%q): the query has no word to look for", op, pat)
		}
		have := make(map[string]bool, len(words))
		for _, w := range words {
			have[w] = true
		}
		for _, w := range want {
			if !have[w] {
				return triFalse, nil
			}
		}
		return triTrue, nil
	case index.OpTextContainsPrefix:
		prefix := strings.ToLower(pat)
		for _, w := range words {
			if strings.HasPrefix(w, prefix) {
				return triTrue, nil
			}
		}
		return triFalse, nil
	default: // textContainsRegex
		re, err := compileRegex("^(?:" + pat + ")$")
		if err != nil {
			return triFalse, err
		}
		for _, w := range words {
			if re.MatchString(w) {
				return triTrue, nil
			}
		}
		return triFalse, nil
	}
}
