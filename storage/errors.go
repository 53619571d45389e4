package storage

import (
	"errors"
	"fmt"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// Sentinel errors. Operations wrap them with the element or key concerned;
// test with errors.Is.
var (
	// ErrVertexNotFound: a write names a vertex that does not exist.
	ErrVertexNotFound = errors.New("vertex not found")
	// ErrEdgeNotFound: a write names an edge that does not exist.
	ErrEdgeNotFound = errors.New("edge not found")
	// ErrDuplicateID: an element with that id already exists.
	ErrDuplicateID = errors.New("an element with this id already exists")
	// ErrConflict: a concurrent transaction won; retry the transaction.
	ErrConflict = errors.New("transaction conflict, retry")
	// ErrReadOnly: a write in a read-only transaction.
	ErrReadOnly = errors.New("write in a read-only transaction")
	// ErrTxDone: use of a committed or rolled-back transaction.
	ErrTxDone = errors.New("transaction already finished")
	// ErrInvalidArgument: a malformed id, label, key or value.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrIndexNotFound: no index of that name.
	ErrIndexNotFound = errors.New("index not found")
	// ErrIndexExists: an index of that name already exists.
	ErrIndexExists = errors.New("index already exists")
	// ErrCorrupt: stored data could not be decoded.
	ErrCorrupt = errors.New("corrupt stored data")
	// ErrLayout: Open found a graph stored with another key layout
	// (written by another version of kvtgraph).
	ErrLayout = errors.New("graph stored with another key layout")
)

// SchemaError reports a write that violates the declared schema or a
// unique index.
type SchemaError struct {
	// Key is the property key concerned (empty for label errors).
	Key string
	// Label is the element label concerned, when known.
	Label string
	// Expected says what the schema wants ("Int64", "single cardinality",
	// "a value not yet used by unique index byEmail").
	Expected string
	// Given is the value given, or nil.
	Given any
	// Index names the unique index violated, if any.
	Index string
}

func (e *SchemaError) Error() string {
	where := ""
	if e.Label != "" {
		where = fmt.Sprintf(" on label %q", e.Label)
	}
	if e.Index != "" {
		return fmt.Sprintf("unique index %q violated%s: property %q value %v (%T) is already used; expected %s",
			e.Index, where, e.Key, e.Given, e.Given, e.Expected)
	}
	if e.Key == "" {
		return fmt.Sprintf("schema violation%s: expected %s", where, e.Expected)
	}
	return fmt.Sprintf("schema violation%s: property %q expects %s, got %v (%T)", where, e.Key, e.Expected, e.Given, e.Given)
}

// mapKVErr turns kv errors into storage errors, keeping both in the chain.
func mapKVErr(op string, err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, kv.ErrConflict), errors.Is(err, kv.ErrTxTooOld):
		return fmt.Errorf("%s: %w: %w", op, ErrConflict, err)
	case errors.Is(err, kv.ErrReadOnly):
		return fmt.Errorf("%s: %w: %w", op, ErrReadOnly, err)
	case errors.Is(err, kv.ErrTxnDone):
		return fmt.Errorf("%s: %w: %w", op, ErrTxDone, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
