package planner

import (
	"fmt"
	"strings"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// javaString renders a value as Java's String.valueOf would, as TinkerPop
// prints step arguments.
func javaString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case float64, float32:
		return fn.ToJavaString(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = javaString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	case *value.Set:
		return javaString(x.Items())
	case *value.P:
		return pString(x)
	case value.Enum:
		return x.Name
	case *value.Bytecode:
		return "[" + strings.Join(renderSteps(x.Steps), ", ") + "]"
	case *value.Vertex:
		return fmt.Sprintf("v[%s]", javaString(x.ID))
	case *value.Edge:
		return fmt.Sprintf("e[%s]", javaString(x.ID))
	case *value.Map:
		parts := []string{}
		for _, e := range x.Entries() {
			parts = append(parts, javaString(e.Key)+"="+javaString(e.Value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case value.Binding:
		return javaString(x.Value)
	case *value.Binding:
		if x == nil {
			return "null"
		}
		return javaString(x.Value)
	}
	return fmt.Sprint(v)
}

func pString(p *value.P) string {
	if p == nil {
		return "null"
	}
	switch p.Operator {
	case "and", "or":
		parts := make([]string, len(p.Values))
		for i, v := range p.Values {
			parts[i] = javaString(v)
		}
		return p.Operator + "(" + strings.Join(parts, ", ") + ")"
	case "within", "without":
		return p.Operator + "(" + javaString(flatValues(p.Values)) + ")"
	case index.OpExists:
		return p.Operator + "()"
	}
	if len(p.Values) == 1 {
		return p.Operator + "(" + javaString(p.Values[0]) + ")"
	}
	return p.Operator + "(" + javaString(p.Values) + ")"
}

func predString(key string, p *value.P) string { return key + "." + pString(p) }

// flatValues returns the members of within(...): the arguments, or the
// items of a single collection argument.
func flatValues(vals []any) []any {
	if len(vals) == 1 {
		switch c := vals[0].(type) {
		case []any:
			return c
		case *value.Set:
			return c.Items()
		}
	}
	return vals
}

// renderSteps prints instructions as TinkerPop names the steps, folding
// modulators into the step they modulate (as() labels become @[a]).
func renderSteps(ins []value.Instruction) []string {
	var out []string
	for _, in := range ins {
		switch in.Operator {
		case "as":
			if len(out) > 0 {
				labels := make([]string, len(in.Args))
				for i, a := range in.Args {
					labels[i] = javaString(a)
				}
				out[len(out)-1] += "@[" + strings.Join(labels, ", ") + "]"
				continue
			}
		case "by", "option", "with", "from", "to", "emit", "until", "times":
			if len(out) > 0 {
				continue
			}
		}
		out = append(out, stepString(in))
	}
	return out
}

var simpleSteps = map[string]string{
	"count": "CountGlobalStep", "sum": "SumGlobalStep", "max": "MaxGlobalStep", "min": "MinGlobalStep",
	"mean": "MeanGlobalStep", "fold": "FoldStep", "dedup": "DedupGlobalStep", "path": "PathStep",
	"id": "IdStep", "label": "LabelStep", "identity": "IdentityStep", "unfold": "UnfoldStep",
	"order": "OrderGlobalStep", "group": "GroupStep", "groupCount": "GroupCountStep", "simplePath": "PathFilterStep(simple)",
	"cyclicPath": "PathFilterStep(cyclic)", "outV": "EdgeVertexStep(OUT)", "inV": "EdgeVertexStep(IN)",
	"bothV": "EdgeVertexStep(BOTH)", "otherV": "EdgeOtherVertexStep", "drop": "DropStep", "barrier": "NoOpBarrierStep",
	"tree": "TreeStep", "key": "PropertyKeyStep", "value": "PropertyValueStep", "constant": "ConstantStep",
	"select": "SelectStep", "project": "ProjectStep", "where": "WhereTraversalStep", "not": "NotStep",
	"and": "AndStep", "or": "OrStep", "union": "UnionStep", "coalesce": "CoalesceStep", "choose": "ChooseStep",
	"optional": "OptionalStep", "repeat": "RepeatStep", "local": "LocalStep", "map": "TraversalMapStep",
	"flatMap": "TraversalFlatMapStep", "filter": "TraversalFilterStep", "sideEffect": "TraversalSideEffectStep",
	"addV": "AddVertexStartStep", "addE": "AddEdgeStep", "property": "AddPropertyStep", "inject": "InjectStep",
	"valueMap": "PropertyMapStep", "elementMap": "ElementMapStep", "propertyMap": "PropertyMapStep",
	"math": "MathStep", "is": "IsStep", "store": "AggregateLocalStep", "aggregate": "AggregateGlobalStep",
	"cap": "SideEffectCapStep", "sample": "SampleGlobalStep", "coin": "CoinStep",
}

// stepString prints one instruction as TinkerPop's step toString does.
func stepString(in value.Instruction) string {
	args := in.Args
	switch in.Operator {
	case "V", "E":
		elem := "vertex"
		if in.Operator == "E" {
			elem = "edge"
		}
		return fmt.Sprintf("GraphStep(%s,%s)", elem, javaString(flatValues(args)))
	case "out", "in", "both", "outE", "inE", "bothE":
		dir := strings.ToUpper(strings.TrimSuffix(in.Operator, "E"))
		emit := "vertex"
		if strings.HasSuffix(in.Operator, "E") {
			emit = "edge"
		}
		return fmt.Sprintf("VertexStep(%s,%s,%s)", dir, javaString(args), emit)
	case "has", "hasLabel", "hasId", "hasNot", "hasKey", "hasValue":
		if conds, ok := hasConds(in); ok {
			parts := make([]string, len(conds))
			for i, c := range conds {
				parts[i] = predString(c.key, c.pred)
			}
			return "HasStep([" + strings.Join(parts, ", ") + "])"
		}
		if in.Operator == "hasNot" {
			return fmt.Sprintf("NotStep([PropertiesStep(%s,value)])", javaString(args))
		}
		if in.Operator == "has" && len(args) == 1 {
			return fmt.Sprintf("TraversalFilterStep([PropertiesStep(%s,value)])", javaString(args))
		}
	case "values":
		return fmt.Sprintf("PropertiesStep(%s,value)", javaString(args))
	case "properties":
		return fmt.Sprintf("PropertiesStep(%s,property)", javaString(args))
	case "limit", "range", "skip", "tail":
		return rangeString(in)
	case traversal.OpGetV, traversal.OpGetE:
		return DirectGet{Edges: in.Operator == traversal.OpGetE, IDs: flatValues(args)}.String()
	case traversal.OpScanV, traversal.OpScanE:
		return LabelScan{Edges: in.Operator == traversal.OpScanE, Labels: strs(args)}.String()
	case traversal.OpIndexV, traversal.OpIndexE:
		u := IndexUnion{Edges: in.Operator == traversal.OpIndexE}
		for i := 0; i+1 < len(args); i += 2 {
			n := IndexLookup{Edges: u.Edges, Estimate: -1}
			n.Index, _ = args[i].(string)
			n.Pred, _ = args[i+1].(*value.P)
			u.Lookups = append(u.Lookups, n)
		}
		if len(u.Lookups) == 1 {
			return u.Lookups[0].String()
		}
		return u.String()
	case traversal.OpCountAdj:
		if len(args) > 0 {
			d, _ := args[0].(string)
			return CountPushdown{Dir: d, Labels: strs(args[1:])}.String()
		}
	}
	if name, ok := simpleSteps[in.Operator]; ok {
		if len(args) == 0 || strings.Contains(name, "(") {
			return name
		}
		return name + "(" + strings.Join(argStrings(args), ",") + ")"
	}
	name := in.Operator
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	if len(args) == 0 {
		return name + "Step"
	}
	return name + "Step(" + strings.Join(argStrings(args), ",") + ")"
}

func argStrings(args []any) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = javaString(a)
	}
	return out
}

func rangeString(in value.Instruction) string {
	local := false
	var nums []int64
	for _, a := range in.Args {
		if e, ok := a.(value.Enum); ok {
			local = e.Name == "local"
			continue
		}
		n, _ := toInt64(a)
		nums = append(nums, n)
	}
	scope := "Global"
	if local {
		scope = "Local"
	}
	switch in.Operator {
	case "limit":
		if len(nums) == 1 {
			return fmt.Sprintf("Range%sStep(0,%d)", scope, nums[0])
		}
	case "range":
		if len(nums) == 2 {
			return fmt.Sprintf("Range%sStep(%d,%d)", scope, nums[0], nums[1])
		}
	case "skip":
		if len(nums) == 1 {
			return fmt.Sprintf("Range%sStep(%d,-1)", scope, nums[0])
		}
	case "tail":
		n := int64(1)
		if len(nums) == 1 {
			n = nums[0]
		}
		return fmt.Sprintf("Tail%sStep(%d)", scope, n)
	}
	return fmt.Sprintf("Range%sStep(%s)", scope, strings.Join(argStrings(in.Args), ","))
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

func strs(args []any) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		out = append(out, javaString(a))
	}
	return out
}
