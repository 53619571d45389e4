package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// cond is an emit()/until() condition.
type cond struct {
	always bool
	trav   *pipeline
	pred   *value.P
	times  int
}

func (x *exec) testCond(c *cond, t *trav) bool {
	switch {
	case c == nil:
		return false
	case c.always:
		return true
	case c.trav != nil:
		return x.evalTest(c.trav, t)
	case c.pred != nil:
		return testP("repeat", c.pred, t.val)
	}
	return t.loopCount("") >= c.times
}

// repeatStep implements repeat() with emit()/until()/times().
type repeatStep struct {
	stepBase
	body       *pipeline
	loopName   string
	emit       *cond
	until      *cond
	emitFirst  bool
	untilFirst bool
}

func (c *compiler) parseCond(op string, args []any) (*cond, error) {
	if op == "times" {
		if len(args) != 1 {
			return nil, errorf("times", "expected the number of loops")
		}
		n, ok := toInt64(args[0])
		if !ok {
			return nil, errorf("times", "the number of loops must be a number, got %s", typeName(args[0]))
		}
		return &cond{times: int(n)}, nil
	}
	if len(args) == 0 {
		return &cond{always: true}, nil
	}
	switch a := args[0].(type) {
	case *value.P:
		return &cond{pred: a}, nil
	case *value.Bytecode:
		p, err := c.child(op, a)
		if err != nil {
			return nil, err
		}
		return &cond{trav: p}, nil
	}
	return nil, errorf(op, "expected a traversal or a predicate, got %s", typeName(args[0]))
}

func (c *compiler) repeatPart(p *pipeline, op string, args []any) error {
	var last *repeatStep
	if n := len(p.steps); n > 0 {
		last, _ = p.steps[n-1].(*repeatStep)
	}
	newStep := func() *repeatStep {
		c.nextID++
		r := &repeatStep{stepBase: stepBase{name: "repeat", id: c.nextID}}
		p.steps = append(p.steps, r)
		return r
	}
	switch op {
	case "repeat":
		if len(args) == 0 || len(args) > 2 {
			return errorf("repeat", "expected a traversal (optionally preceded by a loop name)")
		}
		name := ""
		if len(args) == 2 {
			s, ok := args[0].(string)
			if !ok {
				return errorf("repeat", "the loop name must be a String, got %s", typeName(args[0]))
			}
			name = s
			args = args[1:]
		}
		body, err := c.child("repeat", args[0])
		if err != nil {
			return err
		}
		for _, st := range body.steps {
			if _, ok := st.(*injectStep); ok {
				return errorf("repeat", "The parent of inject()-step can not be repeat()-step: InjectStep")
			}
		}
		r := last
		if r == nil || r.body != nil {
			r = newStep()
		}
		r.body, r.loopName = body, name
	case "emit":
		cd, err := c.parseCond(op, args)
		if err != nil {
			return err
		}
		r := last
		if r == nil || r.emit != nil {
			r = newStep()
		}
		r.emit, r.emitFirst = cd, r.body == nil
	case "until", "times":
		cd, err := c.parseCond(op, args)
		if err != nil {
			return err
		}
		r := last
		if r == nil || r.until != nil {
			r = newStep()
		}
		r.until, r.untilFirst = cd, r.body == nil
	}
	return nil
}

// open runs the loop breadth-first, one iteration at a time (TinkerPop
// 3.8): all input is gathered into a set of traversers (equal ones merged
// with summed bulk), the whole set is fed to the body, and everything the
// body produces for it forms the next iteration's set. Barrier-like steps in
// the body (order, tail, sample, aggregate, barrier) therefore see exactly
// one iteration, and equal traversers are merged between iterations so
// bulk keeps the work proportional to the number of distinct traversers.
// The stream may return nil and later produce again when its input is fed
// again (a repeat nested in another repeat or a branch).
func (s *repeatStep) open(x *exec, in iter) iter {
	if s.body == nil {
		throwf("repeat", "The repeat()-traversal was not defined: RepeatStep")
	}
	body := openChild(x, s.body)
	out := &queueIter{merge: true, mode: x.mode, x: x}
	frontier := &queueIter{merge: true, mode: x.mode, x: x}
	// enter applies the until()/emit() tests that precede the body.
	enter := func(st *trav) {
		if s.untilFirst && x.testCond(s.until, st) {
			st = st.clone()
			st.resetLoops()
			out.push(x.label(st, s.labels))
			return
		}
		frontier.push(st)
		if s.emitFirst && x.testCond(s.emit, st) {
			e := st.clone()
			e.resetLoops()
			out.push(x.label(e, s.labels))
		}
	}
	// leave applies the tests that follow the body to one of its results.
	leave := func(r *trav) {
		r = r.clone()
		if len(r.loops) == 0 || r.loops[len(r.loops)-1].stepID != s.id {
			// A reducing step in the body (fold, group, count) emits a
			// fresh traverser, whose loop counter starts again from
			// zero as in TinkerPop; without one, times() and loops()
			// would never see it advance and the loop would not end.
			r.initLoops(s.id, s.loopName)
		}
		r.incrLoops()
		if !s.untilFirst && x.testCond(s.until, r) {
			r.resetLoops()
			out.push(x.label(r, s.labels))
			return
		}
		if !s.emitFirst && x.testCond(s.emit, r) {
			e := r.clone()
			e.resetLoops()
			out.push(x.label(e, s.labels))
		}
		if s.untilFirst || s.emitFirst {
			enter(r)
		} else {
			frontier.push(r)
		}
	}
	return iterFunc(func() *trav {
		for {
			x.tick()
			if t := out.next(); t != nil {
				return t
			}
			if !frontier.empty() {
				// An iteration can cost far more than 256 ticks (a
				// barrier over large values): check for cancellation
				// at each one.
				if err := x.ctx.Err(); err != nil {
					throw(err)
				}
				// One iteration: the body sees the whole set at once.
				for t := frontier.next(); t != nil; t = frontier.next() {
					body.q.push(t)
				}
				var results []*trav
				for r := body.out.next(); r != nil; r = body.out.next() {
					x.tick()
					results = append(results, r)
				}
				// A body step that stopped pulling leaves input behind;
				// it belongs to this iteration and is dropped.
				body.q.reset()
				for _, r := range results {
					leave(r)
				}
				continue
			}
			st := in.next()
			if st == nil {
				return nil
			}
			for ; st != nil; st = in.next() {
				x.tick()
				st = st.clone()
				st.initLoops(s.id, s.loopName)
				enter(st)
			}
		}
	})
}
