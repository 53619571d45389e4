// Package index holds the pure parts of kvtgraph's indexes: the
// order-preserving value encoding used in every index key, index kinds,
// text tokenization, and the translation of Gremlin predicates into key
// spans. It has no state and does no I/O; storage maintains the index
// tables in its transactions and calls this package to build and scan keys.
//
// # Contracts
//
//   - AppendValue is prefix-free and order-preserving within a class
//     (numbers of all widths share one class, so int 2 < long 10 <
//     double 10.5 and int 1 encodes like long 1). Equality of encodings is
//     the index's notion of equality.
//   - RangeSpans and TextSpans return half-open spans over keys of the
//     form prefix + encoded value (or token) + element id; a span never
//     crosses into another value class, so lt(10) matches numbers only.
//   - Tokenize lower-cases and splits at non-letters/digits.
//
// # Caveats
//
// Floats encode through their shortest decimal, so float32(0.1) equals
// float64(0.1) in an index although Java's == says otherwise. Sets and
// maps encode in insertion order.
package index
