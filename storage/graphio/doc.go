// Package graphio imports and exports whole graphs in the two file formats
// TinkerPop ships its sample graphs in:
//
//   - GraphSON v3 adjacency lines (".json"): one vertex per line, with its
//     typed id, label, properties (vertex-property ids, multi-properties and
//     meta-properties included) and its incident edges in "outE"/"inE" maps.
//     This is the format of TinkerPop's data/*.json files and of
//     GraphSONWriter.writeGraph. Values are typed GraphSON v3
//     ({"@type":"g:Int32","@value":1}); untyped JSON (GraphSON v1 style) is
//     accepted on input as well. The package has its own small typed-value
//     codec (see DecodeValue and AppendValue) since the wire serializers live in
//     a higher layer.
//   - GraphML (".xml", ".graphml"), as TinkerPop's GraphMLReader and
//     GraphMLWriter handle it: <key> declarations with attr.type (int, long,
//     float, double, string, boolean), the vertex label in the data key
//     "labelV" and the edge label in "labelE".
//
// Load streams a file into a storage.Store, committing every BatchSize
// writes. On a store with a bulk-load entry point (*storage.Graph.BulkLoad)
// it runs inside it, so the store can end transactions early to respect its
// KV limits; on any other storage.Store it opens the transactions itself,
// halving the batch when the store says a transaction is too large and
// retrying a batch the store asks to retry. Export writes everything a
// storage.GraphTx sees. Import → export → import reproduces the graph
// exactly for GraphSON, ids and their types included; for GraphML it does so
// for the data GraphML can carry (see below).
//
// # Ids
//
// GraphSON ids are typed and are kept with their types (vertex, edge and
// vertex-property ids). GraphML ids are strings. TinkerPop's GraphMLReader
// hands them to the graph unchanged, and TinkerGraph with its default id
// manager (ANY) keeps them as strings, so "1" in a GraphML file becomes the
// string id "1". Load does the same by default; LoadOptions.IDType converts
// vertex and edge ids instead (IDInt32, IDInt64, IDString, IDUUID), which is
// what TinkerGraph configured with the INTEGER, LONG or UUID id manager does.
// GraphML has no vertex-property ids; the store generates them.
//
// # Edges that precede their vertices
//
// An edge is added once, from the out-vertex's "outE" list (GraphSON) or
// its <edge> element (GraphML), as soon as both of its vertices have been
// added. Edges whose other vertex has not been read yet are held in memory
// until it is; an edge whose vertex never appears is an error. "inE" lists
// are checked for well-formedness but otherwise ignored (each such edge is
// also listed in its out-vertex's "outE").
//
// # GraphML limits
//
// GraphML holds one value per key per element and no meta-properties, and
// only the types int, long, float, double, string and boolean. Export to
// GraphML fails with a clear error for a graph using multi-properties,
// meta-properties or other value types rather than writing a lossy file.
// Ids are written with their string form. A key used with several value
// types gets one <key> per type (the id is made unique, attr.name stays the
// property key), which GraphMLReader also reads back correctly. <default>
// values of keys, nested graphs and hyperedges are not supported. On input,
// a node key and an edge key may share an id (TinkerPop's GraphMLWriter
// writes that); <data> whose <key> has no attr.name is skipped, as
// GraphMLReader does (yEd graphics), but <data> naming an undeclared key is
// an error. A missing label key gives the labels "vertex" and "edge".
//
// Load is not atomic: batches committed before an error stay in the store.
package graphio
