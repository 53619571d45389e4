// Package server is kvtgraph's Gremlin Server: the TinkerPop 3.x
// WebSocket and HTTP protocol in front of an Executor.
//
// # Request path
//
// A WebSocket client connects to /gremlin. Each binary frame carries a
// mime prefix naming its serializer (gremlin/io); text frames are GraphSON.
// The connection's reader decodes a frame into an io.Request, applies SASL
// authentication when enabled (407 challenge, op "authentication", replay
// of the saved request), and dispatches by processor and op:
//
//	processor ""          op eval        Executor.Eval
//	processor "traversal" op bytecode    Executor.Submit
//	processor "session"   op eval        Session.Eval      (in arrival order)
//	processor "session"   op bytecode    Session.Submit, or Commit/Rollback for g.tx()
//	processor "session"   op close       Session.Close, answers 204
//	any                   op authentication
//
// Results stream from the executor's Results iterator in batches of
// resultIterationBatchSize (or the request's batchSize): every batch but the
// last is a 206 response, the last is 200, an empty result is 204. Errors
// map to TinkerPop status codes in exactly one place, statusOf in errors.go.
//
// Every request runs in its own goroutine under a context that carries its
// evaluationTimeout and is cancelled when the connection closes; at the
// deadline the client gets 598 at once, whether or not the executor has
// noticed yet. A panic inside a request becomes a 500 response.
//
// HTTP requests (POST with a JSON body or a serialized request message, GET
// with ?gremlin=) run the same dispatch and answer with one response that
// holds every result. /health and /metrics (Prometheus) are plain GETs.
// /gremlin/explain and /gremlin/profile take the same scripts and answer
// with the TraversalExplanation or TraversalMetrics of the script's last
// traversal, when the Executor implements Analyzer (404 otherwise).
//
// # Limits and backpressure
//
// Each connection has one writer goroutine fed by a bounded queue of
// encoded frames; a request that produces results faster than the client
// reads them blocks on that queue, so memory stays bounded by the queue
// length times the batch size. MaxInFlight bounds the requests a
// connection may have running (excess get 429); MaxConnections bounds the
// connections (excess upgrades get HTTP 503); MaxContentLength bounds a
// frame (excess closes the connection with code 1009).
//
// # Keepalive and idle connections
//
// The writer pings every client each KeepAliveInterval (30 s by default);
// any frame from the client, a pong included, pushes its read deadline to
// two intervals ahead (at least interval + 1 s), so a client that stops
// answering is disconnected, and its sessions closed, within that window. IdleConnectionTimeout,
// when set, closes (code 1000) a connection that has neither sent a
// request nor received a response for that long and has nothing running.
//
// # Sessions
//
// A session ends on op close, after SessionTimeout idle, when the
// connection that opened it closes (or is lost), and at shutdown; each way
// calls Session.Close, which rolls back the open transaction.
package server
