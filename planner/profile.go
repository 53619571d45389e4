package planner

import "github.com/kvtgraph/kvtgraph/storage/value"

// StepName names a compiled step in profile() metrics as explain() prints
// it: the physical access steps as their plan nodes, V()/E() without ids
// as the full scan they run as, other steps by TinkerPop's step names.
// It is the traversal.StepNamer gremlin/exec installs.
func StepName(op string, args []any) string {
	switch op {
	case "V", "E":
		ids := flatValues(args)
		if len(ids) == 0 {
			return FullScan{Edges: op == "E"}.String()
		}
		return DirectGet{Edges: op == "E", IDs: ids}.String()
	}
	return stepString(value.Instruction{Operator: op, Args: args})
}
