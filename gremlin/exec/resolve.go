package exec

import (
	"fmt"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// lookupFunc finds a script variable or request binding by name.
type lookupFunc func(name string) (any, bool)

// resolve replaces value.Binding placeholders inside v. A binding with no
// lookup (driver bytecode) carries its own value; a script's binding is
// looked up by name.
func resolve(v any, lookup lookupFunc) (any, error) {
	switch x := v.(type) {
	case value.Binding:
		if lookup == nil {
			return resolve(x.Value, nil)
		}
		if got, ok := lookup(x.Key); ok {
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
			r, err := resolve(e, lookup)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case *value.Set:
		out := value.NewSet()
		for _, e := range x.Items() {
			r, err := resolve(e, lookup)
			if err != nil {
				return nil, err
			}
			out.Add(r)
		}
		return out, nil
	case *value.Map:
		out := value.NewMap()
		for _, e := range x.Entries() {
			k, err := resolve(e.Key, lookup)
			if err != nil {
				return nil, err
			}
			val, err := resolve(e.Value, lookup)
			if err != nil {
				return nil, err
			}
			out.Put(k, val)
		}
		return out, nil
	case *value.P:
		vals := make([]any, len(x.Values))
		for i, e := range x.Values {
			r, err := resolve(e, lookup)
			if err != nil {
				return nil, err
			}
			vals[i] = r
		}
		return &value.P{Operator: x.Operator, Values: vals, Text: x.Text}, nil
	case *value.Bytecode:
		return resolveBytecode(x, lookup)
	case value.Strategy:
		if x.Config == nil {
			return x, nil
		}
		cfg, err := resolve(x.Config, lookup)
		if err != nil {
			return nil, err
		}
		return value.Strategy{Class: x.Class, Config: cfg.(*value.Map)}, nil
	}
	return v, nil
}

func resolveBytecode(bc *value.Bytecode, lookup lookupFunc) (*value.Bytecode, error) {
	if bc == nil {
		return &value.Bytecode{}, nil
	}
	src, err := resolveInstructions(bc.Sources, lookup)
	if err != nil {
		return nil, err
	}
	steps, err := resolveInstructions(bc.Steps, lookup)
	if err != nil {
		return nil, err
	}
	return &value.Bytecode{Sources: src, Steps: steps}, nil
}

func resolveInstructions(ins []value.Instruction, lookup lookupFunc) ([]value.Instruction, error) {
	out := make([]value.Instruction, len(ins))
	for i, in := range ins {
		args := make([]any, len(in.Args))
		for j, a := range in.Args {
			r, err := resolve(a, lookup)
			if err != nil {
				return nil, fmt.Errorf("%s(): %w", in.Operator, err)
			}
			args[j] = r
		}
		out[i] = value.Instruction{Operator: in.Operator, Args: args}
	}
	return out, nil
}
