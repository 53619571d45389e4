package index

import (
	"math"
	"math/rand"
	"sort"
	"testing"
)

// buildStats encodes vals (int64s), sorts them as an index would and
// builds the statistics.
func buildStats(t *testing.T, vals []int64) (Histogram, *HLL, int64, [][]byte) {
	t.Helper()
	enc := make([][]byte, len(vals))
	for i, v := range vals {
		b, err := AppendValue(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		enc[i] = b
	}
	sort.Slice(enc, func(i, j int) bool { return string(enc[i]) < string(enc[j]) })
	b := NewHistogramBuilder(DefaultBuckets)
	for _, e := range enc {
		b.Add(e)
	}
	h, hll, distinct, n := b.Finish()
	if n != int64(len(vals)) || h.Total() != n {
		t.Fatalf("built over %d entries, histogram counts %d, want %d", n, h.Total(), len(vals))
	}
	if len(h.Buckets) > 2*DefaultBuckets+1 {
		t.Fatalf("%d buckets, want at most %d", len(h.Buckets), 2*DefaultBuckets+1)
	}
	return h, hll, distinct, enc
}

func encI(t *testing.T, v int64) []byte {
	b, err := AppendValue(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Stated error bounds: distinct within 5% (HLL standard error 1.6%;
// deterministic hash, so the test is deterministic); a range covering a
// fraction f of uniform data within 2 buckets' depth; frequent values
// (those alone filling a bucket) exact.
func TestStatsUniform(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const n, domain = 100_000, 20_000
	vals := make([]int64, n)
	count := map[int64]int64{}
	for i := range vals {
		vals[i] = rng.Int63n(domain)
		count[vals[i]]++
	}
	h, hll, distinct, _ := buildStats(t, vals)
	if distinct != int64(len(count)) {
		t.Fatalf("exact distinct %d, want %d", distinct, len(count))
	}
	if e := hll.Estimate(); math.Abs(e-float64(len(count)))/float64(len(count)) > 0.05 {
		t.Fatalf("HLL estimate %.0f, want %d ±5%%", e, len(count))
	}
	depth := float64(n) / float64(len(h.Buckets))
	for _, r := range [][2]int64{{0, 100}, {5000, 15000}, {19_000, 30_000}, {-5, 3}} {
		var want int64
		for _, v := range vals {
			if v >= r[0] && v < r[1] {
				want++
			}
		}
		got := h.EstimateSpan(encI(t, r[0]), encI(t, r[1]))
		if math.Abs(got-float64(want)) > 2*depth {
			t.Errorf("[%d, %d): estimate %.0f, actual %d (bucket depth %.0f)", r[0], r[1], got, want, depth)
		}
	}
	// Equality: about n/domain per value.
	var worst float64
	for v := int64(0); v < domain; v += 97 {
		got := h.EstimateEq(encI(t, v))
		worst = math.Max(worst, math.Abs(got-float64(count[v])))
	}
	if worst > 10 { // mean 5 per value
		t.Errorf("equality estimates off by up to %.1f", worst)
	}
}

func TestStatsSkewed(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	const n = 100_000
	zipf := rand.NewZipf(rng, 1.2, 1, 1<<20)
	vals := make([]int64, n)
	count := map[int64]int64{}
	for i := range vals {
		vals[i] = int64(zipf.Uint64())
		count[vals[i]]++
	}
	h, hll, distinct, _ := buildStats(t, vals)
	if distinct != int64(len(count)) {
		t.Fatalf("exact distinct %d, want %d", distinct, len(count))
	}
	if e := hll.Estimate(); math.Abs(e-float64(len(count)))/float64(len(count)) > 0.05 {
		t.Fatalf("HLL estimate %.0f, want %d ±5%%", e, len(count))
	}
	depth := float64(n) / float64(len(h.Buckets))
	// Heavy hitters: exact.
	for v := int64(0); v < 5; v++ {
		if got := h.EstimateEq(encI(t, v)); got != float64(count[v]) {
			t.Errorf("eq %d: estimate %.0f, actual %d", v, got, count[v])
		}
	}
	// A rare value: at most a bucket's depth.
	for _, v := range []int64{5000, 77777, 1 << 19} {
		if got := h.EstimateEq(encI(t, v)); math.Abs(got-float64(count[v])) > depth {
			t.Errorf("eq %d: estimate %.0f, actual %d", v, got, count[v])
		}
	}
	for _, r := range [][2]int64{{0, 1}, {0, 10}, {10, 1000}, {1000, 1 << 21}} {
		var want int64
		for _, v := range vals {
			if v >= r[0] && v < r[1] {
				want++
			}
		}
		got := h.EstimateSpan(encI(t, r[0]), encI(t, r[1]))
		if math.Abs(got-float64(want)) > 2*depth {
			t.Errorf("[%d, %d): estimate %.0f, actual %d (depth %.0f)", r[0], r[1], got, want, depth)
		}
	}
}

// Maintenance keeps every bucket's count equal to the entries that map to
// it, through inserts and removals of values inside, between and beyond
// the buckets.
func TestHistogramApply(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var vals []int64
	for i := 0; i < 5000; i++ {
		vals = append(vals, rng.Int63n(1000))
	}
	h, _, _, _ := buildStats(t, vals)
	live := append([]int64(nil), vals...)
	for i := 0; i < 20000; i++ {
		if rng.Intn(2) == 0 && len(live) > 0 {
			j := rng.Intn(len(live))
			h.Apply(encI(t, live[j]), -1)
			live[j] = live[len(live)-1]
			live = live[:len(live)-1]
		} else {
			v := rng.Int63n(3000) - 1000
			h.Apply(encI(t, v), 1)
			live = append(live, v)
		}
	}
	want := make([]int64, len(h.Buckets))
	for _, v := range live {
		want[h.Locate(encI(t, v))]++
	}
	for i, b := range h.Buckets {
		if b.Count != want[i] {
			t.Fatalf("bucket %d counts %d, want %d", i, b.Count, want[i])
		}
		if i > 0 && string(h.Buckets[i-1].Upper) >= string(b.Lower) {
			t.Fatalf("buckets %d and %d overlap", i-1, i)
		}
	}
	var empty Histogram
	empty.Apply(encI(t, 5), 1)
	empty.Apply(encI(t, 9), 1)
	if empty.Total() != 2 || empty.EstimateEq(encI(t, 5)) != 1 {
		t.Fatalf("grown histogram: %+v", empty.Buckets)
	}
}
