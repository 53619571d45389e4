package graphio

import (
	"testing"

	"github.com/google/uuid"
)

func mustUUID(s string) uuid.UUID { return uuid.MustParse(s) }

func TestFormatFromPath(t *testing.T) {
	for path, want := range map[string]Format{
		"data/tinkerpop-modern.json": GraphSON,
		"x.GraphSON":                 GraphSON,
		"x.ndjson":                   GraphSON,
		"grateful-dead.xml":          GraphML,
		"/tmp/a.graphml":             GraphML,
	} {
		got, err := FormatFromPath(path)
		if err != nil || got != want {
			t.Errorf("FormatFromPath(%q) = %v, %v; want %v", path, got, err, want)
		}
	}
	for _, path := range []string{"graph.kryo", "noext", "dir.json/file"} {
		if f, err := FormatFromPath(path); err == nil {
			t.Errorf("FormatFromPath(%q) = %v, want an error", path, f)
		}
	}
	if _, err := FormatFromPath("g.gryo"); err == nil || err.Error() != `graphio: cannot tell the format of "g.gryo" from extension ".gryo" (want .json for GraphSON or .xml/.graphml for GraphML)` {
		t.Errorf("err = %v", err)
	}
	for name, want := range map[string]Format{"graphson": GraphSON, "JSON": GraphSON, "GraphML": GraphML, "xml": GraphML} {
		if got, err := ParseFormat(name); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", name, got, err)
		}
	}
	if _, err := ParseFormat("gryo"); err == nil {
		t.Error("ParseFormat(gryo) succeeded")
	}
	if GraphSON.String() != "graphson" || GraphML.String() != "graphml" {
		t.Error("Format.String")
	}
	for _, typ := range []IDType{IDAsIs, IDString, IDInt32, IDInt64, IDUUID} {
		if got, err := ParseIDType(typ.String()); err != nil || got != typ {
			t.Errorf("ParseIDType(%q) = %v, %v", typ.String(), got, err)
		}
	}
	if _, err := ParseIDType("float"); err == nil {
		t.Error("ParseIDType(float) succeeded")
	}
}
