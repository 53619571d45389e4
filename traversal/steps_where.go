package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// whereStep implements where(P), where(key, P) and where(traversal).
type whereStep struct {
	stepBase
	startKey string
	pred     *value.P
	trav     *pipeline
	bys      []*byMod
}

func (s *whereStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy("where", args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

func (r *stepSet) addWhereSteps() {
	r.register("where", func(c *compiler, args []any) (step, error) {
		c.needLabels = true
		s := &whereStep{}
		switch len(args) {
		case 1:
			switch a := args[0].(type) {
			case *value.P:
				s.pred = a
			case *value.Bytecode:
				bc, err := whereScoped(a)
				if err != nil {
					return nil, err
				}
				p, err := c.pipeline(bc, false)
				if err != nil {
					return nil, err
				}
				s.trav = p
			default:
				return nil, errorf("where", "expected a predicate or a traversal, got %s", typeName(args[0]))
			}
		case 2:
			k, ok := args[0].(string)
			if !ok {
				return nil, errorf("where", "the start key must be a String, got %s", typeName(args[0]))
			}
			p, ok := args[1].(*value.P)
			if !ok {
				return nil, errorf("where", "expected a predicate, got %s", typeName(args[1]))
			}
			s.startKey, s.pred = k, p
		default:
			return nil, errorf("where", "expected a predicate or a traversal")
		}
		return s, nil
	})
}

// Scoped start and end of a where() traversal (TinkerPop's WhereStartStep
// and WhereEndStep): whereScoped puts them in place of a leading and a
// trailing as(label).
const (
	opWhereStart = "kvt:whereStart"
	opWhereEnd   = "kvt:whereEnd"
)

func (r *stepSet) addWhereScopeSteps() {
	r.register(opWhereStart, func(c *compiler, args []any) (step, error) {
		label, err := argString(opWhereStart, args, 0)
		if err != nil {
			return nil, err
		}
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			return x.scopeValue(t, "last", label, false)
		}}, nil
	})
	r.register(opWhereEnd, func(c *compiler, args []any) (step, error) {
		label, err := argString(opWhereEnd, args, 0)
		if err != nil {
			return nil, err
		}
		return &filterStep{f: func(x *exec, t *trav) bool {
			end, ok := x.scopeValue(t, "last", label, false)
			return ok && (fn.Equal(t.val, end) || value.Key(t.val) == value.Key(end))
		}}, nil
	})
}

// whereScoped rewrites the traversal of where(traversal) the way
// WhereTraversalStep configures it: a leading as("a") starts from the
// object labelled a, a trailing as("b") keeps only results equal to the
// object labelled b, and the children of a leading and(), or() or not()
// are rewritten the same way, recursively. bc is not modified.
func whereScoped(bc *value.Bytecode) (*value.Bytecode, error) {
	steps := append([]value.Instruction(nil), bc.Steps...)
	if len(steps) > 0 {
		switch first := steps[0]; first.Operator {
		case "and", "or", "not":
			args := make([]any, len(first.Args))
			for i, a := range first.Args {
				args[i] = a
				if sub, ok := unbind(a).(*value.Bytecode); ok {
					r, err := whereScoped(sub)
					if err != nil {
						return nil, err
					}
					args[i] = r
				}
			}
			steps[0] = value.Instruction{Operator: first.Operator, Args: args}
		case "as":
			if len(first.Args) > 0 {
				steps[0] = value.Instruction{Operator: opWhereStart, Args: first.Args[:1]}
			}
		}
	}
	if n := len(steps); n > 0 && steps[n-1].Operator == "as" {
		if len(steps[n-1].Args) != 1 || n > 1 && steps[n-2].Operator == "as" {
			return nil, errorf("where", "The end step of a where()-traversal can only have one label")
		}
		steps[n-1] = value.Instruction{Operator: opWhereEnd, Args: steps[n-1].Args}
	}
	return &value.Bytecode{Sources: bc.Sources, Steps: steps}, nil
}

func (s *whereStep) nextBy(ring *int) *byMod {
	if len(s.bys) == 0 {
		return nil
	}
	b := s.bys[*ring%len(s.bys)]
	*ring++
	return b
}

// resolve replaces the label operands of p by their scope values.
func (s *whereStep) resolve(x *exec, p *value.P, t *trav, ring *int) (*value.P, bool) {
	switch p.Operator {
	case "and", "or":
		out := &value.P{Operator: p.Operator, Text: p.Text}
		for _, v := range p.Values {
			sub, ok := v.(*value.P)
			if !ok {
				return nil, false
			}
			r, ok := s.resolve(x, sub, t, ring)
			if !ok {
				return nil, false
			}
			out.Values = append(out.Values, r)
		}
		return out, true
	case "not":
		if len(p.Values) == 1 {
			if sub, ok := p.Values[0].(*value.P); ok {
				r, ok := s.resolve(x, sub, t, ring)
				if !ok {
					return nil, false
				}
				return &value.P{Operator: "not", Values: []any{r}}, true
			}
		}
	}
	if len(p.Values) == 0 {
		return p, true
	}
	label, ok := p.Values[0].(string)
	if !ok {
		return p, true
	}
	v, ok := x.scopeValue(t, "last", label, false)
	if !ok {
		return nil, false
	}
	v, ok = x.applyBy("where", s.nextBy(ring), v, nil)
	if !ok {
		return nil, false
	}
	out := &value.P{Operator: p.Operator, Text: p.Text}
	switch p.Operator {
	case "within", "without":
		if its, ok := items(v); ok {
			out.Values = its
		} else {
			out.Values = []any{v}
		}
	default:
		out.Values = []any{v}
	}
	return out, true
}

func (s *whereStep) test(x *exec, t *trav) bool {
	if s.trav != nil {
		return x.evalTest(s.trav, t)
	}
	ring := 0
	start := t.val
	// A by() on the current object sees the traverser; on a label's
	// value it sees the bare object (see applyBy).
	bt := t
	if s.startKey != "" {
		v, ok := x.scopeValue(t, "last", s.startKey, false)
		if !ok {
			return false
		}
		start = v
		bt = nil
	}
	start, ok := x.applyBy("where", s.nextBy(&ring), start, bt)
	if !ok {
		return false
	}
	p, ok := s.resolve(x, s.pred, t, &ring)
	if !ok {
		return false
	}
	return testP("where", p, start)
}

func (s *whereStep) open(x *exec, in iter) iter {
	f := &filterStep{stepBase: s.stepBase, f: s.test}
	return f.open(x, in)
}
