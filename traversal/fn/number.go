package fn

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// numClass is a Java number class, ordered as NumberHelper promotes.
type numClass int

const (
	cByte numClass = iota
	cShort
	cInt
	cLong
	cBigInt
	cFloat
	cDouble
	cBigDec
)

var numClassNames = [...]string{"Byte", "Short", "Integer", "Long", "BigInteger", "Float", "Double", "BigDecimal"}

func (c numClass) String() string { return numClassNames[c] }

// classOf returns the Java number class of v; ok=false for non-numbers.
func classOf(v any) (numClass, bool) {
	switch x := v.(type) {
	case int8, uint8:
		return cByte, true
	case int16:
		return cShort, true
	case int32:
		return cInt, true
	case int64, int:
		return cLong, true
	case *big.Int:
		if x == nil {
			return 0, false
		}
		return cBigInt, true
	case float32:
		return cFloat, true
	case float64:
		return cDouble, true
	case value.BigDecimal:
		return cBigDec, true
	case *value.BigDecimal:
		if x == nil {
			return 0, false
		}
		return cBigDec, true
	}
	return 0, false
}

func isNumber(v any) bool { _, ok := classOf(v); return ok }

func isNaN(v any) bool {
	switch x := v.(type) {
	case float32:
		return x != x
	case float64:
		return math.IsNaN(x)
	}
	return false
}

func isInf(v any) int {
	switch x := v.(type) {
	case float32:
		if math.IsInf(float64(x), 1) {
			return 1
		} else if math.IsInf(float64(x), -1) {
			return -1
		}
	case float64:
		if math.IsInf(x, 1) {
			return 1
		} else if math.IsInf(x, -1) {
			return -1
		}
	}
	return 0
}

// bitsOf mirrors NumberHelper.getHighestCommonNumberInfo for one class.
func bitsOf(c numClass) (bits int, fp bool) {
	switch c {
	case cByte:
		return 8, false
	case cShort:
		return 16, false
	case cInt:
		return 32, false
	case cLong:
		return 64, false
	case cBigInt:
		return 128, false
	case cFloat:
		return 32, true
	case cDouble:
		return 64, true
	}
	return 128, true
}

func classFor(bits int, fp bool) numClass {
	if fp {
		switch {
		case bits <= 32:
			return cFloat
		case bits <= 64:
			return cDouble
		}
		return cBigDec
	}
	switch {
	case bits <= 8:
		return cByte
	case bits <= 16:
		return cShort
	case bits <= 32:
		return cInt
	case bits <= 64:
		return cLong
	}
	return cBigInt
}

// commonClass is the highest common number class of a and b.
func commonClass(a, b numClass, forceFP bool) (int, bool) {
	ba, fa := bitsOf(a)
	bb, fb := bitsOf(b)
	return max(ba, bb), fa || fb || forceFP
}

// ---- conversions (Java xxxValue semantics) ----

func i64(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case uint8:
		return int64(int8(x))
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case int:
		return int64(x)
	case *big.Int:
		return x.Int64()
	case float32:
		return f2l(float64(x))
	case float64:
		return f2l(x)
	case value.BigDecimal:
		return bigOfDec(x).Int64()
	case *value.BigDecimal:
		return bigOfDec(*x).Int64()
	}
	return 0
}

// f2l converts like Java's (long) cast: NaN→0, saturating.
func f2l(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

func f64(v any) float64 {
	switch x := v.(type) {
	case float32:
		return float64(x)
	case float64:
		return x
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case value.BigDecimal:
		f, _ := x.Rat().Float64()
		return f
	case *value.BigDecimal:
		f, _ := x.Rat().Float64()
		return f
	}
	return float64(i64(v))
}

func bigOf(v any) *big.Int {
	switch x := v.(type) {
	case *big.Int:
		return x
	case value.BigDecimal:
		return bigOfDec(x)
	case *value.BigDecimal:
		return bigOfDec(*x)
	}
	return big.NewInt(i64(v))
}

func bigOfDec(d value.BigDecimal) *big.Int {
	if d.Unscaled == nil {
		return new(big.Int)
	}
	r := d.Rat()
	return new(big.Int).Quo(r.Num(), r.Denom()) // truncates toward zero
}

// decOf converts like NumberHelper.bigDecimalValue.
func decOf(v any) value.BigDecimal {
	switch x := v.(type) {
	case value.BigDecimal:
		if x.Unscaled == nil {
			return value.BigDecimal{Unscaled: new(big.Int)}
		}
		return x
	case *value.BigDecimal:
		return decOf(*x)
	case *big.Int:
		return value.BigDecimal{Unscaled: new(big.Int).Set(x)}
	case float32, float64:
		d, err := value.ParseBigDecimal(javaDouble(f64(x)))
		if err != nil {
			return value.BigDecimal{Unscaled: new(big.Int)}
		}
		return d
	}
	return value.BigDecimal{Unscaled: big.NewInt(i64(v))}
}

func toFloat64(v any) (float64, bool) {
	if !isNumber(v) {
		return 0, false
	}
	return f64(v), true
}

func toInt64(v any) (int64, bool) {
	c, ok := classOf(v)
	if !ok {
		return 0, false
	}
	switch c {
	case cBigInt:
		b := v.(*big.Int)
		if !b.IsInt64() {
			return 0, false
		}
		return b.Int64(), true
	case cFloat, cDouble:
		f := f64(v)
		if f != math.Trunc(f) || f < -9.223372036854775808e18 || f >= 9.223372036854775807e18 {
			return 0, false
		}
		return int64(f), true
	case cBigDec:
		r := decOf(v).Rat()
		if !r.IsInt() || !r.Num().IsInt64() {
			return 0, false
		}
		return r.Num().Int64(), true
	}
	return i64(v), true
}

// ---- decimals ----

var bigTen = big.NewInt(10)

func pow10(n int64) *big.Int { return new(big.Int).Exp(bigTen, big.NewInt(n), nil) }

// rescale returns d's unscaled value at scale s >= d.Scale.
func rescale(d value.BigDecimal, s int32) *big.Int {
	if s == d.Scale {
		return new(big.Int).Set(d.Unscaled)
	}
	return new(big.Int).Mul(d.Unscaled, pow10(int64(s)-int64(d.Scale)))
}

func decAdd(a, b value.BigDecimal, sub bool) value.BigDecimal {
	s := max(a.Scale, b.Scale)
	x, y := rescale(a, s), rescale(b, s)
	if sub {
		return value.BigDecimal{Unscaled: x.Sub(x, y), Scale: s}
	}
	return value.BigDecimal{Unscaled: x.Add(x, y), Scale: s}
}

func decMul(a, b value.BigDecimal) value.BigDecimal {
	return value.BigDecimal{Unscaled: new(big.Int).Mul(a.Unscaled, b.Unscaled), Scale: a.Scale + b.Scale}
}

func decCmp(a, b value.BigDecimal) int { return a.Rat().Cmp(b.Rat()) }

// precision is the number of decimal digits of the unscaled value.
func precision(d value.BigDecimal) int {
	if d.Unscaled.Sign() == 0 {
		return 1
	}
	return len(new(big.Int).Abs(d.Unscaled).String())
}

// ratAtScale rounds q HALF_UP to the given scale.
func ratAtScale(q *big.Rat, scale int32) value.BigDecimal {
	num := new(big.Int).Set(q.Num())
	den := new(big.Int).Set(q.Denom())
	if scale >= 0 {
		num.Mul(num, pow10(int64(scale)))
	} else {
		den.Mul(den, pow10(-int64(scale)))
	}
	neg := num.Sign() < 0
	num.Abs(num)
	quo, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if rem.Lsh(rem, 1).Cmp(den) >= 0 {
		quo.Add(quo, big.NewInt(1))
	}
	if neg {
		quo.Neg(quo)
	}
	return value.BigDecimal{Unscaled: quo, Scale: scale}
}

// stripTo removes trailing zeros while the scale stays above floor.
func stripTo(d value.BigDecimal, floor int32) value.BigDecimal {
	u := new(big.Int).Set(d.Unscaled)
	s := d.Scale
	r := new(big.Int)
	for s > floor && u.Sign() != 0 {
		q, m := new(big.Int).QuoRem(u, bigTen, r)
		if m.Sign() != 0 {
			break
		}
		u = q
		s--
	}
	return value.BigDecimal{Unscaled: u, Scale: s}
}

// decDiv divides as NumberHelper's BigDecimal helper: exact when the
// quotient terminates, else max(precision)+10 significant digits.
func decDiv(a, b value.BigDecimal) (value.BigDecimal, error) {
	if b.Unscaled.Sign() == 0 {
		return value.BigDecimal{}, errors.New("Division by zero")
	}
	q := new(big.Rat).Quo(a.Rat(), b.Rat())
	preferred := a.Scale - b.Scale
	// terminating? denominator only has factors 2 and 5
	d := new(big.Int).Set(q.Denom())
	twos, fives := 0, 0
	two, five := big.NewInt(2), big.NewInt(5)
	m := new(big.Int)
	for {
		if _, r := new(big.Int).QuoRem(d, two, m); r.Sign() == 0 {
			d.Quo(d, two)
			twos++
			continue
		}
		break
	}
	for {
		if _, r := new(big.Int).QuoRem(d, five, m); r.Sign() == 0 {
			d.Quo(d, five)
			fives++
			continue
		}
		break
	}
	if d.Cmp(big.NewInt(1)) == 0 {
		need := int32(max(twos, fives))
		s := max(need, preferred)
		return ratAtScale(q, s), nil
	}
	prec := max(precision(a), precision(b)) + 10
	// adjusted exponent e: 10^e <= |q| < 10^(e+1)
	abs := new(big.Rat).Abs(q)
	f, _ := abs.Float64()
	e := int(math.Floor(math.Log10(f)))
	for i := 0; i < 4; i++ {
		lo := new(big.Rat).SetInt(big.NewInt(1))
		if e >= 0 {
			lo.SetInt(pow10(int64(e)))
		} else {
			lo.SetFrac(big.NewInt(1), pow10(int64(-e)))
		}
		if abs.Cmp(lo) < 0 {
			e--
			continue
		}
		hi := new(big.Rat).Mul(lo, new(big.Rat).SetInt(bigTen))
		if abs.Cmp(hi) >= 0 {
			e++
			continue
		}
		break
	}
	res := ratAtScale(q, int32(prec-1-e))
	limit := max(a.Scale, b.Scale, 10)
	if res.Scale > limit {
		res = ratAtScale(res.Rat(), limit)
	}
	return res, nil
}

// ---- arithmetic ----

type arithOp int

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
)

var opNames = [...]string{"add", "sub", "mul", "div"}

var errOverflow = errors.New("overflow")

// arith applies op with NumberHelper.mathOperationWithPromote semantics.
func arith(op arithOp, a, b any) (any, error) {
	return arithFP(op, a, b, false)
}

func arithFP(op arithOp, a, b any, forceFP bool) (any, error) {
	if a == nil {
		return nil, nil
	}
	if b == nil {
		return a, nil
	}
	ca, ok := classOf(a)
	if !ok {
		return nil, fmt.Errorf("%s: expected a number as first operand, got %s", opNames[op], describe(a))
	}
	cb, ok := classOf(b)
	if !ok {
		return nil, fmt.Errorf("%s: expected a number as second operand, got %s", opNames[op], describe(b))
	}
	bits, fp := commonClass(ca, cb, forceFP)
	for {
		c := classFor(bits, fp)
		r, err := arithIn(c, op, a, b)
		if err == nil {
			return r, nil
		}
		if c == cDouble {
			return r, nil
		}
		if bits >= 64 {
			return nil, fmt.Errorf("%s: %v (%s %s %s)", opNames[op], err, javaString(a), opSym[op], javaString(b))
		}
		bits <<= 1
	}
}

var opSym = [...]string{"+", "-", "*", "/"}

func arithIn(c numClass, op arithOp, a, b any) (any, error) {
	switch c {
	case cByte, cShort, cInt, cLong:
		x, y := i64(a), i64(b)
		var lo, hi int64
		switch c {
		case cByte:
			x, y, lo, hi = int64(int8(x)), int64(int8(y)), math.MinInt8, math.MaxInt8
		case cShort:
			x, y, lo, hi = int64(int16(x)), int64(int16(y)), math.MinInt16, math.MaxInt16
		case cInt:
			x, y, lo, hi = int64(int32(x)), int64(int32(y)), math.MinInt32, math.MaxInt32
		default:
			lo, hi = math.MinInt64, math.MaxInt64
		}
		var r int64
		switch op {
		case opAdd:
			r = x + y
			if c == cLong && ((x > 0 && y > 0 && r < 0) || (x < 0 && y < 0 && r >= 0)) {
				return nil, errors.New("long overflow")
			}
		case opSub:
			r = x - y
			if c == cLong && ((x >= 0 && y < 0 && r < 0) || (x < 0 && y > 0 && r >= 0)) {
				return nil, errors.New("long overflow")
			}
		case opMul:
			r = x * y
			if c == cLong && x != 0 && (r/x != y || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64)) {
				return nil, errors.New("long overflow")
			}
		case opDiv:
			if y == 0 {
				return nil, errors.New("/ by zero")
			}
			if c == cLong && x == math.MinInt64 && y == -1 {
				return nil, errors.New("long overflow")
			}
			// MIN / -1 overflows its class; the range check below
			// promotes it (NumberHelper.mathOperationWithPromote).
			r = x / y
		}
		if r < lo || r > hi {
			return nil, errOverflow
		}
		switch c {
		case cByte:
			return int8(r), nil
		case cShort:
			return int16(r), nil
		case cInt:
			return int32(r), nil
		}
		return r, nil
	case cBigInt:
		x, y := bigOf(a), bigOf(b)
		r := new(big.Int)
		switch op {
		case opAdd:
			r.Add(x, y)
		case opSub:
			r.Sub(x, y)
		case opMul:
			r.Mul(x, y)
		case opDiv:
			if y.Sign() == 0 {
				return nil, errors.New("BigInteger divide by zero")
			}
			r.Quo(x, y)
		}
		return r, nil
	case cFloat:
		x, y := float32(f64(a)), float32(f64(b))
		var r float32
		switch op {
		case opAdd:
			r = x + y
		case opSub:
			r = x - y
		case opMul:
			r = x * y
		case opDiv:
			r = x / y
		}
		if math.IsInf(float64(r), 0) {
			return nil, errOverflow
		}
		return r, nil
	case cDouble:
		x, y := f64(a), f64(b)
		switch op {
		case opAdd:
			return x + y, nil
		case opSub:
			return x - y, nil
		case opMul:
			return x * y, nil
		}
		return x / y, nil
	}
	x, y := decOf(a), decOf(b)
	switch op {
	case opAdd:
		return decAdd(x, y, false), nil
	case opSub:
		return decAdd(x, y, true), nil
	case opMul:
		return decMul(x, y), nil
	}
	return decDiv(x, y)
}

func neg(a any) (any, error) {
	switch x := a.(type) {
	case nil:
		return nil, nil
	case int8:
		if x == math.MinInt8 {
			return -int16(x), nil
		}
		return -x, nil
	case uint8:
		return neg(int8(x))
	case int16:
		if x == math.MinInt16 {
			return -int32(x), nil
		}
		return -x, nil
	case int32:
		if x == math.MinInt32 {
			return -int64(x), nil
		}
		return -x, nil
	case int64:
		if x == math.MinInt64 {
			return new(big.Int).Neg(big.NewInt(x)), nil
		}
		return -x, nil
	case int:
		return neg(int64(x))
	case *big.Int:
		return new(big.Int).Neg(x), nil
	case float32:
		return -x, nil
	case float64:
		return -x, nil
	case value.BigDecimal, *value.BigDecimal:
		d := decOf(x)
		return value.BigDecimal{Unscaled: new(big.Int).Neg(d.Unscaled), Scale: d.Scale}, nil
	}
	return nil, fmt.Errorf("neg: expected a number, got %s", describe(a))
}

// ---- comparison ----

// cmpNumbers is NumberHelper.compare: NaN sorts above everything and
// equals NaN; otherwise compare in the highest common class.
func cmpNumbers(a, b any) int {
	na, nb := isNaN(a), isNaN(b)
	if na || nb {
		switch {
		case na && nb:
			return 0
		case na:
			return 1
		}
		return -1
	}
	ca, _ := classOf(a)
	cb, _ := classOf(b)
	c := classFor(commonClass(ca, cb, false))
	switch c {
	case cByte, cShort, cInt, cLong:
		return cmp3(i64(a), i64(b))
	case cBigInt:
		return bigOf(a).Cmp(bigOf(b))
	case cFloat:
		return cmpFloat(float64(float32(f64(a))), float64(float32(f64(b))))
	case cDouble:
		return cmpFloat(f64(a), f64(b))
	}
	if i := isInf(a); i != 0 {
		if isInf(b) == i {
			return 0
		}
		return i
	}
	if i := isInf(b); i != 0 {
		return -i
	}
	return decCmp(decOf(a), decOf(b))
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0 // includes -0.0 == 0.0
}

func cmp3[T int64 | int | string | float64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// ---- min / max / sum / mean ----

func minmax(a, b any, wantMax bool) any {
	if a == nil || b == nil {
		if a == nil {
			return b
		}
		return a
	}
	if isNumber(a) && isNumber(b) {
		if isNaN(a) || isNaN(b) {
			if isNaN(a) {
				return b
			}
			return a
		}
		ca, _ := classOf(a)
		cb, _ := classOf(b)
		c := classFor(commonClass(ca, cb, false))
		r := cmpNumbers(a, b)
		pick := a
		if (wantMax && r < 0) || (!wantMax && r > 0) {
			pick = b
		}
		return castClass(pick, c)
	}
	r := order(a, b)
	if (wantMax && r < 0) || (!wantMax && r > 0) {
		return b
	}
	return a
}

// castClass converts a number to class c (widening as Java does).
func castClass(v any, c numClass) any {
	if cv, _ := classOf(v); cv == c {
		return v
	}
	switch c {
	case cByte:
		return int8(i64(v))
	case cShort:
		return int16(i64(v))
	case cInt:
		return int32(i64(v))
	case cLong:
		return i64(v)
	case cBigInt:
		return new(big.Int).Set(bigOf(v))
	case cFloat:
		return float32(f64(v))
	case cDouble:
		return f64(v)
	}
	return decOf(v)
}

func sum(vals []any) (any, error) {
	var acc any
	for i, v := range vals {
		if v == nil {
			continue
		}
		if !isNumber(v) {
			return nil, fmt.Errorf("sum: expected numbers, item %d is %s", i, describe(v))
		}
		if acc == nil {
			acc = v
			continue
		}
		r, err := arith(opAdd, acc, v)
		if err != nil {
			return nil, fmt.Errorf("sum: %w", err)
		}
		acc = r
	}
	return acc, nil
}

func mean(vals []any) (any, error) {
	var acc any
	n := int64(0)
	for i, v := range vals {
		if v == nil {
			continue
		}
		if !isNumber(v) {
			return nil, fmt.Errorf("mean: expected numbers, item %d is %s", i, describe(v))
		}
		n++
		if acc == nil {
			acc = v
			continue
		}
		r, err := arith(opAdd, acc, v)
		if err != nil {
			return nil, fmt.Errorf("mean: %w", err)
		}
		acc = r
	}
	if acc == nil {
		return nil, nil
	}
	r, err := arithFP(opDiv, acc, n, true)
	if err != nil {
		return nil, fmt.Errorf("mean: %w", err)
	}
	return r, nil
}

// ---- Operator enum ----

func applyOperator(op string, a, b any) (any, error) {
	name := op
	if len(name) > 9 && name[:9] == "Operator." {
		name = name[9:]
	}
	switch name {
	case "sum":
		return numOp("sum", opAdd, a, b)
	case "minus":
		return numOp("minus", opSub, a, b)
	case "mult":
		return numOp("mult", opMul, a, b)
	case "div":
		return numOp("div", opDiv, a, b)
	case "min", "max":
		if (a != nil && !isNumber(a)) || (b != nil && !isNumber(b)) {
			return nil, fmt.Errorf("Operator.%s: expected numbers, got %s and %s", name, describe(a), describe(b))
		}
		return minmax(a, b, name == "max"), nil
	case "assign":
		return b, nil
	case "and", "or":
		x, ok1 := a.(bool)
		y, ok2 := b.(bool)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("Operator.%s: expected booleans, got %s and %s", name, describe(a), describe(b))
		}
		if name == "and" {
			return x && y, nil
		}
		return x || y, nil
	case "addAll":
		return addAll(a, b)
	case "sumLong":
		if !isNumber(a) || !isNumber(b) {
			return nil, fmt.Errorf("Operator.sumLong: expected numbers, got %s and %s", describe(a), describe(b))
		}
		return i64(a) + i64(b), nil
	}
	return nil, fmt.Errorf("unknown Operator %q: expected one of sum, minus, mult, div, min, max, assign, and, or, addAll, sumLong", op)
}

func numOp(name string, op arithOp, a, b any) (any, error) {
	r, err := arith(op, a, b)
	if err != nil {
		return nil, fmt.Errorf("Operator.%s: %w", name, err)
	}
	return r, nil
}

func addAll(a, b any) (any, error) {
	switch x := a.(type) {
	case *value.Map:
		y, ok := b.(*value.Map)
		if !ok {
			return nil, fmt.Errorf("Operator.addAll: expected a map to add to map, got %s", describe(b))
		}
		m := value.NewMap()
		for _, e := range x.Entries() {
			m.Put(e.Key, e.Value)
		}
		for _, e := range y.Entries() {
			m.Put(e.Key, e.Value)
		}
		return m, nil
	case *value.Set:
		items, ok := iterItems(b)
		if !ok {
			return nil, fmt.Errorf("Operator.addAll: expected a collection to add to set, got %s", describe(b))
		}
		s := value.NewSet(x.Items()...)
		for _, it := range items {
			s.Add(it)
		}
		return s, nil
	case []any:
		items, ok := iterItems(b)
		if !ok {
			return nil, fmt.Errorf("Operator.addAll: expected a collection to add to list, got %s", describe(b))
		}
		out := make([]any, 0, len(x)+len(items))
		return append(append(out, x...), items...), nil
	}
	return nil, fmt.Errorf("Operator.addAll: expected a list, set or map, got %s", describe(a))
}
