package fn

import (
	"time"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// This file lists the exported API. Implementations live in the other
// files of the package (equality.go, number.go, predicate.go, math.go,
// strings.go, dates.go, lists.go, javastring.go).

// ---------------------------------------------------------------------------
// Equality, comparability, orderability (provider docs "Gremlin Semantics").

// Equal reports Gremlin equality (used by P.eq/neq, within/without, dedup of
// primitives in predicates): numbers compare by value across types
// (1 == 1L == 1.0f), NaN is not equal to anything including NaN, null equals
// only null, lists/paths element-wise in order, sets and maps by content
// regardless of order, elements (vertex/edge/vertex property) by id,
// properties by key and value. Values of different type families are
// unequal.
func Equal(a, b any) bool { return equal(a, b) }

// Equivalent is like Equal but NaN is equivalent to NaN (and -0.0 to 0.0):
// the relation used for grouping, dedup() and set membership ("equivalence"
// in the provider docs).
func Equivalent(a, b any) bool { return equivalent(a, b) }

// Compare implements Gremlin comparability, used by P lt/lte/gt/gte,
// inside/outside/between. It returns the sign of a-b and ok=true when a
// and b are comparable: both numbers (across types, NaN not comparable),
// both strings, both booleans (false < true), both dates, both UUIDs,
// both durations, both chars, both lists (lexicographic, element-wise
// comparable). null is comparable only to null (equal). Anything else
// (different families, NaN, null vs non-null, maps, sets, elements)
// returns ok=false: the predicate's ternary ERROR state, which the caller
// treats as false (and which not() keeps as false).
func Compare(a, b any) (int, bool) { return compare(a, b) }

// Order is the total order used by order(), min()/max() over mixed types
// and order(local). Type families order as: null < boolean < number <
// date < duration < string < UUID < vertex < edge < vertex property <
// property < path < set < list < map < unknown. Within numbers, NaN sorts
// above +Inf; numbers of different Go types compare by value. Returns
// -1, 0 or +1.
func Order(a, b any) int { return order(a, b) }

// ---------------------------------------------------------------------------
// Numbers (NumberHelper semantics).

// IsNumber reports whether v is a Gremlin number (int8..int64, uint8,
// float32/64, *big.Int, value.BigDecimal).
func IsNumber(v any) bool { return isNumber(v) }

// IsNaN reports whether v is a float NaN.
func IsNaN(v any) bool { return isNaN(v) }

// Add returns a+b with Java/NumberHelper promotion: the result has the
// wider of the two types (Byte<Short<Int<Long<BigInteger<Float<Double<
// BigDecimal); integer overflow promotes to the next wider integer type
// (Int→Long→BigInteger) as TinkerPop 3.7+ does. Non-numbers are an error.
func Add(a, b any) (any, error) { return arith(opAdd, a, b) }

// Sub returns a-b with the same promotion as Add.
func Sub(a, b any) (any, error) { return arith(opSub, a, b) }

// Mul returns a*b with the same promotion as Add.
func Mul(a, b any) (any, error) { return arith(opMul, a, b) }

// Div returns a/b with the same promotion as Add. Integer division
// truncates (Java); integer division by zero is an error; float division
// follows IEEE (±Inf, NaN). BigDecimal division that does not terminate
// is rounded to 34 significant digits (MathContext.DECIMAL128).
func Div(a, b any) (any, error) { return arith(opDiv, a, b) }

// Neg returns -a, keeping a's type (promoting on overflow of the minimum
// value).
func Neg(a any) (any, error) { return neg(a) }

// Min returns the smaller of two values as min() reduces: numbers compare
// across types by value and the winner keeps its own type; NaN loses to
// any other number; non-numbers (and mixes) use Order. A nil argument is
// ignored (the other is returned).
func Min(a, b any) any { return minmax(a, b, false) }

// Max returns the larger of two values as max() reduces (see Min).
func Max(a, b any) any { return minmax(a, b, true) }

// Sum adds the values with Add; nils are skipped. With no number it
// returns (nil, nil) (sum() of an empty stream produces nothing).
func Sum(vals []any) (any, error) { return sum(vals) }

// Mean returns the arithmetic mean as a Double (BigDecimal when any input
// is BigInteger/BigDecimal); nils are skipped. With no number it returns
// (nil, nil).
func Mean(vals []any) (any, error) { return mean(vals) }

// ToFloat64 converts any number to float64 (ok=false for non-numbers).
func ToFloat64(v any) (float64, bool) { return toFloat64(v) }

// ToInt64 converts an integral number (or a float with no fraction) to
// int64; ok=false otherwise or on overflow.
func ToInt64(v any) (int64, bool) { return toInt64(v) }

// ApplyOperator applies an Operator enum (sack(), withSack, sideEffect
// reducers) to the current value a and the new value b: sum, minus, mult,
// div (numbers), min, max (numbers), assign (b), and, or (booleans),
// addAll (lists, sets or maps: union/put-all), sumLong (int64 sum).
// The op name may be given with or without the "Operator." prefix.
func ApplyOperator(op string, a, b any) (any, error) { return applyOperator(op, a, b) }

// ---------------------------------------------------------------------------
// Predicates.

// TestP evaluates predicate p against v with Gremlin ternary semantics
// collapsed to bool: comparisons that are not comparable (type mismatch,
// NaN, null against non-null) are false, for both the predicate and its
// negations (not(lt(x)) on an ERROR is still false). eq/neq use Equal;
// within/without use Equal against each member; inside/outside/between
// use Compare. TextP predicates on non-string values are false; regex uses
// Go RE2 syntax (an invalid pattern is an error).
func TestP(p *value.P, v any) (bool, error) { return testP(p, v) }

// ---------------------------------------------------------------------------
// math().

// MathExpr is a parsed math() expression.
type MathExpr struct {
	src  string
	root mathNode
	vars []string
}

// ParseMath parses a math() expression: numbers, + - * / % ^ (right
// associative), unary minus/plus, parentheses, functions abs acos asin atan
// cbrt ceil cos cosh exp floor log log10 log2 sin sinh sqrt tan tanh
// signum, constants pi and e, and variables (identifiers, including "_"
// for the current value).
func ParseMath(expr string) (*MathExpr, error) { return parseMath(expr) }

// Vars returns the variable names the expression uses, in first-use order,
// including "_" when present (constants pi/e are not variables).
func (m *MathExpr) Vars() []string { return m.vars }

// Eval evaluates the expression. Every variable must be present in vars.
// Division (and %) by zero is an error "Division by zero!" as exp4j
// raises; other IEEE results (NaN, Inf) are returned as is.
func (m *MathExpr) Eval(vars map[string]float64) (float64, error) { return m.eval(vars) }

// ---------------------------------------------------------------------------
// String steps. Each takes the incoming value; nil in gives nil out.

// AsString returns the Java toString form of v (see ToJavaString) as a
// string; nil stays nil.
func AsString(v any) (any, error) { return asString(v) }

// ToJavaString renders v as Java's toString would (1.0 for Double 1,
// "v[1]" for a vertex, "[a, b]" for a list, "{k=v}" for a map, ISO-8601
// for dates ...).
func ToJavaString(v any) string { return javaString(v) }

// Concat concatenates the incoming value with args as concat() does: nil
// pieces are skipped; if the incoming value and every arg is nil the result
// is nil. Non-string pieces are an error (the engine passes strings).
func Concat(v any, args ...any) (any, error) { return concat(v, args) }

// Split splits a string on sep (literal, not regex); sep "" splits into
// characters; nil sep splits on whitespace runs. Returns []any of strings.
func Split(v any, sep any) (any, error) { return split(v, sep) }

// Replace replaces every occurrence of oldS with newS (nil → "").
func Replace(v any, oldS, newS any) (any, error) { return replace(v, oldS, newS) }

// Trim removes leading and trailing whitespace (Java String.strip()).
func Trim(v any) (any, error) { return trim(v, true, true, "trim") }

// LTrim removes leading whitespace.
func LTrim(v any) (any, error) { return trim(v, true, false, "lTrim") }

// RTrim removes trailing whitespace.
func RTrim(v any) (any, error) { return trim(v, false, true, "rTrim") }

// ToUpper upper-cases a string.
func ToUpper(v any) (any, error) { return caseMap(v, true) }

// ToLower lower-cases a string.
func ToLower(v any) (any, error) { return caseMap(v, false) }

// Length returns the string's length in UTF-16 code units as an Int.
func Length(v any) (any, error) { return length(v) }

// Substring returns the substring from start (inclusive) to end
// (exclusive) when hasEnd, else to the end of the string. Negative indices
// count from the end; out-of-range indices are clamped; an end before
// start yields "".
func Substring(v any, start int64, end int64, hasEnd bool) (any, error) {
	return substring(v, start, end, hasEnd)
}

// Reverse reverses a string (by character) or a list/array; any other
// value is returned unchanged.
func Reverse(v any) (any, error) { return reverse(v) }

// Format renders a format() template. %{name} is replaced by
// lookup(name); %{_} takes the next positional value (by() modulators).
// ok=false when a variable cannot be resolved (the traverser is filtered).
func Format(template string, lookup func(name string) (any, bool), positional []any) (string, bool, error) {
	return format(template, lookup, positional)
}

// AsNumber converts v to a number. target is a GType name ("" for
// automatic: strings parse to the narrowest of Int/Long/BigInteger or
// Double/BigDecimal): "BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE",
// "BIGINT", "BIGDECIMAL" (case-insensitive; "N" for automatic). Overflow
// and unparsable strings are errors. nil stays nil.
func AsNumber(v any, target string) (any, error) { return asNumber(v, target) }

// AsBool converts v to a Boolean: booleans as is, numbers (0 and NaN are
// false, others true), strings "true"/"false" case-insensitive; other
// strings and types are an error. nil stays nil.
func AsBool(v any) (any, error) { return asBool(v) }

// ---------------------------------------------------------------------------
// Date steps.

// AsDate converts v to a time.Time: time.Time as is, numbers as epoch
// milliseconds (UTC), strings as ISO-8601 (see ParseDateTime). nil stays
// nil.
func AsDate(v any) (any, error) { return asDate(v) }

// DateAdd adds n units to d. unit is a DT enum name: second, minute, hour,
// day (case-insensitive, "DT." prefix allowed).
func DateAdd(d any, unit string, n int64) (any, error) { return dateAdd(d, unit, n) }

// DateDiff returns d - other in whole seconds as a Long. other nil is
// treated as the epoch (1970-01-01T00:00Z)? — see DateDiff doc in
// dates.go.
func DateDiff(d any, other any) (any, error) { return dateDiff(d, other) }

// ParseDateTime parses the datetime() literal forms and asDate() strings:
// ISO-8601 date ("2023-08-02"), date-time with or without seconds/fraction
// and with "Z" or an offset, and local date-times (taken as UTC).
func ParseDateTime(s string) (time.Time, error) { return parseDateTime(s) }

// ---------------------------------------------------------------------------
// List steps. The incoming value and the argument are lists ([]any),
// sets, or arrays; nil incoming gives an error per TinkerPop (the step
// requires a list) unless stated otherwise.

// Combine appends b's items to a's (list concatenation, duplicates kept).
func Combine(a, b any) (any, error) { return combine(a, b) }

// Merge returns the set union of a and b (a *value.Set, insertion order).
func Merge(a, b any) (any, error) { return merge(a, b) }

// Product returns the cartesian product: a list of 2-element lists.
func Product(a, b any) (any, error) { return product(a, b) }

// Intersect returns the set of a's items that are also in b.
func Intersect(a, b any) (any, error) { return intersect(a, b) }

// Difference returns the set of a's items that are not in b.
func Difference(a, b any) (any, error) { return difference(a, b) }

// Disjunct returns the set of items in exactly one of a and b.
func Disjunct(a, b any) (any, error) { return disjunct(a, b) }

// Conjoin joins the list's items (rendered with ToJavaString, nils
// skipped) with delimiter; an empty list yields nil (no result).
func Conjoin(list any, delimiter string) (any, error) { return conjoin(list, delimiter) }
