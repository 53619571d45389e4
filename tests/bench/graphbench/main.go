// Command graphbench measures the graph storage layer on a synthetic graph:
// bulk-load rate, 2-hop out-count rate and resident memory per edge.
//
// The graph has -vertices vertices and -edges edges; out-degrees follow a
// power law (edge sources drawn from a Zipf distribution), targets are
// uniform. Each vertex has one of four labels and two properties (uid long,
// name string) with an exact index on uid; each edge one of three labels
// and a weight double.
//
// The store comes from openStore (store.go). Targets: bulk load >= 500k
// edges/s, 2-hop >= 10M edges/s per core, <= 100 resident bytes per edge.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv"
)

func main() {
	nv := flag.Int("vertices", 100_000, "number of vertices")
	ne := flag.Int("edges", 1_000_000, "number of edges")
	starts := flag.Int("starts", 1000, "random start vertices for the 2-hop count")
	seed := flag.Int64("seed", 1, "random seed")
	backend := flag.String("store", "kvt", "KV store: "+strings.Join(storeNames(), ", "))
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	batch := flag.Int("batch", 0, "bulk-load batch size in KV writes (storage.Options.BulkBatchOps; 0: the default)")
	layout := flag.Bool("layout", false, "after the measurements, print the engine bytes per edge of each table (a scan of every table)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "graphbench:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "graphbench:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if err := run(*backend, *nv, *ne, *starts, *seed, *batch, *layout); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "graphbench:", err)
		os.Exit(1)
	}
}

func run(backend string, nv, ne, starts int, seed int64, batch int, layout bool) error {
	ctx := context.Background()
	rssBefore := residentBytes()
	kvs, closeKV, err := openStore(backend)
	if err != nil {
		return err
	}
	defer closeKV()
	g, err := storage.Open(kvs, storage.Options{BulkBatchOps: batch})
	if err != nil {
		return err
	}
	if err := g.CreateIndex(ctx, storage.IndexDef{Name: "uid", Kind: index.Exact, Keys: []string{"uid"}}); err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(seed))
	vlabels := []string{"person", "place", "thing", "event"}
	elabels := []string{"knows", "likes", "visits"}

	t0, c0 := time.Now(), cpuTime(0)
	err = g.BulkLoad(ctx, func(tx storage.GraphTx) error {
		for i := 0; i < nv; i++ {
			_, err := tx.AddVertex(int64(i), vlabels[i%len(vlabels)], []storage.KeyValue{
				{Key: "uid", Value: int64(i)}, {Key: "name", Value: "v" + strconv.Itoa(i)}})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load vertices: %w", err)
	}
	tv, cv := time.Since(t0), cpuTime(0)-c0
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(nv-1))
	perm := rng.Perm(nv) // so that high-degree vertices are spread out
	t1, c1 := time.Now(), cpuTime(0)
	err = g.BulkLoad(ctx, func(tx storage.GraphTx) error {
		for i := 0; i < ne; i++ {
			out := int64(perm[zipf.Uint64()])
			in := int64(rng.Intn(nv))
			_, err := tx.AddEdge(nil, elabels[i%len(elabels)], out, in, []storage.KeyValue{{Key: "weight", Value: rng.Float64()}})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load edges: %w", err)
	}
	te, ce := time.Since(t1), cpuTime(0)-c1
	runtime.GC()
	rssAfter := residentBytes()

	// 2-hop out count from random vertices, one goroutine (one core).
	tx, err := g.BeginTx(ctx, storage.TxOptions{ReadOnly: true, Snapshot: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var touched, total int64
	runtime.LockOSThread()
	t2, c2 := time.Now(), cpuTime(1)
	for i := 0; i < starts; i++ {
		v := int64(rng.Intn(nv))
		nbrs, err := tx.AdjacentIDs(v, storage.Out, nil)
		if err != nil {
			return err
		}
		touched += int64(len(nbrs))
		for _, n := range nbrs {
			d, err := tx.Degree(n, storage.Out, nil)
			if err != nil {
				return err
			}
			touched += d
			total += d
		}
	}
	th, ch := time.Since(t2), cpuTime(1)-c2
	runtime.UnlockOSThread()

	st := g.Stats()
	fmt.Printf("store=%s vertices=%d edges=%d (stats: %d, %d)\n", backend, nv, ne, st.Vertices, st.Edges)
	fmt.Printf("bulk load vertices: %.0f vertices/s (%v; %.0f per CPU-second)\n", float64(nv)/tv.Seconds(), tv.Round(time.Millisecond), float64(nv)/cv.Seconds())
	fmt.Printf("bulk load edges:    %.0f edges/s (%v; %.0f per CPU-second)   target >= 500000\n", float64(ne)/te.Seconds(), te.Round(time.Millisecond), float64(ne)/ce.Seconds())
	fmt.Printf("2-hop out count:    %d paths from %d starts, %d edges touched, %.0f edges/s per core (%v; %.0f per CPU-second of the thread)   target >= 10000000\n",
		total, starts, touched, float64(touched)/th.Seconds(), th.Round(time.Millisecond), float64(touched)/ch.Seconds())
	if rssBefore > 0 && rssAfter > 0 {
		fmt.Printf("resident memory:    %.1f bytes/edge (%d MiB growth)   target <= 100\n",
			float64(rssAfter-rssBefore)/float64(ne), (rssAfter-rssBefore)>>20)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("  of which Go heap in use %d MiB, Go heap held from the OS %d MiB\n", ms.HeapInuse>>20, (ms.HeapSys-ms.HeapReleased)>>20)
	inUse, held, mmapped := cHeap()
	fmt.Printf("  C heap (malloc) in use %d MiB, held in arenas %d MiB, mmapped blocks %d MiB\n", inUse>>20, held>>20, mmapped>>20)
	if es, ok := kvs.(interface{ DB() *native.DB }); ok {
		s := es.DB().Stats()
		fmt.Printf("  engine: %d live versions (%.2f per edge), %.1f version+leaf bytes/edge, %.1f arena bytes/edge\n",
			s.LiveVersions, float64(s.LiveVersions)/float64(ne), float64(s.VersionBytes)/float64(ne), float64(s.ArenaBytes)/float64(ne))
		if layout {
			return printLayout(ctx, kvs, ne, s.VersionBytes)
		}
	}
	return nil
}

// printLayout scans every table and splits the engine's version bytes per
// edge by table: each entry is one version (a 20-byte header, the key and
// the value, rounded up to 8 bytes by the arena's size classes); what the
// versions do not account for of Stats.VersionBytes is B+tree leaves
// (16-byte slots, plus the leaves' unused capacity). It then prints what
// the same entries would cost with other engine layouts (what-ifs).
func printLayout(ctx context.Context, kvs kv.Store, ne int, versionBytes uint64) error {
	tables, err := kvs.ListTables(ctx)
	if err != nil {
		return err
	}
	tx, err := kvs.Begin(ctx, kv.TxOptions{ReadOnly: true, Isolation: kv.Snapshot})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// What-ifs: header bytes and allocation granularity of a version.
	whatIfs := []struct {
		name          string
		header, round uint64
	}{{"12-byte header", 12, 8}, {"exact-size allocation", 20, 1}, {"12-byte header, exact size", 12, 1}}
	alt := make([]uint64, len(whatIfs))
	var total, entries, kvBytes uint64
	fmt.Printf("  layout (bytes per edge; version = 20 + key + value rounded up to 8):\n")
	for _, t := range tables {
		var n, kb, vb, ver uint64
		visit := func(k, v []byte) bool {
			n++
			kb += uint64(len(k))
			vb += uint64(len(v))
			ver += (20 + uint64(len(k)+len(v)) + 7) &^ 7
			for i, w := range whatIfs {
				alt[i] += (w.header + uint64(len(k)+len(v)) + w.round - 1) / w.round * w.round
			}
			return true
		}
		if uv, ok := tx.(kv.UnsafeVisitor); ok {
			err = uv.UnsafeVisit(t, nil, nil, kv.ScanOptions{Limit: 4096}, visit)
		} else {
			err = fmt.Errorf("store cannot visit")
		}
		if err != nil {
			return fmt.Errorf("layout of %s: %w", t.Name, err)
		}
		if n == 0 {
			continue
		}
		total += ver
		entries += n
		kvBytes += kb + vb
		fmt.Printf("    %-16s %8d entries  key %5.1f B  value %5.1f B  versions %6.1f B/edge\n",
			t.Name, n, float64(kb)/float64(n), float64(vb)/float64(n), float64(ver)/float64(ne))
	}
	if versionBytes <= total {
		return nil
	}
	leaf := versionBytes - total
	perEdge := func(b uint64) float64 { return float64(b) / float64(ne) }
	fmt.Printf("    leaves: %.1f B/edge (%.1f B per entry; a full leaf is %.1f B per entry)\n",
		perEdge(leaf), float64(leaf)/float64(entries), 2184.0/128)
	fmt.Printf("    of %.1f B/edge: keys and values %.1f, version headers %.1f, rounding %.1f, leaves %.1f\n",
		perEdge(versionBytes), perEdge(kvBytes), perEdge(20*entries), perEdge(total-kvBytes-20*entries), perEdge(leaf))
	full := entries * 2184 / 128
	fmt.Printf("    what-ifs (B/edge): full leaves %.1f", perEdge(total+full))
	for i, w := range whatIfs {
		fmt.Printf("; %s %.1f", w.name, perEdge(alt[i]+leaf))
	}
	fmt.Printf("; 12-byte header, exact size, full leaves %.1f\n", perEdge(alt[2]+full))
	return nil
}

// cpuTime is the CPU time (user + system) of the process (who 0) or of the
// calling OS thread (who 1, Linux). The per-CPU-second rates it gives are
// robust to other processes competing for the cores; the load figures count
// every thread of the process (GC and engine included).
func cpuTime(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// residentBytes reads VmRSS from /proc/self/status (0 if unavailable).
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
