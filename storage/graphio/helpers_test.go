package graphio

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// tinkerpopDataDir returns the directory holding TinkerPop's sample graphs
// (tinkerpop-modern.json …): $KVTGRAPH_TINKERPOP_DIR/data, by default
// <repo root>/../shared/tinkerpop/data.
func tinkerpopDataDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("KVTGRAPH_TINKERPOP_DIR")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		root := wd
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				t.Fatalf("no go.mod above %s; set KVTGRAPH_TINKERPOP_DIR", wd)
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "tinkerpop")
	}
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "tinkerpop-modern.json")); err != nil {
		t.Fatalf("TinkerPop sample graphs not found in %s (%v): get data/*.json and data/*.xml from the apache/tinkerpop repository at tag 3.8.1 and point KVTGRAPH_TINKERPOP_DIR at the folder holding data/", data, err)
	}
	return data
}

func openSample(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(tinkerpopDataDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// loadSample loads one sample file into s.
func loadSample(t testing.TB, s storage.Store, name string, opts LoadOptions) Stats {
	t.Helper()
	f := openSample(t, name)
	format, err := FormatFromPath(name)
	if err != nil {
		t.Fatal(err)
	}
	opts.Name = name
	st, err := Load(context.Background(), s, f, format, opts)
	if err != nil {
		t.Fatalf("Load %s: %v", name, err)
	}
	return st
}

type dumpOpts struct {
	ignoreVPIDs bool // vertex-property ids (GraphML has none)
}

// dumpGraph renders every element of s canonically, one line per vertex,
// vertex property and edge, with value types, sorted, for exact comparison.
func dumpGraph(t testing.TB, s storage.Store, o dumpOpts) []string {
	t.Helper()
	tx, err := s.Begin(context.Background(), storage.TxOptions{ReadOnly: true, Snapshot: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var lines []string
	vit := tx.ScanVertices("")
	for {
		v, ok := vit.Next()
		if !ok {
			break
		}
		lines = append(lines, fmt.Sprintf("V %s label=%q", value.Key(v.ID), v.Label))
		for _, p := range v.Properties {
			id := value.Key(p.ID)
			if o.ignoreVPIDs {
				id = "-"
			}
			lines = append(lines, fmt.Sprintf("V %s P %q id=%s value=%s meta=%s", value.Key(v.ID), p.Key, id, value.Key(p.Value), propsKey(p.Properties)))
		}
	}
	if err := vit.Err(); err != nil {
		t.Fatal(err)
	}
	vit.Close()
	eit := tx.ScanEdges("")
	for {
		e, ok := eit.Next()
		if !ok {
			break
		}
		lines = append(lines, fmt.Sprintf("E %s label=%q out=%s in=%s props=%s", value.Key(e.ID), e.Label, value.Key(e.OutV.ID), value.Key(e.InV.ID), propsKey(e.Properties)))
	}
	if err := eit.Err(); err != nil {
		t.Fatal(err)
	}
	eit.Close()
	sort.Strings(lines)
	return lines
}

func propsKey(ps []*value.Property) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%q=%s", p.Key, value.Key(p.Value)))
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

func compareDumps(t testing.TB, what string, want, got []string) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d dump lines, want %d", what, len(got), len(want))
	}
	for i := 0; i < len(want) && i < len(got); i++ {
		if want[i] != got[i] {
			t.Fatalf("%s: first difference at line %d:\n got: %s\nwant: %s", what, i, got[i], want[i])
		}
	}
	if len(want) != len(got) {
		t.FailNow()
	}
}

// exportAll exports s in the given format.
func exportAll(t testing.TB, s storage.Store, format Format) []byte {
	t.Helper()
	tx, err := s.Begin(context.Background(), storage.TxOptions{ReadOnly: true, Snapshot: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var b strings.Builder
	if err := Export(context.Background(), tx, &b, format); err != nil {
		t.Fatalf("Export %v: %v", format, err)
	}
	return []byte(b.String())
}

// vertexByID reads one vertex through a scan (the fake has no Vertices).
func vertexByID(t testing.TB, s storage.Store, id any) *value.Vertex {
	t.Helper()
	tx, err := s.Begin(context.Background(), storage.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	it := tx.ScanVertices("")
	defer it.Close()
	for {
		v, ok := it.Next()
		if !ok {
			break
		}
		if value.Key(v.ID) == value.Key(id) {
			return v
		}
	}
	t.Fatalf("vertex %s not found", value.Key(id))
	return nil
}

func edgeByID(t testing.TB, s storage.Store, id any) *value.Edge {
	t.Helper()
	tx, err := s.Begin(context.Background(), storage.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	it := tx.ScanEdges("")
	defer it.Close()
	for {
		e, ok := it.Next()
		if !ok {
			break
		}
		if value.Key(e.ID) == value.Key(id) {
			return e
		}
	}
	t.Fatalf("edge %s not found", value.Key(id))
	return nil
}
