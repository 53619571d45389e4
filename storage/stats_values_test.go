package storage

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// checkModelStats compares the "k" index statistics with the committed
// model. Entry counts are always exact; right after a rebuild (refresh)
// every value (at most 5) has its own bucket, so equality estimates and
// the distinct count are exact too. Between rebuilds, an equality
// estimate is at most its bucket's exact count.
func checkModelStats(t *testing.T, g *Graph, m *model, refresh bool) {
	t.Helper()
	if refresh {
		if err := g.RefreshStats(bg, ""); err != nil {
			t.Fatal(err)
		}
	}
	count := map[int64]int64{}
	var entries int64
	for _, v := range m.vs {
		seen := map[int64]bool{}
		for _, p := range v.props {
			if p.key == "k" && !seen[p.val] {
				seen[p.val] = true
				count[p.val]++
				entries++
			}
		}
	}
	st, ok := g.IndexStats("k")
	if !ok {
		t.Fatal("no stats for index k")
	}
	var sum int64
	for _, b := range st.Histogram {
		sum += b.Count
	}
	if st.Entries != entries || sum != entries {
		t.Fatalf("index k: %d entries, histogram %d, model %d", st.Entries, sum, entries)
	}
	if st.Distinct > st.Entries {
		t.Fatalf("index k: distinct %d > entries %d", st.Distinct, st.Entries)
	}
	if refresh && st.Distinct != int64(len(count)) {
		t.Fatalf("index k after refresh: distinct %d, model %d", st.Distinct, len(count))
	}
	for v := int64(0); v < 5; v++ {
		n, ok := g.EstimateEntries(IndexQuery{Index: "k", Pred: &value.P{Operator: "eq", Values: []any{v}}})
		if !ok {
			t.Fatalf("index k: no estimate (stats %+v)", st)
		}
		if refresh && n != count[v] {
			t.Fatalf("index k after refresh: eq %d estimated %d, model %d", v, n, count[v])
		}
		if n > entries {
			t.Fatalf("index k: eq %d estimated %d > %d entries", v, n, entries)
		}
	}
	if refresh {
		n, _ := g.EstimateEntries(IndexQuery{Index: "k", Pred: &value.P{Operator: "gte", Values: []any{int64(2)}}})
		if want := count[2] + count[3] + count[4]; n != want {
			t.Fatalf("index k after refresh: gte 2 estimated %d, model %d", n, want)
		}
	}
}

// Estimates on a store-backed index: uniform and skewed values, a text
// index, a composite index; persisted nowhere, so a reopen rebuilds them
// identically.
func TestIndexStatsEstimates(t *testing.T) {
	s := memkv.New(memkv.Options{})
	g, err := Open(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []IndexDef{
		{Name: "u", Kind: index.Range, Keys: []string{"u"}},
		{Name: "z", Kind: index.Exact, Keys: []string{"z"}},
		{Name: "txt", Kind: index.Text, Keys: []string{"txt"}},
		{Name: "uz", Kind: index.Exact, Keys: []string{"z", "u"}},
	} {
		if err := g.CreateIndex(bg, d); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewSource(7))
	zipf := rand.NewZipf(rng, 1.3, 1, 5000)
	words := []string{"alpha", "beta", "gamma", "delta", "epsilon"}
	const n = 20000
	uCount, zCount, wCount := map[int64]int{}, map[int64]int{}, map[string]int{}
	err = g.BulkLoad(bg, func(tx GraphTx) error {
		for i := 0; i < n; i++ {
			u, z := rng.Int63n(1000), int64(zipf.Uint64())
			w := words[i%5] + " " + fmt.Sprint("w", i%50)
			uCount[u]++
			zCount[z]++
			wCount[words[i%5]]++
			if _, err := tx.AddVertex(nil, "v", []KeyValue{{"u", u}, {"z", z}, {"txt", w}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(g *Graph) {
		t.Helper()
		for _, name := range []string{"u", "z", "txt", "uz"} {
			st, _ := g.IndexStats(name)
			if st.Stale {
				t.Fatalf("%s: stale after the bulk load: %+v", name, st.Changes)
			}
		}
		st, _ := g.IndexStats("u")
		if st.Entries != n || math.Abs(float64(st.Distinct-1000)) > 50 {
			t.Fatalf("u: %d entries, %d distinct; want %d, 1000±5%%", st.Entries, st.Distinct, n)
		}
		sel, err := g.EstimateSelectivity("u", &value.P{Operator: "lt", Values: []any{int32(250)}})
		if err != nil || math.Abs(sel-0.25) > 0.03 {
			t.Fatalf("u < 250: selectivity %.3f (%v), want 0.25±0.03", sel, err)
		}
		sel, _ = g.EstimateSelectivity("u", &value.P{Operator: "between", Values: []any{100, 200}})
		if math.Abs(sel-0.1) > 0.03 {
			t.Fatalf("u in [100, 200): selectivity %.3f, want 0.1±0.03", sel)
		}
		for _, z := range []int64{0, 1, 2} { // heavy: exact
			e, _ := g.EstimateEntries(IndexQuery{Index: "z", Pred: &value.P{Operator: "eq", Values: []any{z}}})
			if e != int64(zCount[z]) {
				t.Fatalf("z = %d: estimate %d, actual %d", z, e, zCount[z])
			}
		}
		e, _ := g.EstimateEntries(IndexQuery{Index: "z", Pred: &value.P{Operator: "within", Values: []any{int64(0), int64(1)}}})
		if e != int64(zCount[0]+zCount[1]) {
			t.Fatalf("z within 0, 1: estimate %d, actual %d", e, zCount[0]+zCount[1])
		}
		e, _ = g.EstimateEntries(IndexQuery{Index: "uz", Pred: &value.P{Operator: "eq", Values: []any{int64(0)}}}) // key prefix
		if math.Abs(float64(e-int64(zCount[0]))) > float64(zCount[0])/5 {
			t.Fatalf("uz prefix z = 0: estimate %d, actual %d", e, zCount[0])
		}
		e, _ = g.EstimateEntries(IndexQuery{Index: "txt", Pred: &value.P{Operator: index.OpTextContains, Values: []any{"Gamma"}}})
		if e != int64(wCount["gamma"]) {
			t.Fatalf("txt contains gamma: estimate %d, actual %d", e, wCount["gamma"])
		}
		e, _ = g.EstimateEntries(IndexQuery{Index: "txt", Pred: &value.P{Operator: index.OpTextContainsPrefix, Values: []any{"w1"}}})
		if want := n / 50 * 11; math.Abs(float64(e-int64(want))) > float64(want)/4 { // w1, w10…w19
			t.Fatalf("txt prefix w1: estimate %d, actual %d", e, want)
		}
	}
	check(g)
	// Not persisted: a reopen rebuilds the same statistics.
	before, _ := g.IndexStats("z")
	g2, err := Open(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := g2.IndexStats("z")
	if fmt.Sprint(before.Histogram) != fmt.Sprint(after.Histogram) || before.Distinct != after.Distinct {
		t.Fatal("statistics differ after reopen")
	}
	check(g2)
	if _, err := g2.EstimateSelectivity("nope", &value.P{Operator: "eq", Values: []any{1}}); err == nil {
		t.Fatal("no error for an unknown index")
	}
	if r := checkGraph(t, g2); !r.OK() {
		t.Fatal(r.Problems)
	}
}
