package server

import (
	"context"
	"errors"
	"fmt"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
)

// Sentinel kinds an Executor wraps (fmt.Errorf("%w: ...", ErrEvaluation))
// to choose the status code of a failure. The message sent to the client is
// the full error text.
var (
	// ErrInvalidRequest: the request's arguments are wrong (499).
	ErrInvalidRequest = errors.New("invalid request arguments")
	// ErrMalformedRequest: the request cannot be understood at all (498).
	ErrMalformedRequest = errors.New("malformed request")
	// ErrUnauthorized: the credentials were refused (401).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the user may not do this, e.g. a write to a read-only
	// graph (403).
	ErrForbidden = errors.New("forbidden")
	// ErrFailStep: a traversal's fail() step was reached (595).
	ErrFailStep = errors.New("fail step")
	// ErrTemporary: the request may succeed if retried, e.g. a
	// transaction conflict (596).
	ErrTemporary = errors.New("temporary failure")
	// ErrEvaluation: the script or traversal failed (597). This is also
	// the code of any error without a kind.
	ErrEvaluation = errors.New("evaluation error")
	// ErrTimeout: evaluationTimeout passed (598).
	ErrTimeout = errors.New("evaluation timeout")
	// ErrSerialization: a result cannot be written in the client's
	// format (599).
	ErrSerialization = errors.New("result serialization failed")
	// ErrServer: an internal failure (500).
	ErrServer = errors.New("server error")
)

// StatusCoder is implemented by errors that know their Gremlin status
// code; lower layers can use it without importing this package.
type StatusCoder interface {
	GremlinStatus() int
}

// Error is an error with an explicit status code.
type Error struct {
	Code int
	Msg  string
	Err  error // optional cause
}

func (e *Error) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// GremlinStatus returns the status code.
func (e *Error) GremlinStatus() int { return e.Code }

func statusErr(code int, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

var kindCodes = []struct {
	kind error
	code int
}{
	{ErrInvalidRequest, gio.StatusInvalidRequestArguments},
	{ErrMalformedRequest, gio.StatusMalformedRequest},
	{ErrUnauthorized, gio.StatusUnauthorized},
	{ErrForbidden, gio.StatusForbidden},
	{ErrFailStep, gio.StatusServerErrorFailStep},
	{ErrTemporary, gio.StatusServerErrorTemporary},
	{ErrTimeout, gio.StatusServerTimeout},
	{ErrSerialization, gio.StatusServerSerializationError},
	{ErrServer, gio.StatusServerError},
	{ErrEvaluation, gio.StatusScriptEvaluationError},
}

// statusOf maps an error from the executor to a status code: an explicit
// StatusCoder first, then this package's sentinels, then context deadline
// (598); anything else is an evaluation error (597).
func statusOf(err error) int {
	var sc StatusCoder
	if errors.As(err, &sc) {
		if c := sc.GremlinStatus(); c >= 400 && c <= 599 {
			return c
		}
	}
	for _, kc := range kindCodes {
		if errors.Is(err, kc.kind) {
			return kc.code
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return gio.StatusServerTimeout
	}
	return gio.StatusScriptEvaluationError
}

// AttributesProvider is implemented by errors that want extra status
// attributes in the error response (TinkerPop sends "exceptions" and
// "stackTrace"; drivers show them to users).
type AttributesProvider interface {
	GremlinAttributes() map[string]any
}

func attributesOf(err error) map[string]any {
	var ap AttributesProvider
	if errors.As(err, &ap) {
		return ap.GremlinAttributes()
	}
	return nil
}
