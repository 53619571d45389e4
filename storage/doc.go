// Package storage stores a property graph in the tables of a kv.Store and
// implements the contract in api.go: *Graph is the Store, *Tx the GraphTx.
//
// Each graph transaction is one KV transaction, with read-your-writes.
// Tables (see keys.go for the exact layouts):
//
//   - vertex: one row per vertex holding its label and every property,
//     with vertex-property ids and meta-properties, so one get loads a
//     vertex.
//   - edge_out, edge_in: adjacency, keyed [vertex][label][neighbour][edge],
//     so all edges of a vertex in a direction, those of one label, and
//     those of one label to one neighbour are each one prefix scan.
//     edge_out holds the edge's endpoint labels and properties; edge_in
//     entries are keys only (readers of in-edges fetch the values from
//     edge_out with one MultiGet per page), so an edge is stored once.
//   - edge: edge id → (out, label, in), for edges by id, and for the
//     edges of a label (a scan filtered by the label in the row).
//   - label_index: all vertices of a label in one scan.
//   - vertex_label, edge_label, property_key, index_label: the schema;
//     labels and keys are interned as small ids, declared or not.
//   - secondary_index, range_index, search_index, unique_index: indexes,
//     maintained in the same transaction as the data.
//
// # Contracts
//
//   - Ids keep their Go type (int32 stays int32); Go int is stored as
//     int64, uint8 as int8. Generated ids are int64 from one counter shared
//     by vertices, edges and vertex properties. Vertex-property ids are
//     unique within their vertex.
//   - Schema is optional. A declared property key is checked for type and
//     (on vertices) cardinality; a declared label with a property list
//     admits only those keys. Violations are *SchemaError.
//   - Writes of null: SetVertexProperty(Single, nil) and
//     SetEdgeProperty(nil) remove the key; nulls in creation properties are
//     skipped.
//   - Statistics (Stats, LabelCount) count committed data only.
//   - Check verifies that indexes, adjacency and rows agree.
//
// # Caveats
//
// One *Graph should own a store: interned names, index definitions and
// counts are cached in memory. Interning a new label or key and allocating
// id blocks commit in their own short KV transactions, so they survive a
// rollback of the transaction that caused them (harmless: unused names and
// ids). Index backfill runs in batches; on a snapshot-isolation store a
// concurrent delete during backfill can leave a stale entry (Check finds
// it).
package storage
