// Package exec runs Gremlin requests against kvtgraph's graphs: it is the
// server.Executor the protocol layer calls.
//
// It owns the request-level semantics that sit between the wire and the
// traversal engine:
//
//   - resolving a request's aliases and a script's identifiers to traversal
//     sources and graphs;
//   - evaluating scripts parsed by gremlin/lang: statements in order,
//     variables (kept across requests in a session), bindings, terminal
//     methods (next, toList, iterate, hasNext, tryNext...), g.tx() calls;
//   - running bytecode from drivers;
//   - transactions: a request outside a session runs in one graph
//     transaction per graph it touches and commits when it succeeds (a
//     failed request rolls back). A mutating request is run to completion
//     and committed before its results are streamed, so that a conflict
//     can be retried transparently; a read-only request streams lazily from
//     a snapshot. In a session, transactions stay open across requests
//     until g.tx().commit()/rollback(), or per request with
//     manageTransaction.
//
// Scripts are never executed by a general-purpose engine: only what
// gremlin/lang parses is evaluated, and lambdas are refused.
package exec
