package traversal

import (
	"strconv"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func (r *stepSet) addRangeSteps() {
	r.register("limit", func(c *compiler, args []any) (step, error) {
		local, rest := scopeArg(args)
		if len(rest) != 1 {
			return nil, errorf("limit", "expected the number of results")
		}
		n, ok := toInt64(rest[0])
		if !ok {
			return nil, errorf("limit", "the limit must be a number, got %s", typeName(rest[0]))
		}
		return newRange("limit", local, 0, n), nil
	})
	r.register("range", func(c *compiler, args []any) (step, error) {
		local, rest := scopeArg(args)
		if len(rest) != 2 {
			return nil, errorf("range", "expected low and high bounds")
		}
		lo, ok1 := toInt64(rest[0])
		hi, ok2 := toInt64(rest[1])
		if !ok1 || !ok2 {
			return nil, errorf("range", "the bounds must be numbers")
		}
		if hi != -1 && hi < lo {
			return nil, errorf("range", "Not a legal range: [%d, %d]", lo, hi)
		}
		return newRange("range", local, lo, hi), nil
	})
	r.register("skip", func(c *compiler, args []any) (step, error) {
		local, rest := scopeArg(args)
		if len(rest) != 1 {
			return nil, errorf("skip", "expected the number to skip")
		}
		n, ok := toInt64(rest[0])
		if !ok {
			return nil, errorf("skip", "the number must be a number, got %s", typeName(rest[0]))
		}
		return newRange("skip", local, n, -1), nil
	})
	r.register("tail", func(c *compiler, args []any) (step, error) {
		local, rest := scopeArg(args)
		n := int64(1)
		if len(rest) > 0 {
			var ok bool
			n, ok = toInt64(rest[0])
			if !ok {
				return nil, errorf("tail", "the number must be a number, got %s", typeName(rest[0]))
			}
		}
		if local {
			return &mapStep{f: func(x *exec, t *trav) (any, bool) { return tailLocal(t.val, n) }}, nil
		}
		return &barrierStep{reduce: func(x *exec, in iter) []*trav {
			ts := drain(x, in)
			var out []*trav
			remaining := n
			for i := len(ts) - 1; i >= 0 && remaining > 0; i-- {
				t := ts[i]
				if t.bulk > remaining {
					t = t.clone()
					t.bulk = remaining
				}
				remaining -= t.bulk
				out = append(out, t)
			}
			for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
				out[i], out[j] = out[j], out[i]
			}
			return out
		}}, nil
	})
}

func newRange(name string, local bool, lo, hi int64) step {
	if local {
		return &mapStep{stepBase: stepBase{name: name}, f: func(x *exec, t *trav) (any, bool) { return rangeLocal(t.val, lo, hi) }}
	}
	return &rangeStep{stepBase: stepBase{name: name}, lo: lo, hi: hi}
}

// rangeStep is the global range/limit/skip filter; bulk is split at the
// bounds and upstream is not pulled once the high bound is reached.
type rangeStep struct {
	stepBase
	lo, hi int64
}

func (s *rangeStep) open(x *exec, in iter) iter {
	var seen int64
	// Inside repeat() the range applies to each iteration separately
	// (TinkerPop 3.8): traversers are counted per loop position, and the
	// step keeps pulling because later iterations bring new traversers.
	var perLoop map[string]*int64
	return iterFunc(func() *trav {
		for {
			if s.hi != -1 && seen >= s.hi && perLoop == nil {
				return nil
			}
			t := in.next()
			if t == nil {
				return nil
			}
			counter := &seen
			if len(t.loops) > 0 {
				if perLoop == nil {
					perLoop = map[string]*int64{}
				}
				k := loopsKey(t.loops)
				c, ok := perLoop[k]
				if !ok {
					c = new(int64)
					perLoop[k] = c
				}
				counter = c
			}
			start, end := *counter, *counter+t.bulk
			*counter = end
			if end <= s.lo {
				continue
			}
			from := start
			if from < s.lo {
				from = s.lo
			}
			to := end
			if s.hi != -1 && to > s.hi {
				to = s.hi
			}
			if to <= from {
				continue
			}
			if to-from != t.bulk {
				t = t.clone()
				t.bulk = to - from
			}
			return x.label(t, s.labels)
		}
	})
}

// loopsKey identifies a traverser's position in its enclosing loops.
func loopsKey(ls []loopCounter) string {
	b := make([]byte, 0, 8*len(ls))
	for _, l := range ls {
		b = strconv.AppendInt(b, int64(l.stepID), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(l.n), 10)
		b = append(b, ';')
	}
	return string(b)
}

func rangeLocal(v any, lo, hi int64) (any, bool) {
	if m, ok := v.(*value.Map); ok {
		out := value.NewMap()
		for i, e := range m.Entries() {
			if int64(i) >= lo && (hi == -1 || int64(i) < hi) {
				out.Put(e.Key, e.Value)
			}
		}
		return out, true
	}
	vals, ok := items(v)
	if !ok {
		return v, true
	}
	var out []any
	for i, e := range vals {
		if int64(i) >= lo && (hi == -1 || int64(i) < hi) {
			out = append(out, e)
		}
	}
	// TinkerPop 3.8: a collection always yields a collection, even for a
	// single-element (or empty) range.
	if out == nil {
		out = []any{}
	}
	return out, true
}

func tailLocal(v any, n int64) (any, bool) {
	if m, ok := v.(*value.Map); ok {
		es := m.Entries()
		out := value.NewMap()
		for _, e := range es[tailStart(len(es), n):] {
			out.Put(e.Key, e.Value)
		}
		return out, true
	}
	vals, ok := items(v)
	if !ok {
		return v, true
	}
	return append([]any{}, vals[tailStart(len(vals), n):]...), true
}

// tailStart is where the last n of size items start: 0 when n exceeds
// the size, and size (nothing) when n is negative, as TinkerPop's range
// from size-n to size selects nothing.
func tailStart(size int, n int64) int {
	switch {
	case n < 0:
		return size
	case n >= int64(size):
		return 0
	}
	return size - int(n)
}
