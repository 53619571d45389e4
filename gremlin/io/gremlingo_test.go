package io

import (
	"math/big"
	"reflect"
	"testing"
	"time"

	gremlingo "github.com/apache/tinkerpop/gremlin-go/v3/driver"
	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// gremlin-go 3.8.1's own deserializer must read what we encode.
func TestGremlinGoReadsOurResponses(t *testing.T) {
	id := uuid.New()
	v1 := &value.Vertex{ID: int32(1), Label: "person", Properties: []*value.VertexProperty{
		{ID: int64(0), Key: "name", Value: "marko"}}}
	v2 := &value.Vertex{ID: int32(2), Label: "person"}
	cases := []struct {
		name string
		data any
		want any
	}{
		{"long", int64(6), int64(6)},
		{"int", int32(29), int32(29)},
		{"double", 0.5, 0.5},
		{"string", "marko", "marko"},
		{"bool", true, true},
		{"short", int16(3), int16(3)},
		{"float", float32(1.5), float32(1.5)},
		{"uuid", id, id},
		{"null", nil, nil},
		{"bigint", big.NewInt(-129), big.NewInt(-129)},
		{"bigdecimal", value.BigDecimal{Unscaled: big.NewInt(12345), Scale: 2},
			&gremlingo.BigDecimal{Scale: 2, UnscaledValue: big.NewInt(12345)}},
		{"duration", 90 * time.Second, 90 * time.Second},
		{"enum T", value.Enum{Type: "T", Name: "label"}, "label"},
		{"enum Direction", value.Enum{Type: "Direction", Name: "OUT"}, "OUT"},
		{"list", []any{int32(1), "a"}, []any{int32(1), "a"}},
		{"set", value.NewSet("a"), gremlingo.NewSimpleSet("a")},
		{"map", strMap("name", []any{"marko"}), map[any]any{"name": []any{"marko"}}},
		{"vertex", v1, &gremlingo.Vertex{Element: gremlingo.Element{Id: int32(1), Label: "person",
			Properties: []any{&gremlingo.VertexProperty{Element: gremlingo.Element{Id: int64(0), Label: "name", Properties: []any{}},
				Value: "marko"}}}}},
		{"edge", &value.Edge{ID: int32(7), Label: "knows", OutV: v1, InV: v2,
			Properties: []*value.Property{{Key: "weight", Value: 0.5}}},
			&gremlingo.Edge{Element: gremlingo.Element{Id: int32(7), Label: "knows",
				Properties: []any{&gremlingo.Property{Key: "weight", Value: 0.5}}},
				OutV: gremlingo.Vertex{Element: gremlingo.Element{Id: int32(1), Label: "person"}},
				InV:  gremlingo.Vertex{Element: gremlingo.Element{Id: int32(2), Label: "person"}}}},
		{"path", &value.Path{Labels: [][]string{{"a"}, {}}, Objects: []any{v2, "x"}},
			&gremlingo.Path{Labels: []gremlingo.Set{gremlingo.NewSimpleSet("a"), gremlingo.NewSimpleSet()},
				Objects: []any{&gremlingo.Vertex{Element: gremlingo.Element{Id: int32(2), Label: "person", Properties: []any{}}}, "x"}}},
		{"bulkset", &value.BulkSet{Items: []value.BulkItem{{Value: "a", Bulk: 2}}}, []any{"a", "a"}},
		{"class", value.Class("java.lang.String"), &gremlingo.GremlinType{Fqcn: "java.lang.String"}},
		{"traversal metrics", &value.TraversalMetrics{DurationNs: 10, Metrics: []*value.Metrics{{
			ID: "1", Name: "step", DurationNs: 5, Counts: strMap("traverserCount", int64(2)), Annotations: strMap("percentDur", 50.0)}}},
			&gremlingo.TraversalMetrics{Duration: 10, Metrics: []gremlingo.Metrics{{Id: "1", Name: "step", Duration: 5,
				Counts: map[string]int64{"traverserCount": 2}, Annotations: map[string]any{"percentDur": 50.0},
				NestedMetrics: []gremlingo.Metrics{}}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := GraphBinary{}.EncodeResponse(&Response{RequestID: id, Status: Status{Code: 200},
				Result: Result{Meta: map[string]any{}, Data: []any{value.Traverser{Bulk: 1, Value: tc.data}}}})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := gremlingo.GraphBinarySerializer{}.DeserializeMessage(b)
			if err != nil {
				t.Fatalf("gremlin-go: %v", err)
			}
			if resp.ResponseID != id {
				t.Errorf("request id %v, want %v", resp.ResponseID, id)
			}
			list, ok := resp.ResponseResult.Data.([]any)
			if !ok || len(list) != 1 {
				t.Fatalf("data %#v, want one traverser", resp.ResponseResult.Data)
			}
			tr, ok := list[0].(*gremlingo.Traverser)
			if !ok {
				t.Fatalf("item %T, want *Traverser", list[0])
			}
			got := traverserValue(tr)
			if b, ok := got.(*big.Int); ok {
				if b.Cmp(tc.want.(*big.Int)) != 0 {
					t.Errorf("got %v want %v", b, tc.want)
				}
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("gremlin-go decoded\n %#v\nwant\n %#v", got, tc.want)
			}
		})
	}
}

// traverserValue reads a gremlin-go Traverser's unexported value through
// its String method's twin: the driver exposes it only via ToString, so
// use reflection on the unexported field for comparison.
func traverserValue(tr *gremlingo.Traverser) any {
	f := reflect.ValueOf(tr).Elem().FieldByName("value")
	return reflect.NewAt(f.Type(), f.Addr().UnsafePointer()).Elem().Interface()
}
