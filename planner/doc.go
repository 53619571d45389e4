// Package planner turns a traversal's bytecode into the cheapest storage
// access and caches the results of read-only traversals.
//
// Planning runs small named rules (strategies) in fixed phases over the
// root traversal's bytecode. Each rule may replace the start step and the
// filters right after it with a physical access instruction that only the
// planner emits (operators prefixed "kvt:", implemented by the traversal
// package in steps_access.go):
//
//	KvtIdAccessStrategy       V().hasId(1,2) / has(T.id, within(...))  → DirectGet (one multi-get)
//	KvtLabelAccessStrategy    V().hasLabel('person')                   → RangeScan on the label index
//	KvtIndexAccessStrategy    V().has('age', gt(30))                    → IndexLookup when an index
//	                          covers the predicate (exact for eq/within, range for comparisons,
//	                          full text for textContains*, composite for several eq keys), chosen
//	                          by statistics (label counts, EstimateLookup) when several apply
//	KvtCountPushdownStrategy  ...out('knows').count()                    → CountPushdown (degree
//	                          from the edge keys, no edge decoded)
//
// Filters are kept after the access step unless the access answers them
// exactly (a label scan answers hasLabel, a text index is the only
// evaluator of textContains), so a rewrite never changes results; it only
// reads less. Plan.Explain renders TinkerPop's TraversalExplanation;
// StepName names the steps of profile() metrics the same way.
package planner
