package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// branchChild is a global child traversal fed through a queue.
type branchChild struct {
	q   *queueIter
	out iter
}

func openChild(x *exec, p *pipeline) *branchChild {
	q := &queueIter{}
	return &branchChild{q: q, out: p.open(x, q)}
}

func (r *stepSet) addBranchSteps() {
	r.register("union", func(c *compiler, args []any) (step, error) {
		s := &unionStep{}
		for _, a := range args {
			p, err := c.child("union", a)
			if err != nil {
				return nil, err
			}
			s.children = append(s.children, p)
		}
		return s, nil
	})
	r.register("coalesce", func(c *compiler, args []any) (step, error) {
		var ps []*pipeline
		for _, a := range args {
			p, err := c.child("coalesce", a)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
		}
		// CoalesceStep is a FlatMapStep: the first child that produces
		// anything gives the end objects, each a split of the incoming
		// traverser (see childEndsStep).
		return &childEndsStep{f: func(x *exec, t *trav) iter {
			for _, p := range ps {
				it := p.open(x, sliceIter([]*trav{subStart(t)}))
				if r := it.next(); r != nil {
					return &prependIter{first: r, rest: it}
				}
			}
			return emptyIter
		}}, nil
	})
	r.register("optional", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("optional", "expected one traversal")
		}
		p, err := c.child("optional", args[0])
		if err != nil {
			return nil, err
		}
		return &travStep{f: func(x *exec, t *trav) iter {
			it := x.evalIter(p, t)
			if r := it.next(); r != nil {
				return &prependIter{first: r, rest: it}
			}
			return sliceIter([]*trav{t})
		}}, nil
	})
	r.register("choose", func(c *compiler, args []any) (step, error) {
		return newChoose(c, "choose", args)
	})
	r.register("branch", func(c *compiler, args []any) (step, error) {
		return newChoose(c, "branch", args)
	})
}

// unionStep sends each traverser to every child, draining them in order.
type unionStep struct {
	stepBase
	children []*pipeline
}

func (s *unionStep) open(x *exec, in iter) iter {
	kids := make([]*branchChild, len(s.children))
	barrier := false
	for i, p := range s.children {
		kids[i] = openChild(x, p)
		barrier = barrier || hasBarrier(p)
	}
	fed := false // children are not read before they get input
	return iterFunc(func() *trav {
		for {
			for _, k := range kids {
				if !fed {
					break
				}
				if r := k.out.next(); r != nil {
					return x.label(r, s.labels)
				}
			}
			t := in.next()
			if t == nil {
				return nil
			}
			fed = true
			// With a barrier in a child (count(), fold(), order()...),
			// every input is handed over before the children are read,
			// so the barrier sees them all (BranchStep.hasBarrier).
			for ; t != nil; t = in.next() {
				x.tick()
				for _, k := range kids {
					k.q.push(t.clone())
				}
				if !barrier {
					break
				}
			}
		}
	})
}

// hasBarrier reports whether p has a step that collects all of its input
// before producing (TinkerPop's Barrier steps), at top level or in the
// global children of its branch and loop steps.
func hasBarrier(p *pipeline) bool {
	if p == nil {
		return false
	}
	for _, st := range p.steps {
		switch t := st.(type) {
		case *barrierStep, *groupStep:
			return true
		case *aggregateStep:
			if !t.local {
				return true
			}
		case *sampleStep:
			if !t.local {
				return true
			}
		case *orderStep:
			if !t.local {
				return true
			}
		case *unionStep:
			for _, c := range t.children {
				if hasBarrier(c) {
					return true
				}
			}
		case *repeatStep:
			if hasBarrier(t.body) {
				return true
			}
		case *chooseStep:
			if hasBarrier(t.whenTrue) || hasBarrier(t.whenFals) {
				return true
			}
			for _, o := range t.options {
				if hasBarrier(o.body) {
					return true
				}
			}
		}
	}
	return false
}

// chooseOption is one option() of choose()/branch().
type chooseOption struct {
	pick string // "none", "any", "unproductive" or "" for a key
	key  any
	pred *value.P
	trav *pipeline
	body *pipeline
}

// chooseStep implements choose() and branch().
type chooseStep struct {
	stepBase
	branch   bool
	choice   *pipeline // choice traversal (option form)
	choiceT  string    // choose(T.label) form
	predT    *pipeline // predicate form: choose(cond, t, f)
	predP    *value.P
	whenTrue *pipeline
	whenFals *pipeline
	options  []*chooseOption
}

func newChoose(c *compiler, name string, args []any) (step, error) {
	s := &chooseStep{branch: name == "branch"}
	if len(args) == 0 {
		return nil, errorf(name, "expected a choice traversal")
	}
	if len(args) == 1 {
		switch a := args[0].(type) {
		case *value.Bytecode:
			p, err := c.child(name, a)
			if err != nil {
				return nil, err
			}
			s.choice = p
		case value.Enum:
			if a.Type != "T" {
				return nil, errorf(name, "expected a traversal or T, got %s", typeName(a))
			}
			s.choiceT = a.Name
		default:
			return nil, errorf(name, "expected a choice traversal, got %s", typeName(args[0]))
		}
		return s, nil
	}
	if len(args) > 3 {
		return nil, errorf(name, "expected at most 3 arguments")
	}
	switch a := args[0].(type) {
	case *value.P:
		s.predP = a
	case *value.Bytecode:
		p, err := c.child(name, a)
		if err != nil {
			return nil, err
		}
		s.predT = p
	default:
		return nil, errorf(name, "the condition must be a traversal or a predicate, got %s", typeName(args[0]))
	}
	var err error
	if s.whenTrue, err = c.child(name, args[1]); err != nil {
		return nil, err
	}
	if len(args) == 3 {
		if s.whenFals, err = c.child(name, args[2]); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *chooseStep) addOption(c *compiler, args []any) error {
	if len(args) != 2 {
		return errorf("option", "expected a pick key and a traversal")
	}
	if s.choice == nil && s.choiceT == "" {
		return errorf("option", "option() requires choose()/branch() with a choice traversal")
	}
	body, err := c.child("option", args[1])
	if err != nil {
		return err
	}
	o := &chooseOption{body: body}
	switch k := args[0].(type) {
	case value.Enum:
		if k.Type == "Pick" {
			o.pick = k.Name
		} else {
			o.key = k
		}
	case *value.P:
		o.pred = k
	case *value.Bytecode:
		// branch() tests traversal picks against each traverser;
		// choose() accepts only constant and predicate picks.
		if !s.branch {
			return errorf("option", "Traversal is not allowed as a Pick token for choose()")
		}
		p, err := c.child("option", k)
		if err != nil {
			return err
		}
		o.trav = p
	default:
		o.key = k
	}
	s.options = append(s.options, o)
	return nil
}

func (s *chooseStep) matches(x *exec, o *chooseOption, v any, t *trav) bool {
	switch {
	case o.pick != "":
		return false
	case o.pred != nil:
		return testP("option", o.pred, v)
	case o.trav != nil:
		// BranchStep tests a traversal pick against the choice object
		// itself (TraversalUtil.test with a start object), not against
		// the traverser.
		it := o.trav.open(x, sliceIter([]*trav{x.freshStart(v)}))
		return it.next() != nil
	}
	return fn.Equal(o.key, v) || sameID(o.key, v)
}

// targets picks the branch bodies (indexes into kids) for t; -1 means
// pass the traverser through unchanged.
func (s *chooseStep) targets(x *exec, t *trav) []int {
	if s.choice == nil && s.choiceT == "" {
		var ok bool
		if s.predP != nil {
			ok = testP(s.name, s.predP, t.val)
		} else {
			ok = x.evalTest(s.predT, t)
		}
		if ok {
			return []int{0}
		}
		if s.whenFals != nil {
			return []int{1}
		}
		return []int{-1}
	}
	var v any
	var productive bool
	if s.choiceT != "" {
		v, productive = tokenValue(s.name, s.choiceT, t.val)
	} else {
		v, productive = x.evalFirst(s.choice, t)
	}
	var out []int
	firstByPick := func(p string) int {
		for i, o := range s.options {
			if o.pick == p {
				return i
			}
		}
		return -1
	}
	if !productive {
		if i := firstByPick("unproductive"); i >= 0 {
			out = append(out, i)
		} else if !s.branch {
			return []int{-1}
		}
		return out
	}
	matched := false
	for i, o := range s.options {
		if s.matches(x, o, v, t) {
			out = append(out, i)
			matched = true
			if !s.branch {
				break
			}
		}
	}
	if !matched {
		if i := firstByPick("none"); i >= 0 {
			out = append(out, i)
		} else if !s.branch {
			out = append(out, -1)
		}
	}
	if s.branch {
		for i, o := range s.options {
			if o.pick == "any" {
				out = append(out, i)
			}
		}
	}
	return out
}

func (s *chooseStep) open(x *exec, in iter) iter {
	var bodies []*pipeline
	if s.choice == nil && s.choiceT == "" {
		bodies = []*pipeline{s.whenTrue}
		if s.whenFals != nil {
			bodies = append(bodies, s.whenFals)
		}
	} else {
		for _, o := range s.options {
			bodies = append(bodies, o.body)
		}
	}
	kids := make([]*branchChild, len(bodies))
	barrier := false
	for i, p := range bodies {
		kids[i] = openChild(x, p)
		barrier = barrier || hasBarrier(p)
	}
	// Traversers that match no option pass through unchanged.
	pass := &queueIter{}
	// An option is read only once it has been given input, so a barrier
	// in an option nobody chose produces nothing.
	fed := make([]bool, len(kids))
	return iterFunc(func() *trav {
		for {
			if t := pass.next(); t != nil {
				return x.label(t, s.labels)
			}
			for i, k := range kids {
				if !fed[i] {
					continue
				}
				if r := k.out.next(); r != nil {
					return x.label(r, s.labels)
				}
			}
			t := in.next()
			if t == nil {
				return nil
			}
			// With a barrier in an option every input is routed before
			// the options are read (BranchStep.hasBarrier).
			for ; t != nil; t = in.next() {
				x.tick()
				for _, i := range s.targets(x, t) {
					if i < 0 {
						pass.push(t)
						continue
					}
					kids[i].q.push(t.clone())
					fed[i] = true
				}
				if !barrier {
					break
				}
			}
		}
	})
}
