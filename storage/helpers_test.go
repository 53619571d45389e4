package storage

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// openKV opens the store every storage test runs on. Another backend can
// be plugged in by replacing it (e.g. from a file behind a build tag).
var openKV = func(t testing.TB) kv.Store { return memkv.New(memkv.Options{}) }

var bg = context.Background()

func newGraph(t testing.TB) *Graph {
	t.Helper()
	s := openKV(t)
	t.Cleanup(func() { s.Close() })
	g, err := Open(s, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return g
}

func begin(t testing.TB, g *Graph) *Tx {
	t.Helper()
	tx, err := g.BeginTx(bg, TxOptions{})
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return tx
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func commit(t testing.TB, tx *Tx) {
	t.Helper()
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func checkGraph(t testing.TB, g *Graph) *CheckReport {
	t.Helper()
	r, err := Check(bg, g)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if !r.OK() {
		t.Fatalf("integrity check failed:\n%s", strings.Join(r.Problems, "\n"))
	}
	return r
}

// tinkerpopDir finds the TinkerPop sample data.
func tinkerpopDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("KVTGRAPH_TINKERPOP_DIR")
	if dir == "" {
		wd, _ := os.Getwd()
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, "..", "shared", "tinkerpop")
				break
			}
			if filepath.Dir(d) == d {
				t.Fatalf("cannot find the repository root (go.mod) above %s", wd)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "tinkerpop-modern.json")); err != nil {
		t.Fatalf("TinkerPop sample data not found in %s (set KVTGRAPH_TINKERPOP_DIR, or get data/ from the apache/tinkerpop repository at tag 3.8.1): %v", dir, err)
	}
	return dir
}

// gsValue decodes a GraphSON v3 typed value (the subset the sample graphs
// use).
func gsValue(t testing.TB, raw json.RawMessage) any {
	var typed struct {
		Type  string          `json:"@type"`
		Value json.RawMessage `json:"@value"`
	}
	if err := json.Unmarshal(raw, &typed); err == nil && typed.Type != "" {
		switch typed.Type {
		case "g:Int32":
			var v int32
			json.Unmarshal(typed.Value, &v)
			return v
		case "g:Int64":
			var v int64
			json.Unmarshal(typed.Value, &v)
			return v
		case "g:Double":
			var v float64
			json.Unmarshal(typed.Value, &v)
			return v
		case "g:Float":
			var v float32
			json.Unmarshal(typed.Value, &v)
			return v
		}
		t.Fatalf("unsupported GraphSON type %s", typed.Type)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("GraphSON value %s: %v", raw, err)
	}
	return v
}

// loadGraphSON loads a GraphSON v3 adjacency-list file through the public
// API: vertices (with vertex-property ids and meta-properties) first, then
// out-edges.
func loadGraphSON(t testing.TB, g *Graph, name string) {
	t.Helper()
	f, err := os.Open(filepath.Join(tinkerpopDir(t), "data", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type gsProp struct {
		ID         json.RawMessage            `json:"id"`
		Value      json.RawMessage            `json:"value"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	type gsEdge struct {
		ID         json.RawMessage            `json:"id"`
		InV        json.RawMessage            `json:"inV"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	type gsVertex struct {
		ID         json.RawMessage     `json:"id"`
		Label      string              `json:"label"`
		Properties map[string][]gsProp `json:"properties"`
		OutE       map[string][]gsEdge `json:"outE"`
	}
	var vs []gsVertex
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var v gsVertex
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		vs = append(vs, v)
	}
	err = g.BulkLoad(bg, func(tx GraphTx) error {
		for _, v := range vs {
			vid := gsValue(t, v.ID)
			if _, err := tx.AddVertex(vid, v.Label, nil); err != nil {
				return err
			}
			keys := make([]string, 0, len(v.Properties))
			for k := range v.Properties {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				for _, p := range v.Properties[k] {
					var meta []KeyValue
					mk := make([]string, 0, len(p.Properties))
					for m := range p.Properties {
						mk = append(mk, m)
					}
					sort.Strings(mk)
					for _, m := range mk {
						meta = append(meta, KeyValue{m, gsValue(t, p.Properties[m])})
					}
					if _, err := tx.SetVertexProperty(vid, List, gsValue(t, p.ID), k, gsValue(t, p.Value), meta); err != nil {
						return err
					}
				}
			}
		}
		for _, v := range vs {
			vid := gsValue(t, v.ID)
			labels := make([]string, 0, len(v.OutE))
			for l := range v.OutE {
				labels = append(labels, l)
			}
			sort.Strings(labels)
			for _, label := range labels {
				for _, e := range v.OutE[label] {
					var props []KeyValue
					for k, raw := range e.Properties {
						props = append(props, KeyValue{k, gsValue(t, raw)})
					}
					sort.Slice(props, func(i, j int) bool { return props[i].Key < props[j].Key })
					if _, err := tx.AddEdge(gsValue(t, e.ID), label, vid, gsValue(t, e.InV), props); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
}

func vertexIDs(t testing.TB, it VertexIter) []string {
	t.Helper()
	defer it.Close()
	var out []string
	for {
		v, ok := it.Next()
		if !ok {
			break
		}
		out = append(out, fmt.Sprint(v.ID))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func edgeStrings(t testing.TB, it EdgeIter) []string {
	t.Helper()
	defer it.Close()
	var out []string
	for {
		e, ok := it.Next()
		if !ok {
			break
		}
		out = append(out, edgeString(e))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func edgeString(e *value.Edge) string {
	s := fmt.Sprintf("e[%v][%v(%s)-%s->%v(%s)]", e.ID, e.OutV.ID, e.OutV.Label, e.Label, e.InV.ID, e.InV.Label)
	for _, p := range e.Properties {
		s += fmt.Sprintf(" %s=%v", p.Key, p.Value)
	}
	return s
}
