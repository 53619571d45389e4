package io

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestGraphSONv3RoundTrip(t *testing.T) {
	for _, tc := range sampleValues() {
		t.Run(tc.name, func(t *testing.T) {
			b, err := MarshalGraphSON(tc.v, 3)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !json.Valid(b) {
				t.Fatalf("invalid JSON: %s", b)
			}
			got, err := UnmarshalGraphSON(b, 3)
			if err != nil {
				t.Fatalf("decode %s: %v", b, err)
			}
			if !equalValues(got, tc.v) {
				t.Fatalf("round trip changed the value\njson %s\n got %#v\nwant %#v", b, got, tc.v)
			}
		})
	}
}

// GraphSON v2 has no List/Set/Map/BulkSet types: those come back as
// plain lists and string-keyed maps. Everything else round-trips.
func TestGraphSONv2RoundTrip(t *testing.T) {
	lossy := map[string]bool{"set": true, "map": true, "bulkset": true, "metrics": true, "bytecode": true}
	for _, tc := range sampleValues() {
		if lossy[tc.name] {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			b, err := MarshalGraphSON(tc.v, 2)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if strings.Contains(string(b), "g:List") || strings.Contains(string(b), "g:Map") {
				t.Fatalf("v2 output uses v3 types: %s", b)
			}
			got, err := UnmarshalGraphSON(b, 2)
			if err != nil {
				t.Fatalf("decode %s: %v", b, err)
			}
			if !equalValues(got, tc.v) {
				t.Fatalf("round trip changed the value\njson %s\n got %#v\nwant %#v", b, got, tc.v)
			}
		})
	}
	b, _ := MarshalGraphSON(strMap("name", "marko", int32(1), "one"), 2)
	if string(b) != `{"name":"marko","1":"one"}` {
		t.Errorf("v2 map = %s", b)
	}
	b, _ = MarshalGraphSON(&value.BulkSet{Items: []value.BulkItem{{Value: "a", Bulk: 2}}}, 2)
	if string(b) != `["a","a"]` {
		t.Errorf("v2 bulkset = %s", b)
	}
}

// Exact typed shapes from the GraphSON spec (docs/src/dev/io/graphson.asciidoc).
func TestGraphSONv3Shapes(t *testing.T) {
	v1 := &value.Vertex{ID: int32(1), Label: "person"}
	v2 := &value.Vertex{ID: int32(2), Label: "person"}
	cases := []struct {
		v    any
		want string
	}{
		{int32(1), `{"@type":"g:Int32","@value":1}`},
		{int64(1), `{"@type":"g:Int64","@value":1}`},
		{1.0, `{"@type":"g:Double","@value":1.0}`},
		{math.NaN(), `{"@type":"g:Double","@value":"NaN"}`},
		{float32(0.5), `{"@type":"g:Float","@value":0.5}`},
		{time.UnixMilli(1481750076295).UTC(), `{"@type":"g:Date","@value":1481750076295}`},
		{uuid.MustParse("41d2e28a-20a4-4ab0-b379-d810dede3786"), `{"@type":"g:UUID","@value":"41d2e28a-20a4-4ab0-b379-d810dede3786"}`},
		{[]any{int32(1), "person", true}, `{"@type":"g:List","@value":[{"@type":"g:Int32","@value":1},"person",true]}`},
		{strMap("a", int32(1)), `{"@type":"g:Map","@value":["a",{"@type":"g:Int32","@value":1}]}`},
		{value.Enum{Type: "T", Name: "id"}, `{"@type":"g:T","@value":"id"}`},
		{value.Enum{Type: "Direction", Name: "OUT"}, `{"@type":"g:Direction","@value":"OUT"}`},
		{&value.P{Operator: "gt", Values: []any{int32(0)}}, `{"@type":"g:P","@value":{"predicate":"gt","value":{"@type":"g:Int32","@value":0}}}`},
		{&value.P{Operator: "within", Values: []any{int32(1)}}, `{"@type":"g:P","@value":{"predicate":"within","value":{"@type":"g:List","@value":[{"@type":"g:Int32","@value":1}]}}}`},
		{v1, `{"@type":"g:Vertex","@value":{"id":{"@type":"g:Int32","@value":1},"label":"person"}}`},
		{&value.Edge{ID: int32(7), Label: "knows", OutV: v1, InV: v2, Properties: []*value.Property{{Key: "weight", Value: 0.5}}},
			`{"@type":"g:Edge","@value":{"id":{"@type":"g:Int32","@value":7},"label":"knows","inVLabel":"person","outVLabel":"person",` +
				`"inV":{"@type":"g:Int32","@value":2},"outV":{"@type":"g:Int32","@value":1},` +
				`"properties":{"weight":{"@type":"g:Property","@value":{"key":"weight","value":{"@type":"g:Double","@value":0.5}}}}}}`},
		{&value.VertexProperty{ID: int64(0), Key: "name", Value: "marko"},
			`{"@type":"g:VertexProperty","@value":{"id":{"@type":"g:Int64","@value":0},"value":"marko","label":"name"}}`},
		{value.Traverser{Bulk: 1, Value: "a"}, `{"@type":"g:Traverser","@value":{"bulk":{"@type":"g:Int64","@value":1},"value":"a"}}`},
		{&value.Bytecode{Steps: []value.Instruction{{Operator: "V"}, {Operator: "out", Args: []any{"knows"}}}},
			`{"@type":"g:Bytecode","@value":{"step":[["V"],["out","knows"]]}}`},
		{90 * time.Second, `{"@type":"gx:Duration","@value":"PT1M30S"}`},
		{time.Date(2007, 12, 3, 10, 15, 30, 0, time.FixedZone("", 3600)), `{"@type":"gx:OffsetDateTime","@value":"2007-12-03T10:15:30+01:00"}`},
	}
	for _, c := range cases {
		b, err := MarshalGraphSON(c.v, 3)
		if err != nil {
			t.Fatalf("%#v: %v", c.v, err)
		}
		if string(b) != c.want {
			t.Errorf("%#v\n got %s\nwant %s", c.v, b, c.want)
		}
	}
}

func TestGraphSONUntypedAndSpecInput(t *testing.T) {
	// Untyped JSON in args decodes to the nearest Gremlin types.
	req, err := GraphSON{Version: 3}.DecodeRequest([]byte(`{"requestId":"41d2e28a-20a4-4ab0-b379-d810dede3786",
		"op":"eval","processor":"","args":{"gremlin":"g.V(x)","bindings":{"x":1,"big":5000000000,"f":1.5,"l":[1,"a"],"n":null},
		"language":"gremlin-groovy","batchSize":64}}`))
	if err != nil {
		t.Fatal(err)
	}
	if req.RequestID != uuid.MustParse("41d2e28a-20a4-4ab0-b379-d810dede3786") || req.Op != "eval" || req.Args["gremlin"] != "g.V(x)" {
		t.Errorf("request = %+v", req)
	}
	b, err := req.StringMap("bindings")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"x": int32(1), "big": int64(5000000000), "f": 1.5, "l": []any{int32(1), "a"}, "n": nil}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("bindings = %#v, want %#v", b, want)
	}
	if n, ok := req.IntArg("batchSize"); !ok || n != 64 {
		t.Errorf("batchSize = %v", n)
	}

	// The spec's v3 request: typed requestId, g:Map args.
	req, err = GraphSON{Version: 3}.DecodeRequest([]byte(`{"requestId":{"@type":"g:UUID","@value":"cb682578-9d92-4499-9ebc-5c6aa73c5397"},
		"op":"bytecode","processor":"traversal","args":{"@type":"g:Map","@value":["gremlin",{"@type":"g:Bytecode","@value":{"step":[["V"],["hasLabel","person"]]}},
		"aliases",{"@type":"g:Map","@value":["g","g"]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	bc := &value.Bytecode{Steps: []value.Instruction{{Operator: "V", Args: []any{}}, {Operator: "hasLabel", Args: []any{"person"}}}}
	if !reflect.DeepEqual(req.Args["gremlin"], bc) || !reflect.DeepEqual(req.Args["aliases"], strMap("g", "g")) {
		t.Errorf("spec request = %s", describeRequest(req, nil))
	}

	// Reading the spec's metrics shape (dur in milliseconds).
	v, err := UnmarshalGraphSON([]byte(`{"@type":"g:Metrics","@value":{"@type":"g:Map","@value":["dur",{"@type":"g:Double","@value":0.123},
		"counts",{"@type":"g:Map","@value":["traverserCount",{"@type":"g:Int64","@value":4}]},"name","TinkerGraphStep(vertex,[])",
		"annotations",{"@type":"g:Map","@value":["percentDur",{"@type":"g:Double","@value":25.0}]},"id","7.0.0()"]}}`), 3)
	m, ok := v.(*value.Metrics)
	if err != nil || !ok || m.DurationNs != 123000 || m.ID != "7.0.0()" || m.Counts.Len() != 1 {
		t.Errorf("metrics = %#v, %v", v, err)
	}
}

func TestGraphSONMessages(t *testing.T) {
	id := uuid.MustParse("41d2e28a-20a4-4ab0-b379-d810dede3786")
	for _, s := range []GraphSON{{Version: 3}, {Version: 2}} {
		req := &Request{RequestID: id, Op: "bytecode", Processor: "traversal", Args: map[string]any{
			"gremlin": &value.Bytecode{Steps: []value.Instruction{{Operator: "V", Args: []any{int32(1)}}}},
			"aliases": map[string]any{"g": "g"}, "batchSize": int32(64)}}
		b, err := s.EncodeRequest(req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.DecodeRequest(b)
		if err != nil {
			t.Fatal(err)
		}
		if got.RequestID != id || !reflect.DeepEqual(got.Args["gremlin"], req.Args["gremlin"]) || got.Args["batchSize"] != int32(64) {
			t.Errorf("v%d request round trip: %s", s.Version, describeRequest(got, nil))
		}
		resp := &Response{RequestID: id, Status: Status{Code: 200, Message: "", Attributes: map[string]any{"host": "h"}},
			Result: Result{Meta: map[string]any{}, Data: []any{value.Traverser{Bulk: 1, Value: int64(6)}}}}
		b, err = s.EncodeResponse(resp)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), `{"requestId":"41d2e28a-20a4-4ab0-b379-d810dede3786","status":{"message":"","code":200,`) {
			t.Errorf("v%d response = %s", s.Version, b)
		}
		gotResp, err := s.DecodeResponse(b)
		if err != nil || !reflect.DeepEqual(gotResp, resp) {
			t.Errorf("v%d response round trip: %v\n got %#v\nwant %#v", s.Version, err, gotResp, resp)
		}
	}
}

func TestGraphSONRejects(t *testing.T) {
	for _, text := range []string{
		``, `{`, `[1] [2]`, `{"@type":"g:Int32","@value":"x"}`, `{"@type":"g:Int32","@value":5000000000}`,
		`{"@type":"g:UUID","@value":"nope"}`, `{"@type":"g:Map","@value":[1]}`, `{"@type":"g:Nope","@value":1}`,
		`{"@type":"gx:Duration","@value":"P"}`, `{"@type":"gx:Char","@value":"ab"}`,
		`{"@type":"g:Path","@value":{"labels":[],"objects":[1]}}`,
		strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000),
	} {
		if _, err := UnmarshalGraphSON([]byte(text), 3); err == nil {
			t.Errorf("%.60q decoded without error", text)
		} else if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) {
			t.Errorf("%.60q: error %v matches neither sentinel", text, err)
		}
	}
	for _, text := range []string{`[]`, `{"requestId":1,"op":"eval"}`, `{"op":5}`, `{"op":"eval","args":[1]}`} {
		if _, err := (GraphSON{Version: 3}).DecodeRequest([]byte(text)); err == nil {
			t.Errorf("request %q decoded without error", text)
		}
	}
}
