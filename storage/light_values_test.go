package storage

import (
	"fmt"
	"math/big"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// randRowValue returns a random storable value of any codec type.
func randRowValue(r *rand.Rand, depth int) any {
	n := 17
	if depth > 1 {
		n = 14 // no more collections
	}
	switch r.Intn(n) {
	case 0:
		return r.Intn(2) == 0
	case 1:
		return int8(r.Intn(256) - 128)
	case 2:
		return int16(r.Intn(1<<16) - 1<<15)
	case 3:
		return r.Int31() - 1<<30
	case 4:
		return r.Int63() - 1<<62
	case 5:
		return r.Float32()
	case 6:
		return r.NormFloat64() * 1e6
	case 7:
		return strings.Repeat("x", r.Intn(40)) + fmt.Sprint(r.Int())
	case 8:
		return new(big.Int).Lsh(big.NewInt(r.Int63()), 70)
	case 9:
		return value.BigDecimal{Unscaled: big.NewInt(r.Int63() - 1<<62), Scale: int32(r.Intn(10))}
	case 10:
		return value.Char(rune('a' + r.Intn(26)))
	case 11:
		var u uuid.UUID
		r.Read(u[:])
		return u
	case 12:
		if r.Intn(2) == 0 {
			return time.Unix(r.Int63n(1<<32), r.Int63n(1e9)).UTC()
		}
		return time.Unix(r.Int63n(1<<32), 0).In(time.FixedZone("", 3600*(r.Intn(20)-10)))
	case 13:
		if r.Intn(2) == 0 {
			return time.Duration(r.Int63())
		}
		b := make([]byte, r.Intn(20))
		r.Read(b)
		return b
	case 14:
		l := make([]any, r.Intn(4))
		for i := range l {
			l[i] = randRowValue(r, depth+1)
		}
		return l
	case 15:
		s := value.NewSet()
		for i := r.Intn(4); i > 0; i-- {
			s.Add(randRowValue(r, depth+1))
		}
		return s
	default:
		m := value.NewMap()
		for i := r.Intn(4); i > 0; i-- {
			m.Put(fmt.Sprint("k", i), randRowValue(r, depth+1))
		}
		return m
	}
}

// vertexString renders everything of a vertex that a scan fills in.
func vertexString(v *value.Vertex) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q nil=%v [", value.Key(v.ID), v.Label, v.Properties == nil)
	for _, vp := range v.Properties {
		fmt.Fprintf(&b, " %s %s=%s owner=%s {", value.Key(vp.ID), vp.Key, value.Key(vp.Value), value.Key(vp.Vertex.ID))
		for _, m := range vp.Properties {
			fmt.Fprintf(&b, " %s=%s", m.Key, value.Key(m.Value))
		}
		b.WriteString(" }")
	}
	b.WriteString(" ]")
	return b.String()
}

// keepKeys is v with only the vertex properties of keys.
func keepKeys(v *value.Vertex, keys []string) *value.Vertex {
	out := &value.Vertex{ID: v.ID, Label: v.Label, Properties: []*value.VertexProperty{}}
	for _, vp := range v.Properties {
		for _, k := range keys {
			if vp.Key == k {
				out.Properties = append(out.Properties, vp)
				break
			}
		}
	}
	return out
}

// TestScanVertexValuesMatchesScanVertices: ScanVertexValues yields the
// vertices of ScanVertices, in the same order, restricted to the wanted
// keys: random rows of every value type, multi-properties,
// meta-properties, missing keys and uncommitted writes.
func TestScanVertexValuesMatchesScanVertices(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	g := newGraph(t)
	keys := []string{"a", "b", "c", "d", "e"}
	labels := []string{"person", "software", "place"}
	fill := func(tx *Tx, n, base int) {
		for i := 0; i < n; i++ {
			id := any(int64(base + i))
			if i%4 == 0 {
				id = fmt.Sprintf("s%d", base+i)
			}
			if _, err := tx.AddVertex(id, labels[r.Intn(3)], nil); err != nil {
				t.Fatal(err)
			}
			for j := r.Intn(8); j > 0; j-- {
				var meta []KeyValue
				for m := r.Intn(3); m > 0; m-- {
					meta = append(meta, KeyValue{Key: keys[r.Intn(len(keys))], Value: randRowValue(r, 1)})
				}
				card := []Cardinality{Single, List, Set}[r.Intn(3)]
				if _, err := tx.SetVertexProperty(id, card, nil, keys[r.Intn(len(keys))], randRowValue(r, 0), meta); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	tx := begin(t, g)
	fill(tx, 300, 0)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx = begin(t, g)
	defer tx.Rollback()
	fill(tx, 30, 1000) // uncommitted vertices
	for _, id := range []any{int64(1), int64(2), "s8"} {
		if err := tx.RemoveVertex(id); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []any{int64(3), int64(5)} { // uncommitted property writes
		if _, err := tx.SetVertexProperty(id, List, nil, "a", "new", []KeyValue{{Key: "m", Value: int32(1)}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, label := range []string{"", "person", "software", "nolabel"} {
		all := collectVertices(t, tx.ScanVertices(label))
		for _, want := range [][]string{{"a"}, {"b", "a"}, {"e", "c", "d"}, {"nokey"}, {"c", "nokey", "c"}, keys, {}} {
			got := collectVertices(t, tx.ScanVertexValues(label, want))
			if len(got) != len(all) {
				t.Fatalf("label %q keys %v: %d vertices, want %d", label, want, len(got), len(all))
			}
			for i, v := range got {
				if g, w := vertexString(v), vertexString(keepKeys(all[i], want)); g != w {
					t.Fatalf("label %q keys %v:\n got  %s\n want %s", label, want, g, w)
				}
			}
		}
	}
}

// TestSkipValue: skipValue moves past exactly what value decodes.
func TestSkipValue(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		v, err := normalizeValue(randRowValue(r, 0))
		if err != nil {
			t.Fatal(err)
		}
		b, err := appendValue(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, 0xAB)
		rd := reader{b: b}
		rd.skipValue()
		if rd.err != nil || len(rd.b) != 1 {
			t.Fatalf("%T %v: skip left %d bytes, err %v", v, v, len(rd.b), rd.err)
		}
		for n := 0; n < len(b)-1; n++ { // truncated: an error, no panic
			rd := reader{b: b[:n]}
			rd.skipValue()
			if rd.err == nil && n < len(b)-1 {
				full := reader{b: b[:n]}
				full.value()
				if full.err != nil {
					t.Fatalf("%T %v: skip of %d of %d bytes accepted, value failed: %v", v, v, n, len(b)-1, full.err)
				}
			}
		}
	}
}
