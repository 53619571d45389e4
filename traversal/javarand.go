package traversal

import (
	"math"
	"sort"
	"unicode/utf16"
)

// javaRandom reproduces java.util.Random bit for bit: a 48-bit linear
// congruential generator with the multiplier 0x5DEECE66D. TinkerPop's
// Seedable steps (coin, sample, order().by(shuffle)) each own one, which
// SeedStrategy reseeds with the strategy's seed; using the same generator
// and the same call sequence makes seeded traversals return exactly what
// the reference implementation returns.
type javaRandom struct {
	seed int64
}

const (
	javaRandMultiplier = 0x5DEECE66D
	javaRandAddend     = 0xB
	javaRandMask       = (int64(1) << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	r := &javaRandom{}
	r.setSeed(seed)
	return r
}

// setSeed is Random.setSeed: the seed is scrambled with the multiplier.
func (r *javaRandom) setSeed(seed int64) {
	r.seed = (seed ^ javaRandMultiplier) & javaRandMask
}

// next is Random.next(bits): advance the LCG and return the top bits as
// a signed 32-bit int.
func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaRandMultiplier + javaRandAddend) & javaRandMask
	return int32(uint64(r.seed) >> (48 - bits))
}

// nextInt is Random.nextInt().
func (r *javaRandom) nextInt() int32 { return r.next(32) }

// nextLong is Random.nextLong().
func (r *javaRandom) nextLong() int64 {
	return int64(r.next(32))<<32 + int64(r.next(32))
}

// nextDouble is Random.nextDouble(): 53 random bits scaled into [0, 1).
func (r *javaRandom) nextDouble() float64 {
	hi := int64(r.next(26))
	lo := int64(r.next(27))
	return float64(hi<<27+lo) * (1.0 / float64(int64(1)<<53))
}

// nextIntN is Random.nextInt(bound) with its rejection loop, including
// the int32 overflow test of the original.
func (r *javaRandom) nextIntN(bound int32) int32 {
	if bound <= 0 {
		panic("javaRandom.nextIntN: bound must be positive")
	}
	rv := r.next(31)
	m := bound - 1
	if bound&m == 0 {
		return int32((int64(bound) * int64(rv)) >> 31)
	}
	for u := rv; ; u = r.next(31) {
		rv = u % bound
		if u-rv+m >= 0 { // int32 arithmetic: overflow means reject
			break
		}
	}
	return rv
}

// shuffle is Collections.shuffle(list, random) for a list of n elements.
func (r *javaRandom) shuffle(n int, swap func(i, j int)) {
	for i := n; i > 1; i-- {
		swap(i-1, int(r.nextIntN(int32(i))))
	}
}

// javaHashCode is Object.hashCode() of the Java type a value maps to, for
// the types whose hash is fully specified (String, Integer, Long, Short,
// Byte, Boolean, Double, Float). ok is false for anything else.
func javaHashCode(v any) (int32, bool) {
	switch n := v.(type) {
	case string:
		var h int32
		for _, u := range utf16.Encode([]rune(n)) {
			h = 31*h + int32(u)
		}
		return h, true
	case int32:
		return n, true
	case int64:
		return int32(n ^ int64(uint64(n)>>32)), true
	case int16:
		return int32(n), true
	case int8:
		return int32(n), true
	case bool:
		if n {
			return 1231, true
		}
		return 1237, true
	case float64:
		bits := int64(math.Float64bits(n))
		if n != n {
			bits = 0x7ff8000000000000
		}
		return int32(bits ^ int64(uint64(bits)>>32)), true
	case float32:
		if n != n {
			return 0x7fc00000, true
		}
		return int32(math.Float32bits(n)), true
	}
	return 0, false
}

// javaHashMapOrder returns the order in which a java.util.HashMap with
// default settings iterates keys inserted in the given order: by bucket
// of the spread hash in the final table, insertion order within a bucket.
// ok is false when a key has no specified Java hash.
func javaHashMapOrder(keys []any) ([]int, bool) {
	capacity := 16
	for len(keys) > capacity*3/4 {
		capacity *= 2
	}
	buckets := make([]int, len(keys))
	for i, k := range keys {
		h, ok := javaHashCode(k)
		if !ok {
			return nil, false
		}
		spread := uint32(h) ^ (uint32(h) >> 16)
		buckets[i] = int(spread & uint32(capacity-1))
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return buckets[order[a]] < buckets[order[b]] })
	return order, true
}
