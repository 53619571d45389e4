package fn

import (
	"math"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func p(op string, vals ...any) *value.P { return &value.P{Operator: op, Values: vals} }
func tp(op string, vals ...any) *value.P {
	return &value.P{Operator: op, Values: vals, Text: true}
}

// Cases from semantics/Comparability.feature (is(P...) passes or not).
func TestPComparabilityFeature(t *testing.T) {
	tests := []struct {
		v    any
		p    *value.P
		want bool
	}{
		{nil, p("eq", nil), true},
		{nil, p("neq", nil), false},
		{nil, p("lt", nil), false},
		{nil, p("lte", nil), true},
		{nil, p("gt", nil), false},
		{nil, p("gte", nil), true},
		{nan, p("eq", nan), false},
		{nan, p("neq", nan), true},
		{nan, p("lt", nan), false},
		{nan, p("lte", nan), false},
		{nan, p("gt", nan), false},
		{nan, p("gte", nan), false},
		{1.0, p("eq", nan), false},
		{1.0, p("neq", nan), true},
		{1.0, p("lt", nan), false},
		{1.0, p("gte", nan), false},
		{nan, p("eq", nil), false},
		{nan, p("neq", nil), true},
		{nan, p("lt", nil), false},
		{nan, p("gte", nil), false},
		{"foo", p("eq", 1.0), false},
		{"foo", p("neq", 1.0), true},
		{"foo", p("lt", 1.0), false},
		{"foo", p("gte", 1.0), false},
		{1.0, p("neq", "foo"), true},
		{1.0, p("gt", "foo"), false},
		// connectives
		{1.0, p("and", p("eq", int32(1)), p("gt", int32(0))), true},
		{1.0, p("and", p("eq", int32(1)), p("lt", int32(0))), false},
		{1.0, p("and", p("eq", int32(1)), p("lt", nan)), false},
		{1.0, p("or", p("eq", int32(1)), p("lt", nan)), true},
		{1.0, p("or", p("neq", int32(1)), p("gt", int32(0))), true},
		{1.0, p("or", p("neq", int32(1)), p("lt", int32(0))), false},
		{1.0, p("or", p("neq", int32(1)), p("lt", nan)), false},
		{1.0, p("or", p("lt", nan), p("gt", int32(0))), true},
		{1.0, p("or", p("lt", nan), p("gt", int32(2))), false},
		{1.0, p("or", p("lt", nan), p("gt", nan)), false},
		// infinities
		{math.Inf(1), p("eq", math.Inf(1)), true},
		{math.Inf(1), p("neq", math.Inf(1)), false},
		{math.Inf(-1), p("eq", math.Inf(-1)), true},
		{math.Inf(1), p("gt", math.Inf(-1)), true},
		{math.Inf(1), p("lt", math.Inf(-1)), false},
		{math.Inf(-1), p("lt", math.Inf(1)), true},
	}
	for i, tc := range tests {
		got, err := TestP(tc.p, tc.v)
		mustNoErr(t, err)
		if got != tc.want {
			t.Errorf("%d: %s is %s = %v, want %v", i, describe(tc.v), javaString(tc.p), got, tc.want)
		}
	}
}

// P.not keeps ERROR: not(lt(NaN)) is still false; not of FALSE is true.
func TestPNotTernary(t *testing.T) {
	tests := []struct {
		v    any
		p    *value.P
		want bool
	}{
		{1.0, p("not", p("lt", nan)), false},
		{1.0, p("not", p("gt", int32(0))), false},
		{1.0, p("not", p("lt", int32(0))), true},
		{"a", p("not", p("lt", int32(1))), false},
		{1.0, p("not", p("eq", nan)), true}, // equality is binary
		{1.0, p("not", p("and", p("lt", nan), p("gt", int32(5)))), true},
		{1.0, p("not", p("or", p("lt", nan), p("gt", int32(5)))), false},
		{int32(3), p("not", p("within", int32(1), int32(2))), true},
		{"x", p("not", tp("containing", "a")), true},
		{int32(3), p("not", tp("containing", "a")), false}, // ERROR stays ERROR
	}
	for i, tc := range tests {
		got, err := TestP(tc.p, tc.v)
		mustNoErr(t, err)
		if got != tc.want {
			t.Errorf("%d: %s is %s = %v, want %v", i, describe(tc.v), javaString(tc.p), got, tc.want)
		}
	}
}

func TestPRangesAndMembership(t *testing.T) {
	tests := []struct {
		v    any
		p    *value.P
		want bool
	}{
		{int32(29), p("inside", int32(27), int32(32)), true},
		{int32(27), p("inside", int32(27), int32(32)), false},
		{int32(27), p("between", int32(27), int32(32)), true},
		{int32(32), p("between", int32(27), int32(32)), false},
		{int64(32), p("between", 27.0, 32.5), true},
		{int32(35), p("outside", int32(27), int32(32)), true},
		{int32(29), p("outside", int32(27), int32(32)), false},
		{"m", p("between", "a", "n"), true},
		{"m", p("between", int32(1), int32(5)), false},
		{int32(29), p("within", int64(29), int32(35)), true},
		{int32(29), p("within", l(int64(29), int32(35))), true},
		{int32(29), p("within", set(29.0)), true},
		{int32(30), p("within", int64(29), int32(35)), false},
		{int32(30), p("within"), false},
		{int32(30), p("without"), true},
		{nil, p("within", nil, "a"), true},
		{int32(30), p("without", int64(29), int32(35)), true},
		{int32(29), p("without", 29.0), false},
		{nan, p("within", nan), false},
		{l(int32(1)), p("eq", l(1.0)), true},
		{l(int32(1)), p("lt", l(int32(2))), true},
		{v(int64(1)), p("eq", v(int64(1))), true},
	}
	for i, tc := range tests {
		got, err := TestP(tc.p, tc.v)
		mustNoErr(t, err)
		if got != tc.want {
			t.Errorf("%d: %s is %s = %v, want %v", i, describe(tc.v), javaString(tc.p), got, tc.want)
		}
	}
}

func TestTextP(t *testing.T) {
	tests := []struct {
		v    any
		p    *value.P
		want bool
	}{
		{"marko", tp("containing", "ark"), true},
		{"marko", tp("containing", "x"), false},
		{"marko", tp("notContaining", "x"), true},
		{"marko", tp("startingWith", "mar"), true},
		{"marko", tp("notStartingWith", "mar"), false},
		{"marko", tp("endingWith", "ko"), true},
		{"marko", tp("notEndingWith", "ko"), false},
		{"marko", tp("regex", "^m.*o$"), true},
		{"marko", tp("regex", "ark"), true}, // find(), not matches()
		{"marko", tp("notRegex", "^j"), true},
		{int32(29), tp("containing", "2"), false},
		{int32(29), tp("notContaining", "2"), false},
		{nil, tp("notStartingWith", "a"), false},
		{"abc", tp("notContaining", nil), false},
		// TextP operators also recognised without the Text flag
		{"marko", p("containing", "ark"), true},
	}
	for i, tc := range tests {
		got, err := TestP(tc.p, tc.v)
		mustNoErr(t, err)
		if got != tc.want {
			t.Errorf("%d: %s is %s = %v, want %v", i, describe(tc.v), javaString(tc.p), got, tc.want)
		}
	}
}

func TestPErrors(t *testing.T) {
	tests := []struct {
		p   *value.P
		err string
	}{
		{tp("regex", "("), "invalid pattern"},
		{p("lt"), "predicate lt: expected 1 argument"},
		{p("between", int32(1)), "predicate between: expected 2 argument"},
		{p("bogus", int32(1)), "unknown predicate \"bogus\""},
		{p("not", int32(1)), "expected a P argument"},
		{p("and", p("eq", int32(1)), "x"), "argument 1 must be a P"},
		{p("typeOf", "non-registered-Name"), "unknown type"},
		{tp("containing", int32(1)), "expected a string argument"},
		{nil, "nil P"},
	}
	for _, tc := range tests {
		_, err := TestP(tc.p, "x")
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: err = %v, want %q", javaString(tc.p), err, tc.err)
		}
	}
}

func TestTypeOf(t *testing.T) {
	g := func(n string) value.Enum { return value.Enum{Type: "GType", Name: n} }
	tests := []struct {
		v    any
		t    any
		want bool
	}{
		{"marko", g("STRING"), true},
		{"marko", "String", true},
		{int32(29), g("INT"), true},
		{int32(29), g("LONG"), false},
		{int32(29), g("NUMBER"), true},
		{int32(29), g("STRING"), false},
		{int32(29), g("NULL"), false},
		{nil, g("NULL"), true},
		{true, g("BOOLEAN"), true},
		{bd("1"), g("BIGDECIMAL"), true},
		{bi("1"), g("BIGINT"), true},
		{l(), g("LIST"), true},
		{set(), g("SET"), true},
		{m(), g("MAP"), true},
		{v(int64(1)), g("VERTEX"), true},
		{&value.VertexProperty{}, g("VPROPERTY"), true},
		{&value.VertexProperty{}, g("PROPERTY"), true},
		{value.Char('a'), g("CHAR"), true},
	}
	for i, tc := range tests {
		got, err := MatchesGType(tc.v, tc.t)
		mustNoErr(t, err)
		if got != tc.want {
			t.Errorf("%d: %s typeOf %v = %v", i, describe(tc.v), tc.t, got)
		}
	}
	ok, err := TestP(p("not", p("typeOf", g("STRING"))), int32(29))
	if err != nil || !ok {
		t.Errorf("not(typeOf(STRING)) on 29 = %v %v", ok, err)
	}
}
