package index

import (
	"bytes"
	"math"
	"math/big"
	"math/rand"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// exact returns a number as an exact rational (floats via their shortest
// decimal, as documented).
func exact(t *testing.T, v any) *big.Rat {
	r := new(big.Rat)
	switch x := v.(type) {
	case int32:
		return r.SetInt64(int64(x))
	case int64:
		return r.SetInt64(x)
	case int16:
		return r.SetInt64(int64(x))
	case int8:
		return r.SetInt64(int64(x))
	case float64:
		r.SetString(strconv.FormatFloat(x, 'e', -1, 64))
		return r
	case float32:
		r.SetString(strconv.FormatFloat(float64(x), 'e', -1, 32))
		return r
	case *big.Int:
		return r.SetInt(x)
	case value.BigDecimal:
		return x.Rat()
	}
	t.Fatalf("not a number: %T", v)
	return nil
}

func randomNumber(rng *rand.Rand) any {
	mag := []int64{1, 10, 1000, 1 << 20, 1 << 40, math.MaxInt64}[rng.Intn(6)]
	n := rng.Int63n(mag)
	if rng.Intn(2) == 0 {
		n = -n
	}
	switch rng.Intn(7) {
	case 0:
		return int32(n % math.MaxInt32)
	case 1:
		return n
	case 2:
		return int8(n % 128)
	case 3:
		return float64(n) / float64(1+rng.Intn(1000))
	case 4:
		return float32(n%100000) / 7
	case 5:
		b := new(big.Int).Mul(big.NewInt(n), big.NewInt(rng.Int63()))
		return b
	default:
		return value.BigDecimal{Unscaled: big.NewInt(n), Scale: int32(rng.Intn(12) - 3)}
	}
}

func enc(t *testing.T, v any) []byte {
	t.Helper()
	b, err := EncodeValue(v)
	if err != nil {
		t.Fatalf("EncodeValue(%T %v): %v", v, v, err)
	}
	n, err := SkipValue(b)
	if err != nil || n != len(b) {
		t.Fatalf("SkipValue(%T %v) = %d, %v; want %d", v, v, n, err, len(b))
	}
	return b
}

func TestNumberOrderAcrossWidths(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		a, b := randomNumber(rng), randomNumber(rng)
		want := exact(t, a).Cmp(exact(t, b))
		got := bytes.Compare(enc(t, a), enc(t, b))
		if got != want {
			t.Fatalf("order of %T %v and %T %v: encoding says %d, numbers say %d", a, a, b, b, got, want)
		}
	}
	// The examples from the spec, and equal values of different widths.
	order := []any{math.Inf(-1), int64(math.MinInt64), -2.5, int32(-1), 0.0, int8(0), 1e-300, int32(2), int64(10), 10.5, big.NewInt(11),
		value.BigDecimal{Unscaled: big.NewInt(1105), Scale: 2}, float32(1e30), math.Inf(1), math.NaN()}
	for i := 1; i < len(order); i++ {
		c := bytes.Compare(enc(t, order[i-1]), enc(t, order[i]))
		if c > 0 || (c == 0 && i != 5) {
			t.Errorf("%T %v should sort before %T %v", order[i-1], order[i-1], order[i], order[i])
		}
	}
	if !bytes.Equal(enc(t, int32(1)), enc(t, int64(1))) || !bytes.Equal(enc(t, int64(1)), enc(t, 1.0)) ||
		!bytes.Equal(enc(t, big.NewInt(100)), enc(t, value.BigDecimal{Unscaled: big.NewInt(10000), Scale: 2})) {
		t.Errorf("equal numbers of different types must encode alike")
	}
}

func TestStringDateAndMixedOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	alphabet := []byte{0, 1, 'a', 'b', 0xff, 0xc3}
	var strs []string
	for i := 0; i < 2000; i++ {
		b := make([]byte, rng.Intn(6))
		for j := range b {
			b[j] = alphabet[rng.Intn(len(alphabet))]
		}
		strs = append(strs, string(b))
	}
	encs := make([][]byte, len(strs))
	for i, s := range strs {
		encs[i] = enc(t, s)
	}
	idx := make([]int, len(strs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return bytes.Compare(encs[idx[a]], encs[idx[b]]) < 0 })
	for i := 1; i < len(idx); i++ {
		if strs[idx[i-1]] > strs[idx[i]] {
			t.Fatalf("string order broken: %q before %q", strs[idx[i-1]], strs[idx[i]])
		}
	}
	for i := 0; i < 2000; i++ {
		a := time.Unix(rng.Int63n(1<<40)-1<<39, rng.Int63n(1e9)).UTC()
		b := time.Unix(rng.Int63n(1<<40)-1<<39, rng.Int63n(1e9)).UTC()
		want := a.Compare(b)
		if got := bytes.Compare(enc(t, a), enc(t, b)); got != want {
			t.Fatalf("date order of %v and %v: %d, want %d", a, b, got, want)
		}
		da, db := time.Duration(rng.Int63()-1<<62), time.Duration(rng.Int63()-1<<62)
		if got := bytes.Compare(enc(t, da), enc(t, db)); got != cmp(da, db) {
			t.Fatalf("duration order of %v and %v", da, db)
		}
	}
	// Prefix-freedom in collections: ["a"] < ["a","b"] < ["b"].
	l1, l2, l3 := enc(t, []any{"a"}), enc(t, []any{"a", "b"}), enc(t, []any{"b"})
	if bytes.Compare(l1, l2) >= 0 || bytes.Compare(l2, l3) >= 0 {
		t.Errorf("list order broken")
	}
	m := value.NewMap()
	m.Put("k", value.NewSet(int32(1)))
	enc(t, m)
	if _, err := EncodeValue(struct{}{}); err == nil {
		t.Errorf("encoding an unsupported type must fail")
	}
}

func cmp[T int64 | time.Duration](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestOrderedIntRoundTripAndOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	vals := []int64{math.MinInt64, math.MinInt64 + 1, -257, -256, -255, -2, -1, 0, 1, 255, 256, math.MaxInt64}
	for i := 0; i < 5000; i++ {
		vals = append(vals, rng.Int63()>>uint(rng.Intn(63))*int64(1-2*rng.Intn(2)))
	}
	for _, a := range vals {
		b := AppendOrderedInt(nil, a)
		got, n, err := DecodeOrderedInt(append(b, 0xAA))
		if err != nil || got != a || n != len(b) {
			t.Fatalf("round trip %d: got %d, %d bytes, %v", a, got, n, err)
		}
	}
	for i := 0; i < 5000; i++ {
		a, b := vals[rng.Intn(len(vals))], vals[rng.Intn(len(vals))]
		if got := bytes.Compare(AppendOrderedInt(nil, a), AppendOrderedInt(nil, b)); got != cmp(a, b) {
			t.Fatalf("order of %d and %d: %d", a, b, got)
		}
	}
	if n := len(AppendOrderedInt(nil, 100000)); n != 4 {
		t.Errorf("100000 takes %d bytes, want 4", n)
	}
	if _, _, err := DecodeOrderedInt([]byte{0x20}); err == nil {
		t.Errorf("bad header must fail")
	}
}

func FuzzSkipValue(f *testing.F) {
	f.Add([]byte{classPos, 0x89, 1, 5, 0})
	f.Add([]byte{classList, classString, 'a', 0, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := SkipValue(b)
		if err == nil && (n <= 0 || n > len(b)) {
			t.Fatalf("SkipValue returned %d for %d bytes", n, len(b))
		}
	})
}

func TestTokenizeAndSpans(t *testing.T) {
	got := Tokenize("Hello, hello WORLD-42 ünïcode")
	if want := []string{"hello", "world", "42", "ünïcode"}; len(got) != len(want) || got[0] != want[0] || got[3] != want[3] {
		t.Fatalf("Tokenize = %q, want %q", got, want)
	}
	p := []byte{7}
	spans, err := RangeSpans(p, &value.P{Operator: "outside", Values: []any{int32(1), 5.5}})
	if err != nil || len(spans) != 2 {
		t.Fatalf("outside spans: %v %v", spans, err)
	}
	if _, err := RangeSpans(p, &value.P{Operator: "regex", Values: []any{"x"}}); err == nil {
		t.Fatalf("a range index must refuse regex")
	}
	if _, _, err := TextSpans(p, &value.P{Operator: OpTextContainsRegex, Values: []any{"("}}); err == nil {
		t.Fatalf("a bad regex must fail")
	}
}
