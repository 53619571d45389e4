package traversal

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// TestLightValuesSameResults: V()/label scan, hasId/hasLabel, values(keys)
// reads only the wanted properties of each vertex row and gives the
// results of the full scan; the fusion stays off where the vertices are
// seen by anything but the values step.
func TestLightValuesSameResults(t *testing.T) {
	tx := modern(t) // uncommitted: the light scans see the transaction's writes
	// Crew-like multi-properties with meta-properties.
	for _, v := range []struct {
		id   int32
		locs []string
	}{{7, []string{"san diego", "santa cruz", "brussels"}}, {8, []string{"centreville", "dulles"}}} {
		if _, err := tx.AddVertex(v.id, "person", []storage.KeyValue{{Key: "name", Value: "crew"}}); err != nil {
			t.Fatal(err)
		}
		for i, l := range v.locs {
			meta := []storage.KeyValue{{Key: "startTime", Value: int32(1997 + i)}}
			if i < len(v.locs)-1 {
				meta = append(meta, storage.KeyValue{Key: "endTime", Value: int32(2001 + i)})
			}
			if _, err := tx.SetVertexProperty(v.id, storage.List, nil, "location", l, meta); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := tx.AddVertex(int64(100), "place", []storage.KeyValue{{Key: "name", Value: "x"}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.RemoveVertex(int32(5)); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.SetVertexProperty(int32(2), storage.Single, nil, "age", int64(28), nil); err != nil {
		t.Fatal(err)
	}
	part := value.Strategy{Class: "PartitionStrategy", Config: mapOf("partitionKey", "name", "writePartition", "marko", "readPartitions", []any{"marko"})}
	type light struct {
		label string
		keys  []string
	}
	for _, c := range []struct {
		x    *bcb
		want *light // nil: the full vertices are read
	}{
		{b("V").s("values", "name"), &light{"", []string{"name"}}},
		{b("V").s("values", "age", "name"), &light{"", []string{"age", "name"}}},
		{b("V").s("hasLabel", "person").s("values", "age", "name"), &light{"", []string{"age", "name"}}},
		{b("V").s("values", "location"), &light{"", []string{"location"}}},
		{b("V").s("hasLabel", "person").s("values", "location", "name"), &light{"", []string{"location", "name"}}},
		{b("V").s("hasId", int32(7), int32(1), int32(5)).s("values", "location", "age"), &light{"", []string{"location", "age"}}},
		{b("V").s("hasId", int32(8)).s("hasLabel", "person").s("values", "location"), &light{"", []string{"location"}}},
		{b("V").s("values", "nokey"), &light{"", []string{"nokey"}}},
		{b("V").s("values", "name", "nokey", "name"), &light{"", []string{"name", "nokey", "name"}}},
		{b("V").s("values", "lang").s("dedup").s("fold"), &light{"", []string{"lang"}}},
		{b("V").s("values", "age").s("sum"), &light{"", []string{"age"}}},
		{b("V").s("values", "name").s("count"), &light{"", []string{"name"}}},
		{b(OpScanV, "person").s("values", "name"), &light{"person", []string{"name"}}},
		{b(OpScanV, "software").s("values", "lang", "name"), &light{"software", []string{"lang", "name"}}},
		{b(OpScanV, "person").s("hasLabel", "person").s("values", "location").s("order"), &light{"person", []string{"location"}}},
		{b(OpScanV, "nolabel").s("values", "name"), &light{"nolabel", []string{"name"}}},
		{b("V").s("values"), nil},
		{b("V").s("as", "a").s("values", "name"), nil},
		{b("V").s("values", "name").s("as", "n").s("select", "n"), nil},
		{b("V").s("values", "name").s("path"), nil},
		{b("V").s("has", "name", "marko").s("values", "age"), nil},
		{b("V", int32(1)).s("values", "name"), nil},
		{b("V").s("properties", "location").s("values", "startTime"), nil},
		{b("V").s("out").s("values", "name"), nil},
		{b(OpScanV, "person", "software").s("values", "name"), nil},
		{b("V").s("values", "name").src("withStrategies", part), nil},
	} {
		var seen []light
		lightValuesHook = func(l string, k []string) { seen = append(seen, light{l, k}) }
		lightScanHook = func(l string, m storage.VertexRefMode) { seen = append(seen, light{l, nil}) }
		got, gerr := runBulks(t, tx, c.x.bc)
		lightValuesHook, lightScanHook = nil, nil
		want, werr := runBulks(t, tx, withoutLight(c.x))
		if gerr != nil || werr != nil || got != want {
			t.Errorf("%v:\n light %s (%v)\n full  %s (%v)", c.x.bc.Steps, got, gerr, want, werr)
		}
		switch {
		case c.want == nil && len(seen) > 0:
			t.Errorf("%v: read light vertices %v", c.x.bc.Steps, seen)
		case c.want != nil && (len(seen) != 1 || seen[0].label != c.want.label || !slices.Equal(seen[0].keys, c.want.keys)):
			t.Errorf("%v: light scans %v, want %v", c.x.bc.Steps, seen, *c.want)
		}
	}
}

// BenchmarkLightValues: g.V().values('name') over 50k vertices of 10
// properties each, reading only the name (light) or whole rows (full).
func BenchmarkLightValues(b *testing.B) {
	g, err := storage.Open(memkv.New(memkv.Options{}), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	tx, err := g.Begin(context.Background(), storage.TxOptions{})
	if err != nil {
		b.Fatal(err)
	}
	const n = 50000
	for i := 0; i < n; i++ {
		props := []storage.KeyValue{{Key: "name", Value: fmt.Sprint("v", i)}}
		for j := 1; j < 10; j++ {
			var v any = fmt.Sprintf("value %d of property %d", i, j)
			if j%3 == 0 {
				v = int64(i * j)
			}
			props = append(props, storage.KeyValue{Key: fmt.Sprint("p", j), Value: v})
		}
		if _, err := tx.AddVertex(int64(i), "person", props); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	q := &bcb{bc: &value.Bytecode{Steps: []value.Instruction{{Operator: "V"}}}}
	q = q.s("values", "name")
	for _, c := range []struct {
		name string
		bc   *value.Bytecode
	}{{"light", q.bc}, {"full", withoutLight(q)}} {
		b.Run(c.name, func(b *testing.B) {
			tr, err := testEngine.Compile(c.bc)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				tx, err := g.Begin(context.Background(), storage.TxOptions{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				it := tr.Iterate(context.Background(), tx)
				k := 0
				for _, ok := it.Next(); ok; _, ok = it.Next() {
					k++
				}
				if err := it.Err(); err != nil || k != n {
					b.Fatal(k, err)
				}
				it.Close()
				tx.Rollback()
			}
		})
	}
}
