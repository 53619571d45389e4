package io

import (
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// sampleValue is one named value of every kind the formats carry.
type sampleValue struct {
	name string
	v    any
}

func strMap(kv ...any) *value.Map {
	m := value.NewMap()
	for i := 0; i+1 < len(kv); i += 2 {
		m.Put(kv[i], kv[i+1])
	}
	return m
}

// sampleValues returns values that every typed format must round-trip
// exactly (decode(encode(v)) deep-equals v).
func sampleValues() []sampleValue {
	vp := &value.VertexProperty{ID: int64(0), Key: "name", Value: "marko",
		Properties: []*value.Property{{Key: "since", Value: int32(2009)}}}
	v1 := &value.Vertex{ID: int32(1), Label: "person"}
	v2 := &value.Vertex{ID: int32(2), Label: "person"}
	return []sampleValue{
		{"null", nil},
		{"int", int32(-42)},
		{"long", int64(1) << 40},
		{"short", int16(-7)},
		{"byte", int8(-3)},
		{"float", float32(0.375)},
		{"double", 0.1},
		{"string", "héllo"},
		{"empty string", ""},
		{"true", true},
		{"false", false},
		{"bigint", new(big.Int).Lsh(big.NewInt(-3), 100)},
		{"bigint zero", big.NewInt(0)},
		{"bigint 128", big.NewInt(128)},
		{"bigint -129", big.NewInt(-129)},
		{"bigdecimal", value.BigDecimal{Unscaled: big.NewInt(-12345), Scale: 3}},
		{"char", value.Char('€')},
		{"char ascii", value.Char('a')},
		{"uuid", uuid.MustParse("00112233-4455-6677-8899-aabbccddeeff")},
		{"date", time.UnixMilli(1690000000123).UTC()},
		{"offsetdatetime", time.Date(2023, 8, 8, 10, 15, 30, 500, time.FixedZone("", 3600))},
		{"offsetdatetime Z", time.Date(2023, 8, 8, 0, 0, 0, 0, time.FixedZone("", 0))},
		{"duration", 90*time.Minute + 5*time.Nanosecond},
		{"negative duration", -1500 * time.Millisecond},
		{"bytebuffer", []byte{0, 1, 2, 255}},
		{"list", []any{int32(1), "a", nil, []any{}}},
		{"set", value.NewSet(int32(1), "a")},
		{"map", strMap("name", []any{"marko"}, int32(1), nil, []any{int32(1)}, "list key")},
		{"vertex ref", v1},
		{"vertex props", &value.Vertex{ID: int32(1), Label: "person", Properties: []*value.VertexProperty{vp}}},
		{"vertex empty props", &value.Vertex{ID: "x", Label: "v", Properties: []*value.VertexProperty{}}},
		{"edge", &value.Edge{ID: int32(7), Label: "knows", OutV: v1, InV: v2}},
		{"edge props", &value.Edge{ID: int32(7), Label: "knows", OutV: v1, InV: v2,
			Properties: []*value.Property{{Key: "weight", Value: 0.5}}}},
		{"vertexproperty", vp},
		{"property", &value.Property{Key: "weight", Value: 0.5}},
		{"path", &value.Path{Labels: [][]string{{"a"}, {}}, Objects: []any{v1, "x"}}},
		{"enum T", value.Enum{Type: "T", Name: "id"}},
		{"enum Direction", value.Enum{Type: "Direction", Name: "OUT"}},
		{"enum Order", value.Enum{Type: "Order", Name: "desc"}},
		{"enum Scope", value.Enum{Type: "Scope", Name: "local"}},
		{"enum Pop", value.Enum{Type: "Pop", Name: "all"}},
		{"enum Column", value.Enum{Type: "Column", Name: "keys"}},
		{"enum Cardinality", value.Enum{Type: "Cardinality", Name: "list"}},
		{"enum Barrier", value.Enum{Type: "Barrier", Name: "normSack"}},
		{"enum Operator", value.Enum{Type: "Operator", Name: "sum"}},
		{"enum Pick", value.Enum{Type: "Pick", Name: "any"}},
		{"enum Merge", value.Enum{Type: "Merge", Name: "onCreate"}},
		{"enum DT", value.Enum{Type: "DT", Name: "day"}},
		{"enum GType", value.Enum{Type: "GType", Name: "INT"}},
		{"P", &value.P{Operator: "within", Values: []any{int32(1), int32(2)}}},
		{"P and", &value.P{Operator: "and", Values: []any{
			&value.P{Operator: "gt", Values: []any{int32(1)}}, &value.P{Operator: "lt", Values: []any{int32(5)}}}}},
		{"TextP", &value.P{Operator: "containing", Values: []any{"ark"}, Text: true}},
		{"bytecode", &value.Bytecode{
			Sources: []value.Instruction{{Operator: "withStrategies", Args: []any{
				value.Strategy{Class: "org.apache.tinkerpop.gremlin.process.traversal.strategy.decoration.SubgraphStrategy",
					Config: strMap("vertices", &value.Bytecode{Steps: []value.Instruction{{Operator: "has", Args: []any{"name"}}}})}}}},
			Steps: []value.Instruction{
				{Operator: "V", Args: []any{}},
				{Operator: "has", Args: []any{"age", &value.P{Operator: "gt", Values: []any{int32(30)}}}},
				{Operator: "by", Args: []any{value.Enum{Type: "T", Name: "id"}, value.Enum{Type: "Order", Name: "desc"}}},
				{Operator: "map", Args: []any{&value.Lambda{Script: "it.get()", Language: "gremlin-groovy", Arguments: -1}}},
				{Operator: "is", Args: []any{value.Binding{Key: "x", Value: int64(3)}}},
			}}},
		{"lambda", &value.Lambda{Script: "x -> x", Language: "gremlin-java", Arguments: 1}},
		{"traverser", value.Traverser{Bulk: 3, Value: v1}},
		{"bulkset", &value.BulkSet{Items: []value.BulkItem{{Value: "a", Bulk: 2}, {Value: int32(1), Bulk: 1}}}},
		{"tree", &value.Tree{Branches: []value.TreeBranch{
			{Key: v1, Tree: &value.Tree{Branches: []value.TreeBranch{{Key: v2, Tree: &value.Tree{Branches: []value.TreeBranch{}}}}}}}}},
		{"metrics", &value.TraversalMetrics{DurationNs: 1234567, Metrics: []*value.Metrics{{
			ID: "0.0.0()", Name: "TinkerGraphStep(vertex,[])", DurationNs: 1000,
			Counts:      strMap("traverserCount", int64(6), "elementCount", int64(6)),
			Annotations: strMap("percentDur", 65.5),
			Nested:      []*value.Metrics{{ID: "1", Name: "inner", Counts: strMap(), Annotations: strMap()}},
		}}}},
		{"strategy", value.Strategy{Class: "org.apache.tinkerpop.gremlin.process.traversal.strategy.decoration.OptionsStrategy",
			Config: strMap("evaluationTimeout", int64(500))}},
		{"class", value.Class("org.apache.tinkerpop.gremlin.process.traversal.strategy.optimization.LazyBarrierStrategy")},
		{"binding", value.Binding{Key: "x", Value: "y"}},
	}
}
