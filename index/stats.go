package index

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"sort"
)

// Value-distribution statistics over encoded index values (the bytes
// AppendValue, AppendToken or a composite of values produce). They are
// estimates for the planner: a HyperLogLog sketch of the distinct values
// and an equi-depth histogram. Both work on the encodings only, so one
// implementation serves every index kind.

// HLL precision: 2^12 one-byte registers (4 KiB), standard error
// 1.04/sqrt(4096) ≈ 1.6%.
const (
	hllP = 12
	hllM = 1 << hllP
)

// HLL is a HyperLogLog distinct-value sketch. The zero value is empty.
// It only grows: removing values does not lower the estimate.
type HLL struct {
	reg [hllM]uint8
}

// HLLError is the relative standard error of HLL.Estimate.
const HLLError = 1.04 / 64

// hash64 is FNV-1a followed by the splitmix64 finalizer: deterministic
// across processes (tests rely on that) and well mixed.
func hash64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// Add records one value.
func (h *HLL) Add(v []byte) {
	x := hash64(v)
	i := x >> (64 - hllP)
	w := x<<hllP | 1<<(hllP-1) // sentinel bit bounds the rank
	r := uint8(bits.LeadingZeros64(w)) + 1
	if r > h.reg[i] {
		h.reg[i] = r
	}
}

// Merge adds the values recorded in o.
func (h *HLL) Merge(o *HLL) {
	for i, r := range o.reg {
		if r > h.reg[i] {
			h.reg[i] = r
		}
	}
}

// Estimate returns the estimated number of distinct values added.
func (h *HLL) Estimate() float64 {
	sum, zeros := 0.0, 0
	for _, r := range h.reg {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	m := float64(hllM)
	est := 0.7213 / (1 + 1.079/m) * m * m / sum
	if est <= 2.5*m && zeros > 0 {
		est = m * math.Log(m/float64(zeros)) // linear counting
	}
	return est
}

// Bucket is one bucket of an equi-depth histogram: the entries whose
// encoded value lies in [Lower, Upper] (both inclusive).
type Bucket struct {
	Lower, Upper []byte
	// Count is the number of index entries in the bucket.
	Count int64
	// Distinct is the number of distinct values in the bucket: exact when
	// the histogram was built; later inserts outside [Lower, Upper] widen
	// the bounds and add one; removals leave it.
	Distinct int64
}

// Histogram is an equi-depth histogram over encoded values, in ascending
// order of disjoint buckets. A value is never split across buckets, and a
// value that alone fills a bucket gets a bucket of its own, so frequent
// values are estimated exactly.
type Histogram struct {
	Buckets []Bucket
}

// Total is the number of entries the histogram counts.
func (h *Histogram) Total() int64 {
	var n int64
	for _, b := range h.Buckets {
		n += b.Count
	}
	return n
}

// Locate returns the bucket a value belongs to: the first whose upper
// bound is ≥ v, else the last (-1 when there is none). Bounds only widen,
// so a value maps to the same bucket until the histogram is rebuilt.
func (h *Histogram) Locate(v []byte) int {
	n := len(h.Buckets)
	if n == 0 {
		return -1
	}
	i := sort.Search(n, func(i int) bool { return bytes.Compare(h.Buckets[i].Upper, v) >= 0 })
	if i == n {
		i = n - 1
	}
	return i
}

// Apply moves the count of value v by delta (an index entry inserted or
// removed), widening the bounds of its bucket when needed.
func (h *Histogram) Apply(v []byte, delta int64) {
	if len(h.Buckets) == 0 {
		if delta <= 0 {
			return
		}
		c := bytes.Clone(v)
		h.Buckets = append(h.Buckets, Bucket{Lower: c, Upper: c})
	}
	b := &h.Buckets[h.Locate(v)]
	if delta > 0 {
		if bytes.Compare(v, b.Lower) < 0 {
			b.Lower = bytes.Clone(v)
			b.Distinct++
		} else if bytes.Compare(v, b.Upper) > 0 {
			b.Upper = bytes.Clone(v)
			b.Distinct++
		}
	}
	b.Count += delta
	if b.Count < 0 {
		b.Count = 0
	}
	if b.Count > 0 && b.Distinct == 0 {
		b.Distinct = 1
	}
}

// EstimateEq estimates the entries whose value is v.
func (h *Histogram) EstimateEq(v []byte) float64 {
	i := h.Locate(v)
	if i < 0 {
		return 0
	}
	b := &h.Buckets[i]
	if bytes.Compare(v, b.Lower) < 0 || bytes.Compare(v, b.Upper) > 0 || b.Count == 0 {
		return 0
	}
	d := b.Distinct
	if d < 1 {
		d = 1
	}
	if d > b.Count {
		d = b.Count
	}
	return float64(b.Count) / float64(d)
}

// EstimateSpan estimates the entries whose value is in [start, end); a nil
// end is unbounded. Inside a bucket values are assumed uniform over the
// numeric reading of the bytes after the bucket bounds' common prefix.
func (h *Histogram) EstimateSpan(start, end []byte) float64 {
	var n float64
	for i := range h.Buckets {
		b := &h.Buckets[i]
		if b.Count == 0 || bytes.Compare(b.Upper, start) < 0 {
			continue
		}
		if end != nil && bytes.Compare(b.Lower, end) >= 0 {
			break
		}
		startIn := bytes.Compare(start, b.Lower) > 0
		endIn := end != nil && bytes.Compare(end, b.Upper) <= 0
		if !startIn && !endIn {
			n += float64(b.Count)
			continue
		}
		// Partial overlap of a bucket with at least two values.
		c := commonPrefix(b.Lower, b.Upper)
		lo, hi := pos(b.Lower, c), pos(b.Upper, c)
		if hi <= lo {
			n += float64(b.Count) / 2
			continue
		}
		s, e := lo, hi
		if startIn {
			s = pos(start, c)
		}
		if endIn {
			e = pos(end, c)
		}
		f := (e - s) / (hi - lo)
		f = math.Max(0, math.Min(1, f))
		n += f * float64(b.Count)
	}
	return n
}

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// pos reads the 8 bytes of x after offset c as a number (zero padded).
func pos(x []byte, c int) float64 {
	var buf [8]byte
	if c < len(x) {
		copy(buf[:], x[c:])
	}
	return float64(binary.BigEndian.Uint64(buf[:]))
}

// HistogramBuilder builds a Histogram (and an HLL) from values added in
// ascending order, one Add per entry, in O(buckets) memory: the bucket
// depth doubles, merging neighbours, whenever the buckets exceed twice
// the target.
type HistogramBuilder struct {
	target  int
	depth   int64
	closed  []Bucket
	open    *Bucket
	run     []byte
	runN    int64
	hll     HLL
	entries int64
	runs    int64
}

// DefaultBuckets is the target number of histogram buckets.
const DefaultBuckets = 64

// NewHistogramBuilder returns a builder aiming at target buckets (at most
// twice that many result).
func NewHistogramBuilder(target int) *HistogramBuilder {
	if target < 1 {
		target = DefaultBuckets
	}
	return &HistogramBuilder{target: target, depth: 1}
}

// Add adds one entry with encoded value v (v ≥ the previous value). The
// builder keeps v: the caller must not modify it afterwards.
func (b *HistogramBuilder) Add(v []byte) {
	b.entries++
	if b.runN > 0 && bytes.Equal(v, b.run) {
		b.runN++
		return
	}
	b.flushRun()
	b.run, b.runN = v, 1
	b.runs++
	b.hll.Add(v)
}

func (b *HistogramBuilder) flushRun() {
	if b.runN == 0 {
		return
	}
	v, n := b.run, b.runN
	b.runN = 0
	if n >= b.depth {
		b.closeOpen()
		b.closed = append(b.closed, Bucket{Lower: v, Upper: v, Count: n, Distinct: 1})
	} else {
		if b.open == nil {
			b.open = &Bucket{Lower: v}
		}
		b.open.Upper = v
		b.open.Count += n
		b.open.Distinct++
		if b.open.Count >= b.depth {
			b.closeOpen()
		}
	}
	if len(b.closed) > 2*b.target {
		b.depth *= 2
		b.closed = mergeBuckets(b.closed, b.depth)
	}
}

func (b *HistogramBuilder) closeOpen() {
	if b.open != nil {
		b.closed = append(b.closed, *b.open)
		b.open = nil
	}
}

// mergeBuckets merges neighbours until each holds about depth entries;
// single-value buckets that fill a bucket alone stay alone.
func mergeBuckets(in []Bucket, depth int64) []Bucket {
	out := in[:0]
	heavy := func(x *Bucket) bool { return x.Count >= depth && bytes.Equal(x.Lower, x.Upper) }
	for i := range in {
		x := in[i]
		if len(out) > 0 {
			last := &out[len(out)-1]
			if last.Count < depth && !heavy(last) && !heavy(&x) {
				last.Upper = x.Upper
				last.Count += x.Count
				last.Distinct += x.Distinct
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// Finish returns the histogram, the sketch of the distinct values, the
// exact number of distinct values and the number of entries added.
func (b *HistogramBuilder) Finish() (h Histogram, sketch *HLL, distinct, entries int64) {
	b.flushRun()
	b.closeOpen()
	hll := b.hll
	return Histogram{Buckets: b.closed}, &hll, b.runs, b.entries
}
