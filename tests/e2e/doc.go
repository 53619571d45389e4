// Package e2e holds kvtgraph's end-to-end tests: the real kvtgraph binary
// (built once by TestMain) serving in-memory and durable KVT graphs,
// driven by the real clients: gremlin-go v3.8.1 (bytecode, scripts,
// sessions, transactions, SASL, batching, timeouts), the npm gremlin
// 3.8.2 driver through node (tests/node: GraphBinary, GraphSON v3 and v2,
// sessions, transactions, SASL), raw GraphBinary-stringd requests (the
// Gremlin Console's serializer), raw WebSocket frames (undecodable and
// oversized frames, keepalive pings, manageTransaction), HTTP (bindings,
// GraphSON v2/v3, CORS, /health, /metrics), session rollback on close,
// connection loss and shutdown, and the load/export/check commands.
//
// The tests need TinkerPop's sample data in ../shared/tinkerpop (or
// KVTGRAPH_TINKERPOP_DIR), and node with npm on the PATH; tests/node's
// packages are installed with `npm ci` when missing.
package e2e
