package fn

import (
	"math"
	"testing"
)

// Java's Math.sin results (Math.feature g_withSackX1X_..._mathXsin__X).
func TestAccurateTrig(t *testing.T) {
	want := map[float64]float64{
		2: 0.9092974268256817, 3: 0.1411200080598672, 4: -0.7568024953079282,
		5: -0.9589242746631385, 6: -0.27941549819892586,
	}
	for x, w := range want {
		if got := accurateSin(x); got != w {
			t.Errorf("sin(%v) = %v, want %v", x, got, w)
		}
	}
	for _, x := range []float64{0.1, 0.5, 1, 1.5, 2.5, -3, 10, 100, 1e6, 12345.678, -0.75} {
		if d := math.Abs(accurateSin(x) - math.Sin(x)); d > 2e-16*math.Max(1, math.Abs(math.Sin(x)))*2 {
			t.Errorf("sin(%v) = %v, math.Sin %v", x, accurateSin(x), math.Sin(x))
		}
		if d := math.Abs(accurateCos(x) - math.Cos(x)); d > 4e-16 {
			t.Errorf("cos(%v) = %v, math.Cos %v", x, accurateCos(x), math.Cos(x))
		}
		if d := math.Abs(accurateTan(x)-math.Tan(x)) / math.Max(1, math.Abs(math.Tan(x))); d > 4e-16 {
			t.Errorf("tan(%v) = %v, math.Tan %v", x, accurateTan(x), math.Tan(x))
		}
	}
	if !math.IsNaN(accurateSin(math.Inf(1))) || !math.IsNaN(accurateCos(math.NaN())) {
		t.Error("sin/cos of Inf/NaN must be NaN")
	}
	if s := accurateSin(math.Copysign(0, -1)); s != 0 || !math.Signbit(s) {
		t.Error("sin(-0) must be -0")
	}
	if accurateCos(0) != 1 || accurateSin(1e300) != math.Sin(1e300) {
		t.Error("cos(0) or large-argument fallback")
	}
}
