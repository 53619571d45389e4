package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/kvtgraph/kvtgraph/conf"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
)

func newServeCmd(gf *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Gremlin Server (the default command)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, log, err := configAndLogger(cmd, gf)
			if err != nil {
				return err
			}
			ctx, stop := cmdContext()
			defer stop()
			return serve(ctx, c, log, buildExecutor, nil)
		},
	}
	f := cmd.Flags()
	f.String("host", "", "address to listen on (default from the configuration: 0.0.0.0)")
	f.Int("port", 0, "port to listen on (default from the configuration: 8182)")
	f.Duration("evaluation-timeout", 0, "default evaluationTimeout for requests")
	return cmd
}

// executorBuilder is buildExecutor's signature; tests pass a fake.
type executorBuilder func(ctx context.Context, c *conf.Config, metrics *server.Metrics, log *slog.Logger) (server.Executor, func() error, error)

// serve runs the server until ctx ends, then shuts down gracefully: stop
// accepting, let running requests finish (up to shutdownTimeout), close
// sessions, and finally close the graphs (checkpoint + close). ready, when
// set, receives the listening address.
func serve(ctx context.Context, c *conf.Config, log *slog.Logger, build executorBuilder, ready func(addr string)) error {
	sc, err := c.ServerConfig()
	if err != nil {
		return err
	}
	metrics := server.NewMetrics()
	sc.Metrics = metrics
	log.Info("starting kvtgraph", "version", versionString(), "config", c.File,
		"graphs", len(c.Graphs), "sources", c.Sources)
	exec, closeGraphs, err := build(ctx, c, metrics, log)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	srv := server.New(sc, exec, log)
	// Port 0 (only settable explicitly) picks a free port.
	ln, err := listen(net.JoinHostPort(c.Server.Host, strconv.Itoa(c.Server.Port)))
	if err != nil {
		_ = closeGraphs()
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "timeout", c.Server.ShutdownTimeout)
	case serveErr = <-errc:
		log.Error("server stopped", "err", serveErr)
	}
	timeout := c.Server.ShutdownTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	shutErr := srv.Shutdown(sctx)
	if shutErr != nil {
		log.Warn("shutdown did not finish cleanly", "err", shutErr)
	}
	closeErr := closeGraphs()
	if closeErr != nil {
		log.Error("closing graphs failed", "err", closeErr)
	} else {
		log.Info("graphs closed")
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return errors.Join(shutErr, closeErr)
}
