package traversal

import (
	"container/heap"
	"sort"

	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// Order/limit fusion (a bounded top-k).
//
// A global order() directly followed by a global limit(n) / range(lo, hi)
// (hi != -1) only ever lets the first hi bulk units of its sorted output
// through. The compiler records hi on the order step (orderStep.topK) and
// the order step then keeps, while draining its input, only the
// traversers that can still be among the first hi units: a max-heap keyed
// by (by() keys, arrival sequence). The arrival sequence is the tiebreak
// that makes the heap agree exactly with the stable full sort it
// replaces. A traverser's bulk counts in full: the largest retained
// traverser is evicted only while the others already cover hi units, so
// at most hi traversers are retained. The range step itself is unchanged
// and still runs after the order step, so it splits a bulk at the bounds
// exactly as it did over the full sort.
//
// Inside repeat() the range step counts per loop position (see
// rangeStep); the top-k therefore keeps one heap per loop position, which
// gives the range step the same first hi units of every position.
//
// withoutStrategies(KvtOrderLimitStrategy) turns the fusion off.

// orderLimitStrategy names the fusion for withoutStrategies.
const orderLimitStrategy = "KvtOrderLimitStrategy"

// fuseOrderLimit marks every global order() that a bounded global range
// step follows with its high bound.
func (c *compiler) fuseOrderLimit(steps []step) {
	if c.src != nil && c.src.without[orderLimitStrategy] {
		return
	}
	for i := 0; i+1 < len(steps); i++ {
		o, ok := steps[i].(*orderStep)
		if !ok || o.local {
			continue
		}
		r, ok := steps[i+1].(*rangeStep)
		if !ok || r.hi < 0 || !c.pureBys(o.bys) {
			continue
		}
		hi := r.hi
		o.topK = &hi
	}
}

// pureSteps are the steps a by() traversal may consist of for the fusion:
// their result depends on the traverser alone. The fused order computes
// the by() keys while it drains its input instead of after, which is only
// the same when no key reads a side-effect written upstream (cap(),
// select(key), math(), where(...)), draws a random number, or has a child
// traversal or by() of its own that might.
var pureSteps = map[string]bool{
	"values": true, "properties": true, "value": true, "key": true, "id": true, "label": true,
	"count": true, "sum": true, "max": true, "min": true, "mean": true,
	"out": true, "in": true, "both": true, "outE": true, "inE": true, "bothE": true,
	"outV": true, "inV": true, "bothV": true, "otherV": true,
	"constant": true, "fold": true, "unfold": true, "identity": true,
	"hasLabel": true, "hasId": true, "hasKey": true, "hasValue": true, "is": true,
	"limit": true, "range": true, "skip": true, "tail": true, "elementMap": true,
}

// pureBys reports whether every by() of an order step is a key, a token,
// a column or a traversal of pureSteps.
func (c *compiler) pureBys(bys []*byMod) bool {
	for _, b := range bys {
		if b.kind != byTrav {
			continue
		}
		if b.trav == nil {
			return false
		}
		for _, st := range b.trav.steps {
			rec, ok := c.instr[st.base().id]
			if !ok || !pureSteps[rec.op] {
				return false
			}
			if _, ok := st.(byAccepter); ok {
				return false
			}
			for _, a := range rec.args {
				switch a.(type) {
				case *value.Bytecode, *value.P:
					// A P may hold a side-effect or traversal reference.
					if _, isP := a.(*value.P); isP && rec.op == "is" {
						continue
					}
					return false
				}
			}
		}
	}
	return true
}

// topKRetainedHook, when set (tests only), is called with the number of
// traversers a top-k holds after each input traverser.
var topKRetainedHook func(retained int)

// cmpKeys compares two by() key tuples as the order step sorts them.
func (s *orderStep) cmpKeys(a, b []any) int {
	bys := s.bys
	if len(bys) == 0 {
		bys = []*byMod{{}}
	}
	for k, by := range bys {
		c := fn.Order(a[k], b[k])
		if by.order == "desc" {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func (s *orderStep) shuffles() bool {
	for _, b := range s.bys {
		if b.order == "shuffle" {
			return true
		}
	}
	return false
}

type topKItem struct {
	keys []any
	t    *trav
	seq  int64
}

// topKHeap is a max-heap: the root is the item sorted last.
type topKHeap struct {
	s     *orderStep
	items []*topKItem
	bulk  int64 // total bulk of items
}

func (h *topKHeap) cmp(a, b *topKItem) int {
	if c := h.s.cmpKeys(a.keys, b.keys); c != 0 {
		return c
	}
	switch {
	case a.seq < b.seq:
		return -1
	case a.seq > b.seq:
		return 1
	}
	return 0
}

func (h *topKHeap) Len() int           { return len(h.items) }
func (h *topKHeap) Less(i, j int) bool { return h.cmp(h.items[i], h.items[j]) > 0 }
func (h *topKHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topKHeap) Push(x any)         { h.items = append(h.items, x.(*topKItem)) }
func (h *topKHeap) Pop() any {
	n := len(h.items) - 1
	it := h.items[n]
	h.items[n] = nil
	h.items = h.items[:n]
	return it
}

// offer adds it unless it sorts after hi units already held, then evicts
// the last items while the rest still cover hi units.
func (h *topKHeap) offer(it *topKItem, hi int64) {
	if hi <= 0 {
		return
	}
	if h.bulk >= hi && len(h.items) > 0 && h.cmp(it, h.items[0]) > 0 {
		return
	}
	heap.Push(h, it)
	h.bulk += it.t.bulk
	for len(h.items) > 0 && h.bulk-h.items[0].t.bulk >= hi {
		top := heap.Pop(h).(*topKItem)
		h.bulk -= top.t.bulk
	}
}

// topKReduce drains in keeping only what the following range step can
// emit, and returns it in the order the full stable sort would.
func (s *orderStep) topKReduce(x *exec, in iter, hi int64) []*trav {
	heaps := map[string]*topKHeap{}
	var order []*topKHeap
	var seq int64
	retained := 0
	for t := in.next(); t != nil; t = in.next() {
		x.tick()
		ks, ok := s.keysFor(x, t.val, t)
		if !ok {
			continue
		}
		k := ""
		if len(t.loops) > 0 {
			k = loopsKey(t.loops)
		}
		h := heaps[k]
		if h == nil {
			h = &topKHeap{s: s}
			heaps[k] = h
			order = append(order, h)
		}
		before := len(h.items)
		h.offer(&topKItem{keys: ks, t: t, seq: seq}, hi)
		seq++
		retained += len(h.items) - before
		if topKRetainedHook != nil {
			topKRetainedHook(retained)
		}
	}
	var all []*topKItem
	for _, h := range order {
		all = append(all, h.items...)
	}
	sort.Slice(all, func(i, j int) bool {
		if c := s.cmpKeys(all[i].keys, all[j].keys); c != 0 {
			return c < 0
		}
		return all[i].seq < all[j].seq
	})
	out := make([]*trav, len(all))
	for i, it := range all {
		out[i] = it.t
	}
	return out
}
