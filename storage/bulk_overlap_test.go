package storage

import (
	"bytes"
	"context"
	"errors"
	"math/rand"
	"strings"
	"sync"
	"testing"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

// gateStore holds back the commits of bulk batches (transactions that
// wrote graph data): each one waits for a token on gate, then fails when
// fail says so.
type gateStore struct {
	kv.Store
	gate chan struct{}
	mu   sync.Mutex
	n    int              // batch commits so far
	fail func(n int) bool // whether the n-th (1-based) fails
}

func (s *gateStore) Begin(ctx context.Context, o kv.TxOptions) (kv.Txn, error) {
	t, err := s.Store.Begin(ctx, o)
	if err != nil {
		return nil, err
	}
	return &gateTxn{Txn: t, s: s}, nil
}

type gateTxn struct {
	kv.Txn
	s    *gateStore
	data bool
}

func (t *gateTxn) Set(tb kv.Table, k, v []byte) error {
	switch tb.Name {
	case tVertex, tEdge, tEdgeOut, tEdgeIn, tLabelIdx:
		t.data = true
	}
	return t.Txn.Set(tb, k, v)
}

var errInjected = errors.New("injected commit failure")

func (t *gateTxn) Commit() error {
	if !t.data {
		return t.Txn.Commit()
	}
	if t.s.gate != nil {
		<-t.s.gate
	}
	t.s.mu.Lock()
	t.s.n++
	n := t.s.n
	t.s.mu.Unlock()
	if t.s.fail != nil && t.s.fail(n) {
		_ = t.Txn.Rollback()
		return errInjected
	}
	return t.Txn.Commit()
}

// While a batch commits in the background, the next one's checks still see
// it (duplicate vertex and edge ids, endpoints, unique values, generated
// ids), and reads wait for it.
func TestBulkLoadOverlap(t *testing.T) {
	s := &gateStore{Store: memkv.New(memkv.Options{}), gate: make(chan struct{}, 100)}
	defer s.Close()
	g, err := Open(s, Options{BulkBatchOps: 20, IDBlockSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.CreateIndex(bg, IndexDef{Name: "u", Kind: index.Unique, Keys: []string{"uid"}}); err != nil {
		t.Fatal(err)
	}
	var genEdge any
	err = g.BulkLoad(bg, func(gtx GraphTx) error {
		b := gtx.(*bulkTx)
		// Batch 1: vertices 1..5 (4 writes each: row, label index, unique
		// entry... and a lock), an edge with a given id and a generated one.
		for i := int64(1); i <= 5; i++ {
			if _, err := gtx.AddVertex(i, "p", []KeyValue{{Key: "uid", Value: i}}); err != nil {
				return err
			}
		}
		for b.batches == 0 {
			e, err := gtx.AddEdge(nil, "k", int64(1), int64(2), nil)
			if err != nil {
				return err
			}
			genEdge = e.ID
			if _, err := gtx.AddEdge("given", "k", int64(2), int64(3), nil); err != nil && b.batches == 0 {
				return err
			}
		}
		// Batch 1 now commits in the background, held by the gate.
		if !b.inflight {
			t.Fatal("no batch commits in the background")
		}
		checks := []struct {
			name string
			fn   func() error
			want error
		}{
			{"duplicate vertex", func() error { _, err := gtx.AddVertex(int64(3), "p", nil); return err }, ErrDuplicateID},
			{"duplicate given edge id", func() error { _, err := gtx.AddEdge("given", "k", int64(1), int64(2), nil); return err }, ErrDuplicateID},
			{"duplicate generated edge id", func() error { _, err := gtx.AddEdge(genEdge, "k", int64(1), int64(2), nil); return err }, ErrDuplicateID},
			{"unique value", func() error {
				_, err := gtx.AddVertex(int64(99), "p", []KeyValue{{Key: "uid", Value: int64(4)}})
				return err
			}, nil},
		}
		for _, c := range checks {
			err := c.fn()
			if c.want == nil {
				var se *SchemaError
				if !errors.As(err, &se) {
					t.Errorf("%s: got %v, want a unique violation", c.name, err)
				}
				continue
			}
			if !errors.Is(err, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, err, c.want)
			}
		}
		if !b.inflight {
			t.Fatal("the background commit ended early")
		}
		// Endpoints written by the committing batch.
		if _, err := gtx.AddEdge(nil, "k", int64(4), int64(5), nil); err != nil {
			return err
		}
		// A read waits for the background commit and sees it.
		s.gate <- struct{}{}
		vs, err := gtx.Vertices([]any{int64(1), int64(5)})
		if err != nil || len(vs) != 2 {
			t.Errorf("Vertices during the load: %v, %v", vs, err)
		}
		if d, err := gtx.Degree(int64(1), Out, nil); err != nil || d < 1 {
			t.Errorf("Degree during the load: %d, %v", d, err)
		}
		for i := 0; i < 100; i++ {
			s.gate <- struct{}{}
			if _, err := gtx.AddEdge(nil, "k", int64(1+i%5), int64(1+(i+1)%5), nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := checkGraph(t, g); !r.OK() {
		t.Fatal(r.Problems)
	}
	tx := begin(t, g)
	defer tx.Rollback()
	if vs, _ := tx.Vertices([]any{int64(99)}); len(vs) != 0 {
		t.Errorf("vertex 99 (unique violation) was stored")
	}
	if st := g.Stats(); st.Vertices != 5 || st.Edges < 102 {
		t.Errorf("stats after the load: %+v", st)
	}
}

// A background commit that fails ends the load with its error: the
// batches before stay, the failed one and the one being filled leave
// nothing behind.
func TestBulkLoadBackgroundCommitFails(t *testing.T) {
	for _, explicit := range []bool{false, true} {
		s := &gateStore{Store: memkv.New(memkv.Options{}), fail: func(n int) bool { return n == 3 }}
		g, err := Open(s, Options{BulkBatchOps: 10})
		if err != nil {
			t.Fatal(err)
		}
		added := 0
		err = g.BulkLoad(bg, func(tx GraphTx) error {
			for i := 0; i < 200; i++ {
				if _, err := tx.AddVertex(int64(i), "p", nil); err != nil {
					if explicit {
						return errors.New("loader gave up")
					}
					return err
				}
				added++
			}
			return nil
		})
		if !errors.Is(err, errInjected) || !strings.Contains(err.Error(), "batch 3") {
			t.Fatalf("explicit=%v: BulkLoad: %v; want the injected failure of batch 3", explicit, err)
		}
		if added == 200 {
			t.Errorf("explicit=%v: the load went on after the failure", explicit)
		}
		// Batches 1 and 2 (5 vertices of 2 writes each) stay.
		tx := begin(t, g)
		n := 0
		it := tx.ScanVertices("")
		for _, ok := it.Next(); ok; _, ok = it.Next() {
			n++
		}
		it.Close()
		_ = tx.Rollback()
		if n != 10 {
			t.Errorf("explicit=%v: %d vertices stored, want 10", explicit, n)
		}
		if r := checkGraph(t, g); !r.OK() {
			t.Errorf("explicit=%v: %v", explicit, r.Problems)
		}
		s.Close()
	}
}

// Rollback and Commit inside a load wait for the background commit: the
// rolled-back batch is gone, the earlier ones stay.
func TestBulkLoadRollbackAfterOverlap(t *testing.T) {
	g := newGraph(t)
	g.opts.BulkBatchOps = 10
	err := g.BulkLoad(bg, func(tx GraphTx) error {
		for i := 0; i < 12; i++ { // batches 1 and 2 (5 vertices each), 3 (2 so far)
			if _, err := tx.AddVertex(int64(i), "p", nil); err != nil {
				return err
			}
		}
		if err := tx.Rollback(); err != nil {
			return err
		}
		if _, err := tx.AddVertex(int64(100), "p", nil); err != nil {
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		t.Fatal(err)
	}
	tx := begin(t, g)
	defer tx.Rollback()
	vs, err := tx.Vertices([]any{int64(0), int64(4), int64(5), int64(11), int64(100)})
	if err != nil {
		t.Fatal(err)
	}
	var got []any
	for _, v := range vs {
		got = append(got, v.ID)
	}
	if len(got) != 4 || got[0] != int64(0) || got[1] != int64(4) || got[2] != int64(5) || got[3] != int64(100) {
		t.Errorf("vertices after the load: %v, want [0 4 5 100]", got)
	}
	if r := checkGraph(t, g); !r.OK() {
		t.Fatal(r.Problems)
	}
}

// keyOrder sorts by table id, then key, keeping the order of operations on
// one key.
func TestPendingKeyOrder(t *testing.T) {
	tables := []kv.Table{{ID: 9, Name: "c"}, {ID: 2, Name: "a"}, {ID: 5, Name: "b"}}
	rng := rand.New(rand.NewSource(3))
	var sc sortScratch
	for round := 0; round < 20; round++ {
		p := &pendingTxn{}
		n := 1 + rng.Intn(3000)
		for i := 0; i < n; i++ {
			k := make([]byte, 1+rng.Intn(12))
			for j := range k {
				k[j] = byte(rng.Intn(3)) // many shared prefixes and equal keys
			}
			kind := byte(pendingSet)
			if rng.Intn(4) == 0 {
				kind = pendingLock
			}
			if err := p.add(kind, tables[rng.Intn(len(tables))], k, []byte{byte(i), byte(i >> 8)}); err != nil {
				t.Fatal(err)
			}
		}
		perm := p.keyOrder(&sc)
		if len(perm) != n {
			t.Fatalf("%d of %d operations", len(perm), n)
		}
		key := func(i int32) []byte {
			off := int32(0)
			if i > 0 {
				off = p.ops[i-1].valueEnd
			}
			return p.buf[off:p.ops[i].keyEnd]
		}
		seen := make([]bool, n)
		for j, i := range perm {
			if seen[i] {
				t.Fatalf("operation %d twice", i)
			}
			seen[i] = true
			if j == 0 {
				continue
			}
			a, b := perm[j-1], i
			ta, tb := p.tables[p.ops[a].table].ID, p.tables[p.ops[b].table].ID
			c := bytes.Compare(key(a), key(b))
			if ta > tb || ta == tb && (c > 0 || c == 0 && a > b) {
				t.Fatalf("round %d: operation %d (table %d, key %x) before %d (table %d, key %x)", round, a, ta, key(a), b, tb, key(b))
			}
		}
	}
}
