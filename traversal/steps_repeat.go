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

func (s *repeatStep) open(x *exec, in iter) iter {
	if s.body == nil {
		throwf("repeat", "emit()/until()/times() must be used with repeat()")
	}
	body := openChild(x, s.body)
	body.q.merge = true
	body.q.mode = x.mode
	pending := &queueIter{}
	return iterFunc(func() *trav {
		for {
			x.tick()
			if r := body.out.next(); r != nil {
				r = r.clone()
				r.incrLoops()
				if !s.untilFirst && x.testCond(s.until, r) {
					r.resetLoops()
					return x.label(r, s.labels)
				}
				var e *trav
				if !s.emitFirst && x.testCond(s.emit, r) {
					e = r.clone()
					e.resetLoops()
				}
				if s.untilFirst || s.emitFirst {
					pending.push(r)
				} else {
					body.q.push(r)
				}
				if e != nil {
					return x.label(e, s.labels)
				}
				continue
			}
			st := pending.next()
			if st == nil {
				st = in.next()
				if st == nil {
					if body.q.empty() {
						return nil
					}
					continue
				}
				st = st.clone()
				st.initLoops(s.id, s.loopName)
			}
			if s.untilFirst && x.testCond(s.until, st) {
				st.resetLoops()
				return x.label(st, s.labels)
			}
			body.q.push(st)
			if s.emitFirst && x.testCond(s.emit, st) {
				e := st.clone()
				e.resetLoops()
				return x.label(e, s.labels)
			}
		}
	})
}
