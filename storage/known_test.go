package storage

import (
	"math/rand"
	"testing"
)

// vertexLabels behaves as a map from encoded id to label, whatever mix of
// dense, sparse, negative and non-integer ids it holds.
func TestVertexLabels(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	m := newVertexLabels()
	ref := map[string]uint32{}
	ids := func() any {
		switch rng.Intn(6) {
		case 0:
			return int64(rng.Intn(300000)) // dense, growing
		case 1:
			return int64(rng.Intn(2000))
		case 2:
			return -int64(rng.Intn(100)) - 1
		case 3:
			return int64(1<<40 + rng.Intn(100))
		case 4:
			return int32(rng.Intn(100))
		}
		return string(rune('a' + rng.Intn(26)))
	}
	for i := 0; i < 200000; i++ {
		k, err := appendID(nil, ids())
		if err != nil {
			t.Fatal(err)
		}
		switch rng.Intn(4) {
		case 0:
			m.del(k)
			delete(ref, string(k))
		default:
			l := uint32(rng.Intn(5))
			if rng.Intn(10) == 0 {
				l = 250 + uint32(rng.Intn(10)) // some too large for the dense bytes
			}
			m.put(k, l)
			ref[string(k)] = l
		}
		if i%1000 == 0 || i > 199000 {
			if m.len() != len(ref) {
				t.Fatalf("step %d: len %d, want %d", i, m.len(), len(ref))
			}
		}
		got, ok := m.get(k)
		want, wok := ref[string(k)]
		if ok != wok || got != want {
			t.Fatalf("step %d: get(%x) = %d, %v; want %d, %v", i, k, got, ok, want, wok)
		}
	}
	for ks, want := range ref {
		if got, ok := m.get([]byte(ks)); !ok || got != want {
			t.Fatalf("get(%x) = %d, %v; want %d", ks, got, ok, want)
		}
	}
	if int64(len(m.dense)) > denseLimit(m.len())+minDense {
		t.Fatalf("dense array of %d for %d entries", len(m.dense), m.len())
	}
}
