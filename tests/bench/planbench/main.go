// Command planbench measures what the planner and the query cache buy, as
// ratios measured in one run on one graph:
//
//   - has('uid', x) through an exact index vs a full scan (planner off);
//   - out().out().count() with the count push-down vs without;
//   - a repeated read query served from the cache vs computed.
//
// Each query goes through the Gremlin executor (script parsing included),
// as a server request would.
//
//	cd tests/bench && go run ./planbench -vertices 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"os"
	"time"

	"github.com/kvtgraph/kvtgraph/gremlin/exec"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/planner"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvt"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

func main() {
	nv := flag.Int("vertices", 100000, "vertices in the graph")
	deg := flag.Int("degree", 20, "out-edges per vertex")
	store := flag.String("store", "kvt", "kvt (in-memory KVT) or memkv")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*store, *nv, *deg, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(1)
	}
}

func openKV(name string) (kv.Store, error) {
	switch name {
	case "kvt":
		return kvt.Open("", native.Options{})
	case "memkv":
		return memkv.New(memkv.Options{}), nil
	}
	return nil, fmt.Errorf("unknown -store %q (kvt or memkv)", name)
}

func run(store string, nv, deg int, seed int64) error {
	ctx := context.Background()
	kvs, err := openKV(store)
	if err != nil {
		return err
	}
	defer kvs.Close()
	g, err := storage.Open(kvs, storage.Options{})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(seed))
	t0 := time.Now()
	err = g.BulkLoad(ctx, func(tx storage.GraphTx) error {
		for i := 0; i < nv; i++ {
			if _, err := tx.AddVertex(int64(i), "person", []storage.KeyValue{
				{Key: "uid", Value: fmt.Sprintf("u%d", i)}, {Key: "age", Value: int32(rng.Intn(80))}}); err != nil {
				return err
			}
		}
		for i := 0; i < nv; i++ {
			for j := 0; j < deg; j++ {
				if _, err := tx.AddEdge(nil, "knows", int64(i), int64(rng.Intn(nv)), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	load := time.Since(t0)
	t0 = time.Now()
	if err := g.CreateIndex(ctx, storage.IndexDef{Name: "byUid", Kind: index.Exact, Keys: []string{"uid"}}); err != nil {
		return err
	}
	fmt.Printf("graph: %s, %d vertices, %d edges (loaded in %v, index backfilled in %v)\n",
		store, nv, nv*deg, load.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	newExec := func(o exec.PlanOptions) (*exec.Executor, error) {
		e, err := exec.New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"}, quiet)
		if err != nil {
			return nil, err
		}
		e.ConfigurePlanner(o)
		return e, nil
	}
	planned, err := newExec(exec.PlanOptions{Cache: planner.CacheConfig{Disabled: true}})
	if err != nil {
		return err
	}
	plain, err := newExec(exec.PlanOptions{DisablePlanner: true, Cache: planner.CacheConfig{Disabled: true}})
	if err != nil {
		return err
	}
	cached, err := newExec(exec.PlanOptions{})
	if err != nil {
		return err
	}

	// 1. Exact index lookup vs full scan.
	uidQuery := func(i int) string { return fmt.Sprintf("g.V().has('uid','u%d').count()", rng.Intn(nv)) }
	scan, err := measure(ctx, plain, 3, uidQuery, int64(1))
	if err != nil {
		return err
	}
	lookup, err := measure(ctx, planned, 300, uidQuery, int64(1))
	if err != nil {
		return err
	}
	report("has('uid', x): exact index vs full scan", lookup, scan, 1000)

	// 2. Count push-down.
	starts := make([]string, 50)
	for i := range starts {
		starts[i] = fmt.Sprintf("%dL", rng.Intn(nv))
	}
	hop := fmt.Sprintf("g.V(%s).out().out().count()", join(starts))
	want, err := eval(ctx, plain, hop)
	if err != nil {
		return err
	}
	fixed := func(int) string { return hop }
	noPush, err := measure(ctx, plain, 5, fixed, want)
	if err != nil {
		return err
	}
	push, err := measure(ctx, planned, 5, fixed, want)
	if err != nil {
		return err
	}
	report("out().out().count(): count push-down vs none", push, noPush, 5)

	// 3. Query cache: the same read query, hit vs miss.
	miss, err := measure(ctx, planned, 5, fixed, want)
	if err != nil {
		return err
	}
	if _, err := eval(ctx, cached, hop); err != nil { // fill
		return err
	}
	hit, err := measure(ctx, cached, 200, fixed, want)
	if err != nil {
		return err
	}
	report("repeated read query: cache hit vs miss", hit, miss, 20)
	st := cached.CacheStats("graph")
	fmt.Printf("cache counters: hits=%d misses=%d evictions=%d entries=%d bytes=%d\n", st.Hits, st.Misses, st.Evictions, st.Entries, st.Bytes)
	return nil
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

func eval(ctx context.Context, e *exec.Executor, script string) (int64, error) {
	r, err := e.Eval(ctx, &server.EvalRequest{Script: script})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", script, err)
	}
	defer r.Close()
	// Read every result, as the server does when it streams a response
	// (the cache keeps only complete results).
	var items []any
	for {
		v, ok := r.Next()
		if !ok {
			break
		}
		items = append(items, v)
	}
	if err := r.Err(); err != nil || len(items) != 1 {
		return 0, fmt.Errorf("%s: %d results (%v), want one", script, len(items), err)
	}
	n, ok := items[0].(int64)
	if !ok {
		return 0, fmt.Errorf("%s: result %T, want a count", script, items[0])
	}
	return n, nil
}

// measure runs n queries and returns the mean time of one, checking each
// result against want.
func measure(ctx context.Context, e *exec.Executor, n int, query func(int) string, want int64) (time.Duration, error) {
	var total time.Duration
	for i := 0; i < n; i++ {
		q := query(i)
		t0 := time.Now()
		got, err := eval(ctx, e, q)
		total += time.Since(t0)
		if err != nil {
			return 0, err
		}
		if got != want {
			return 0, fmt.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	return total / time.Duration(n), nil
}

func report(name string, fast, slow time.Duration, target float64) {
	ratio := float64(slow) / float64(max(fast, 1))
	verdict := "ok"
	if ratio < target {
		verdict = fmt.Sprintf("BELOW the %.0f× target", target)
	}
	fmt.Printf("%-48s %12v vs %12v  = %8.1f×  (%s)\n", name, fast.Round(time.Microsecond), slow.Round(time.Microsecond), ratio, verdict)
}
