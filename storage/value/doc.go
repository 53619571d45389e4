// Package value is the Go representation of every Gremlin value, shared by
// all layers of kvtgraph: the wire serializers (gremlin/io), the parser
// (gremlin/lang), the traversal engine and the storage layer.
//
// Scalars use plain Go types wherever Go has one with the same meaning
// (int32 for Int, int64 for Long, float64 for Double, time.Time for dates,
// uuid.UUID...); the types here fill the gaps: BigDecimal, Char, ordered
// Map and Set with Gremlin equality (keyed by Key), graph elements
// (Vertex, Edge, VertexProperty, Property), Path, the enums (Enum),
// predicates (P), Bytecode and the traversal result types (Traverser,
// BulkSet, Tree, Metrics, TraversalMetrics, TraversalExplanation).
//
// The package has no behaviour beyond construction, equality keys and
// string forms: semantics (comparison, arithmetic, predicates) live in
// traversal/fn, encodings in gremlin/io and index.
package value
