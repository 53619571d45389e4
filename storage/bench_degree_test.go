package storage

import (
	"math/rand"
	"runtime"
	"testing"
)

// Benchmark2HopOutCountBatched is Benchmark2HopOutCount with the
// neighbours' degrees counted by one DegreeMany call per vertex (the path
// of the planner's countAdj push-down) instead of one Degree per neighbour.
func Benchmark2HopOutCountBatched(b *testing.B) {
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
				ds, err := tx.DegreeMany(nbrs, Out, nil)
				if err != nil {
					b.Fatal(err)
				}
				for _, d := range ds {
					touched += d
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(touched)/b.Elapsed().Seconds(), "edges/s")
			b.ReportMetric(float64(touched)/(threadCPU()-cpu0).Seconds(), "edges/cpu-s")
		})
	}
}
