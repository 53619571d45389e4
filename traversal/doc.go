// Package traversal compiles Gremlin bytecode into executable traversals
// and runs them against a storage.GraphTx with TinkerPop 3.8 semantics.
//
// An *Engine (NewEngine) holds what compilation needs beyond the bytecode:
// the step constructors and services, built explicitly for it (with the
// planner's kvt:* access steps when Config.AccessSteps is set), and the
// directory io() may read (Config.IORoot). The package keeps no registry
// of its own.
//
// A compiled *Traversal is immutable and may be iterated many times (each
// Iterate builds a fresh pipeline of pull-based step iterators). Traversers
// carry a bulk, their path (only when some step needs it: full paths for
// path()/simplePath()/cyclicPath()/tree(), labelled paths when as() labels
// are used, from which PathRetractionStrategy drops the labels no later
// step reads; see strategies_retract.go), loop counters for repeat() and a
// sack. Errors raised by steps
// are *Error values naming the step; panics inside steps are recovered at
// the Iterator boundary and turned into errors.
package traversal
