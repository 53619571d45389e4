package storage

import "context"

// BackfillProgress is told, after each committed batch of an index
// backfill (CreateIndex), how many elements (vertices, or edges for an
// edge index) have been read so far. It runs on the creating goroutine.
type BackfillProgress func(index string, scanned int64)

type backfillKey struct{}

// WithBackfillProgress returns a context that makes CreateIndex report its
// backfill's progress to fn.
func WithBackfillProgress(ctx context.Context, fn BackfillProgress) context.Context {
	return context.WithValue(ctx, backfillKey{}, fn)
}

func backfillProgressOf(ctx context.Context) BackfillProgress {
	fn, _ := ctx.Value(backfillKey{}).(BackfillProgress)
	return fn
}
