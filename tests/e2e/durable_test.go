package e2e

import (
	"fmt"
	"testing"
)

// TestDurableRestart writes to a durable graph (KVT in a data directory,
// fsync always), restarts the server gracefully and then after SIGKILL,
// and reads every committed write back; rolled back writes stay gone.
func TestDurableRestart(t *testing.T) {
	data := t.TempDir()
	env := "KVTGRAPH_E2E_DATA=" + data
	s := startServer(t, testdata("durable.yaml"), env)
	g := s.traversal("g")
	if err := <-g.AddV("person").Property("name", "first").As("a").
		AddV("person").Property("name", "second").AddE("knows").From("a").Property("w", 0.5).Iterate(); err != nil {
		t.Fatal(err)
	}
	c := s.client("g")
	submit(t, c, "g.V().has('name', 'second').property('age', 41).iterate()", nil)
	tx := g.Tx()
	gtx, err := tx.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := <-gtx.AddV("person").Property("name", "rolledback").Iterate(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	s.stop()

	check := func(s *server, wantVertices int64, extra ...string) {
		t.Helper()
		g := s.traversal("g")
		r, err := g.V().Count().Next()
		if err != nil {
			t.Fatal(err)
		}
		if n := toInt64(t, r); n != wantVertices {
			t.Fatalf("%d vertices after the restart, want %d", n, wantVertices)
		}
		r, err = g.V().Has("name", "first").OutE("knows").As("e").InV().Values("age").As("age").
			Select("e").Values("w").As("w").Select("age", "w").Next()
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(r.GetInterface()); got != "map[age:41 w:0.5]" {
			t.Fatalf("restored edge and property: %s", got)
		}
		if n, err := g.V().Has("name", "rolledback").Count().Next(); err != nil || toInt64(t, n) != 0 {
			t.Fatalf("the rolled back vertex is back: %v %v", n, err)
		}
		for _, name := range extra {
			if n, err := g.V().Has("name", name).Count().Next(); err != nil || toInt64(t, n) != 1 {
				t.Fatalf("vertex %q after the restart: %v %v", name, n, err)
			}
		}
	}

	// Graceful restart: the checkpoint written at shutdown.
	s = startServer(t, testdata("durable.yaml"), env)
	check(s, 2)
	// Commit more, then SIGKILL: the WAL (fsynced at commit) must bring
	// back everything acknowledged.
	g = s.traversal("g")
	names := make([]any, 50)
	for i := range names {
		names[i] = fmt.Sprintf("killed-%d", i)
	}
	for _, n := range names {
		if err := <-g.AddV("batch").Property("name", n).Iterate(); err != nil {
			t.Fatal(err)
		}
	}
	tx = g.Tx()
	gtx, err = tx.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := <-gtx.AddV("person").Property("name", "in-tx").Iterate(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.kill()

	s = startServer(t, testdata("durable.yaml"), env)
	check(s, 2+50+1, "killed-0", "killed-49", "in-tx")
	g = s.traversal("g")
	got, err := g.V().HasLabel("batch").Values("name").ToList()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range got {
		seen[r.GetString()] = true
	}
	for _, n := range names {
		if !seen[n.(string)] {
			t.Fatalf("committed vertex %s lost by SIGKILL (have %d of %d)", n, len(seen), len(names))
		}
	}
	// New ids do not collide with recovered ones.
	r, err := g.AddV("after").Id().Next()
	if err != nil {
		t.Fatal(err)
	}
	ids, err := g.V().Id().ToList()
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, id := range ids {
		if fmt.Sprint(id.GetInterface()) == fmt.Sprint(r.GetInterface()) {
			count++
		}
	}
	if count != 1 || len(ids) != 2+50+1+1 {
		t.Fatalf("new vertex id %v appears %d times among %d vertices", r.GetInterface(), count, len(ids))
	}
	s.stop()
}
