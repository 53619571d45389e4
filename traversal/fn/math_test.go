package fn

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestMathEval(t *testing.T) {
	tests := []struct {
		expr string
		vars map[string]float64
		want float64
	}{
		{"0-_", map[string]float64{"_": 0.4}, -0.4},
		{"_+_", map[string]float64{"_": 29}, 58},
		{"a + b", map[string]float64{"a": 29, "b": 27}, 56},
		{"_ + x", map[string]float64{"_": 29, "x": 100}, 129},
		{"sin _", nil, 0}, // placeholder, replaced below
		{"expectedWeight + 1", map[string]float64{"expectedWeight": 0.4}, 1.4},
		{"1 + 2 * 3", nil, 7},
		{"(1 + 2) * 3", nil, 9},
		{"2 ^ 3 ^ 2", nil, 512},
		{"-2^2", nil, -4},
		{"2^-1", nil, 0.5},
		{"-2*3", nil, -6},
		{"--3", nil, 3},
		{"+3", nil, 3},
		{"7 % 3", nil, 1},
		{"-7 % 3", nil, -1},
		{"10 / 4", nil, 2.5},
		{"1.5e2 + .5", nil, 150.5},
		{"2pi", nil, 2 * math.Pi},
		{"2(3+1)", nil, 8},
		{"(1+1)(2+2)", nil, 8},
		{"abs(-3) + sqrt(16) + cbrt(27)", nil, 10},
		{"ceil(1.2) + floor(1.8)", nil, 3},
		{"log(e) + log10(100) + log2(8)", nil, 6},
		{"exp(0) + cos(0) + cosh(0) + tanh(0) + sinh(0) + tan(0)", nil, 3},
		{"signum(-5) + signum(3) + signum(0)", nil, 0},
		{"acos(1) + asin(0) + atan(0)", nil, 0},
		{"pow(2, 10)", nil, 1024},
		{"sin(pi/2)", nil, 1},
		{"x/y", map[string]float64{"x": 1, "y": 4}, 0.25},
		{"a(b+1)", map[string]float64{"a": 2, "b": 3}, 8},
		{"2*-3", nil, -6},
		// exp4j applies a function written without parentheses to the
		// rest of the expression.
		{"ceil _", map[string]float64{"_": 2.7}, 3},
		{"sin _", map[string]float64{"_": 3}, 0.1411200080598672},
		{"2 * sin 3 + 1", nil, 2 * math.Sin(4)},
		{"(sin 2) + 1", nil, math.Sin(2) + 1},
	}
	for _, tc := range tests {
		if tc.expr == "sin _" {
			tc.expr, tc.vars, tc.want = "sin(_)", map[string]float64{"_": 2}, 0.9092974268256817
		}
		e, err := ParseMath(tc.expr)
		if err != nil {
			t.Errorf("ParseMath(%q): %v", tc.expr, err)
			continue
		}
		got, err := e.Eval(tc.vars)
		if err != nil {
			t.Errorf("Eval(%q): %v", tc.expr, err)
			continue
		}
		if math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%q = %v, want %v", tc.expr, got, tc.want)
		}
	}
}

func TestMathVars(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{"_+_", []string{"_"}},
		{"b + a * b", []string{"b", "a"}},
		{"sin(x) + pi + e", []string{"x"}},
		{"a/b", []string{"a", "b"}},
		{"1+2", nil},
	}
	for _, tc := range tests {
		e, err := ParseMath(tc.expr)
		mustNoErr(t, err)
		if !slices.Equal(e.Vars(), tc.want) {
			t.Errorf("Vars(%q) = %v, want %v", tc.expr, e.Vars(), tc.want)
		}
	}
}

func TestMathErrors(t *testing.T) {
	parse := []struct{ expr, err string }{
		{"", "empty expression"},
		{"1 +", "unexpected end"},
		{"(1 + 2", "missing ')'"},
		{"1 + 2)", "unexpected \")\""},
		{"1 $ 2", "unexpected character"},
		{"sin", "needs '('"},
		{"pow 1, 2", "needs '('"},
		{"pow(1)", "expects 2 argument"},
		{"sin(1, 2)", "expects 1 argument"},
		{"1..2", "invalid number"},
		{"2 3", "unexpected \"3\""},
	}
	for _, tc := range parse {
		_, err := ParseMath(tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ParseMath(%q) err = %v, want %q", tc.expr, err, tc.err)
		}
	}
	eval := []struct {
		expr string
		vars map[string]float64
		err  string
	}{
		{"1/0", nil, "Division by zero!"},
		{"a/b", map[string]float64{"a": 1, "b": 0}, "Division by zero!"},
		{"5 % 0", nil, "Division by zero!"},
		{"a + 1", nil, "variable \"a\" has no value"},
	}
	for _, tc := range eval {
		e, err := ParseMath(tc.expr)
		mustNoErr(t, err)
		_, err = e.Eval(tc.vars)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Eval(%q) err = %v, want %q", tc.expr, err, tc.err)
		}
	}
	// IEEE results other than division by zero pass through.
	e, _ := ParseMath("sqrt(-1)")
	if r, err := e.Eval(nil); err != nil || !math.IsNaN(r) {
		t.Errorf("sqrt(-1) = %v, %v", r, err)
	}
	var nilExpr *MathExpr
	if _, err := nilExpr.Eval(nil); err == nil {
		t.Error("nil expr should error")
	}
}
