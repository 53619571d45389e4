package storage

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvt"
)

// DegreeMany agrees with Degree per vertex, for every direction and label
// filter, with and without the transaction's own pending edges.
func TestDegreeMany(t *testing.T) {
	t.Run("default", func(t *testing.T) { testDegreeMany(t, newGraph(t)) })
	t.Run("kvt", func(t *testing.T) {
		s, err := kvt.Open("", native.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		g, err := Open(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		testDegreeMany(t, g)
	})
}

func testDegreeMany(t *testing.T, g *Graph) {
	loadGraphSON(t, g, "tinkerpop-modern.json")
	tx := begin(t, g)
	defer tx.Rollback()
	vids := []any{int32(1), int32(2), int32(3), int32(4), int32(5), int32(6), int32(99), "nope", int32(1)}
	check := func(stage string) {
		t.Helper()
		for _, dir := range []Direction{Out, In, Both} {
			for _, labels := range [][]string{nil, {"knows"}, {"created", "knows", "nope"}} {
				got, err := tx.DegreeMany(vids, dir, labels)
				if err != nil {
					t.Fatal(err)
				}
				for i, v := range vids {
					want := must[int64](t)(tx.Degree(v, dir, labels))
					if got[i] != want {
						t.Errorf("%s: DegreeMany(%v, %v, %v)[%d] = %d, Degree = %d", stage, v, dir, labels, i, got[i], want)
					}
				}
			}
		}
	}
	check("committed")
	must[any](t)(tx.AddEdge(nil, "knows", int32(2), int32(1), nil))
	must[any](t)(tx.AddEdge(nil, "knows", int32(1), int32(1), nil))
	check("pending")
}
