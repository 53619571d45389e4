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

// Equivalent is Gremlin equivalence (dedup(), group()): like Equal, but
// numbers must also have the same type (1 and 1L are not equivalent) and
// NaN is equivalent to NaN of the same type.
func Equivalent(a, b any) bool { return equivalent(a, b) }

// Compare implements Gremlin comparability, used by P lt/lte/gt/gte,
// inside/outside/between. It returns the sign of a-b and ok=true when a
// and b are comparable: same type family (numbers across Go types by
// value; booleans false < true; strings; dates; UUIDs; elements of the
// same kind by id; properties by key then value; lists and paths element
// by element, shorter first; sets and maps after sorting with Order;
// other same-typed values with a natural order such as durations and
// chars). null is comparable only to null (equal). Otherwise (different
// families, NaN anywhere, null vs non-null, incomparable elements inside
// a list) ok=false: the ternary ERROR state, which TestP reduces to false
// (P.not keeps ERROR, so not(lt(NaN)) is false too).
func Compare(a, b any) (int, bool) { return compare(a, b) }

// Order is the total order used by order(), min()/max() over mixed types
// and order(local) (Orderability). Type families order as: null < boolean
// < number < date < string < UUID < vertex < edge < vertex property <
// property < path < set < list < map < map entry < unknown (durations,
// chars, binary, enums: by natural order within one Go type, else by type
// name then string form). Within numbers, NaN sorts above +Inf and equals
// NaN; numbers of different Go types compare by value. Containers compare
// element by element with Order (sets and maps sorted first). Returns
// -1, 0 or +1.
func Order(a, b any) int { return order(a, b) }

// ---------------------------------------------------------------------------
// Numbers (NumberHelper semantics).

// IsNumber reports whether v is a Gremlin number (int8..int64, uint8,
// float32/64, *big.Int, value.BigDecimal).
func IsNumber(v any) bool { return isNumber(v) }

// IsNaN reports whether v is a float NaN.
func IsNaN(v any) bool { return isNaN(v) }

// Add returns a+b with NumberHelper promotion: the result has the highest
// common class (integers Byte<Short<Int<Long<BigInteger; any float makes
// it Float for up to 32 bits, Double for 64, BigDecimal beyond). Integer
// overflow promotes to the next wider integer type (Byte→Short→Int→Long);
// Long overflow is an error ("long overflow"); Float overflow promotes to
// Double; Double overflow gives ±Inf. A nil a returns nil; a nil b
// returns a (NumberHelper). Non-numbers are an error.
func Add(a, b any) (any, error) { return arith(opAdd, a, b) }

// Sub returns a-b with the same promotion as Add.
func Sub(a, b any) (any, error) { return arith(opSub, a, b) }

// Mul returns a*b with the same promotion as Add.
func Mul(a, b any) (any, error) { return arith(opMul, a, b) }

// Div returns a/b with the same promotion as Add. Integer division
// truncates (Java); integer division by zero is an error ("/ by zero");
// float division follows IEEE (±Inf as Double, NaN). BigDecimal division
// is exact when the quotient terminates, else rounded HALF_UP to
// max(precision)+10 digits and at most max(scale, 10) decimals.
func Div(a, b any) (any, error) { return arith(opDiv, a, b) }

// DivFP returns a/b computed in floating point (NumberHelper.div with
// forceFloatingPoint): integers up to 64 bits divide as Double,
// BigInteger as BigDecimal.
func DivFP(a, b any) (any, error) { return arithFP(opDiv, a, b, true) }

// Neg returns -a, keeping a's type (promoting on overflow of the minimum
// value).
func Neg(a any) (any, error) { return neg(a) }

// Min returns the smaller of two values as min() reduces (NumberHelper.min):
// two numbers compare by value and the result is converted to their
// highest common type (Min(1, 2.0) is Double 1.0); NaN loses to any
// other number; non-numbers and mixes use Order. A nil argument is
// ignored (the other is returned).
func Min(a, b any) any { return minmax(a, b, false) }

// Max returns the larger of two values as max() reduces (see Min).
func Max(a, b any) any { return minmax(a, b, true) }

// Sum adds the values with Add; nils are skipped. With no number it
// returns (nil, nil) (sum() of an empty stream produces nothing).
func Sum(vals []any) (any, error) { return sum(vals) }

// Mean returns the arithmetic mean: the Add-sum divided by the count in
// floating point (Double; BigDecimal when any input is BigInteger or
// BigDecimal); nils are skipped. With no number it returns (nil, nil).
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
// use Compare; and/or/not use ternary logic. TextP predicates on
// non-string values (or a null argument) are ERROR, hence false for both
// containing and notContaining; regex is a partial match (Java find()) in
// Go RE2 syntax (an invalid pattern is an error). "typeOf" takes a GType
// enum or type name (see MatchesGType). Within/without accept their
// members as Values, or one list/set holding them. Unknown operators and
// malformed P values are errors.
func TestP(p *value.P, v any) (bool, error) { return testP(p, v) }

// ---------------------------------------------------------------------------
// math().

// MathExpr is a parsed math() expression.
type MathExpr struct {
	src  string
	root mathNode
	vars []string
}

// ParseMath parses a math() expression (exp4j syntax): numbers, + - * /
// % ^ (right associative, binds tighter than unary minus: -2^2 = -4),
// unary minus/plus, parentheses, implicit multiplication ("2x"),
// functions abs acos asin atan cbrt ceil cos cosh cot exp expm1 floor log
// log10 log1p log2 sin sinh sqrt tan tanh signum toradian todegree and
// pow(x, y), constants pi, e, π, φ, and variables (identifiers, including
// "_" for the current value).
func ParseMath(expr string) (*MathExpr, error) { return parseMath(expr) }

// Vars returns the variable names the expression uses, in first-use order,
// including "_" when present (constants pi/e are not variables).
func (m *MathExpr) Vars() []string { return m.vars }

// Eval evaluates the expression. Every variable must be present in vars
// (else an error naming it). Division (and %) by zero is an error
// "Division by zero!" as exp4j raises; other IEEE results (NaN, Inf) are
// returned as is.
func (m *MathExpr) Eval(vars map[string]float64) (float64, error) { return m.eval(vars) }

// ---------------------------------------------------------------------------
// String steps. Each takes the incoming value; nil in gives nil out.

// AsString returns the Java toString form of v (see ToJavaString) as a
// string. nil is an error ("Can't parse null as String.") as in
// TinkerPop.
func AsString(v any) (any, error) { return asString(v) }

// ToJavaString renders v as Java's toString would: "1.0" for Double 1,
// "1.0E10", "NaN", "v[1]", "e[7][1-knows->2]", "vp[name->marko]",
// "p[weight->0.5]", "path[v[1], v[2]]", "[a, b]" for lists and sets,
// "{k=v}" for maps, OffsetDateTime form for dates ("2023-08-02T00:00Z"),
// Duration form ("PT1H"), "null" for nil. Predicates print as P.toString
// ("within([1, 2])", "and(gte(1), lt(5))" for between), a BulkSet as its
// map ("{a=2}"), profile() and explain() results as their Java tables.
func ToJavaString(v any) string { return javaString(v) }

// ToJavaStringUTCAsDate is ToJavaString except that a time.Time in
// time.UTC renders as java.util.Date.toString ("Thu Jan 01 00:00:00 UTC
// 1970"): GraphBinary and GraphSON carry such a time as a Date, so this
// is what a Java server prints for it (the -stringd serializer).
func ToJavaStringUTCAsDate(v any) string {
	w := javaWriter{utcDate: true}
	w.write(v, 0)
	return w.sb.String()
}

// Concat concatenates the incoming value with args as concat() does: nil
// pieces are skipped; if the incoming value and every arg is nil the result
// is nil. Non-string pieces are an error ("String concat() can only take
// string as argument ...").
func Concat(v any, args ...any) (any, error) { return concat(v, args) }

// Split splits a string on sep (literal, not regex; adjacent separators
// count as one, empty tokens are dropped as StringUtils.splitByWholeSeparator
// does); sep "" splits into characters; nil sep splits on whitespace
// runs. Returns []any of strings; nil in gives nil.
func Split(v any, sep any) (any, error) { return split(v, sep) }

// Replace replaces every occurrence of oldS with newS; a nil oldS leaves
// the string unchanged, a nil newS deletes.
func Replace(v any, oldS, newS any) (any, error) { return replace(v, oldS, newS) }

// Trim removes leading and trailing whitespace (Java Character.isWhitespace,
// which includes U+3000 but not non-breaking spaces).
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

// Reverse reverses a string (by character) or a list, set or path (giving
// a list); any other value (numbers, nil) is returned unchanged.
func Reverse(v any) (any, error) { return reverse(v) }

// Format renders a format() template. A placeholder is %{name} not
// preceded by '%'. %{name} is replaced by lookup(name) (the engine
// resolves element properties, then map keys / scope labels); %{_} takes
// the next positional value, cycling (by() modulators, a traversal ring),
// or lookup("_") when there are none (the current value). Values render
// with ToJavaString. ok=false when a variable is missing or null (the
// traverser is filtered). See also FormatVariables.
func Format(template string, lookup func(name string) (any, bool), positional []any) (string, bool, error) {
	return format(template, lookup, positional)
}

// AsNumber converts v to a number. target is a GType name ("" for
// automatic: numbers stay as they are; strings parse to the narrowest of
// Int/Long/BigInteger, or Double when exact else BigDecimal; "0x" is hex):
// "BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE", "BIGINT",
// "BIGDECIMAL" (case-insensitive, "GType." prefix allowed). Floats
// truncate toward zero for integer targets. Dates give epoch millis
// (Long). Errors: "Can't parse string 'x' as number.", "Can't parse type
// ArrayList as number.", "Can't convert number of type Integer to Byte
// due to overflow.", "asNumber() requires a numeric type token, got
// VERTEX". nil stays nil.
func AsNumber(v any, target string) (any, error) { return asNumber(v, target) }

// AsBool converts v to a Boolean: booleans as is, numbers (0, -0.0 and
// NaN are false, others true), strings "true"/"false" case-insensitive;
// nil, other strings and other types are an error ("Can't parse hello as
// Boolean.").
func AsBool(v any) (any, error) { return asBool(v) }

// ---------------------------------------------------------------------------
// Date steps.

// AsDate converts v to a time.Time: time.Time as is, integral numbers as
// epoch milliseconds (UTC), strings as ISO-8601 (see ParseDateTime; an
// offset is kept as a fixed zone). nil, floats, other types and bad
// strings are errors containing "Can't parse".
func AsDate(v any) (any, error) { return asDate(v) }

// DateAdd adds n units to the time.Time d. unit is a DT enum name:
// second, minute, hour, day (case-insensitive, "DT." prefix allowed); day
// adds calendar days in d's zone. Non-dates are an error.
func DateAdd(d any, unit string, n int64) (any, error) { return dateAdd(d, unit, n) }

// DateDiff returns d - other in milliseconds as a Long (int64), as the
// 3.8 features expect (7 days = 604800000). A nil other counts as the
// epoch. Non-date d or other is an error.
func DateDiff(d any, other any) (any, error) { return dateDiff(d, other) }

// ParseDateTime parses the datetime() literal forms and asDate() strings
// (DatetimeHelper): "2023-08", "2023-08-02", "2023-08-02T10:15",
// "...T10:15:30", "...T10:15:30.123" with an optional offset "Z", "+01",
// "+0100", "+01:00", "+010000", "+01:00:00" (UTC when absent).
func ParseDateTime(s string) (time.Time, error) { return parseDateTime(s) }

// ---------------------------------------------------------------------------
// List steps. The incoming value and the argument are iterables ([]any,
// *value.Set, *value.Path, *value.BulkSet; see AsIterable). A nil or
// non-iterable incoming value or argument is an error worded as
// TinkerPop's ("Incoming traverser for combine step can't be null",
// "combine step can only take an array or an Iterable type for incoming
// traversers, encountered String", "Argument provided for combine step
// can't be null", "... as an argument, encountered Integer"). Set results
// use Java equality (value.Key: 1 and 1L differ).

// Combine appends b's items to a's (list concatenation, duplicates kept).
func Combine(a, b any) (any, error) { return combine(a, b) }

// Merge returns the set union of a and b (a *value.Set, insertion order);
// when a is a *value.Map, b must be a map too and the result is a new map
// with b's entries put over a's.
func Merge(a, b any) (any, error) { return merge(a, b) }

// Product returns the cartesian product: a list of 2-element lists.
func Product(a, b any) (any, error) { return product(a, b) }

// Intersect returns the set of a's items that are also in b.
func Intersect(a, b any) (any, error) { return intersect(a, b) }

// Difference returns the set of a's items that are not in b.
func Difference(a, b any) (any, error) { return difference(a, b) }

// Disjunct returns the set of items in exactly one of a and b.
func Disjunct(a, b any) (any, error) { return disjunct(a, b) }

// Conjoin joins the items (rendered with ToJavaString, nils skipped) with
// delimiter; an empty list yields "".
func Conjoin(list any, delimiter string) (any, error) { return conjoin(list, delimiter) }
