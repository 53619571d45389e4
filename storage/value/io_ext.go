package value

// TraversalExplanation is the result of explain(): the traversal's steps
// as written, after each strategy, and as finally run. Steps are the
// steps' printed forms (e.g. "GraphStep(vertex,[])").
type TraversalExplanation struct {
	Original     []string
	Intermediate []ExplanationStep
	Final        []string
}

// ExplanationStep is the traversal after one strategy applied.
type ExplanationStep struct {
	Strategy  string // the strategy's printed form, e.g. "ConnectiveStrategy"
	Category  string // "decoration", "optimization", "provider", "finalization", "verification"
	Traversal []string
}
