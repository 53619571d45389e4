package kvt_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvt"
)

// BenchmarkBatchWrite measures the engine's write path as the graph's bulk
// load uses it: transactions of batch Sets of 14-byte random keys (the size
// of an adjacency key) into a range table holding n keys, then Commit.
// ns/op is per write; "commit-ns/write" is the part spent in Commit.
func BenchmarkBatchWrite(b *testing.B) {
	for _, c := range []struct{ vlen, batch int }{{0, 50_000}, {13, 50_000}, {13, 5_000}, {13, 500}} {
		vlen, batch := c.vlen, c.batch
		b.Run(fmt.Sprintf("value=%dB/batch=%d", vlen, batch), func(b *testing.B) {
			s, err := kvt.Open("", native.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			tb, err := s.CreateTable(ctx, "t", kv.Range)
			if err != nil {
				b.Fatal(err)
			}
			key := make([]byte, 14)
			val := make([]byte, vlen)
			x := uint64(1)
			var commit time.Duration
			b.ResetTimer()
			for done := 0; done < b.N; {
				tx, err := s.Begin(ctx, kv.TxOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < batch && done < b.N; i, done = i+1, done+1 {
					x = x*6364136223846793005 + 1442695040888963407
					binary.BigEndian.PutUint64(key, x)
					if err := tx.Set(tb, key, val); err != nil {
						b.Fatal(err)
					}
				}
				t0 := time.Now()
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				commit += time.Since(t0)
			}
			b.ReportMetric(float64(commit.Nanoseconds())/float64(b.N), "commit-ns/write")
		})
	}
}
