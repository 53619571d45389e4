package traversal

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

func withoutLight(x *bcb) *value.Bytecode {
	c := &value.Bytecode{Steps: append([]value.Instruction{}, x.bc.Steps...)}
	c.Sources = append(append([]value.Instruction{}, x.bc.Sources...),
		value.Instruction{Operator: "withoutStrategies", Args: []any{value.Class("org.kvtgraph." + lightScanStrategy)}})
	return c
}

func TestLightScanSameResults(t *testing.T) {
	tx := modern(t) // uncommitted: the light scans see the transaction's writes
	if _, err := tx.AddVertex(int64(100), "place", []storage.KeyValue{{Key: "name", Value: "x"}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.RemoveVertex(int32(5)); err != nil {
		t.Fatal(err)
	}
	type light struct {
		label string
		mode  storage.VertexRefMode
	}
	for _, c := range []struct {
		x    *bcb
		want *light // nil: the full vertices are read
	}{
		{b("V").s("id"), &light{"", storage.RefID}},
		{b("V").s("label"), &light{"", storage.RefIDLabel}},
		{b("V").s("count"), &light{"", storage.RefID}},
		{b("V").s("hasLabel", "person").s("id"), &light{"", storage.RefIDLabel}},
		{b("V").s("hasLabel", "person", "place").s("label").s("fold"), &light{"", storage.RefIDLabel}},
		{b("V").s("hasId", int32(1), int64(100), int32(5)).s("label"), &light{"", storage.RefIDLabel}},
		{b("V").s("hasId", int32(2)).s("hasLabel", "person").s("id"), &light{"", storage.RefIDLabel}},
		{b(OpScanV, "person").s("id"), &light{"person", storage.RefID}},
		{b(OpScanV, "software").s("hasLabel", "software").s("label"), &light{"software", storage.RefIDLabel}},
		{b(OpScanV, "person").s("count"), &light{"person", storage.RefID}},
		{b("V").s("id").s("as", "a").s("select", "a"), nil},
		{b("V").s("as", "a").s("id"), nil},
		{b("V").s("values", "name"), nil}, // a values scan, not a ref scan: TestLightValuesSameResults
		{b("V").s("hasLabel", "person"), nil},
		{b("V").s("has", "name", "marko").s("id"), nil},
		{b("V").s("id").s("path"), nil},
		{b("V", int32(1)).s("id"), nil},
		{b(OpScanV, "person", "software").s("id"), nil},
	} {
		var seen []light
		lightScanHook = func(l string, m storage.VertexRefMode) { seen = append(seen, light{l, m}) }
		got, gerr := runBulks(t, tx, c.x.bc)
		lightScanHook = nil
		want, werr := runBulks(t, tx, withoutLight(c.x))
		if gerr != nil || werr != nil || got != want {
			t.Errorf("%v:\n light %s (%v)\n full  %s (%v)", c.x.bc.Steps, got, gerr, want, werr)
		}
		switch {
		case c.want == nil && len(seen) > 0:
			t.Errorf("%v: read light vertices %v", c.x.bc.Steps, seen)
		case c.want != nil && (len(seen) != 1 || seen[0] != *c.want):
			t.Errorf("%v: light scans %v, want %v", c.x.bc.Steps, seen, *c.want)
		}
	}
}
