package storage

import (
	"errors"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// The model: a plain in-memory graph the store must agree with.
type mVertex struct {
	label string
	props []mProp // in order
}

type mProp struct {
	id  int64
	key string
	val int64
}

type mEdge struct {
	label    string
	out, in  int64
	weight   *int64
	edgeOnly bool
}

type model struct {
	vs map[int64]*mVertex
	es map[int64]*mEdge
}

func (m *model) clone() *model {
	c := &model{vs: map[int64]*mVertex{}, es: map[int64]*mEdge{}}
	for id, v := range m.vs {
		c.vs[id] = &mVertex{label: v.label, props: append([]mProp(nil), v.props...)}
	}
	for id, e := range m.es {
		ce := *e
		c.es[id] = &ce
	}
	return c
}

// dump renders the model as the store should render itself.
func (m *model) dump() string {
	var lines []string
	for id, v := range m.vs {
		var ps []string
		for _, p := range v.props {
			ps = append(ps, fmt.Sprintf("%s=%d", p.key, p.val))
		}
		var out []string
		for eid, e := range m.es {
			if e.out == id {
				w := ""
				if e.weight != nil {
					w = fmt.Sprintf(" w=%d", *e.weight)
				}
				out = append(out, fmt.Sprintf("%s->%d#%d%s", e.label, e.in, eid, w))
			}
		}
		sort.Strings(out)
		in := 0
		for _, e := range m.es {
			if e.in == id {
				in++
			}
		}
		lines = append(lines, fmt.Sprintf("v%d %s [%s] out{%s} in=%d", id, v.label, strings.Join(ps, " "), strings.Join(out, ","), in))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// dumpStore renders the store the same way.
func dumpStore(t *testing.T, tx *Tx) string {
	t.Helper()
	var lines []string
	it := tx.ScanVertices("")
	defer it.Close()
	for {
		v, ok := it.Next()
		if !ok {
			break
		}
		var ps []string
		for _, p := range v.Properties {
			ps = append(ps, fmt.Sprintf("%s=%v", p.Key, p.Value))
		}
		var out []string
		oi := tx.EdgesOf(v.ID, Out, nil)
		for {
			e, ok := oi.Next()
			if !ok {
				break
			}
			w := ""
			for _, p := range e.Properties {
				w += fmt.Sprintf(" %s=%v", p.Key, p.Value)
			}
			out = append(out, fmt.Sprintf("%s->%v#%v%s", e.Label, e.InV.ID, e.ID, w))
		}
		if err := oi.Err(); err != nil {
			t.Fatal(err)
		}
		sort.Strings(out)
		in := must[int64](t)(tx.Degree(v.ID, In, nil))
		if n := must[int64](t)(tx.Degree(v.ID, Out, nil)); n != int64(len(out)) {
			t.Fatalf("vertex %v: Degree(out) = %d, EdgesOf(out) gave %d", v.ID, n, len(out))
		}
		lines = append(lines, fmt.Sprintf("v%v %s [%s] out{%s} in=%d", v.ID, v.Label, strings.Join(ps, " "), strings.Join(out, ","), in))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestModelRandomized(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { runModel(t, seed, 250) })
	}
}

func runModel(t *testing.T, seed int64, steps int) {
	rng := rand.New(rand.NewSource(seed))
	// A small page size makes iterators cross pages.
	g, err := Open(memkv.New(memkv.Options{PageSize: 3}), Options{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.CreateIndex(bg, IndexDef{Name: "k", Kind: index.Range, Keys: []string{"k"}}); err != nil {
		t.Fatal(err)
	}
	if err := g.CreateIndex(bg, IndexDef{Name: "w", Kind: index.Exact, Element: EdgeElement, Keys: []string{"w"}}); err != nil {
		t.Fatal(err)
	}
	committed := &model{vs: map[int64]*mVertex{}, es: map[int64]*mEdge{}}
	labels := []string{"a", "b", "c"}
	keys := []string{"k", "j"}
	tx := begin(t, g)
	m := committed.clone()
	for step := 0; step < steps; step++ {
		if step%7 == 3 {
			// What Prefetch learns must not change any outcome below,
			// also after later adds and removes in this transaction.
			ids := []any{}
			for i := int64(0); i < 12; i++ {
				ids = append(ids, i)
			}
			if err := tx.Prefetch(ids); err != nil {
				t.Fatal(err)
			}
		}
		vid := int64(rng.Intn(12))
		eid := int64(100 + rng.Intn(20))
		var op string
		var err error
		switch r := rng.Intn(100); {
		case r < 20:
			op = fmt.Sprintf("AddVertex(%d)", vid)
			_, err = tx.AddVertex(vid, labels[rng.Intn(3)], nil)
			if _, dup := m.vs[vid]; dup {
				if !errors.Is(err, ErrDuplicateID) {
					t.Fatalf("step %d %s: got %v, want ErrDuplicateID", step, op, err)
				}
				err = nil
			} else if err == nil {
				vs := must[[]*value.Vertex](t)(tx.Vertices([]any{vid}))
				m.vs[vid] = &mVertex{label: vs[0].Label}
			}
		case r < 45:
			out, in := int64(rng.Intn(12)), int64(rng.Intn(12))
			op = fmt.Sprintf("AddEdge(%d, %d->%d)", eid, out, in)
			var props []KeyValue
			var w *int64
			if rng.Intn(2) == 0 {
				x := int64(rng.Intn(3))
				w = &x
				props = []KeyValue{{"w", x}}
			}
			label := labels[rng.Intn(3)]
			_, err = tx.AddEdge(eid, label, out, in, props)
			_, dup := m.es[eid]
			_, okOut := m.vs[out]
			_, okIn := m.vs[in]
			switch {
			case !okOut || !okIn:
				if !errors.Is(err, ErrVertexNotFound) {
					t.Fatalf("step %d %s: got %v, want ErrVertexNotFound", step, op, err)
				}
				err = nil
			case dup:
				if !errors.Is(err, ErrDuplicateID) {
					t.Fatalf("step %d %s: got %v, want ErrDuplicateID", step, op, err)
				}
				err = nil
			case err == nil:
				m.es[eid] = &mEdge{label: label, out: out, in: in, weight: w}
			}
		case r < 55:
			op = fmt.Sprintf("RemoveVertex(%d)", vid)
			err = tx.RemoveVertex(vid)
			if _, ok := m.vs[vid]; !ok {
				if !errors.Is(err, ErrVertexNotFound) {
					t.Fatalf("step %d %s: got %v", step, op, err)
				}
				err = nil
			} else if err == nil {
				delete(m.vs, vid)
				for id, e := range m.es {
					if e.out == vid || e.in == vid {
						delete(m.es, id)
					}
				}
			}
		case r < 62:
			op = fmt.Sprintf("RemoveEdge(%d)", eid)
			err = tx.RemoveEdge(eid)
			if _, ok := m.es[eid]; !ok {
				if !errors.Is(err, ErrEdgeNotFound) {
					t.Fatalf("step %d %s: got %v", step, op, err)
				}
				err = nil
			} else if err == nil {
				delete(m.es, eid)
			}
		case r < 80:
			key, val := keys[rng.Intn(2)], int64(rng.Intn(5))
			card := Cardinality(rng.Intn(3))
			op = fmt.Sprintf("SetVertexProperty(%d, %s, %s=%d)", vid, cardName(card), key, val)
			var vp *value.VertexProperty
			vp, err = tx.SetVertexProperty(vid, card, nil, key, val, nil)
			v, ok := m.vs[vid]
			if !ok {
				if !errors.Is(err, ErrVertexNotFound) {
					t.Fatalf("step %d %s: got %v", step, op, err)
				}
				err = nil
			} else if err == nil {
				present := false
				for _, p := range v.props {
					present = present || (p.key == key && p.val == val)
				}
				switch {
				case card == Single:
					var keep []mProp
					for _, p := range v.props {
						if p.key != key {
							keep = append(keep, p)
						}
					}
					v.props = append(keep, mProp{vp.ID.(int64), key, val})
				case card == Set && present:
				default:
					v.props = append(v.props, mProp{vp.ID.(int64), key, val})
				}
			}
		case r < 87:
			v, ok := m.vs[vid]
			if !ok || len(v.props) == 0 {
				continue
			}
			i := rng.Intn(len(v.props))
			op = fmt.Sprintf("RemoveVertexProperty(%d, %d)", vid, v.props[i].id)
			if err = tx.RemoveVertexProperty(vid, v.props[i].id); err == nil {
				v.props = append(v.props[:i:i], v.props[i+1:]...)
			}
		case r < 93:
			x := int64(rng.Intn(3))
			op = fmt.Sprintf("SetEdgeProperty(%d, w=%d)", eid, x)
			_, err = tx.SetEdgeProperty(eid, "w", x)
			if e, ok := m.es[eid]; !ok {
				if !errors.Is(err, ErrEdgeNotFound) {
					t.Fatalf("step %d %s: got %v", step, op, err)
				}
				err = nil
			} else if err == nil {
				e.weight = &x
			}
		default:
			// End the transaction: commit or roll back, then compare.
			if rng.Intn(4) == 0 {
				op = "Rollback"
				tx.Rollback()
				m = committed.clone()
			} else {
				op = "Commit"
				commit(t, tx)
				committed = m.clone()
			}
			tx = begin(t, g)
			checkGraph(t, g)
			checkModelStats(t, g, committed, step%3 == 0)
		}
		if err != nil {
			t.Fatalf("step %d %s: %v", step, op, err)
		}
		if got, want := dumpStore(t, tx), m.dump(); got != want {
			t.Fatalf("step %d after %s: store and model differ:\nstore:\n%s\nmodel:\n%s", step, op, got, want)
		}
		// Index lookups agree with the model.
		for k := int64(0); k < 5; k++ {
			var want []string
			for id, v := range m.vs {
				for _, p := range v.props {
					if p.key == "k" && p.val >= k {
						want = append(want, fmt.Sprint(id))
						break
					}
				}
			}
			ids := must[[]any](t)(tx.LookupIDs(IndexQuery{Index: "k", Pred: &value.P{Operator: "gte", Values: []any{int32(k)}}}))
			var got []string
			for _, id := range ids {
				got = append(got, fmt.Sprint(id))
			}
			sort.Strings(got)
			sort.Strings(want)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("step %d after %s: k >= %d: index gives %v, model %v", step, op, k, got, want)
			}
		}
	}
	commit(t, tx)
	checkGraph(t, g)
	st := g.Stats()
	if st.Vertices != int64(len(m.vs)) || st.Edges != int64(len(m.es)) {
		t.Fatalf("stats %d vertices %d edges, model %d and %d", st.Vertices, st.Edges, len(m.vs), len(m.es))
	}
}
