package graphio

import (
	"context"
	"errors"
	"strings"
	"testing"
)

const goodLine = `{"id":{"@type":"g:Int32","@value":1},"label":"person","properties":{"name":[{"id":{"@type":"g:Int64","@value":0},"value":"marko"}]}}`

func TestGraphSONErrors(t *testing.T) {
	for _, c := range []struct {
		name, input, want string
	}{
		{"bad JSON", goodLine + "\n\n" + `{"id":1,"label":"x",}`,
			`in.json:3:21: invalid JSON: expected a quoted object key, got '}'`},
		{"truncated", `{"id":{"@type":"g:Int32","@value":1`,
			`in.json:1:36: invalid JSON: expected ',' or '}' in object, got end of line`},
		{"not an object", `[1,2]`,
			`in.json:1:1: expected a JSON object describing one vertex`},
		{"no id", `{"label":"x"}`,
			`in.json:1:1: vertex has no "id"`},
		{"bad Int32", `{"id":{"@type":"g:Int32","@value":"abc"}}`,
			`in.json:1:35: g:Int32: expected a number as "@value", got string`},
		{"Int32 overflow", `{"id":{"@type":"g:Int32","@value":3000000000}}`,
			`in.json:1:35: g:Int32: 3000000000 is out of range for a 32-bit integer`},
		{"fractional Int64", `{"id":{"@type":"g:Int64","@value":1.5}}`,
			`in.json:1:35: g:Int64: expected an integer, got 1.5`},
		{"unknown type", `{"id":1,"properties":{"p":[{"id":2,"value":{"@type":"g:Frob","@value":1}}]}}`,
			`in.json:1:71: unsupported GraphSON type "g:Frob"`},
		{"typed without value", `{"id":{"@type":"g:Int32"}}`,
			`in.json:1:7: typed value g:Int32 has no "@value"`},
		{"double id", `{"id":{"@type":"g:Double","@value":1.5}}`,
			`in.json:1:7: vertex id must be a string, integer or UUID, got float64`},
		{"unknown field", `{"id":1,"lable":"x"}`,
			`in.json:1:17: unexpected field "lable" in vertex (want id, label, properties, outE, inE)`},
		{"empty label", `{"id":1,"label":""}`,
			`in.json:1:17: vertex label must be a non-empty string, got ""`},
		{"properties not lists", `{"id":1,"properties":{"name":"marko"}}`,
			`in.json:1:30: vertex property "name": expected a list of {"id":…,"value":…} objects, got string`},
		{"property without value", `{"id":1,"properties":{"name":[{"id":5}]}}`,
			`in.json:1:31: vertex property "name" has no "value"`},
		{"null property value", `{"id":1,"properties":{"name":[{"id":5,"value":null}]}}`,
			`in.json:1:47: vertex property "name": value must not be null`},
		{"meta not a map", `{"id":1,"properties":{"name":[{"id":5,"value":"x","properties":[1]}]}}`,
			`in.json:1:64: meta-properties of vertex property "name" must be an object {"key": value, …}, got array`},
		{"edge without inV", `{"id":1,"outE":{"knows":[{"id":7}]}}`,
			`in.json:1:26: outE "knows": edge has no "inV"`},
		{"inE without outV", `{"id":1,"inE":{"knows":[{"id":7,"inV":2}]}}`,
			`in.json:1:39: inE "knows": unexpected field "inV" in edge (want id, outV, properties)`},
		{"edge list not list", `{"id":1,"outE":{"knows":{"id":7}}}`,
			`in.json:1:25: outE "knows": expected a list of {"id":…,"inV":…} objects, got object`},
		{"bad g:Map", `{"id":1,"properties":{"m":[{"id":2,"value":{"@type":"g:Map","@value":[1]}}]}}`,
			`in.json:1:70: g:Map: expected an even number of entries`},
		{"bad UUID", `{"id":{"@type":"g:UUID","@value":"nope"}}`,
			`in.json:1:34: g:UUID: "nope" is not a UUID`},
		{"duplicate vertex", goodLine + "\n" + goodLine,
			`in.json:2: vertex id 1 (int32) appears more than once`},
		{"missing vertex", goodLine + "\n" + `{"id":{"@type":"g:Int32","@value":2},"outE":{"knows":[{"id":9,"inV":{"@type":"g:Int32","@value":3}}]}}`,
			`in.json:2: edge 9 (int32) (label "knows") refers to vertex 3 (int32), which the input does not contain (1 edge(s) in all refer to missing vertices)`},
		{"edges only under inE", `{"id":1}` + "\n" + `{"id":2,"inE":{"e":[{"id":3,"outV":1}]}}`,
			`in.json: the input lists 1 edges under "inE" but 0 under "outE"`},
		{"typed vertex line", `{"@type":"g:Vertex","@value":{"id":1}}`,
			`in.json:1:1: expected an untyped vertex object, got a typed value`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(context.Background(), newFakeStore(), strings.NewReader(c.input), GraphSON, LoadOptions{Name: "in.json"})
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error\n got: %s\nwant: %s…", err, c.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%T is not a *ParseError", err)
			}
		})
	}
}

func TestGraphMLErrors(t *testing.T) {
	head := `<graphml xmlns="http://graphml.graphdrawing.org/xmlns">` + "\n" +
		`<key id="age" for="node" attr.name="age" attr.type="int"/>` + "\n" +
		`<graph edgedefault="directed">` + "\n"
	tail := "\n</graph></graphml>"
	for _, c := range []struct {
		name, input, want string
	}{
		{"bad int", head + `<node id="1"><data key="age">old</data></node>` + tail,
			`in.xml:4: <data key="age"> (attr.name "age", attr.type int): expected a 32-bit integer, got "old"`},
		{"int overflow", head + `<node id="1"><data key="age">3000000000</data></node>` + tail,
			`in.xml:4: <data key="age"> (attr.name "age", attr.type int): expected a 32-bit integer, got "3000000000"`},
		{"undeclared key", head + `<node id="1"><data key="height">3</data></node>` + tail,
			`in.xml:4: <data key="height"> inside <node>: no <key id="height"> is declared before it`},
		{"node without id", head + `<node><data key="age">3</data></node>` + tail,
			`in.xml:4: <node> has no id attribute`},
		{"edge without target", head + `<node id="1"/>` + "\n" + `<edge id="e" source="1"/>` + tail,
			`in.xml:5: <edge> has no target attribute`},
		{"edge to nowhere", head + `<node id="1"/>` + "\n" + `<edge id="e" source="1" target="2"/>` + tail,
			`in.xml:5: edge "e" (label "edge") refers to vertex "2", which the input does not contain`},
		{"mismatched tags", head + `<node id="1"></edge>` + tail,
			`in.xml:4: invalid XML: element <node> closed by </edge>`},
		{"unknown attr.type", `<graphml><key id="k" for="node" attr.name="k" attr.type="date"/></graphml>`,
			`in.xml:1: <key id="k"> has attr.type "date"; want one of boolean, int, long, float, double, string`},
		{"not graphml", `<html><body/></html>`,
			`in.xml:1: expected a <graphml> root element, got <html>`},
		{"empty input", ``,
			`in.xml:1: expected a <graphml> root element, got end of input`},
		{"nested graph", head + `<node id="1"><graph id="sub"/></node>` + tail,
			`in.xml:4: nested <graph> inside a <node> is not supported`},
		{"hyperedge", head + `<hyperedge/>` + tail,
			`in.xml:4: <hyperedge> is not supported`},
		{"duplicate data", head + `<node id="1"><data key="age">1</data><data key="age">2</data></node>` + tail,
			`in.xml:4: <node> has two <data key="age"> values`},
		{"duplicate node", head + `<node id="1"/><node id="1"/>` + tail,
			`in.xml:4: vertex id "1" appears more than once`},
		{"element in data", head + `<node id="1"><data key="age"><b>1</b></data></node>` + tail,
			`in.xml:4: <data> must hold text only, got a <b> element inside it`},
		{"unclosed", head + `<node id="1">`,
			`in.xml:4: invalid XML: unexpected EOF`},
		{"empty label", head + `<node id="1"><data key="labelV"></data></node>` + tail,
			`in.xml:4: <node> has an empty label`},
		{"duplicate key", `<graphml><key id="k" for="node"/>` + "\n" + `<key id="k" for="node"/></graphml>`,
			`in.xml:2: <key id="k" for="node"> is declared twice (first on line 1)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(context.Background(), newFakeStore(), strings.NewReader(c.input), GraphML, LoadOptions{Name: "in.xml"})
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error\n got: %s\nwant: %s…", err, c.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%T is not a *ParseError", err)
			}
		})
	}
}

// GraphML details TinkerPop's reader also has: keys without attr.name are
// ignored (yEd graphics), values are typed by their key, labels come from
// labelV/labelE, custom label keys.
func TestGraphMLDetails(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8"?>
<!-- comment -->
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key id="d0" for="node" yfiles.type="nodegraphics"/>
  <key id="kind" for="node" attr.name="type" attr.type="string"><default>none</default></key>
  <key id="b" for="all" attr.name="flag" attr.type="boolean"/>
  <key id="l" for="all" attr.name="n" attr.type="long"/>
  <key id="f" for="edge" attr.name="f" attr.type="float"/>
  <key id="s" for="node" attr.name="s" attr.type="string"/>
  <graph id="G" edgedefault="directed">
    <desc>test</desc>
    <node id="a">
      <data key="d0"><y:ShapeNode><y:Fill color="#FFCC00"/></y:ShapeNode></data>
      <data key="kind">thing</data>
      <data key="b"> TRUE </data>
      <data key="l">-9007199254740993</data>
      <data key="s">  spaced &amp; &lt;escaped&gt;&#10;</data>
      <data key="myLabel">custom</data>
    </node>
    <node id="b"><data key="b">false</data></node>
    <edge source="a" target="b"><data key="f">2.5</data><data key="myEdgeLabel">rel</data></edge>
  </graph>
</graphml>`
	s := newFakeStore()
	st, err := Load(context.Background(), s, strings.NewReader(in), GraphML, LoadOptions{VertexLabelKey: "myLabel", EdgeLabelKey: "myEdgeLabel"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Vertices != 2 || st.Edges != 1 || st.VertexProperties != 5 {
		t.Errorf("%+v", st)
	}
	a := vertexByID(t, s, "a")
	if a.Label != "custom" {
		t.Errorf("label %q", a.Label)
	}
	wantProp(t, a, "type", "thing")
	wantProp(t, a, "flag", true)
	wantProp(t, a, "n", int64(-9007199254740993))
	wantProp(t, a, "s", "  spaced & <escaped>\n")
	if b := vertexByID(t, s, "b"); b.Label != "vertex" {
		t.Errorf("b label %q", b.Label)
	}
	dump := dumpGraph(t, s, dumpOpts{})
	if first := dump[0]; !strings.Contains(first, `label="rel" out=string:a in=string:b props={"f"=float32:2.5}`) {
		t.Errorf("edge: %s", first)
	}
}

// TinkerPop's GraphMLWriter gives a node key and an edge key of the same
// name the same id; each applies to its own kind of element.
func TestGraphMLSameKeyIDForNodesAndEdges(t *testing.T) {
	in := `<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="labelV" for="node" attr.name="labelV" attr.type="string"></key>
<key id="name" for="node" attr.name="name" attr.type="string"></key>
<key id="labelE" for="edge" attr.name="labelE" attr.type="string"></key>
<key id="name" for="edge" attr.name="name" attr.type="int"></key>
<graph id="G" edgedefault="directed">
<node id="1"><data key="labelV">a</data><data key="name">x</data></node>
<edge id="2" source="1" target="1"><data key="labelE">e</data><data key="name">5</data></edge>
</graph></graphml>`
	s := newFakeStore()
	if _, err := Load(context.Background(), s, strings.NewReader(in), GraphML, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	wantProp(t, vertexByID(t, s, "1"), "name", "x")
	if e := edgeByID(t, s, "2"); propsKey(e.Properties) != `{"name"=int32:5}` {
		t.Errorf("edge props %s", propsKey(e.Properties))
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := Load(context.Background(), newFakeStore(), strings.NewReader(""), Format(9), LoadOptions{}); err == nil {
		t.Error("Load with an unknown format succeeded")
	}
	if err := Export(context.Background(), nil, &strings.Builder{}, Format(9)); err == nil {
		t.Error("Export with an unknown format succeeded")
	}
}

// Lines may be long, end in CRLF, lack the final newline and be separated
// by blank lines; a BOM is skipped.
func TestGraphSONLineHandling(t *testing.T) {
	long := strings.Repeat("x", 300000)
	in := "\xef\xbb\xbf" + `{"id":1,"label":"a","properties":{"big":[{"id":1,"value":"` + long + `"}]},"outE":{"e":[{"id":5,"inV":2}]}}` + "\r\n\r\n  \n" +
		`{"id":2,"label":"b"}`
	s := newFakeStore()
	st, err := Load(context.Background(), s, strings.NewReader(in), GraphSON, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Vertices != 2 || st.Edges != 1 {
		t.Errorf("%+v", st)
	}
	wantProp(t, vertexByID(t, s, int32(1)), "big", long)
	// GraphSON v1 style untyped ids become int32 when they fit, as Jackson reads them.
	if e := edgeByID(t, s, int32(5)); e.Label != "e" {
		t.Error(e.Label)
	}
}
