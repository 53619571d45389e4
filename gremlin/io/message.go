package io

import (
	"fmt"
	"sort"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Request is a client's request message (Gremlin Server 3.x protocol).
//
// Args holds the request arguments by name. Common ones: "gremlin"
// (a script string for op eval, a *value.Bytecode for op bytecode),
// "bindings" and "aliases" (*value.Map with string keys), "language",
// "batchSize", "evaluationTimeout" (numbers), "session" (string or
// uuid.UUID), "manageTransaction" (bool), "sasl", "saslMechanism".
type Request struct {
	RequestID uuid.UUID
	Op        string
	Processor string
	Args      map[string]any
}

// Arg returns the named argument.
func (r *Request) Arg(name string) (any, bool) {
	if r == nil || r.Args == nil {
		return nil, false
	}
	v, ok := r.Args[name]
	return v, ok
}

// StringArg returns the named argument if it is a string. A uuid.UUID is
// rendered in its canonical form, since clients send session ids either way.
func (r *Request) StringArg(name string) (string, bool) {
	v, ok := r.Arg(name)
	if !ok {
		return "", false
	}
	switch s := v.(type) {
	case string:
		return s, true
	case uuid.UUID:
		return s.String(), true
	}
	return "", false
}

// IntArg returns the named argument as an int64 if it is any integer
// type (clients send batchSize and evaluationTimeout as Int or Long).
func (r *Request) IntArg(name string) (int64, bool) {
	v, ok := r.Arg(name)
	if !ok {
		return 0, false
	}
	return asInt64(v)
}

func asInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int8:
		return int64(n), true
	case uint8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		if n == float64(int64(n)) {
			return int64(n), true
		}
	}
	return 0, false
}

// StringMap returns a map-valued argument (bindings, aliases) as a Go map
// keyed by string. It fails if the argument is present but is not a map
// or has a non-string key; a missing argument gives (nil, nil).
func (r *Request) StringMap(name string) (map[string]any, error) {
	v, ok := r.Arg(name)
	if !ok || v == nil {
		return nil, nil
	}
	switch m := v.(type) {
	case map[string]any:
		return m, nil
	case *value.Map:
		out := make(map[string]any, m.Len())
		for _, e := range m.Entries() {
			k, ok := e.Key.(string)
			if !ok {
				return nil, fmt.Errorf("request argument %q: key %v is a %T, expected a string", name, e.Key, e.Key)
			}
			out[k] = e.Value
		}
		return out, nil
	}
	return nil, fmt.Errorf("request argument %q is a %T, expected a map", name, v)
}

// Status codes of the 3.x protocol.
const (
	StatusSuccess                   = 200
	StatusNoContent                 = 204
	StatusPartialContent            = 206
	StatusUnauthorized              = 401
	StatusForbidden                 = 403
	StatusAuthenticate              = 407
	StatusTooManyRequests           = 429
	StatusMalformedRequest          = 498
	StatusInvalidRequestArguments   = 499
	StatusRequestErrorSerialization = 497
	StatusServerError               = 500
	StatusScriptEvaluationError     = 597
	StatusServerTimeout             = 598
	StatusServerSerializationError  = 599
	StatusServerErrorFailStep       = 595
	StatusServerErrorTemporary      = 596
)

// Status is a response's status.
type Status struct {
	Code       int
	Message    string
	Attributes map[string]any
}

// Result is a response's result. Data is one value: for a batch of
// results it is a []any (of value.Traverser for bytecode requests).
type Result struct {
	Meta map[string]any
	Data any
}

// Response is the server's answer to one request (possibly one of several
// partial batches). A RequestID of uuid.Nil is written as null.
type Response struct {
	RequestID uuid.UUID
	Status    Status
	Result    Result
}

// sortedKeys returns m's keys in order, so encodings are deterministic.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
