package traversal

import (
	"fmt"
	"strings"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Verification strategies: they reject traversals at compile time, as
// TinkerPop applies them before the first traverser runs.
//   - ReservedKeysVerificationStrategy(keys, throwException): property keys
//     given as constants may not be reserved words ("id", "label" unless
//     keys says otherwise);
//   - EdgeLabelVerificationStrategy(throwException): vertex steps
//     (out/in/both/outE/inE/bothE) must name edge labels;
//   - VertexProgramRestrictionStrategy: the source may not use a
//     GraphComputer (VertexProgramStrategy).
// Without throwException the strategies only warn in TinkerPop; kvtgraph
// has no traversal warnings channel, so they are then no-ops.

// strategyName is the simple class name of a withStrategies /
// withoutStrategies argument.
func strategyName(a any) string {
	var name string
	switch s := a.(type) {
	case value.Strategy:
		name = s.Class
	case *value.Strategy:
		if s != nil {
			name = s.Class
		}
	case value.Class:
		name = string(s)
	default:
		name = fmt.Sprint(a)
	}
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// strategyConf returns the configuration value k of an enabled strategy.
func (c *compiler) strategyConf(strategy, k string) (any, bool) {
	cfg, ok := c.src.strategies[strategy]
	if !ok || cfg == nil {
		return nil, false
	}
	v, ok := cfg.Get(k)
	return unbind(v), ok
}

func (c *compiler) strategyOn(name string) bool {
	_, ok := c.src.strategies[name]
	return ok
}

// strategyThrows reports whether a verification strategy is enabled with
// throwException true.
func (c *compiler) strategyThrows(name string) bool {
	if !c.strategyOn(name) {
		return false
	}
	v, _ := c.strategyConf(name, "throwException")
	b, _ := v.(bool)
	return b
}

func (c *compiler) verifySource() error {
	if c.strategyOn("VertexProgramRestrictionStrategy") && c.strategyOn("VertexProgramStrategy") {
		return &Error{Msg: "The TraversalSource does not allow the use of a GraphComputer"}
	}
	return nil
}

var vertexStepOps = map[string]string{
	"out": "OUT", "in": "IN", "both": "BOTH", "outE": "OUT", "inE": "IN", "bothE": "BOTH",
}

// verifyStep applies the verification strategies to step op(args), about
// to be appended to steps.
func (c *compiler) verifyStep(steps []step, op string, args []any) error {
	if len(c.src.strategies) == 0 {
		return nil
	}
	if dir, ok := vertexStepOps[op]; ok && c.strategyThrows("EdgeLabelVerificationStrategy") {
		labels := 0
		for _, a := range args {
			if a != nil {
				labels++
			}
		}
		if labels == 0 {
			ret := "vertex"
			if strings.HasSuffix(op, "E") {
				ret = "edge"
			}
			return &Error{Msg: fmt.Sprintf("The provided traversal contains a vertex step without any specified edge label: VertexStep(%s,%s)", dir, ret)}
		}
	}
	if op == "property" && c.strategyThrows("ReservedKeysVerificationStrategy") {
		reserved := map[string]bool{"id": true, "label": true}
		if v, ok := c.strategyConf("ReservedKeysVerificationStrategy", "keys"); ok && v != nil {
			reserved = map[string]bool{}
			for _, k := range collectionItems(v) {
				if s, ok := k.(string); ok {
					reserved[s] = true
				}
			}
		}
		var keys []any
		rest := args
		if len(rest) > 0 {
			if _, ok := enumArg(rest[0], "Cardinality"); ok {
				rest = rest[1:]
			}
		}
		if len(rest) == 1 {
			if m, ok := rest[0].(*value.Map); ok {
				for _, e := range m.Entries() {
					keys = append(keys, e.Key)
				}
			}
		} else if len(rest) > 0 {
			keys = append(keys, rest[0])
		}
		for _, k := range keys {
			if s, ok := k.(string); ok && reserved[s] {
				return &Error{Msg: fmt.Sprintf("The provided traversal contains a %s that is setting a property key to a reserved word: %s", mutatingStepClass(steps), s)}
			}
		}
	}
	return nil
}

// mutatingStepClass names, as TinkerPop would, the step a property() call
// becomes part of.
func mutatingStepClass(steps []step) string {
	for i := len(steps) - 1; i >= 0; i-- {
		switch steps[i].(type) {
		case *propertyStep:
			continue
		case *addVStep:
			if i == 0 {
				return "AddVertexStartStep"
			}
			return "AddVertexStep"
		case *addEStep:
			if i == 0 {
				return "AddEdgeStartStep"
			}
			return "AddEdgeStep"
		}
		break
	}
	return "AddPropertyStep"
}
