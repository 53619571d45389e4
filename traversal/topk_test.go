package traversal

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// runBulks runs x and renders every result with its bulk, in order.
func runBulks(t *testing.T, tx storage.GraphTx, x *value.Bytecode) (string, error) {
	t.Helper()
	tr, err := testEngine.Compile(x)
	if err != nil {
		return "", err
	}
	it := tr.Iterate(context.Background(), tx)
	defer it.Close()
	var out []string
	for {
		r, ok := it.Next()
		if !ok {
			break
		}
		out = append(out, fmt.Sprintf("%s*%d", show(r.Value), r.Bulk))
	}
	return strings.Join(out, " "), it.Err()
}

func unfused(x *bcb) *value.Bytecode {
	c := &value.Bytecode{Steps: append([]value.Instruction{}, x.bc.Steps...)}
	c.Sources = append(append([]value.Instruction{}, x.bc.Sources...),
		value.Instruction{Operator: "withoutStrategies", Args: []any{value.Class("org.kvtgraph." + orderLimitStrategy)}})
	return c
}

// orderSteps returns the global order steps of a compiled root pipeline.
func orderSteps(t *testing.T, x *value.Bytecode) []*orderStep {
	t.Helper()
	tr, err := testEngine.Compile(x)
	if err != nil {
		t.Fatal(err)
	}
	var out []*orderStep
	for _, s := range tr.root.steps {
		if o, ok := s.(*orderStep); ok {
			out = append(out, o)
		}
	}
	return out
}

func TestOrderLimitFusedMatchesFullSort(t *testing.T) {
	tx := modern(t)
	asc, desc := enum("Order", "asc"), enum("Order", "desc")
	for seed := int64(1); seed <= 60; seed++ {
		r := rand.New(rand.NewSource(seed))
		n := 1 + r.Intn(80)
		in := make([]any, n)
		for i := range in {
			// Few distinct keys (many ties); repeated maps merge into
			// traversers with bulk > 1 at barrier().
			in[i] = mapOf("k", int32(r.Intn(4)), "j", int32(r.Intn(3)), "id", int32(r.Intn(n/2+1)))
		}
		lo := int64(r.Intn(5))
		hi := lo + int64(r.Intn(12))
		build := func(shape int) *bcb {
			x := b("inject", in...)
			if r.Intn(2) == 0 {
				x.s("barrier")
			}
			switch shape {
			case 0:
				x.s("order").s("by", "k").s("limit", hi)
			case 1:
				x.s("order").s("by", "k", desc).s("range", lo, hi)
			case 2:
				x.s("order").s("by", "k", asc).s("by", "j", desc).s("limit", hi)
			case 3:
				x.s("values", "k").s("order").s("range", lo, hi)
			case 4:
				x.s("order").s("by", anon().s("values", "j").bc).s("limit", hi).s("values", "id")
			case 5:
				x.s("order").s("by", "j").s("as", "a").s("limit", hi).s("select", "a")
			case 6:
				// Per loop position inside repeat().
				x.s("repeat", anon().s("order").s("by", "k", desc).s("limit", hi).bc).s("times", int32(2))
			case 7:
				x.s("local", anon().s("order").s("by", "k").s("limit", hi).bc)
			}
			return x
		}
		for shape := 0; shape < 8; shape++ {
			x := build(shape)
			if os := orderSteps(t, x.bc); shape != 6 && shape != 7 && (len(os) != 1 || os[0].topK == nil) {
				t.Fatalf("shape %d: the order step was not fused", shape)
			}
			want, werr := runBulks(t, tx, unfused(x))
			got, gerr := runBulks(t, tx, x.bc)
			if (werr != nil) != (gerr != nil) || want != got {
				t.Fatalf("seed %d shape %d lo=%d hi=%d:\n full sort %s (%v)\n top-k     %s (%v)", seed, shape, lo, hi, want, werr, got, gerr)
			}
		}
	}
	// And over graph elements.
	for _, x := range []*bcb{
		b("V").s("order").s("by", "label").s("limit", int64(3)),
		b("V").s("both").s("order").s("by", "name", desc).s("range", int64(2), int64(7)).s("values", "name"),
		b("E").s("order").s("by", "weight").s("limit", int64(2)),
		b("V").s("out").s("out").s("order").s("by", T("label")).s("limit", int64(1)),
	} {
		want, werr := runBulks(t, tx, unfused(x))
		got, gerr := runBulks(t, tx, x.bc)
		if werr != nil || gerr != nil || want != got {
			t.Fatalf("%v:\n full sort %s (%v)\n top-k     %s (%v)", x.bc.Steps, want, werr, got, gerr)
		}
	}
}

func TestOrderLimitSplitsBulkAtTheBound(t *testing.T) {
	tx := modern(t)
	// Five equal traversers merge into one of bulk 5; limit(3) keeps 3 of
	// it, range(4, 7) the last one plus what follows.
	in := []any{int32(2), int32(1), int32(1), int32(1), int32(1), int32(1), int32(3)}
	got, err := runBulks(t, tx, b("inject", in...).s("barrier").s("order").s("limit", int64(3)).bc)
	if err != nil || got != "1:int32*3" {
		t.Fatalf("limit: got %q %v", got, err)
	}
	got, err = runBulks(t, tx, b("inject", in...).s("barrier").s("order").s("range", int64(4), int64(7)).bc)
	if err != nil || got != "1:int32*1 2:int32*1 3:int32*1" {
		t.Fatalf("range: got %q %v", got, err)
	}
}

func TestOrderLimitIsBounded(t *testing.T) {
	tx := modern(t)
	r := rand.New(rand.NewSource(7))
	in := make([]any, 100000)
	for i := range in {
		in[i] = int64(r.Intn(1000))
	}
	const hi = 10
	max, calls := 0, 0
	topKRetainedHook = func(n int) {
		calls++
		if n > max {
			max = n
		}
	}
	defer func() { topKRetainedHook = nil }()
	got, err := runBulks(t, tx, b("inject", in...).s("order").s("by", enum("Order", "desc")).s("limit", int64(hi)).bc)
	if err != nil {
		t.Fatal(err)
	}
	if calls != len(in) {
		t.Fatalf("the top-k saw %d of %d traversers", calls, len(in))
	}
	if max > hi {
		t.Fatalf("the top-k retained %d traversers, more than %d", max, hi)
	}
	topKRetainedHook = nil
	want, err := runBulks(t, tx, unfused(b("inject", in...).s("order").s("by", enum("Order", "desc")).s("limit", int64(hi))))
	if err != nil || want != got {
		t.Fatalf("full sort %s, top-k %s (%v)", want, got, err)
	}
}

func TestOrderLimitNotFused(t *testing.T) {
	for _, x := range []*bcb{
		b("V").s("order").s("by", anon().s("cap", "x").bc).s("limit", int64(2)),
		b("V").s("order").s("limit", localScope(), int64(2)),
		b("V").s("order").s("range", int64(2), int64(-1)),
		b("V").s("order").s("identity").s("limit", int64(2)),
		unfusedB(b("V").s("order").s("limit", int64(2))),
	} {
		for _, o := range orderSteps(t, x.bc) {
			if o.topK != nil {
				t.Errorf("%v: fused", x.bc.Steps)
			}
		}
	}
	// dedup() streams: dedup().limit(n) stops pulling after n distinct
	// (aggregate(local) records what was pulled).
	in := make([]any, 1000)
	for i := range in {
		in[i] = int32(i % 7)
	}
	tx := modern(t)
	got, err := runBulks(t, tx, b("inject", in...).s("aggregate", localScope(), "x").s("dedup").s("limit", int64(3)).bc)
	if err != nil || got != "0:int32*1 1:int32*1 2:int32*1" {
		t.Fatalf("dedup().limit(3) = %q %v", got, err)
	}
	got, err = runBulks(t, tx, b("inject", in...).s("aggregate", localScope(), "x").s("dedup").s("limit", int64(3)).s("cap", "x").s("count", localScope()).bc)
	if err != nil || got != "3:int64*1" {
		t.Fatalf("dedup().limit(3) pulled %q (%v), want 3", got, err)
	}
}

func unfusedB(x *bcb) *bcb { return &bcb{bc: unfused(x)} }
