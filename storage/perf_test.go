package storage

import (
	"testing"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Generated ids skip ids taken by user-given ones, also when the free-id
// range of the transaction was computed before the user id was written.
func TestGeneratedIDsSkipUserIDs(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	a := must[*value.Vertex](t)(tx.AddVertex(nil, "v", nil))
	b := must[*value.Vertex](t)(tx.AddVertex(nil, "v", nil))
	next := b.ID.(int64) + 1
	must[*value.Vertex](t)(tx.AddVertex(next, "v", nil))   // inside the trusted range
	must[*value.Vertex](t)(tx.AddVertex(next+2, "v", nil)) // and another
	e0 := must[*value.Edge](t)(tx.AddEdge(next+3, "e", a.ID, b.ID, nil))
	seen := map[any]bool{a.ID: true, b.ID: true, next: true, next + 2: true}
	for i := 0; i < 5; i++ {
		v := must[*value.Vertex](t)(tx.AddVertex(nil, "v", nil))
		if seen[v.ID] {
			t.Fatalf("generated vertex id %v reused", v.ID)
		}
		seen[v.ID] = true
		e := must[*value.Edge](t)(tx.AddEdge(nil, "e", a.ID, b.ID, nil))
		if e.ID == e0.ID {
			t.Fatalf("generated edge id %v reused", e.ID)
		}
	}
	commit(t, tx)
	if r := checkGraph(t, g); !r.OK() {
		t.Fatal(r.Problems)
	}
}

func TestIDLen(t *testing.T) {
	for _, id := range []any{int64(0), int64(-1), int64(1 << 40), int32(-7), int16(300), int8(3),
		"", "a\x00b", "xyz", uuid.New(), 1.5, true} {
		n, err := normalizeID(id)
		if err != nil {
			t.Fatal(err)
		}
		k, err := appendID(nil, n)
		if err != nil {
			t.Fatal(err)
		}
		b := append(append([]byte(nil), k...), 0x42, 0x00)
		l, err := idLen(b)
		if err != nil || l != len(k) {
			t.Fatalf("idLen(%v) = %d, %v; want %d", id, l, err, len(k))
		}
	}
	if _, err := idLen([]byte{idString, 'a', 0}); err == nil {
		t.Fatal("idLen of an unterminated string id: no error")
	}
}
