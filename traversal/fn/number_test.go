package fn

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestArith(t *testing.T) {
	tests := []struct {
		name string
		f    func(a, b any) (any, error)
		a, b any
		want any
		err  string
	}{
		{"int+int", Add, int32(1), int32(2), int32(3), ""},
		{"int overflow promotes to long", Add, int32(math.MaxInt32), int32(1), int64(math.MaxInt32) + 1, ""},
		{"byte overflow promotes to short", Add, int8(127), int8(1), int16(128), ""},
		{"short overflow promotes to int", Mul, int16(300), int16(300), int32(90000), ""},
		{"long overflow errors", Add, int64(math.MaxInt64), int64(1), nil, "long overflow"},
		{"long sub overflow", Sub, int64(math.MinInt64), int64(1), nil, "long overflow"},
		{"long mul overflow", Mul, int64(math.MaxInt64), int64(2), nil, "long overflow"},
		{"int+long", Add, int32(1), int64(2), int64(3), ""},
		{"byte+int", Add, int8(1), int32(2), int32(3), ""},
		{"int+float", Add, int32(1), float32(0.5), float32(1.5), ""},
		{"long+float is double", Add, int64(1), float32(0.5), 1.5, ""},
		{"int+double", Add, int32(1), 0.5, 1.5, ""},
		{"float overflow promotes to double", Mul, float32(math.MaxFloat32), float32(2), float64(math.MaxFloat32) * 2, ""},
		{"double overflow is inf", Mul, math.MaxFloat64, 2.0, math.Inf(1), ""},
		{"int division truncates", Div, int32(7), int32(2), int32(3), ""},
		{"negative int division truncates", Div, int32(-7), int32(2), int32(-3), ""},
		{"int div by zero", Div, int32(1), int32(0), nil, "/ by zero"},
		{"int div overflow promotes to long", Div, int32(math.MinInt32), int32(-1), int64(2147483648), ""},
		{"short div overflow promotes to int", Div, int16(math.MinInt16), int16(-1), int32(32768), ""},
		{"byte div overflow promotes to short", Div, int8(math.MinInt8), int8(-1), int16(128), ""},
		{"double div by zero", Div, 1.0, 0.0, math.Inf(1), ""},
		{"float div by zero becomes double inf", Div, float32(1), float32(0), math.Inf(1), ""},
		{"long min / -1", Div, int64(math.MinInt64), int64(-1), nil, "long overflow"},
		{"bigint+int", Add, bi("100000000000000000000"), int32(1), bi("100000000000000000001"), ""},
		{"bigint div zero", Div, bi("10"), int32(0), nil, "divide by zero"},
		{"bigint+double is bigdecimal", Add, big.NewInt(1), 0.5, bd("1.5"), ""},
		{"bigdecimal add", Add, bd("1.25"), bd("0.75"), bd("2.00"), ""},
		{"bigdecimal exact div", Div, bd("1"), bd("4"), bd("0.25"), ""},
		{"bigdecimal non-terminating div", Div, bd("1"), bd("3"), bd("0.3333333333"), ""},
		{"bigdecimal 10/4 from ints", Div, bd("10"), int32(4), bd("2.5"), ""},
		{"bigdecimal div by zero", Div, bd("1"), bd("0"), nil, "Division by zero"},
		{"nil seed stays nil", Add, nil, int32(1), nil, ""},
		{"nil modifier returns seed", Add, int32(1), nil, int32(1), ""},
		{"string operand", Add, "a", int32(1), nil, "expected a number as first operand, got String"},
		{"string second operand", Sub, int32(1), "b", nil, "expected a number as second operand"},
	}
	for _, tc := range tests {
		got, err := tc.f(tc.a, tc.b)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want containing %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: unexpected error %v", tc.name, err)
			continue
		}
		if !same(got, tc.want) {
			t.Errorf("%s: got %T %s, want %T %s", tc.name, got, javaString(got), tc.want, javaString(tc.want))
		}
	}
}

func TestBigDecimalScaleKept(t *testing.T) {
	got, err := Mul(bd("1.5"), bd("2.0"))
	mustNoErr(t, err)
	if s := javaString(got); s != "3.00" {
		t.Errorf("1.5*2.0 = %s, want 3.00", s)
	}
	got, err = Div(bd("2"), bd("3"))
	mustNoErr(t, err)
	if s := javaString(got); s != "0.6666666667" {
		t.Errorf("2/3 = %s, want 0.6666666667", s)
	}
	got, err = Div(bd("1000"), bd("7"))
	mustNoErr(t, err)
	if s := javaString(got); s != "142.8571428571" { // precision 14, scale capped at 10
		t.Errorf("1000/7 = %s", s)
	}
}

func TestNeg(t *testing.T) {
	tests := []struct{ in, want any }{
		{int32(5), int32(-5)},
		{int32(math.MinInt32), int64(-math.MinInt32)},
		{int8(-128), int16(128)},
		{2.5, -2.5},
		{bd("1.5"), bd("-1.5")},
		{big.NewInt(3), big.NewInt(-3)},
		{nil, nil},
	}
	for _, tc := range tests {
		got, err := Neg(tc.in)
		mustNoErr(t, err)
		if !same(got, tc.want) {
			t.Errorf("Neg(%s) = %T %v", describe(tc.in), got, got)
		}
	}
	if _, err := Neg("x"); err == nil || !strings.Contains(err.Error(), "neg") {
		t.Errorf("Neg(string) err = %v", err)
	}
}

func TestMinMax(t *testing.T) {
	tests := []struct {
		a, b     any
		min, max any
	}{
		{int32(4), int32(2), int32(2), int32(4)},
		{nil, int32(1), int32(1), int32(1)},
		{int32(1), nil, int32(1), int32(1)},
		{nan, int32(1), int32(1), int32(1)},
		{int32(1), nan, int32(1), int32(1)},
		{int32(1), 2.0, 1.0, 2.0}, // highest common class
		{int64(9999999999), int32(27), int64(27), int64(9999999999)},
		{"josh", "marko", "josh", "marko"},
		{"a", int32(1), int32(1), "a"}, // mixed types: Orderability
	}
	for i, tc := range tests {
		if got := Min(tc.a, tc.b); !same(got, tc.min) {
			t.Errorf("%d: Min = %T %v want %T %v", i, got, got, tc.min, tc.min)
		}
		if got := Max(tc.a, tc.b); !same(got, tc.max) {
			t.Errorf("%d: Max = %T %v want %T %v", i, got, got, tc.max, tc.max)
		}
	}
	if got := Min(nan, nan); !isNaN(got) {
		t.Errorf("Min(NaN,NaN) = %v", got)
	}
}

func TestSumMean(t *testing.T) {
	ages := []any{int32(29), int32(27), int32(32), int32(35)}
	s, err := Sum(ages)
	mustNoErr(t, err)
	if !same(s, int32(123)) {
		t.Errorf("sum ages = %T %v", s, s)
	}
	mn, err := Mean(ages)
	mustNoErr(t, err)
	if !same(mn, 30.75) {
		t.Errorf("mean ages = %T %v", mn, mn)
	}
	w := []any{0.4, 0.5, 1.0, 0.4, 1.0, 0.2}
	s, _ = Sum(w)
	if f := s.(float64); math.Abs(f-3.5) > 1e-12 {
		t.Errorf("sum weights = %v", f)
	}
	s, _ = Sum([]any{int32(math.MaxInt32), int32(1), nil})
	if !same(s, int64(math.MaxInt32)+1) {
		t.Errorf("sum overflow = %T %v", s, s)
	}
	if s, err := Sum(nil); s != nil || err != nil {
		t.Errorf("empty sum = %v %v", s, err)
	}
	if s, err := Mean([]any{nil}); s != nil || err != nil {
		t.Errorf("mean of nulls = %v %v", s, err)
	}
	mn, _ = Mean([]any{big.NewInt(1), big.NewInt(2)})
	if !same(mn, bd("1.5")) {
		t.Errorf("bigint mean = %T %v", mn, javaString(mn))
	}
	if _, err := Sum([]any{int32(1), "x"}); err == nil || !strings.Contains(err.Error(), "sum: expected numbers, item 1") {
		t.Errorf("sum error = %v", err)
	}
}

func TestApplyOperator(t *testing.T) {
	tests := []struct {
		op   string
		a, b any
		want any
		err  string
	}{
		{"sum", int32(1), int32(2), int32(3), ""},
		{"Operator.sum", int32(1), 2.0, 3.0, ""},
		{"minus", int32(5), int32(2), int32(3), ""},
		{"mult", int32(5), int32(2), int32(10), ""},
		{"div", int32(5), int32(2), int32(2), ""},
		{"div", 5.0, int32(2), 2.5, ""},
		{"min", int32(5), int32(2), int32(2), ""},
		{"max", int32(5), int32(2), int32(5), ""},
		{"assign", int32(5), "x", "x", ""},
		{"and", true, false, false, ""},
		{"or", true, false, true, ""},
		{"sumLong", int32(1), int32(2), int64(3), ""},
		{"addAll", l(int32(1)), l(int32(2)), l(int32(1), int32(2)), ""},
		{"addAll", set(int32(1)), l(int32(1), int32(2)), set(int32(1), int32(2)), ""},
		{"addAll", m("a", int32(1)), m("b", int32(2)), m("a", int32(1), "b", int32(2)), ""},
		{"and", int32(1), true, nil, "Operator.and: expected booleans"},
		{"sum", "x", int32(1), nil, "Operator.sum"},
		{"bogus", int32(1), int32(1), nil, "unknown Operator"},
		{"min", "a", int32(1), nil, "Operator.min: expected numbers"},
	}
	for _, tc := range tests {
		got, err := ApplyOperator(tc.op, tc.a, tc.b)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v want %q", tc.op, err, tc.err)
			}
			continue
		}
		mustNoErr(t, err)
		if !same(got, tc.want) {
			t.Errorf("%s(%s, %s) = %s, want %s", tc.op, describe(tc.a), describe(tc.b), describe(got), describe(tc.want))
		}
	}
}

func TestToInt64Float64(t *testing.T) {
	if n, ok := ToInt64(3.0); !ok || n != 3 {
		t.Error("3.0")
	}
	if _, ok := ToInt64(3.5); ok {
		t.Error("3.5 should not convert")
	}
	if _, ok := ToInt64(bi("100000000000000000000")); ok {
		t.Error("huge bigint should not convert")
	}
	if n, ok := ToInt64(bd("42.0")); !ok || n != 42 {
		t.Error("bigdecimal 42.0")
	}
	if _, ok := ToInt64("1"); ok {
		t.Error("string")
	}
	if f, ok := ToFloat64(int16(7)); !ok || f != 7 {
		t.Error("short")
	}
	if _, ok := ToFloat64(nil); ok {
		t.Error("nil")
	}
}
