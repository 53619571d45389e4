package storage

import (
	"fmt"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func collectVertices(t *testing.T, it VertexIter) []*value.Vertex {
	t.Helper()
	defer it.Close()
	var out []*value.Vertex
	for {
		v, ok := it.Next()
		if !ok {
			break
		}
		out = append(out, v)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestScanVertexRefsMatchesScanVertices: the light scans yield the ids
// (and labels) of ScanVertices, in the same order, without properties;
// uncommitted writes of the transaction included.
func TestScanVertexRefsMatchesScanVertices(t *testing.T) {
	g := newGraph(t)
	tx := begin(t, g)
	labels := []string{"person", "software", "place"}
	for i := 0; i < 50; i++ {
		id := any(int64(i * 7 % 50))
		if i%3 == 0 {
			id = fmt.Sprintf("s%d", i)
		}
		if _, err := tx.AddVertex(id, labels[i%3], []KeyValue{{Key: "name", Value: fmt.Sprint("n", i)}, {Key: "age", Value: int32(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx = begin(t, g)
	defer tx.Rollback()
	if _, err := tx.AddVertex(int64(1000), "person", nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.RemoveVertex(int64(7)); err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"", "person", "software", "nolabel"} {
		want := collectVertices(t, tx.ScanVertices(label))
		for _, mode := range []VertexRefMode{RefID, RefIDLabel} {
			got := collectVertices(t, tx.ScanVertexRefs(label, mode))
			if len(got) != len(want) {
				t.Fatalf("label %q mode %d: %d refs, %d vertices", label, mode, len(got), len(want))
			}
			for i, v := range got {
				if value.Key(v.ID) != value.Key(want[i].ID) || v.Properties != nil {
					t.Fatalf("label %q mode %d: ref %d = %v %v, want id %v", label, mode, i, v.ID, v.Properties, want[i].ID)
				}
				if (mode == RefIDLabel || label != "") && v.Label != want[i].Label {
					t.Fatalf("label %q mode %d: ref %v label %q, want %q", label, mode, v.ID, v.Label, want[i].Label)
				}
			}
		}
	}
}
