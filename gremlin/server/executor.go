package server

import (
	"context"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Executor is everything the server needs from the layers below it: it runs
// scripts (op eval) and bytecode (op bytecode) outside any session, and
// creates sessions. Implementations must be safe for concurrent use.
//
// Errors: any error returned by Eval, Submit or a Results' Err is mapped to
// a status code by statusOf (errors.go): wrap one of this package's
// sentinels (ErrEvaluation, ErrInvalidRequest, ...) or return an error
// whose chain has a GremlinStatus() int method. Any other error is a 597
// evaluation error.
type Executor interface {
	// Sources lists the traversal sources: source name → graph name. The
	// server checks request aliases against it: a bytecode alias must name
	// a source; an eval alias may name a source or a graph.
	Sources() map[string]string

	// Eval starts a script outside a session. The request's work,
	// including its commit, must finish before the returned Results report
	// their end (see Results).
	Eval(ctx context.Context, req *EvalRequest) (Results, error)

	// Submit starts a bytecode traversal outside a session. Items of the
	// returned Results are value.Traverser.
	Submit(ctx context.Context, req *BytecodeRequest) (Results, error)

	// NewSession creates the state of session id: script variables kept
	// between requests and the open transaction of each graph.
	NewSession(id string) (Session, error)
}

// Session is one client session. The server calls a session's methods one
// at a time, in the order the requests arrived, so implementations need no
// locking of their own.
type Session interface {
	// Eval runs a script; variables it defines stay for later requests.
	Eval(ctx context.Context, req *EvalRequest) (Results, error)
	// Submit runs bytecode within the session's transactions.
	Submit(ctx context.Context, req *BytecodeRequest) (Results, error)
	// Commit commits the open transaction on the graph behind the
	// traversal source (remote g.tx().commit()). No open transaction is
	// not an error.
	Commit(ctx context.Context, source string) error
	// Rollback rolls back the open transaction on the source's graph.
	Rollback(ctx context.Context, source string) error
	// Close rolls back whatever is still open and releases the session. It
	// is called exactly once: on op close, idle expiry, the closing of the
	// connection that opened the session, or server shutdown.
	Close() error
}

// Results is a lazily produced result stream.
//
// Next returns the next item, or false at the end or on error; Err then
// tells which. Reaching the end with a nil Err means the request is
// complete: a sessionless request (or a session request with
// ManageTransaction) must have committed by then, because the server sends
// the final 200 only afterwards. Next must honour the context given to
// Eval/Submit: when it is cancelled (timeout, client gone) Next should
// return false soon and Err the context's error.
//
// Close releases resources (rolling back if the end was not reached). The
// server calls it exactly once, on the goroutine that called Next, after
// the last call to Next, also when the request timed out or failed.
//
// The items are plain Gremlin values (storage/value types) for eval and
// value.Traverser for bytecode. The server holds at most one batch of
// items at a time and encodes it before asking for more, so an item may
// reuse memory only after the next call to Next.
type Results interface {
	Next() (any, bool)
	Err() error
	Close()
}

// RequestInfo is what every request carries besides its script or bytecode.
type RequestInfo struct {
	RequestID uuid.UUID
	// User is the authenticated user name, "" when authentication is off.
	User string
	// Args are all request arguments as sent, for options the server does
	// not interpret itself (userAgent, materializeProperties, ...).
	Args map[string]any
	// ManageTransaction asks a session to commit after this request
	// succeeds and roll back if it fails (request argument
	// manageTransaction). Always false outside sessions, where every
	// request manages its own transaction.
	ManageTransaction bool
}

// EvalRequest is an op eval: a script with its bindings and aliases.
type EvalRequest struct {
	RequestInfo
	Script string
	// Language is the request's language; "gremlin-groovy" when the client
	// sent none (the Gremlin Console sends none).
	Language string
	Bindings map[string]any
	// Aliases maps names used in the script to traversal sources or graphs
	// (validated against Sources before the call).
	Aliases map[string]string
}

// BytecodeRequest is an op bytecode: a traversal to run on one source.
type BytecodeRequest struct {
	RequestInfo
	Bytecode *value.Bytecode
	// Alias is the name the client used ("g"); Source the traversal source
	// it was aliased to, already checked to exist.
	Alias  string
	Source string
}
