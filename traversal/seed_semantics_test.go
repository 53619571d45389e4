package traversal

import (
	"reflect"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func seeded(seed int64, op string, args ...any) *bcb {
	cfg := value.NewMap()
	cfg.Put("seed", seed)
	x := b(op, args...)
	return x.src("withStrategies", value.Strategy{Class: "org.apache.tinkerpop.gremlin.process.traversal.strategy.decoration.SeedStrategy", Config: cfg})
}

// The expectations below are what TinkerGraph returns for the same seeded
// traversals (TinkerPop's Coin.feature and Sample.feature).
func TestSeededCoinAndSample(t *testing.T) {
	tx := modern(t)
	expect(t, tx, seeded(999999, "V").s("order").s("by", "name").s("coin", 0.5), false, "v[4]")
	weights := func(tail ...func(*bcb) *bcb) *bcb {
		a := anon().s("bothE").s("values", "weight").s("order")
		for _, f := range tail {
			a = f(a)
		}
		return seeded(999999, "V").s("group").s("by", T("label")).s("by", a.bc).s("unfold")
	}
	expect(t, tx, weights(func(a *bcb) *bcb { return a.s("sample", int32(2)).s("fold") }), false,
		"{person:[0.5:float64,1:float64]}", "{software:[1:float64,0.4:float64]}")
	expect(t, tx, weights(func(a *bcb) *bcb { return a.s("fold").s("sample", localScope(), int32(5)) }), false,
		"{person:[0.5:float64,1:float64,0.4:float64,0.2:float64,1:float64]}",
		"{software:[0.2:float64,0.4:float64,0.4:float64,1:float64]}")
	// Weighted sampling: only the traversers with a by() value take part.
	expect(t, tx, seeded(999999, "V").s("order").s("by", T("label"), value.Enum{Type: "Order", Name: "desc"}).s("sample", int32(1)).s("by", "age").s("label"), false, "person")
}

func TestSampleGlobalWeights(t *testing.T) {
	tx := modern(t)
	// A zero weight is never picked, so the two weighted edges are the sample.
	got, err := runQ(t, tx, b("E").s("sample", int32(2)).s("by", anon().s("choose", anon().s("hasId", int32(8), int32(9)).bc, anon().s("constant", 1.0).bc, anon().s("constant", 0.0).bc).bc).s("id"))
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %v", got, err)
	}
	for _, g := range got {
		if show(g) != "8:int32" && show(g) != "9:int32" && show(g) != "8:int64" && show(g) != "9:int64" {
			t.Fatalf("picked %v", show(g))
		}
	}
	// A by() that is not a number fails like TinkerPop.
	if _, err := runQ(t, tx, b("V").s("sample", int32(1)).s("by", "name")); err == nil {
		t.Fatal("expected an error for a non-numeric weight")
	}
}

func TestSampleLocalMapsAndPaths(t *testing.T) {
	x := &exec{src: &sourceConfig{}}
	s := &sampleStep{n: 2, local: true}
	m := value.NewMap()
	for _, k := range []string{"a", "b", "c", "d"} {
		m.Put(k, k)
	}
	r, ok := s.sampleLocal(x, m).(*value.Map)
	if !ok || r.Len() != 2 {
		t.Fatalf("map sample: %v", show(r))
	}
	p := &value.Path{Objects: []any{1, 2, 3}}
	if s.sampleLocal(x, p) != any(p) {
		t.Fatal("a path is not sampled")
	}
}

func TestJavaHashMapOrder(t *testing.T) {
	// java.util.HashMap iterates {person, software} as [software, person].
	o, ok := javaHashMapOrder([]any{"person", "software"})
	if !ok || !reflect.DeepEqual(o, []int{1, 0}) {
		t.Fatalf("%v %v", o, ok)
	}
	if h, _ := javaHashCode("person"); h != -991716523 {
		t.Fatalf("hash %d", h)
	}
	if _, ok := javaHashMapOrder([]any{"a", []any{}}); ok {
		t.Fatal("lists have no specified hash here")
	}
}
