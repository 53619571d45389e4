package storage

import (
	"math/rand"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvt"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

// The benchmarks mirror tests/bench/graphbench at a smaller scale: a
// synthetic graph with power-law out-degrees (Zipf sources, uniform
// targets), vertex label + uid (long, exact index) + name, edge label +
// weight. Run them with
//
//	go test ./storage -run '^$' -bench . -benchtime 3x
//
// BenchmarkBulkLoad reports edges/s; Benchmark2HopOutCount reports edges
// touched per second (one goroutine).

const (
	benchVertices = 20_000
	benchEdges    = 200_000
)

var benchStores = []struct {
	name string
	open func(b *testing.B) kv.Store
}{
	{"kvt", func(b *testing.B) kv.Store {
		s, err := kvt.Open("", native.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}},
	{"memkv", func(b *testing.B) kv.Store { return memkv.New(memkv.Options{}) }},
}

// benchLoad builds the benchmark graph in s and returns the time the edge
// load took.
func benchLoad(b *testing.B, s kv.Store, nv, ne int) (*Graph, time.Duration) {
	return benchLoadP(b, s, nv, ne, false)
}

// benchPrefetchEvery is the chunk a prefetching loader (graphio) hands to
// Prefetch.
const benchPrefetchEvery = 1000

// benchLoadP is benchLoad; with prefetch it calls Prefetch once per chunk
// of vertices or edges, as storage/graphio does per batch.
func benchLoadP(b *testing.B, s kv.Store, nv, ne int, prefetch bool) (*Graph, time.Duration) {
	g, d, _ := benchLoadCPU(b, s, nv, ne, prefetch)
	return g, d
}

// benchLoadCPU is benchLoadP that also returns the process CPU time the
// edge load took.
func benchLoadCPU(b *testing.B, s kv.Store, nv, ne int, prefetch bool) (*Graph, time.Duration, time.Duration) {
	g, err := Open(s, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := g.CreateIndex(bg, IndexDef{Name: "uid", Kind: index.Exact, Keys: []string{"uid"}}); err != nil {
		b.Fatal(err)
	}
	vlabels := []string{"person", "place", "thing", "event"}
	elabels := []string{"knows", "likes", "visits"}
	err = g.BulkLoad(bg, func(tx GraphTx) error {
		for i := 0; i < nv; i++ {
			if prefetch && i%benchPrefetchEvery == 0 {
				ids := make([]any, 0, benchPrefetchEvery)
				for j := i; j < min(nv, i+benchPrefetchEvery); j++ {
					ids = append(ids, int64(j))
				}
				if err := tx.(*bulkTx).Prefetch(ids); err != nil {
					return err
				}
			}
			_, err := tx.AddVertex(int64(i), vlabels[i%len(vlabels)], []KeyValue{
				{Key: "uid", Value: int64(i)}, {Key: "name", Value: "v" + strconv.Itoa(i)}})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(nv-1))
	perm := rng.Perm(nv)
	t0, c0 := time.Now(), processCPU()
	err = g.BulkLoad(bg, func(tx GraphTx) error {
		type edge struct{ out, in int64 }
		chunk := make([]edge, 0, benchPrefetchEvery)
		ids := make([]any, 0, 2*benchPrefetchEvery)
		for i := 0; i < ne; i += benchPrefetchEvery {
			chunk, ids = chunk[:0], ids[:0]
			for j := i; j < min(ne, i+benchPrefetchEvery); j++ {
				e := edge{int64(perm[zipf.Uint64()]), int64(rng.Intn(nv))}
				chunk = append(chunk, e)
				ids = append(ids, e.out, e.in)
			}
			if prefetch {
				if err := tx.(*bulkTx).Prefetch(ids); err != nil {
					return err
				}
			}
			for j, e := range chunk {
				_, err := tx.AddEdge(nil, elabels[(i+j)%len(elabels)], e.out, e.in, []KeyValue{{Key: "weight", Value: rng.Float64()}})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return g, time.Since(t0), processCPU() - c0
}

func BenchmarkBulkLoad(b *testing.B) { benchBulkLoad(b, false) }

// BenchmarkBulkLoadPrefetch loads the same graph calling Prefetch per
// chunk of 1000 vertices or edges.
func BenchmarkBulkLoadPrefetch(b *testing.B) { benchBulkLoad(b, true) }

func benchBulkLoad(b *testing.B, prefetch bool) {
	for _, st := range benchStores {
		b.Run(st.name, func(b *testing.B) {
			var total, cpu time.Duration
			for i := 0; i < b.N; i++ {
				s := st.open(b)
				_, d, c := benchLoadCPU(b, s, benchVertices, benchEdges, prefetch)
				total += d
				cpu += c
				s.Close()
			}
			b.ReportMetric(float64(benchEdges)*float64(b.N)/total.Seconds(), "edges/s")
			// Per second of the process's CPU time (every thread: the load
			// and the background commits): robust to other processes
			// competing for the cores.
			b.ReportMetric(float64(benchEdges)*float64(b.N)/cpu.Seconds(), "edges/cpu-s")
		})
	}
}

// benchGraphs caches the loaded graph per store across the runs of
// Benchmark2HopOutCount (the framework calls a benchmark several times with
// growing b.N).
var benchGraphs = map[string]*Graph{}

func Benchmark2HopOutCount(b *testing.B) {
	bench2Hop(b, func(tx *Tx, nbrs []any) (int64, error) {
		var n int64
		for _, v := range nbrs {
			d, err := tx.Degree(v, Out, nil)
			if err != nil {
				return 0, err
			}
			n += d
		}
		return n, nil
	})
}

// bench2Hop counts the 2-hop out-neighbourhood of random vertices: one
// adjacency read for the first hop, then countNbrs for the second.
func bench2Hop(b *testing.B, countNbrs func(tx *Tx, nbrs []any) (int64, error)) {
	for _, st := range benchStores {
		b.Run(st.name, func(b *testing.B) {
			g := benchGraphs[st.name]
			if g == nil {
				g, _ = benchLoad(b, st.open(b), benchVertices, benchEdges)
				benchGraphs[st.name] = g
			}
			tx, err := g.BeginTx(bg, TxOptions{ReadOnly: true, Snapshot: true})
			if err != nil {
				b.Fatal(err)
			}
			defer tx.Rollback()
			rng := rand.New(rand.NewSource(2))
			var touched int64
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0 := threadCPU()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				nbrs, err := tx.AdjacentIDs(int64(rng.Intn(benchVertices)), Out, nil)
				if err != nil {
					b.Fatal(err)
				}
				touched += int64(len(nbrs))
				n, err := countNbrs(tx, nbrs)
				if err != nil {
					b.Fatal(err)
				}
				touched += n
			}
			b.StopTimer()
			b.ReportMetric(float64(touched)/b.Elapsed().Seconds(), "edges/s")
			// The rate per second of this thread's CPU time is robust to
			// other processes competing for the cores.
			b.ReportMetric(float64(touched)/(threadCPU()-cpu0).Seconds(), "edges/cpu-s")
		})
	}
}

// processCPU is the CPU time of the process, or 0.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU is the CPU time of the calling OS thread (Linux), or 0.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
