package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
)

// Server is a Gremlin Server. Create it with New; it is safe for
// concurrent use.
type Server struct {
	cfg      Config
	exec     Executor
	log      *slog.Logger
	metrics  *Metrics
	codecs   *gio.Registry
	sessions *sessionManager
	upgrader websocket.Upgrader
	http     *http.Server

	mu       sync.Mutex
	conns    map[*wsConn]struct{}
	reserved int // upgrades in progress
	draining bool
	nconns   atomic.Int64

	// work counts running requests server-wide, for Shutdown.
	work   sync.WaitGroup
	workMu sync.Mutex // orders work.Add against Shutdown's Wait

	closeOnce sync.Once
	stop      chan struct{} // closed by Shutdown
}

// New returns a server that runs requests on exec. A nil logger discards
// logs.
func New(cfg Config, exec Executor, logger *slog.Logger) *Server {
	cfg = cfg.withDefaults()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	s := &Server{
		cfg:     cfg,
		exec:    exec,
		log:     logger,
		metrics: cfg.Metrics,
		codecs:  gio.NewRegistry(),
		conns:   map[*wsConn]struct{}{},
		stop:    make(chan struct{}),
	}
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:    64 << 10,
		WriteBufferSize:   64 << 10,
		EnableCompression: true,
		// Gremlin Server accepts any origin; browsers' tools rely on it.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	s.sessions = newSessionManager(s)
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	return s
}

// Metrics returns the server's collectors.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Addr is the configured listen address, host:port.
func (s *Server) Addr() string {
	return net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
}

// ListenAndServe listens on the configured address and serves until
// Shutdown; it then returns http.ErrServerClosed.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.Addr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr(), err)
	}
	return s.Serve(ln)
}

// Serve serves connections from ln until Shutdown; it then returns
// http.ErrServerClosed.
func (s *Server) Serve(ln net.Listener) error {
	s.log.Info("gremlin server listening", "addr", ln.Addr().String(),
		"auth", s.cfg.Auth.Enabled, "batchSize", s.cfg.BatchSize,
		"evaluationTimeout", s.cfg.EvaluationTimeout)
	s.sessions.start()
	return s.http.Serve(ln)
}

// Shutdown stops accepting connections and requests, lets running
// requests finish (until ctx ends, when they are cancelled), closes every
// connection with "going away" and every session, and returns. The caller
// then closes the graphs.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closeOnce.Do(func() { close(s.stop) })
	s.mu.Lock()
	s.draining = true
	conns := make([]*wsConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()

	// Stop listening; waits for plain HTTP requests to finish.
	herr := s.http.Shutdown(ctx)
	// Stop reading new requests on WebSockets.
	for _, c := range conns {
		c.stopReading()
	}
	// Wait for requests in flight.
	s.workMu.Lock()
	waited := make(chan struct{})
	go func() { s.work.Wait(); close(waited) }()
	s.workMu.Unlock()
	var err error
	select {
	case <-waited:
	case <-ctx.Done():
		err = fmt.Errorf("shutdown: requests still running: %w", ctx.Err())
		for _, c := range conns {
			c.cancel()
		}
	}
	for _, c := range conns {
		c.closeGoingAway()
	}
	s.sessions.closeAll()
	if herr != nil && !errors.Is(herr, http.ErrServerClosed) && err == nil {
		err = herr
	}
	s.log.Info("gremlin server stopped")
	return err
}

// beginWork registers a running request; it fails once Shutdown started.
func (s *Server) beginWork() bool {
	s.workMu.Lock()
	defer s.workMu.Unlock()
	select {
	case <-s.stop:
		return false
	default:
	}
	s.work.Add(1)
	return true
}

func (s *Server) endWork() { s.work.Done() }

// ServeHTTP routes: WebSocket upgrades on /gremlin, /health, /metrics, and
// Gremlin over HTTP on every other path (/gremlin/explain and
// /gremlin/profile analyse the script instead of running it, see Analyzer).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if websocket.IsWebSocketUpgrade(r) {
		if r.URL.Path != "/gremlin" {
			http.Error(w, "WebSocket connections are served on /gremlin", http.StatusNotFound)
			return
		}
		s.serveWebSocket(w, r)
		return
	}
	switch {
	case r.URL.Path == "/health" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		s.serveHealth(w, r)
	case r.URL.Path == "/metrics" && r.Method == http.MethodGet:
		s.metrics.handler().ServeHTTP(w, r)
	default:
		s.serveGremlinHTTP(w, r)
	}
}

func (s *Server) serveHealth(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	draining := s.draining
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if draining {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"shutting down"}`))
		return
	}
	fmt.Fprintf(w, `{"status":"ok","connections":%d,"sessions":%d}`, s.nconns.Load(), s.sessions.count())
}
