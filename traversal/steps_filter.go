package traversal

import (
	"math"

	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// connectiveStep is and()/or() over child traversals. With no children it
// is an infix marker that restructure() folds (ConnectiveStrategy).
type connectiveStep struct {
	stepBase
	or       bool
	children []*pipeline
}

func (s *connectiveStep) open(x *exec, in iter) iter {
	f := &filterStep{stepBase: s.stepBase, f: func(x *exec, t *trav) bool {
		if s.or {
			for _, c := range s.children {
				if x.evalTest(c, t) {
					return true
				}
			}
			return false
		}
		for _, c := range s.children {
			if !x.evalTest(c, t) {
				return false
			}
		}
		return len(s.children) > 0 || !s.or
	}}
	return f.open(x, in)
}

func isMarker(s step, or bool) bool {
	c, ok := s.(*connectiveStep)
	return ok && c.or == or && len(c.children) == 0
}

// restructure applies ConnectiveStrategy to infix and()/or() markers.
func (c *compiler) restructure(steps []step, start int) []step {
	if c.src.without["ConnectiveStrategy"] {
		return steps
	}
	has := false
	for _, s := range steps[start:] {
		if isMarker(s, true) || isMarker(s, false) {
			has = true
		}
	}
	if !has {
		return steps
	}
	split := func(ss []step, or bool) [][]step {
		var out [][]step
		var cur []step
		for _, s := range ss {
			if isMarker(s, or) {
				out = append(out, cur)
				cur = nil
				continue
			}
			cur = append(cur, s)
		}
		return append(out, cur)
	}
	andOf := func(ss []step) []step {
		parts := split(ss, false)
		if len(parts) == 1 {
			return ss
		}
		cs := &connectiveStep{stepBase: stepBase{name: "and"}}
		for _, p := range parts {
			cs.children = append(cs.children, &pipeline{steps: p})
		}
		c.nextID++
		cs.id = c.nextID
		c.adopt(cs, cs.children, -1)
		return []step{cs}
	}
	head := append([]step{}, steps[:start]...)
	ors := split(steps[start:], true)
	if len(ors) == 1 {
		return append(head, andOf(ors[0])...)
	}
	cs := &connectiveStep{stepBase: stepBase{name: "or"}, or: true}
	for _, p := range ors {
		cs.children = append(cs.children, &pipeline{steps: andOf(p)})
	}
	c.nextID++
	cs.id = c.nextID
	c.adopt(cs, cs.children, -1)
	return append(head, cs)
}

func (r *stepSet) addFilterSteps() {
	for _, name := range []string{"and", "or"} {
		name := name
		r.register(name, func(c *compiler, args []any) (step, error) {
			s := &connectiveStep{or: name == "or"}
			for _, a := range args {
				p, err := c.child(name, a)
				if err != nil {
					return nil, err
				}
				s.children = append(s.children, p)
			}
			return s, nil
		})
	}
	r.register("not", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("not", "expected one traversal")
		}
		p, err := c.child("not", args[0])
		if err != nil {
			return nil, err
		}
		return &filterStep{f: func(x *exec, t *trav) bool { return !x.evalTest(p, t) }}, nil
	})
	r.register("filter", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("filter", "expected one traversal")
		}
		if pr, ok := args[0].(*value.P); ok {
			return &filterStep{f: func(x *exec, t *trav) bool { return testP("filter", pr, t.val) }}, nil
		}
		p, err := c.child("filter", args[0])
		if err != nil {
			return nil, err
		}
		return &filterStep{f: func(x *exec, t *trav) bool { return x.evalTest(p, t) }}, nil
	})
	r.register("is", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("is", "expected one value or predicate")
		}
		p := toP(args[0])
		return &filterStep{f: func(x *exec, t *trav) bool { return testP("is", p, t.val) }}, nil
	})
	r.register("identity", func(c *compiler, args []any) (step, error) {
		return &filterStep{f: func(*exec, *trav) bool { return true }}, nil
	})
	r.register("none", func(c *compiler, args []any) (step, error) {
		if len(args) > 0 {
			// none(P) is the list filter: no element matches.
			p, ok := args[0].(*value.P)
			if !ok {
				return nil, errorf("none", "expected a predicate, got %s", typeName(args[0]))
			}
			return listPredStep("none", p), nil
		}
		return &filterStep{f: func(*exec, *trav) bool { return false }}, nil
	})
	r.register("discard", func(c *compiler, args []any) (step, error) {
		return &filterStep{f: func(*exec, *trav) bool { return false }}, nil
	})
	r.register("any", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("any", "expected a predicate")
		}
		p, ok := args[0].(*value.P)
		if !ok {
			return nil, errorf("any", "expected a predicate, got %s", typeName(args[0]))
		}
		return listPredStep("any", p), nil
	})
	r.register("all", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("all", "expected a predicate")
		}
		p, ok := args[0].(*value.P)
		if !ok {
			return nil, errorf("all", "expected a predicate, got %s", typeName(args[0]))
		}
		return listPredStep("all", p), nil
	})
	r.register("coin", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("coin", "expected a probability")
		}
		pr, ok := fn.ToFloat64(args[0])
		if !ok {
			pr, ok = toFloat(args[0])
		}
		if !ok {
			return nil, errorf("coin", "the probability must be a number, got %s", typeName(args[0]))
		}
		ts := &travStep{}
		ts.f = func(x *exec, t *trav) iter {
			// TinkerPop's CoinStep: below a bulk of 100 each unit flips its
			// own coin (kept when p >= nextDouble()); larger bulks are scaled
			// to round(p * bulk).
			var n int64
			if t.bulk < 100 {
				rng := x.stepRand(ts)
				for i := int64(0); i < t.bulk; i++ {
					if pr >= rng.nextDouble() {
						n++
					}
				}
			} else {
				n = int64(math.Floor(pr*float64(t.bulk) + 0.5))
			}
			if n == 0 {
				return emptyIter
			}
			c := t.clone()
			c.bulk = n
			return sliceIter([]*trav{c})
		}
		return ts, nil
	})
	r.register("simplePath", func(c *compiler, args []any) (step, error) {
		c.needFull = true
		return &pathFilterStep{simple: true}, nil
	})
	r.register("cyclicPath", func(c *compiler, args []any) (step, error) {
		c.needFull = true
		return &pathFilterStep{simple: false}, nil
	})
}

// listPredStep implements any(P)/all(P)/none(P) over list traversers.
func listPredStep(name string, p *value.P) step {
	return &filterStep{stepBase: stepBase{name: name}, f: func(x *exec, t *trav) bool {
		var items []any
		switch l := t.val.(type) {
		case []any:
			items = l
		case *value.Set:
			items = l.Items()
		case *bulkSet:
			items = l.list()
		default:
			return false
		}
		switch name {
		case "any":
			for _, it := range items {
				if testP(name, p, it) {
					return true
				}
			}
			return false
		case "all":
			for _, it := range items {
				if !testP(name, p, it) {
					return false
				}
			}
			return true
		default:
			for _, it := range items {
				if testP(name, p, it) {
					return false
				}
			}
			return true
		}
	}}
}

// pathFilterStep implements simplePath()/cyclicPath() with from/to/by.
type pathFilterStep struct {
	stepBase
	simple   bool
	from, to string
	bys      []*byMod
}

func (s *pathFilterStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy(s.name, args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

func (s *pathFilterStep) addFromTo(c *compiler, from bool, a any) error {
	l, ok := a.(string)
	if !ok {
		return errorf(s.name, "from()/to() expect a label, got %s", typeName(a))
	}
	if from {
		s.from = l
	} else {
		s.to = l
	}
	return nil
}

func (s *pathFilterStep) open(x *exec, in iter) iter {
	f := &filterStep{stepBase: s.stepBase, f: func(x *exec, t *trav) bool {
		objs := pathRange(t.path, s.from, s.to)
		seen := map[string]bool{}
		dup := false
		for i, o := range objs {
			if len(s.bys) > 0 {
				v, ok := x.applyBy(s.name, s.bys[i%len(s.bys)], o, nil)
				if !ok {
					// an unproductive by() filters the traverser (3.8)
					return false
				}
				o = v
			}
			k := value.Key(o)
			if seen[k] {
				dup = true
				break
			}
			seen[k] = true
		}
		return dup != s.simple
	}}
	return f.open(x, in)
}

// pathRange returns path objects between the from and to labels
// (inclusive); empty labels mean the path's ends.
func pathRange(p *pathNode, from, to string) []any {
	its := p.items()
	start, end := 0, len(its)
	if from != "" {
		start = -1
		for i, n := range its {
			if containsStr(n.labels, from) {
				start = i
				break
			}
		}
		if start < 0 {
			return nil
		}
	}
	if to != "" {
		end = -1
		for i := start; i < len(its); i++ {
			if containsStr(its[i].labels, to) {
				end = i + 1
				break
			}
		}
		if end < 0 {
			return nil
		}
	}
	out := make([]any, 0, end-start)
	for _, n := range its[start:end] {
		out = append(out, n.obj)
	}
	return out
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int16:
		return float64(n), true
	case int8:
		return float64(n), true
	}
	return 0, false
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case int16:
		return int64(n), true
	case int8:
		return int64(n), true
	case uint8:
		return int64(n), true
	case int:
		return int64(n), true
	case float64:
		if n == float64(int64(n)) {
			return int64(n), true
		}
	case float32:
		if n == float32(int64(n)) {
			return int64(n), true
		}
	}
	return 0, false
}
