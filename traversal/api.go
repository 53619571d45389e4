package traversal

import (
	"context"
	"errors"
	"fmt"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// ErrLambda is returned by Compile when the bytecode contains a lambda.
var ErrLambda = errors.New("lambdas are not supported")

// Error is a user error raised by a step: bad arguments found by Compile
// or a failure while running (wrong input type, missing key, fail()...).
type Error struct {
	Step string // step name, e.g. "select", "math"
	Msg  string
}

func (e *Error) Error() string {
	if e.Step == "" {
		return e.Msg
	}
	return e.Step + "(): " + e.Msg
}

// Config configures an Engine.
type Config struct {
	// IORoot is the directory g.io(file).read() reads graph files from;
	// a file may not leave it. "" disables io().
	IORoot string
	// AccessSteps enables the planner's physical access steps (the kvt:*
	// operators of steps_access.go), which planned bytecode uses.
	AccessSteps bool
}

// Engine compiles traversals with the steps and settings of its Config.
// Build it once (NewEngine) and share it: it is immutable and safe for
// concurrent use, and the traversals it compiles keep what they need of
// it for their runs.
type Engine struct {
	steps  *stepSet
	ioRoot string
}

// NewEngine builds an engine: the Gremlin steps, TinkerGraph's services,
// and what cfg adds.
func NewEngine(cfg Config) *Engine {
	return &Engine{steps: newStepSet(cfg.AccessSteps), ioRoot: cfg.IORoot}
}

// Compile validates bytecode and builds an executable traversal. Errors
// name the step and argument. Lambdas are refused (ErrLambda).
func (e *Engine) Compile(bc *value.Bytecode) (*Traversal, error) {
	return compileRoot(e, bc)
}

// Traversal is a compiled traversal. It is immutable and safe to Iterate
// concurrently from several goroutines (each iteration has its own state).
type Traversal struct {
	eng      *Engine
	root     *pipeline
	src      *sourceConfig
	mutating bool
	// prof is set when the traversal holds a profile step (profile.go);
	// names names its metrics.
	prof  *profileInfo
	names StepNamer
	// retraction is PathRetractionStrategy's analysis (nil when the
	// strategy did not apply); the steps hold its keep sets.
	retraction *rtrav
}

// Mutating reports whether any step writes (addV, addE, property, drop,
// mergeV/E...).
func (t *Traversal) Mutating() bool { return t.mutating }

// Iterator yields the results of one run of a traversal.
type Iterator interface {
	// Next returns the next result with its bulk. It returns false when
	// the traversal is exhausted or failed; Err tells which.
	Next() (value.Traverser, bool)
	// Err returns the error that stopped the traversal, if any.
	Err() error
	// Close releases storage iterators. It is safe to call more than once.
	Close()
}

// Iterate runs the traversal lazily in tx: results are computed as Next is
// called, so limit() stops upstream work. ctx cancellation stops it
// promptly (its error is returned by Err), including inside repeat().
func (t *Traversal) Iterate(ctx context.Context, tx storage.GraphTx) Iterator {
	return newRun(ctx, t, tx)
}

func errorf(step, format string, args ...any) *Error {
	return &Error{Step: step, Msg: fmt.Sprintf(format, args...)}
}
