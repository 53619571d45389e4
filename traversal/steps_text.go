package traversal

import (
	"fmt"
	"time"

	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// valueStep builds a map step from a value function; with Scope.local
// (when allowed) it maps each item of a list instead.
func valueStep(name string, args []any, allowLocal bool, f func(x *exec, t *trav, v any) (any, error)) step {
	local := false
	if allowLocal {
		local, _ = scopeArg(args)
	}
	return &mapStep{stepBase: stepBase{name: name}, f: func(x *exec, t *trav) (any, bool) {
		if local && name != "asString" {
			return stringLocal(name, t.val, func(v any) (any, error) { return f(x, t, v) }), true
		}
		if local {
			if its, ok := items(t.val); ok {
				out := make([]any, len(its))
				for i, it := range its {
					r, err := f(x, t, it)
					if err != nil {
						throwf(name, "%v", err)
					}
					out[i] = r
				}
				return out, true
			}
		}
		r, err := f(x, t, t.val)
		if err != nil {
			throwf(name, "%v", err)
		}
		return r, true
	}}
}

// stringLocal applies a string step in Scope.local (TinkerPop's
// StringLocalStep): a String maps as usual, a list or set maps item by
// item (null items stay null), null stays null, and anything else fails.
func stringLocal(name string, v any, f func(any) (any, error)) any {
	if v == nil {
		return nil
	}
	if _, isStr := v.(string); !isStr {
		its, ok := fn.AsIterable(v)
		if !ok {
			throwf(name, "The %s(local) step can only take string or list of strings, encountered %s", name, typeName(v))
		}
		out := make([]any, len(its))
		for i, it := range its {
			if it == nil {
				continue
			}
			if _, isStr := it.(string); !isStr {
				throwf(name, "The %s(local) step can only take string or list of strings, encountered %s in list", name, typeName(it))
			}
			r, err := f(it)
			if err != nil {
				throwf(name, "%v", err)
			}
			out[i] = r
		}
		return out
	}
	r, err := f(v)
	if err != nil {
		throwf(name, "%v", err)
	}
	return r
}

func stripScope(args []any) []any { _, rest := scopeArg(args); return rest }

func (r *stepSet) addTextSteps() {
	simple := map[string]func(any) (any, error){
		"asString": fn.AsString, "trim": fn.Trim, "lTrim": fn.LTrim, "rTrim": fn.RTrim,
		"toUpper": fn.ToUpper, "toLower": fn.ToLower, "length": fn.Length, "reverse": fn.Reverse,
		"asDate": fn.AsDate, "asBool": fn.AsBool,
	}
	for name, f := range simple {
		name, f := name, f
		r.register(name, func(c *compiler, args []any) (step, error) {
			return valueStep(name, args, name != "reverse" && name != "asDate" && name != "asBool",
				func(x *exec, t *trav, v any) (any, error) { return f(v) }), nil
		})
	}
	r.register("asNumber", func(c *compiler, args []any) (step, error) {
		target := ""
		if len(args) > 0 {
			e, ok := args[0].(value.Enum)
			if !ok {
				return nil, errorf("asNumber", "expected a GType, got %s", typeName(args[0]))
			}
			target = e.Name
		}
		return valueStep("asNumber", nil, false, func(x *exec, t *trav, v any) (any, error) { return fn.AsNumber(v, target) }), nil
	})
	r.register("concat", func(c *compiler, args []any) (step, error) {
		var avs []*argValue
		for _, a := range args {
			av, err := c.argValue("concat", a)
			if err != nil {
				return nil, err
			}
			avs = append(avs, av)
		}
		return valueStep("concat", nil, false, func(x *exec, t *trav, v any) (any, error) {
			vals := make([]any, 0, len(avs))
			for _, av := range avs {
				r, ok := x.argEval("concat", av, t)
				if !ok {
					r = nil
				}
				vals = append(vals, r)
			}
			if _, isRoot := v.(rootStart); isRoot {
				v = nil
			}
			return fn.Concat(v, vals...)
		}), nil
	})
	r.register("split", func(c *compiler, args []any) (step, error) {
		rest := stripScope(args)
		if len(rest) != 1 {
			return nil, errorf("split", "expected a separator")
		}
		sep := rest[0]
		return valueStep("split", args, true, func(x *exec, t *trav, v any) (any, error) { return fn.Split(v, sep) }), nil
	})
	r.register("replace", func(c *compiler, args []any) (step, error) {
		rest := stripScope(args)
		if len(rest) != 2 {
			return nil, errorf("replace", "expected the old and new strings")
		}
		return valueStep("replace", args, true, func(x *exec, t *trav, v any) (any, error) { return fn.Replace(v, rest[0], rest[1]) }), nil
	})
	r.register("substring", func(c *compiler, args []any) (step, error) {
		rest := stripScope(args)
		if len(rest) < 1 || len(rest) > 2 {
			return nil, errorf("substring", "expected a start index and an optional end index")
		}
		start, ok := toInt64(rest[0])
		if !ok {
			return nil, errorf("substring", "the start index must be an integer, got %s", typeName(rest[0]))
		}
		var end int64
		hasEnd := len(rest) == 2
		if hasEnd {
			if end, ok = toInt64(rest[1]); !ok {
				return nil, errorf("substring", "the end index must be an integer, got %s", typeName(rest[1]))
			}
		}
		return valueStep("substring", args, true, func(x *exec, t *trav, v any) (any, error) {
			return fn.Substring(v, start, end, hasEnd)
		}), nil
	})
	r.register("dateAdd", func(c *compiler, args []any) (step, error) {
		if len(args) != 2 {
			return nil, errorf("dateAdd", "expected a DT unit and an amount")
		}
		unit, ok := enumArg(args[0], "DT")
		if !ok {
			return nil, errorf("dateAdd", "expected a DT unit, got %s", typeName(args[0]))
		}
		n, ok := toInt64(args[1])
		if !ok {
			return nil, errorf("dateAdd", "the amount must be an integer, got %s", typeName(args[1]))
		}
		return valueStep("dateAdd", nil, false, func(x *exec, t *trav, v any) (any, error) { return fn.DateAdd(v, unit, n) }), nil
	})
	r.register("dateDiff", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("dateDiff", "expected a date or a traversal")
		}
		av, err := c.argValue("dateDiff", args[0])
		if err != nil {
			return nil, err
		}
		return valueStep("dateDiff", nil, false, func(x *exec, t *trav, v any) (any, error) {
			other, _ := x.argEval("dateDiff", av, t)
			return fn.DateDiff(v, other)
		}), nil
	})
	lists := map[string]func(a, b any) (any, error){
		"combine": fn.Combine, "merge": fn.Merge, "product": fn.Product,
		"intersect": fn.Intersect, "difference": fn.Difference, "disjunct": fn.Disjunct,
	}
	for name, f := range lists {
		name, f := name, f
		r.register(name, func(c *compiler, args []any) (step, error) {
			if len(args) != 1 {
				return nil, errorf(name, "expected a list or a traversal")
			}
			av, err := c.argValue(name, args[0])
			if err != nil {
				return nil, err
			}
			return valueStep(name, nil, false, func(x *exec, t *trav, v any) (any, error) {
				v = publicValue(v)
				if av.trav == nil {
					return f(v, publicValue(av.v))
				}
				if _, isMap := v.(*value.Map); isMap && name == "merge" {
					other, _ := x.evalFirst(av.trav, t)
					return f(v, publicValue(other))
				}
				if _, ok := fn.AsIterable(v); !ok {
					return f(v, []any{}) // reports the incoming value
				}
				other, err := x.listTraversalArg(name, av.trav, t)
				if err != nil {
					return nil, err
				}
				return f(v, other)
			}), nil
		})
	}
	r.register("conjoin", func(c *compiler, args []any) (step, error) {
		d, err := argString("conjoin", args, 0)
		if err != nil {
			return nil, err
		}
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			r, err := fn.Conjoin(publicValue(t.val), d)
			if err != nil {
				throwf("conjoin", "%v", err)
			}
			return r, r != nil
		}}, nil
	})
	r.register("format", func(c *compiler, args []any) (step, error) {
		tpl, err := argString("format", args, 0)
		if err != nil {
			return nil, err
		}
		c.needLabels = true
		return &formatStep{tpl: tpl}, nil
	})
	r.register("timeLimit", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("timeLimit", "expected milliseconds")
		}
		ms, ok := toInt64(args[0])
		if !ok {
			return nil, errorf("timeLimit", "expected milliseconds, got %s", typeName(args[0]))
		}
		return &timeLimitStep{d: time.Duration(ms) * time.Millisecond}, nil
	})
}

// formatStep implements format(template).by(...).
type formatStep struct {
	stepBase
	tpl string
	bys []*byMod
}

func (s *formatStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy("format", args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

func (s *formatStep) open(x *exec, in iter) iter {
	m := &mapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) (any, bool) {
		var positional []any
		for _, b := range s.bys {
			v, ok := x.applyBy("format", b, t.val, t)
			if !ok {
				return nil, false
			}
			positional = append(positional, v)
		}
		lookup := func(name string) (any, bool) {
			if isElement(t.val) {
				if vals := x.propValues(t.val, name); len(vals) > 0 {
					return vals[0], true
				}
			}
			return x.scopeValue(t, "last", name, true)
		}
		r, ok, err := fn.Format(s.tpl, lookup, positional)
		if err != nil {
			throwf("format", "%v", err)
		}
		return r, ok
	}}
	return m.open(x, in)
}

// timeLimitStep passes traversers until its time budget is spent.
type timeLimitStep struct {
	stepBase
	d time.Duration
}

func (s *timeLimitStep) open(x *exec, in iter) iter {
	var deadline time.Time
	return iterFunc(func() *trav {
		if deadline.IsZero() {
			deadline = time.Now().Add(s.d)
		}
		if time.Now().After(deadline) {
			return nil
		}
		t := in.next()
		if t == nil {
			return nil
		}
		return x.label(t, s.labels)
	})
}

// listTraversalArg evaluates the traversal argument of a list step
// (combine, merge, product, intersect, difference, disjunct) for t; like
// TinkerPop's ListFunction it must yield a list or set.
func (x *exec) listTraversalArg(step string, p *pipeline, t *trav) (any, error) {
	r, ok := x.evalFirst(p, t)
	if !ok {
		return nil, fmt.Errorf("The provided traverser of type %s does not map to a value", javaClass(t.val))
	}
	r = publicValue(r)
	if r == nil {
		return nil, fmt.Errorf("Provided traversal argument for %s step must yield an iterable type, not null", step)
	}
	if _, ok := fn.AsIterable(r); !ok {
		return nil, fmt.Errorf("Provided traversal argument for %s step must yield an iterable type, encountered %s", step, typeName(r))
	}
	return r, nil
}
