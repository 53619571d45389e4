package exec

import (
	"fmt"

	"github.com/kvtgraph/kvtgraph/gremlin/lang"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// lookupFunc finds a script variable or request binding by name.
type lookupFunc func(name string) (any, bool)

// nestedFunc evaluates a terminated traversal written as a step argument
// (g.V(g.V(1).id().next())); nil where none can occur (driver bytecode).
type nestedFunc func(t *lang.Traversal) (any, error)

// resolver substitutes what a script's arguments refer to. A nil
// *resolver stands for driver bytecode, whose bindings carry their values.
type resolver struct {
	lookup lookupFunc
	nested nestedFunc
}

// resolve replaces value.Binding placeholders (and, in scripts, nested
// terminated traversals) inside v.
func resolve(v any, r *resolver) (any, error) {
	switch x := v.(type) {
	case *lang.Traversal:
		if r == nil || r.nested == nil {
			return nil, fmt.Errorf("%w: a traversal cannot be used as a value here", server.ErrEvaluation)
		}
		return r.nested(x)
	case value.Binding:
		if r == nil {
			return resolve(x.Value, nil)
		}
		if got, ok := r.lookup(x.Key); ok {
			if _, isSource := got.(*sourceValue); isSource {
				return nil, fmt.Errorf("%w: %q is a traversal source and cannot be a step argument", server.ErrEvaluation, x.Key)
			}
			if _, isDeferred := got.(*deferred); isDeferred {
				return nil, fmt.Errorf("%w: %q holds a traversal that was never iterated; end it with next() or toList() to use its result", server.ErrEvaluation, x.Key)
			}
			return got, nil
		}
		return nil, fmt.Errorf("%w: no variable or binding named %q", server.ErrEvaluation, x.Key)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			got, err := resolve(e, r)
			if err != nil {
				return nil, err
			}
			out[i] = got
		}
		return out, nil
	case *value.Set:
		out := value.NewSet()
		for _, e := range x.Items() {
			got, err := resolve(e, r)
			if err != nil {
				return nil, err
			}
			out.Add(got)
		}
		return out, nil
	case *value.Map:
		out := value.NewMap()
		for _, e := range x.Entries() {
			k, err := resolve(e.Key, r)
			if err != nil {
				return nil, err
			}
			val, err := resolve(e.Value, r)
			if err != nil {
				return nil, err
			}
			out.Put(k, val)
		}
		return out, nil
	case *value.P:
		vals := make([]any, len(x.Values))
		for i, e := range x.Values {
			got, err := resolve(e, r)
			if err != nil {
				return nil, err
			}
			vals[i] = got
		}
		return &value.P{Operator: x.Operator, Values: vals, Text: x.Text}, nil
	case *value.Bytecode:
		return resolveBytecode(x, r)
	case value.Strategy:
		if x.Config == nil {
			return x, nil
		}
		cfg, err := resolve(x.Config, r)
		if err != nil {
			return nil, err
		}
		return value.Strategy{Class: x.Class, Config: cfg.(*value.Map)}, nil
	}
	return v, nil
}

func resolveBytecode(bc *value.Bytecode, r *resolver) (*value.Bytecode, error) {
	if bc == nil {
		return &value.Bytecode{}, nil
	}
	src, err := resolveInstructions(bc.Sources, r)
	if err != nil {
		return nil, err
	}
	steps, err := resolveInstructions(bc.Steps, r)
	if err != nil {
		return nil, err
	}
	return &value.Bytecode{Sources: src, Steps: steps}, nil
}

func resolveInstructions(ins []value.Instruction, r *resolver) ([]value.Instruction, error) {
	out := make([]value.Instruction, len(ins))
	for i, in := range ins {
		args := make([]any, len(in.Args))
		for j, a := range in.Args {
			v, err := resolve(a, r)
			if err != nil {
				return nil, fmt.Errorf("%s(): %w", in.Operator, err)
			}
			args[j] = v
		}
		out[i] = value.Instruction{Operator: in.Operator, Args: args}
	}
	return out, nil
}
