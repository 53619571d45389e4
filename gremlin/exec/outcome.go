package exec

import (
	"fmt"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal"
)

// outcome is the result of a request before it is streamed: either a
// running traversal or a single value.
type outcome struct {
	// lazy is the running traversal, when the result is a traversal.
	lazy traversal.Iterator
	// traversers: items are value.Traverser (bytecode) rather than the
	// bulk-expanded objects (scripts).
	traversers bool
	// val is the single value of the result when lazy is nil; hasVal
	// distinguishes a null result from no result.
	val    any
	hasVal bool
}

func valueOutcome(v any) *outcome { return &outcome{val: v, hasVal: true} }

// next returns the next result item.
func (o *outcome) next(pending *value.Traverser) (any, bool) {
	if o.lazy == nil {
		return nil, false
	}
	if o.traversers {
		t, ok := o.lazy.Next()
		return t, ok
	}
	if pending.Bulk > 0 {
		pending.Bulk--
		return pending.Value, true
	}
	t, ok := o.lazy.Next()
	if !ok {
		return nil, false
	}
	if t.Bulk > 1 {
		*pending = value.Traverser{Bulk: t.Bulk - 1, Value: t.Value}
	}
	return t.Value, true
}

// materialize collects every item of the outcome.
func (o *outcome) materialize() ([]any, error) {
	if o.lazy == nil {
		if !o.hasVal {
			return nil, nil
		}
		return unroll(o.val), nil
	}
	defer o.lazy.Close()
	var items []any
	var pending value.Traverser
	for {
		v, ok := o.next(&pending)
		if !ok {
			break
		}
		items = append(items, v)
	}
	return items, o.lazy.Err()
}

// terminal applies a script's terminal method to a running traversal.
func (o *outcome) terminal(name string, count int64) (any, error) {
	defer o.lazy.Close()
	var pending value.Traverser
	switch name {
	case "next":
		if count < 0 {
			v, ok := o.next(&pending)
			if !ok {
				if err := o.lazy.Err(); err != nil {
					return nil, err
				}
				return nil, fmt.Errorf("%w: %v", server.ErrEvaluation, errNoResult)
			}
			return v, nil
		}
		list := []any{}
		for int64(len(list)) < count {
			v, ok := o.next(&pending)
			if !ok {
				break
			}
			list = append(list, v)
		}
		return list, o.lazy.Err()
	case "tryNext":
		v, ok := o.next(&pending)
		if !ok {
			return nil, o.lazy.Err()
		}
		return v, nil
	case "hasNext":
		_, ok := o.next(&pending)
		if !ok {
			return false, o.lazy.Err()
		}
		return true, nil
	case "iterate":
		for {
			if _, ok := o.lazy.Next(); !ok {
				break
			}
		}
		return nil, o.lazy.Err()
	case "toList", "toSet", "toBulkSet":
		list := []any{}
		for {
			v, ok := o.next(&pending)
			if !ok {
				break
			}
			list = append(list, v)
		}
		if err := o.lazy.Err(); err != nil {
			return nil, err
		}
		switch name {
		case "toSet":
			return value.NewSet(list...), nil
		case "toBulkSet":
			return toBulkSet(list), nil
		}
		return list, nil
	}
	return nil, fmt.Errorf("%w: unknown terminal method %s()", server.ErrEvaluation, name)
}

func toBulkSet(list []any) *value.BulkSet {
	bs := &value.BulkSet{}
	index := map[string]int{}
	for _, v := range list {
		k := value.Key(v)
		if i, ok := index[k]; ok {
			bs.Items[i].Bulk++
			continue
		}
		index[k] = len(bs.Items)
		bs.Items = append(bs.Items, value.BulkItem{Value: v, Bulk: 1})
	}
	return bs
}

// unroll turns a script's result value into result items, as Gremlin
// Server iterates a result: collections yield their members, a map yields
// one single-entry map per entry.
func unroll(v any) []any {
	switch x := v.(type) {
	case nil:
		return []any{nil}
	case []any:
		return x
	case *value.Set:
		return append([]any(nil), x.Items()...)
	case *value.Map:
		items := make([]any, 0, x.Len())
		for _, e := range x.Entries() {
			m := value.NewMap()
			m.Put(e.Key, e.Value)
			items = append(items, m)
		}
		return items
	case *value.BulkSet:
		var items []any
		for _, it := range x.Items {
			for i := int64(0); i < it.Bulk; i++ {
				items = append(items, it.Value)
			}
		}
		return items
	case *sourceValue:
		return []any{x.String()}
	}
	return []any{v}
}

// listResults streams materialized items.
type listResults struct {
	items []any
	i     int
}

func (r *listResults) Next() (any, bool) {
	if r.i >= len(r.items) {
		return nil, false
	}
	r.i++
	return r.items[r.i-1], true
}
func (r *listResults) Err() error { return nil }
func (r *listResults) Close()     {}

// lazyResults streams a read-only traversal and ends its transactions
// when the stream ends.
type lazyResults struct {
	out     *outcome
	pending value.Traverser
	finish  func() error
	abort   func() error
	done    bool
	err     error
}

func (r *lazyResults) Next() (any, bool) {
	if r.done {
		return nil, false
	}
	v, ok := r.out.next(&r.pending)
	if ok {
		return v, true
	}
	r.done = true
	r.out.lazy.Close()
	if err := r.out.lazy.Err(); err != nil {
		r.err = classify(err)
		_ = r.abort()
		return nil, false
	}
	if err := r.finish(); err != nil {
		r.err = classify(err)
	}
	return nil, false
}

func (r *lazyResults) Err() error { return r.err }

func (r *lazyResults) Close() {
	if !r.done {
		r.done = true
		r.out.lazy.Close()
		_ = r.abort()
	}
}
