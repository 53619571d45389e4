package storage

import "testing"

// Benchmark2HopOutCountBatched is Benchmark2HopOutCount with the
// neighbours' degrees counted by one DegreeMany call per vertex (the path
// of the planner's countAdj push-down) instead of one Degree per neighbour.
func Benchmark2HopOutCountBatched(b *testing.B) {
	bench2Hop(b, func(tx *Tx, nbrs []any) (int64, error) {
		ds, err := tx.DegreeMany(nbrs, Out, nil)
		var n int64
		for _, d := range ds {
			n += d
		}
		return n, err
	})
}
