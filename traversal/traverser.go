package traversal

import (
	"strconv"
	"strings"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Path tracking modes, chosen at compile time from the steps present.
const (
	pathNone    = 0 // no path kept
	pathLabeled = 1 // only objects of labelled steps are kept
	pathFull    = 2 // every object is kept
)

// pathNode is one element of an immutable, shared path.
type pathNode struct {
	prev   *pathNode
	obj    any
	labels []string
	size   int
}

func (p *pathNode) push(obj any, labels []string) *pathNode {
	n := 1
	if p != nil {
		n = p.size + 1
	}
	return &pathNode{prev: p, obj: obj, labels: labels, size: n}
}

// withLabels returns a path whose last element also carries labels.
func (p *pathNode) withLabels(labels []string) *pathNode {
	if p == nil {
		return nil
	}
	var merged []string
	merged = append(merged, p.labels...)
	for _, l := range labels {
		dup := false
		for _, m := range merged {
			if m == l {
				dup = true
				break
			}
		}
		if !dup {
			merged = append(merged, l)
		}
	}
	return &pathNode{prev: p.prev, obj: p.obj, labels: merged, size: p.size}
}

// items returns the path in order (oldest first).
func (p *pathNode) items() []*pathNode {
	if p == nil {
		return nil
	}
	out := make([]*pathNode, p.size)
	for n := p; n != nil; n = n.prev {
		out[n.size-1] = n
	}
	return out
}

func (p *pathNode) hasLabel(l string) bool {
	for n := p; n != nil; n = n.prev {
		for _, x := range n.labels {
			if x == l {
				return true
			}
		}
	}
	return false
}

// get returns the objects labelled l, oldest first.
func (p *pathNode) get(l string) []any {
	var rev []any
	for n := p; n != nil; n = n.prev {
		for _, x := range n.labels {
			if x == l {
				rev = append(rev, n.obj)
				break
			}
		}
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// toValue converts to the public Path value.
func (p *pathNode) toValue() *value.Path {
	its := p.items()
	vp := &value.Path{Labels: make([][]string, len(its)), Objects: make([]any, len(its))}
	for i, n := range its {
		ls := n.labels
		if ls == nil {
			ls = []string{}
		}
		vp.Labels[i] = ls
		vp.Objects[i] = n.obj
	}
	return vp
}

func (p *pathNode) key() string {
	var b strings.Builder
	for _, n := range p.items() {
		b.WriteString(value.Key(n.obj))
		b.WriteByte('|')
		b.WriteString(strings.Join(n.labels, ","))
		b.WriteByte(';')
	}
	return b.String()
}

// loopCounter counts the iterations of one enclosing repeat().
type loopCounter struct {
	stepID int
	name   string
	n      int
}

// trav is a traverser: a value with its bulk, path, loops and sack.
type trav struct {
	val     any
	bulk    int64
	path    *pathNode
	loops   []loopCounter
	sack    any
	hasSack bool
}

func (t *trav) clone() *trav { c := *t; return &c }

// key identifies traversers that may be merged into one with summed bulk.
func (t *trav) key(mode int) string {
	k := value.Key(t.val)
	if mode != pathNone && t.path != nil {
		k += "#" + t.path.key()
	}
	for _, l := range t.loops {
		k += "@" + strconv.Itoa(l.stepID) + ":" + strconv.Itoa(l.n)
	}
	if t.hasSack {
		k += "$" + value.Key(t.sack)
	}
	return k
}

func (t *trav) loopCount(name string) int {
	if name == "" {
		if len(t.loops) == 0 {
			return 0
		}
		return t.loops[len(t.loops)-1].n
	}
	for i := len(t.loops) - 1; i >= 0; i-- {
		if t.loops[i].name == name {
			return t.loops[i].n
		}
	}
	return 0
}

func (t *trav) initLoops(stepID int, name string) {
	if len(t.loops) > 0 && t.loops[len(t.loops)-1].stepID == stepID {
		return
	}
	ls := make([]loopCounter, len(t.loops), len(t.loops)+1)
	copy(ls, t.loops)
	t.loops = append(ls, loopCounter{stepID: stepID, name: name})
}

func (t *trav) incrLoops() {
	if len(t.loops) == 0 {
		return
	}
	ls := make([]loopCounter, len(t.loops))
	copy(ls, t.loops)
	ls[len(ls)-1].n++
	t.loops = ls
}

func (t *trav) resetLoops() {
	if len(t.loops) == 0 {
		return
	}
	t.loops = t.loops[: len(t.loops)-1 : len(t.loops)-1]
}
