package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/kvtgraph/kvtgraph/conf"
	"github.com/kvtgraph/kvtgraph/gremlin/exec"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/planner"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/graphio"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvt"
)

// This file is where the layers meet: KVT → kv adapter → graph storage →
// executor → server.

// buildExecutor opens every configured graph (loading its initial file
// when the graph is empty), builds the traversal sources and returns the
// executor with a closer that checkpoints and closes the graphs. metrics
// carries the hooks (CacheLookups) for the query cache.
func buildExecutor(ctx context.Context, c *conf.Config, metrics *server.Metrics, log *slog.Logger) (server.Executor, func() error, error) {
	graphs := map[string]storage.Store{}
	caches := map[string]planner.CacheConfig{}
	fullScan := map[string]planner.FullScanPolicy{}
	var closers []func() error
	closeAll := func() error {
		var errs []error
		for i := len(closers) - 1; i >= 0; i-- {
			errs = append(errs, closers[i]())
		}
		return errors.Join(errs...)
	}
	for _, gc := range c.Graphs {
		g, closeGraph, err := openGraph(ctx, gc, log)
		if err != nil {
			_ = closeAll()
			return nil, nil, err
		}
		closers = append(closers, closeGraph)
		graphs[gc.Name] = g
		caches[gc.Name] = planner.CacheConfig{Disabled: gc.Cache.Disabled, MaxEntries: gc.Cache.MaxEntries, MaxBytes: gc.Cache.MaxBytes}
		policy, err := planner.ParseFullScanPolicy(gc.Planner.FullScan)
		if err != nil {
			_ = closeAll()
			return nil, nil, fmt.Errorf("graph %q: %w", gc.Name, err)
		}
		fullScan[gc.Name] = policy
		if gc.Load != "" {
			if err := loadIfEmpty(ctx, g, gc, log); err != nil {
				_ = closeAll()
				return nil, nil, err
			}
		}
	}
	e, err := exec.New(graphs, c.Sources, log)
	if err != nil {
		_ = closeAll()
		return nil, nil, err
	}
	// io().read() reads graph files from TinkerPop's data folder only.
	e.ConfigureTraversals(exec.TraversalOptions{IORoot: c.TinkerPopDir})
	if c.Query.CacheDisabled {
		for name, cc := range caches {
			cc.Disabled = true
			caches[name] = cc
		}
	}
	opts := exec.PlanOptions{GraphCache: caches, GraphFullScan: fullScan, DisablePlanner: c.Query.PlannerDisabled}
	if metrics != nil {
		opts.Metrics = metrics
	}
	e.ConfigurePlanner(opts)
	return e, closeAll, nil
}

// loadIfEmpty loads the graph's initial file unless it already has
// vertices (a durable graph loaded on an earlier start).
func loadIfEmpty(ctx context.Context, g *storage.Graph, gc conf.GraphConfig, log *slog.Logger) error {
	tx, err := g.Begin(ctx, storage.TxOptions{ReadOnly: true, Snapshot: true})
	if err != nil {
		return err
	}
	it := tx.ScanVertices("")
	_, nonEmpty := it.Next()
	it.Close()
	scanErr := it.Err()
	_ = tx.Rollback()
	if scanErr != nil {
		return fmt.Errorf("graph %q: %w", gc.Name, scanErr)
	}
	if nonEmpty {
		log.Info("graph already holds data; initial load skipped", "graph", gc.Name, "file", gc.Load)
		return nil
	}
	format, err := graphio.FormatFromPath(gc.Load)
	if err != nil {
		return fmt.Errorf("graph %q: %w", gc.Name, err)
	}
	idType, err := graphio.ParseIDType(gc.IDType)
	if err != nil {
		return fmt.Errorf("graph %q: %w", gc.Name, err)
	}
	f, err := os.Open(gc.Load)
	if err != nil {
		return fmt.Errorf("graph %q: initial load: %w", gc.Name, err)
	}
	defer f.Close()
	stats, err := graphio.Load(ctx, g, f, format, graphio.LoadOptions{Name: gc.Load, IDType: idType})
	if err != nil {
		return fmt.Errorf("graph %q: initial load: %w", gc.Name, err)
	}
	log.Info("graph loaded", "graph", gc.Name, "file", gc.Load, "vertices", stats.Vertices,
		"edges", stats.Edges, "duration", stats.Duration.Round(time.Millisecond))
	return nil
}

// openGraph opens one graph on KVT: in memory, or durable in its data
// directory with its fsync mode. The closer checkpoints and closes it.
func openGraph(ctx context.Context, gc conf.GraphConfig, log *slog.Logger) (*storage.Graph, func() error, error) {
	_ = ctx
	opts := native.Options{Logger: log.With("graph", gc.Name)}
	switch gc.Fsync {
	case conf.FsyncInterval:
		opts.Sync, opts.SyncInterval = native.SyncInterval, gc.FsyncInterval
	case conf.FsyncOff:
		opts.Sync = native.SyncOff
	default:
		opts.Sync = native.SyncAlways
	}
	dir := gc.Data
	if gc.InMemory {
		dir = ""
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("graph %q: data directory: %w", gc.Name, err)
	}
	store, err := kvt.Open(dir, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("graph %q: opening KVT in %q: %w", gc.Name, dir, err)
	}
	g, err := storage.Open(store, storage.Options{})
	if err != nil {
		_ = store.Close()
		return nil, nil, fmt.Errorf("graph %q: %w", gc.Name, err)
	}
	closer := func() error {
		var errs []error
		if !gc.InMemory {
			errs = append(errs, store.DB().Checkpoint())
		}
		errs = append(errs, g.Close(), store.Close())
		return errors.Join(errs...)
	}
	return g, closer, nil
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}
