package traversal

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Invariants ported from TinkerPop's ProfileTest and DefaultTraversalMetrics.

func profileOf(t *testing.T, tx storage.GraphTx, x *bcb) *value.TraversalMetrics {
	t.Helper()
	got, err := runQ(t, tx, x)
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	if len(got) != 1 {
		t.Fatalf("profile() returned %d results, want 1: %v", len(got), got)
	}
	tm, ok := got[0].(*value.TraversalMetrics)
	if !ok {
		t.Fatalf("profile() returned %T, want *value.TraversalMetrics", got[0])
	}
	checkMetricsShape(t, tm)
	return tm
}

func count(t *testing.T, m *value.Metrics, key string) int64 {
	t.Helper()
	v, ok := m.Counts.Get(key)
	if !ok {
		t.Fatalf("metrics %s (%s) has no %s count", m.ID, m.Name, key)
	}
	n, ok := v.(int64)
	if !ok {
		t.Fatalf("metrics %s count %s is %T, want int64", m.ID, key, v)
	}
	return n
}

// checkMetricsShape: durations non-negative, percentDur on every top-level
// metric summing to 100, total duration the sum of the steps', ids unique
// and every metric has a name and both counts.
func checkMetricsShape(t *testing.T, tm *value.TraversalMetrics) {
	t.Helper()
	var sumDur int64
	var sumPct float64
	ids := map[string]bool{}
	var walk func(ms []*value.Metrics, top bool)
	walk = func(ms []*value.Metrics, top bool) {
		for _, m := range ms {
			if m.DurationNs < 0 {
				t.Errorf("metrics %s has negative duration %d", m.ID, m.DurationNs)
			}
			if m.Name == "" {
				t.Errorf("metrics %s has no name", m.ID)
			}
			if ids[m.ID] {
				t.Errorf("duplicate metrics id %s", m.ID)
			}
			ids[m.ID] = true
			count(t, m, "traverserCount")
			count(t, m, "elementCount")
			if top {
				sumDur += m.DurationNs
				pd, ok := m.Annotations.Get("percentDur")
				if !ok {
					t.Errorf("metrics %s has no percentDur", m.ID)
				} else if f, _ := pd.(float64); f < 0 || f > 100.000001 {
					t.Errorf("metrics %s percentDur %v out of range", m.ID, pd)
				} else {
					sumPct += f
				}
			}
			walk(m.Nested, false)
		}
	}
	walk(tm.Metrics, true)
	if len(tm.Metrics) > 0 && math.Abs(sumPct-100) > 1e-6 {
		t.Errorf("percentDur sums to %v, want 100", sumPct)
	}
	if tm.DurationNs != sumDur {
		t.Errorf("total duration %d, want the sum of the steps' %d", tm.DurationNs, sumDur)
	}
}

func TestProfileOutOut(t *testing.T) {
	tx := modern(t)
	tm := profileOf(t, tx, b("V").s("out").s("out").s("profile"))
	if len(tm.Metrics) != 3 {
		t.Fatalf("got %d top-level metrics, want 3", len(tm.Metrics))
	}
	want := []struct{ trav, elem int64 }{{6, 6}, {6, 6}, {2, 2}}
	for i, w := range want {
		m := tm.Metrics[i]
		if got := count(t, m, "elementCount"); got != w.elem {
			t.Errorf("metrics %d elementCount = %d, want %d", i, got, w.elem)
		}
		if got := count(t, m, "traverserCount"); got == 0 || got > w.elem {
			t.Errorf("metrics %d traverserCount = %d, want 1..%d", i, got, w.elem)
		}
	}
	for i, id := range []string{"0.0.0()", "1.0.0()", "2.0.0()"} {
		if tm.Metrics[i].ID != id {
			t.Errorf("metrics %d id = %q, want %q", i, tm.Metrics[i].ID, id)
		}
	}
	if n := tm.Metrics[0].Name; n != "KVTGraphStep(vertex,[])" {
		t.Errorf("V() is named %q", n)
	}
	if a, _ := tm.Metrics[0].Annotations.Get("access"); a != "fullscan" {
		t.Errorf("V() access annotation = %v, want fullscan", a)
	}
	if a, _ := tm.Metrics[1].Annotations.Get("table"); a != "edge_out" {
		t.Errorf("out() table annotation = %v, want edge_out", a)
	}
}

// The counts of the last step equal what the traversal returns without
// profile(), for several shapes.
func TestProfileCountsMatchResults(t *testing.T) {
	tx := modern(t)
	cases := []*bcb{
		b("V").s("both").s("both"),
		b("V").s("hasLabel", "person").s("out", "created"),
		b("E").s("inV").s("dedup"),
		b("V").s("both").s("barrier"),
		b("V").s("repeat", anon().s("both").bc).s("times", int32(2)),
		b("inject", int32(1), int32(2), int32(2)).s("is", int32(2)),
	}
	for _, c := range cases {
		plain, err := runQ(t, tx, c)
		if err != nil {
			t.Fatal(err)
		}
		prof := &bcb{bc: &value.Bytecode{Steps: append(append([]value.Instruction(nil), c.bc.Steps...), value.Instruction{Operator: "profile"})}}
		tm := profileOf(t, tx, prof)
		last := tm.Metrics[len(tm.Metrics)-1]
		if got := count(t, last, "elementCount"); got != int64(len(plain)) {
			t.Errorf("%v: last elementCount %d, want %d", c.bc.Steps, got, len(plain))
		}
	}
}

func TestProfileRepeatNested(t *testing.T) {
	tx := modern(t)
	tm := profileOf(t, tx, b("V").s("repeat", anon().s("both").bc).s("times", int32(3)).s("profile"))
	if len(tm.Metrics) != 2 {
		t.Fatalf("got %d top-level metrics, want 2", len(tm.Metrics))
	}
	if e := count(t, tm.Metrics[0], "elementCount"); e != 6 {
		t.Errorf("V elementCount %d, want 6", e)
	}
	rep := tm.Metrics[1]
	if e := count(t, rep, "elementCount"); e != 72 {
		t.Errorf("repeat elementCount %d, want 72", e)
	}
	if len(rep.Nested) == 0 {
		t.Fatal("repeat has no nested metrics")
	}
	body := rep.Nested[0]
	if e := count(t, body, "elementCount"); e != 114 {
		t.Errorf("both() inside repeat elementCount %d, want 114 (12+30+72)", e)
	}
	if !strings.HasSuffix(body.ID, "("+rep.ID+")") || !strings.HasPrefix(body.ID, "0.1.0") {
		t.Errorf("nested id %q, want 0.1.0(%s)", body.ID, rep.ID)
	}
}

func TestProfileWhereNested(t *testing.T) {
	tx := modern(t)
	tm := profileOf(t, tx, b("V").s("where", anon().s("in", "created").s("count").s("is", int64(1)).bc).s("values", "name").s("profile"))
	if len(tm.Metrics) != 3 {
		t.Fatalf("got %d top-level metrics, want 3", len(tm.Metrics))
	}
	m := tm.Metrics[1]
	if tr, e := count(t, m, "traverserCount"), count(t, m, "elementCount"); tr != 1 || e != 1 {
		t.Errorf("where counts %d/%d, want 1/1", tr, e)
	}
	if len(m.Nested) != 3 {
		t.Errorf("where has %d nested metrics, want 3 (in, count, is)", len(m.Nested))
	}
}

func TestProfileUnionChildren(t *testing.T) {
	tx := modern(t)
	tm := profileOf(t, tx, b("V").s("union", anon().s("out").bc, anon().s("in").s("values", "name").bc).s("profile"))
	u := tm.Metrics[1]
	if e := count(t, u, "elementCount"); e != 12 {
		t.Errorf("union elementCount %d, want 12", e)
	}
	if len(u.Nested) != 3 {
		t.Fatalf("union has %d nested metrics, want 3", len(u.Nested))
	}
	wantIDs := []string{"0.1.0(1.0.0())", "0.1.1(1.0.0())", "1.1.1(1.0.0())"}
	for i, id := range wantIDs {
		if u.Nested[i].ID != id {
			t.Errorf("nested %d id %q, want %q", i, u.Nested[i].ID, id)
		}
	}
	if e := count(t, u.Nested[0], "elementCount"); e != 6 {
		t.Errorf("out() in union elementCount %d, want 6", e)
	}
	if e := count(t, u.Nested[2], "elementCount"); e != 6 {
		t.Errorf("values() in union elementCount %d, want 6", e)
	}
}

// A barrier merges equal traversers: fewer traversers than elements.
func TestProfileBulk(t *testing.T) {
	tx := modern(t)
	tm := profileOf(t, tx, b("V").s("both").s("barrier").s("profile"))
	m := tm.Metrics[2]
	tr, e := count(t, m, "traverserCount"), count(t, m, "elementCount")
	if e != 12 || tr >= e {
		t.Errorf("barrier counts traversers=%d elements=%d, want elements 12 > traversers", tr, e)
	}
}

// limit() stops upstream work: the start step is not drained.
func TestProfileLimitStopsUpstream(t *testing.T) {
	tx := modern(t)
	tm := profileOf(t, tx, b("V").s("out").s("limit", int64(2)).s("profile"))
	if e := count(t, tm.Metrics[2], "elementCount"); e != 2 {
		t.Errorf("limit elementCount %d, want 2", e)
	}
	if tr := count(t, tm.Metrics[0], "traverserCount"); tr >= 6 {
		t.Errorf("V() produced %d traversers although limit(2) stopped early", tr)
	}
}

func TestProfileSideEffect(t *testing.T) {
	tx := modern(t)
	got, err := runQ(t, tx, b("V").s("out").s("out").s("profile", "m"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("profile('m') changed the results: %v", got)
	}
	got, err = runQ(t, tx, b("V").s("out").s("out").s("profile", "m").s("cap", "m"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("cap('m') returned %v", got)
	}
	tm, ok := got[0].(*value.TraversalMetrics)
	if !ok {
		t.Fatalf("cap('m') returned %T", got[0])
	}
	checkMetricsShape(t, tm)
	if len(tm.Metrics) != 3 {
		t.Fatalf("got %d metrics, want 3 (steps after profile(key) are not profiled)", len(tm.Metrics))
	}
	if e := count(t, tm.Metrics[2], "elementCount"); e != 2 {
		t.Errorf("elementCount %d, want 2", e)
	}
}

func TestProfilePlacementErrors(t *testing.T) {
	tx := modern(t)
	for _, c := range []struct {
		q    *bcb
		want string
	}{
		{b("V").s("profile").s("count"), "last step"},
		{b("V").s("local", anon().s("out").s("profile").bc), "root traversal"},
		{b("V").s("profile", "a").s("profile"), "only once"},
		{b("V").s("profile", int32(1)), "String"},
	} {
		_, err := runQ(t, tx, c.q)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want one mentioning %q", c.q.bc.Steps, err, c.want)
		}
	}
}

func TestProfileStepNamesAndAccess(t *testing.T) {
	tx := modern(t)
	tr, err := testEngine.Compile(b(OpScanV, "person").s("out", "knows").s("profile").bc)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Profiled() {
		t.Fatal("Profiled() = false")
	}
	tr = tr.WithStepNames(func(op string, args []any) string {
		if op == "out" {
			panic("namer panics are contained")
		}
		return "N:" + op
	})
	it := tr.Iterate(context.Background(), tx)
	defer it.Close()
	r, ok := it.Next()
	if !ok {
		t.Fatal(it.Err())
	}
	tm := r.Value.(*value.TraversalMetrics)
	checkMetricsShape(t, tm)
	if tm.Metrics[0].Name != "N:"+OpScanV {
		t.Errorf("name %q", tm.Metrics[0].Name)
	}
	if tm.Metrics[1].Name != "OutStep(knows)" {
		t.Errorf("fallback name %q", tm.Metrics[1].Name)
	}
	if a, _ := tm.Metrics[0].Annotations.Get("access"); a != "range" {
		t.Errorf("scan access %v", a)
	}
	if a, _ := tm.Metrics[0].Annotations.Get("table"); a != "label_index" {
		t.Errorf("scan table %v", a)
	}
	if e := count(t, tm.Metrics[1], "elementCount"); e != 2 {
		t.Errorf("out(knows) elementCount %d, want 2", e)
	}
	if _, ok := it.Next(); ok {
		t.Error("profile() returned more than one result")
	}
}

// Each run has its own metrics: a compiled traversal run twice counts the
// same, also with both runs open at once.
func TestProfileRunsIndependent(t *testing.T) {
	tx := modern(t)
	tr, err := testEngine.Compile(b("V").s("out").s("profile").bc)
	if err != nil {
		t.Fatal(err)
	}
	a := tr.Iterate(context.Background(), tx)
	defer a.Close()
	c := tr.Iterate(context.Background(), tx)
	defer c.Close()
	for _, it := range []Iterator{a, c} {
		r, ok := it.Next()
		if !ok {
			t.Fatal(it.Err())
		}
		tm := r.Value.(*value.TraversalMetrics)
		if e := count(t, tm.Metrics[1], "elementCount"); e != 6 {
			t.Errorf("run counted %d, want 6", e)
		}
	}
}
