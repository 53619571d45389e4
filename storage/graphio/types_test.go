package graphio

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// Every GraphSON value type the codec knows, as vertex, meta- and edge
// property values, with ids of several types, survives import → export →
// import.
const typedGraph = `{"id":"alice","label":"person","properties":{"name":[{"id":{"@type":"g:Int64","@value":100},"value":"Alice"}],"nick":[{"id":{"@type":"g:Int64","@value":101},"value":"al","properties":{"since":{"@type":"g:Date","@value":1481750076295},"score":{"@type":"g:Double","@value":0.25}}},{"id":{"@type":"g:Int64","@value":102},"value":"ally"}],"tags":[{"id":"tag-id","value":{"@type":"g:List","@value":["a",{"@type":"g:Int32","@value":1}]}}],"set":[{"id":{"@type":"g:Int64","@value":103},"value":{"@type":"g:Set","@value":[{"@type":"g:Int32","@value":1},{"@type":"g:Int64","@value":1}]}}],"map":[{"id":{"@type":"g:Int64","@value":104},"value":{"@type":"g:Map","@value":["k",{"@type":"g:Double","@value":1.5},{"@type":"g:Int32","@value":2},"v"]}}],"uuid":[{"id":{"@type":"g:Int64","@value":105},"value":{"@type":"g:UUID","@value":"41d2e28a-20a4-4ab0-b379-d810dede3786"}}],"big":[{"id":{"@type":"g:Int64","@value":106},"value":{"@type":"gx:BigInteger","@value":123456789012345678901234567890}}],"dec":[{"id":{"@type":"g:Int64","@value":107},"value":{"@type":"gx:BigDecimal","@value":3.14159}}],"f":[{"id":{"@type":"g:Int64","@value":108},"value":{"@type":"g:Float","@value":1.25}}],"short":[{"id":{"@type":"g:Int64","@value":109},"value":{"@type":"gx:Int16","@value":-12}}],"byte":[{"id":{"@type":"g:Int64","@value":110},"value":{"@type":"gx:Byte","@value":7}}],"ok":[{"id":{"@type":"g:Int64","@value":111},"value":true}],"dur":[{"id":{"@type":"g:Int64","@value":112},"value":{"@type":"gx:Duration","@value":"PT1H0.5S"}}],"char":[{"id":{"@type":"g:Int64","@value":113},"value":{"@type":"gx:Char","@value":"x"}}],"bytes":[{"id":{"@type":"g:Int64","@value":114},"value":{"@type":"gx:ByteBuffer","@value":"AAEC/w=="}}],"nan":[{"id":{"@type":"g:Int64","@value":115},"value":{"@type":"g:Double","@value":"NaN"}}]},"outE":{"knows":[{"id":{"@type":"g:UUID","@value":"0e5b8f4c-3a0e-4c3b-9a55-1c2d3e4f5a6b"},"inV":{"@type":"g:UUID","@value":"6c0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"},"properties":{"when":{"@type":"g:Date","@value":0},"w":{"@type":"g:Float","@value":0.5},"l":{"@type":"g:List","@value":[]}}}],"self":[{"id":"loop","inV":"alice"}]}}
{"id":{"@type":"g:UUID","@value":"6c0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"},"label":"thing","outE":{"owns":[{"id":{"@type":"g:Int64","@value":9007199254740993},"inV":{"@type":"g:Int64","@value":-5}}]}}
{"id":{"@type":"g:Int64","@value":-5},"label":"vertex"}
`

func testTypedRoundTrip(t *testing.T, mk storeFactory) {
	src := mk(t)
	st, err := Load(context.Background(), src, strings.NewReader(typedGraph), GraphSON, LoadOptions{Name: "typed.json"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Vertices != 3 || st.Edges != 3 || st.VertexProperties != 17 {
		t.Errorf("%+v", st)
	}
	out := exportAll(t, src, GraphSON)
	dst := mk(t)
	if _, err := Load(context.Background(), dst, bytes.NewReader(out), GraphSON, LoadOptions{Name: "export.json"}); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := dumpGraph(t, src, dumpOpts{})
	compareDumps(t, "typed round trip", want, dumpGraph(t, dst, dumpOpts{}))
	// Spot checks on what the store returned.
	joined := strings.Join(want, "\n")
	for _, frag := range []string{
		`V string:alice P "nick" id=int64:101 value=string:al meta={"score"=float64:0.25,"since"=time.Time:2016-12-14 21:14:36.295 +0000 UTC}`,
		`V string:alice P "tags" id=string:tag-id value=[]interface {}:[string:a,int32:1,]`,
		`V string:alice P "big" id=int64:106 value=*big.Int:123456789012345678901234567890`,
		`V string:alice P "dec" id=int64:107 value=value.BigDecimal:3.14159`,
		`V string:alice P "dur" id=int64:112 value=time.Duration:1h0m0.5s`,
		`E uuid.UUID:0e5b8f4c-3a0e-4c3b-9a55-1c2d3e4f5a6b label="knows" out=string:alice in=uuid.UUID:6c0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b`,
		`E int64:9007199254740993 label="owns"`,
		`E string:loop label="self" out=string:alice in=string:alice`,
	} {
		if !strings.Contains(joined, frag) {
			t.Errorf("dump lacks %s\n%s", frag, joined)
		}
	}
}

func TestTypedRoundTripFake(t *testing.T)    { testTypedRoundTrip(t, fakeFactory) }
func TestTypedRoundTripStorage(t *testing.T) { testTypedRoundTrip(t, memFactory) }
