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
	endKey   string
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

func init() {
	register("where", func(c *compiler, args []any) (step, error) {
		c.needLabels = true
		s := &whereStep{}
		switch len(args) {
		case 1:
			switch a := args[0].(type) {
			case *value.P:
				s.pred = a
			case *value.Bytecode:
				bc := *a
				steps := bc.Steps
				if len(steps) > 0 && steps[0].Operator == "as" && len(steps[0].Args) == 1 {
					s.startKey, _ = unbind(steps[0].Args[0]).(string)
					steps = steps[1:]
				}
				if n := len(steps); n > 0 && steps[n-1].Operator == "as" && len(steps[n-1].Args) == 1 {
					s.endKey, _ = unbind(steps[n-1].Args[0]).(string)
					steps = steps[:n-1]
				}
				bc.Steps = steps
				p, err := c.pipeline(&bc, false)
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
	v, ok = x.applyBy("where", s.nextBy(ring), v, t)
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
		st := subStart(t)
		if s.startKey != "" {
			v, ok := x.scopeValue(t, "last", s.startKey, false)
			if !ok {
				return false
			}
			st.val = v
		}
		var end any
		if s.endKey != "" {
			v, ok := x.scopeValue(t, "last", s.endKey, false)
			if !ok {
				return false
			}
			end = v
		}
		it := s.trav.open(x, sliceIter([]*trav{st}))
		for r := it.next(); r != nil; r = it.next() {
			if s.endKey == "" || fn.Equal(r.val, end) || value.Key(r.val) == value.Key(end) {
				return true
			}
		}
		return false
	}
	ring := 0
	start := t.val
	if s.startKey != "" {
		v, ok := x.scopeValue(t, "last", s.startKey, false)
		if !ok {
			return false
		}
		start = v
	}
	start, ok := x.applyBy("where", s.nextBy(&ring), start, t)
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
