package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"github.com/kvtgraph/kvtgraph/conf"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

// This file is where the layers meet; the lead fills it in.

// errNotWired reports a piece the lead has not connected yet.
var errNotWired = errors.New("not yet wired")

// buildExecutor opens every configured graph (loading its initial file
// when the graph is empty), builds the traversal sources and returns the
// executor with a closer that checkpoints and closes the graphs. metrics
// carries the hooks (CacheLookups) for the query cache.
func buildExecutor(ctx context.Context, c *conf.Config, metrics *server.Metrics, log *slog.Logger) (server.Executor, func() error, error) {
	_ = ctx
	_ = metrics
	_ = log
	return nil, nil, fmt.Errorf("executor %w: cmd/kvtgraph/wire.go buildExecutor must build the traversal executor for %d graphs", errNotWired, len(c.Graphs))
}

// openGraph opens one graph for the offline tools (load, export, check).
// The closer checkpoints and closes it.
func openGraph(ctx context.Context, gc conf.GraphConfig, log *slog.Logger) (*storage.Graph, func() error, error) {
	_ = ctx
	if gc.InMemory {
		store := memkv.New(memkv.Options{})
		g, err := storage.Open(store, storage.Options{})
		if err != nil {
			_ = store.Close()
			return nil, nil, err
		}
		log.Warn("graph is in memory: changes are lost when the command ends", "graph", gc.Name)
		return g, func() error { return errors.Join(g.Close(), store.Close()) }, nil
	}
	return nil, nil, fmt.Errorf("durable graph %q in %s: the KVT store is %w (cmd/kvtgraph/wire.go openGraph)", gc.Name, gc.Data, errNotWired)
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}
