// Package fn holds the pure functions over Gremlin values that the
// traversal engine uses: Gremlin equality, comparability and orderability,
// Java-like numeric promotion and arithmetic, predicate (P/TextP)
// evaluation, the math() expression language, and the string, date and
// list steps expressed as value-in/value-out functions.
//
// Values use the Go representation of storage/value (int32 Int, int64
// Long, float64 Double, *value.Map, []any List, ...). Nothing here touches
// a graph. Functions never panic; failures are returned as errors whose
// message names the function, the offending argument and what was
// expected, so the engine can prefix the step name.
package fn
