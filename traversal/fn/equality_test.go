package fn

import (
	"math"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Equality.feature Primitives_Number_eqX*X: every type of 1 equals every
// other type of 1, and 1000i equals none of them.
func TestEqualNumbersAcrossTypes(t *testing.T) {
	ones := []any{int8(1), int16(1), int32(1), int64(1), float32(1), float64(1), bd("1"), big.NewInt(1)}
	for _, a := range ones {
		for _, b := range ones {
			if !Equal(a, b) {
				t.Errorf("Equal(%T 1, %T 1) = false", a, b)
			}
		}
		if Equal(a, int32(1000)) {
			t.Errorf("Equal(%T 1, 1000i) = true", a)
		}
	}
	if Equal(int8(1), int32(1000)) { // (byte)1000 is -24 in Java, still not 1
		t.Error("byte 1 == 1000")
	}
}

func TestEqual(t *testing.T) {
	u := uuid.MustParse("b46d37e9-755c-477e-9ab6-44aabea51d50")
	d1 := time.Date(2023, 8, 2, 0, 0, 0, 0, time.UTC)
	d2 := time.Date(2023, 8, 1, 17, 0, 0, 0, time.FixedZone("", -7*3600))
	tests := []struct {
		a, b any
		want bool
	}{
		{nil, nil, true},
		{nil, int32(0), false},
		{int32(0), nil, false},
		{nan, nan, false},
		{float32(nan), nan, false},
		{1.0, nan, false},
		{math.Inf(1), math.Inf(1), true},
		{math.Inf(-1), math.Inf(1), false},
		{float32(math.Inf(1)), math.Inf(1), true},
		{math.Copysign(0, -1), 0.0, true},
		{"foo", 1.0, false},
		{"foo", "foo", true},
		{true, true, true},
		{true, false, false},
		{u, u.String(), false},
		{u, u, true},
		{d1, d2, true}, // same instant
		{l(int32(1), int32(2)), l(1.0, 2.0), true},
		{l(int32(1), int32(2)), l(int32(1), int32(2), int32(3)), false},
		{l(), l(), true},
		{l(int32(1)), l("a"), false},
		{l(nan), l(nan), false},
		{set(int32(1), int32(2)), set(2.0, 1.0), true},
		{set(int32(1), "foo"), set("foo", int32(1)), true},
		{set(int32(1)), l(int32(1)), false},
		{m("a", int32(1), "b", int32(2)), m("b", 2.0, "a", int64(1)), true},
		{m("a", int32(1)), m("a", int32(2)), false},
		{v(int64(1)), v(int32(1)), true},
		{v(int64(1)), v(int64(2)), false},
		{v(int64(1)), &value.Edge{ID: int64(1)}, false},
		{&value.Property{Key: "w", Value: 0.5}, &value.Property{Key: "w", Value: float32(0.5)}, true},
		{&value.Property{Key: "w", Value: 0.5}, &value.Property{Key: "x", Value: 0.5}, false},
		{&value.Path{Objects: l(v(int64(1)))}, &value.Path{Objects: l(v(int64(1)))}, true},
		{&value.Path{Objects: l(int32(1))}, l(int32(1)), false},
		{time.Second, time.Second, true},
		{time.Second, time.Minute, false},
		{value.Enum{Type: "T", Name: "id"}, value.Enum{Type: "T", Name: "id"}, true},
		{value.Char('a'), "a", false},
	}
	for i, tc := range tests {
		if got := Equal(tc.a, tc.b); got != tc.want {
			t.Errorf("%d: Equal(%s, %s) = %v, want %v", i, describe(tc.a), describe(tc.b), got, tc.want)
		}
	}
}

func TestEquivalent(t *testing.T) {
	tests := []struct {
		a, b any
		want bool
	}{
		{int32(1), int64(1), false},
		{int32(1), int32(1), true},
		{nan, nan, true},
		{nan, float32(nan), false},
		{nan, 1.0, false},
		{nil, nil, true},
		{l(int32(1), nan), l(int32(1), nan), true},
		{l(int32(1)), l(int64(1)), false},
		{m("a", nan), m("a", nan), true},
		{"x", "x", true},
	}
	for i, tc := range tests {
		if got := Equivalent(tc.a, tc.b); got != tc.want {
			t.Errorf("%d: Equivalent(%s, %s) = %v, want %v", i, describe(tc.a), describe(tc.b), got, tc.want)
		}
	}
}

func TestCompare(t *testing.T) {
	const E = 99 // ERROR
	tests := []struct {
		a, b any
		want int
	}{
		{nil, nil, 0},
		{nil, int32(1), E},
		{int32(1), nil, E},
		{nan, nan, E},
		{1.0, nan, E},
		{"foo", 1.0, E},
		{1.0, "foo", E},
		{int32(1), 1.5, -1},
		{int64(3), float32(2.5), 1},
		{big.NewInt(5), bd("5.0"), 0},
		{bd("1.5"), 2.0, -1},
		{bd("1.5"), math.Inf(1), -1},
		{math.Inf(1), math.Inf(-1), 1},
		{false, true, -1},
		{"a", "b", -1},
		{time.Unix(10, 0), time.Unix(5, 0), 1},
		{uuid.MustParse("5100808b-62f9-42b7-957e-ed66c30f40d1"), uuid.MustParse("6100808b-62f9-42b7-957e-ed66c30f40d1"), -1},
		{uuid.New(), "x", E},
		// provider docs list table
		{l(), l(), 0},
		{l(), l(int32(1)), -1},
		{l(int32(1)), l(), 1},
		{l(int32(1), int32(2), int32(3)), l(int32(1), int32(2), int32(3)), 0},
		{l(int32(1), int32(2), int32(3)), l(int32(1), int32(2), int32(4)), -1},
		{l(int32(1), int32(2), int32(3)), l(int32(1), int32(2), int32(3), int32(4)), -1},
		{l(int32(1), int32(2), int32(3), int32(4)), l(int32(1), int32(2), int32(3)), 1},
		{l(int32(1), int32(2)), l(1.0, 2.0), 0},
		{l(int32(1), "a"), l(int32(1), "b"), -1},
		{l(int32(1)), l("a"), E},
		{set(int32(1), int32(2)), set(int32(2), int32(1)), 0},
		{set(int32(1), "foo"), set("foo", int32(1)), 0},
		{v(int64(1)), v(int64(2)), -1},
		{v(int64(1)), &value.Edge{ID: int64(2)}, E},
		{time.Second, time.Minute, -1},
		{time.Second, "x", E},
	}
	for i, tc := range tests {
		c, ok := Compare(tc.a, tc.b)
		got := c
		if !ok {
			got = E
		}
		if got != tc.want {
			t.Errorf("%d: Compare(%s, %s) = %d,%v want %d", i, describe(tc.a), describe(tc.b), c, ok, tc.want)
		}
	}
}

// Orderability.feature g_inject_order.
func TestOrderMixedTypes(t *testing.T) {
	u5 := uuid.MustParse("5100808b-62f9-42b7-957e-ed66c30f40d1")
	u6 := uuid.MustParse("6100808b-62f9-42b7-957e-ed66c30f40d1")
	d1 := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	d8 := time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC)
	mAB := m("a", "a", "b", "b")
	mABC := m("a", "a", "b", false, "c", "c")
	lABC := l("a", "b", "c")
	lABCD := l("a", "b", "c", "d")
	sXYZ := set("x", "y", "z")
	in := []any{"zzz", "foo", u6, lABCD, int32(1), d8, lABC, mAB, nil, 2.0, d1, sXYZ, mABC, "bar", u5,
		true, false, math.Inf(1), nan, math.Inf(-1)}
	want := []any{nil, false, true, math.Inf(-1), int32(1), 2.0, math.Inf(1), nan, d1, d8, "bar", "foo", "zzz",
		u5, u6, sXYZ, lABC, lABCD, mABC, mAB}
	got := slices.Clone(in)
	slices.SortStableFunc(got, Order)
	if len(got) != len(want) {
		t.Fatal("length")
	}
	for i := range want {
		if !same(got[i], want[i]) && !(isNaN(got[i]) && isNaN(want[i])) {
			t.Errorf("position %d: got %s, want %s", i, describe(got[i]), describe(want[i]))
		}
	}
	// desc is the exact reverse
	slices.SortStableFunc(got, func(a, b any) int { return -Order(a, b) })
	for i := range want {
		w := want[len(want)-1-i]
		if !same(got[i], w) && !(isNaN(got[i]) && isNaN(w)) {
			t.Errorf("desc position %d: got %s, want %s", i, describe(got[i]), describe(w))
		}
	}
}

func TestOrderSpecifics(t *testing.T) {
	tests := []struct {
		a, b any
		want int
	}{
		{nan, nan, 0},
		{nan, math.Inf(1), 1},
		{int32(1), 1.0, 0},
		{v(int64(3)), v(int64(5)), -1},
		{v(int64(9)), &value.Edge{ID: int64(1)}, -1},
		{&value.VertexProperty{ID: int64(1)}, &value.Property{Key: "a"}, -1},
		{&value.Property{Key: "a", Value: int32(10)}, &value.Property{Key: "a", Value: 0.2}, 1},
		{&value.Path{Objects: l("x")}, set("x"), -1},
		{l(int32(1), "a"), l(int32(1), int32(5)), 1}, // string after number
		{time.Second, value.Char('a'), 1},            // unknowns: by type name
		{time.Second, time.Minute, -1},
		{value.MapEntry{Key: "a", Value: int32(1)}, value.MapEntry{Key: "a", Value: int32(2)}, -1},
		// enums order as their names: T.id sorts between "age" and "name"
		{value.Enum{Type: "T", Name: "id"}, "age", 1},
		{value.Enum{Type: "T", Name: "id"}, "name", -1},
		{value.Enum{Type: "T", Name: "id"}, value.Enum{Type: "T", Name: "label"}, -1},
		{value.MapEntry{Key: value.Enum{Type: "T", Name: "label"}, Value: "x"}, value.MapEntry{Key: "name", Value: "x"}, -1},
	}
	for i, tc := range tests {
		if got := Order(tc.a, tc.b); got != tc.want {
			t.Errorf("%d: Order(%s, %s) = %d want %d", i, describe(tc.a), describe(tc.b), got, tc.want)
		}
		if got := Order(tc.b, tc.a); got != -tc.want {
			t.Errorf("%d: Order reversed = %d want %d", i, got, -tc.want)
		}
	}
}
