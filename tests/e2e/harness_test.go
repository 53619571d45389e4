package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gremlingo "github.com/apache/tinkerpop/gremlin-go/v3/driver"
)

// startupLimit bounds how long a server may take to start or stop; it is
// a liveness bound (a hung server fails the test), not a speed assertion.
const startupLimit = 2 * time.Minute

var (
	repoRoot     string // the repository (holds go.mod)
	tinkerpopDir string // TinkerPop's data folder parent (holds data/)
	kvtgraphBin  string // the kvtgraph binary TestMain built
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	var err error
	if repoRoot, err = findRepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	tinkerpopDir = os.Getenv("KVTGRAPH_TINKERPOP_DIR")
	if tinkerpopDir == "" {
		tinkerpopDir = filepath.Join(repoRoot, "..", "shared", "tinkerpop")
	}
	tinkerpopDir, _ = filepath.Abs(tinkerpopDir)
	if _, err := os.Stat(filepath.Join(tinkerpopDir, "data", "tinkerpop-modern.json")); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: TinkerPop sample data not found in %s/data (set KVTGRAPH_TINKERPOP_DIR): %v\n", tinkerpopDir, err)
		return 1
	}
	work, err := os.MkdirTemp("", "kvtgraph-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(work)
	kvtgraphBin = filepath.Join(work, "kvtgraph")
	args := []string{"build", "-o", kvtgraphBin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "./cmd/kvtgraph")...)
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: building kvtgraph: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}

func testdata(name string) string { return filepath.Join(repoRoot, "tests", "e2e", "testdata", name) }

func dataFile(name string) string { return filepath.Join(tinkerpopDir, "data", name) }

// logBuffer collects a process's output and reports the address the
// server announces in its JSON log ("gremlin server listening").
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial []byte
	addr    chan string
	sent    bool
}

func newLogBuffer() *logBuffer { return &logBuffer{addr: make(chan string, 1)} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		line := l.partial[:i]
		l.partial = l.partial[i+1:]
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if !l.sent && json.Unmarshal(line, &rec) == nil && rec.Msg == "gremlin server listening" && rec.Addr != "" {
			l.sent = true
			l.addr <- rec.Addr
		}
	}
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// server is one running kvtgraph process.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	log  *logBuffer
	addr string // host:port
	url  string // ws://host:port/gremlin
	done chan struct{}
	err  error // the process's exit status, once done is closed
	// closers close the gremlin-go clients opened on the server. They run
	// before the server stops: gremlin-go 3.8.1 races (connection.state,
	// written by its read loop when the server goes away, read by Close)
	// if a client is closed after its server has gone.
	closers []func()
}

// track registers a client's Close to run once, before the server stops
// or at the end of the test.
func (s *server) track(close func()) {
	var once sync.Once
	f := func() { once.Do(close) }
	s.closers = append(s.closers, f)
	s.t.Cleanup(f)
}

func (s *server) closeClients() {
	for _, f := range s.closers {
		f()
	}
	s.closers = nil
}

// startServer runs `kvtgraph serve --config config` with env added to the
// environment and waits until it listens. The server is killed at the end
// of the test if it still runs; its log is shown when the test failed.
func startServer(t *testing.T, config string, env ...string) *server {
	t.Helper()
	s := &server{t: t, log: newLogBuffer(), done: make(chan struct{})}
	s.cmd = exec.Command(kvtgraphBin, "serve", "--config", config)
	s.cmd.Dir = repoRoot
	s.cmd.Env = append(os.Environ(), "KVTGRAPH_TINKERPOP_DIR="+tinkerpopDir, "KVTGRAPH_SERVER_PORT=0",
		"KVTGRAPH_LOG_FORMAT=json")
	s.cmd.Env = append(s.cmd.Env, env...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting kvtgraph: %v", err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("server log (%s):\n%s", config, tail(s.log.String(), 6000))
		}
	})
	select {
	case s.addr = <-s.log.addr:
	case <-s.done:
		t.Fatalf("kvtgraph exited before listening (%v):\n%s", s.err, tail(s.log.String(), 6000))
	case <-time.After(startupLimit):
		t.Fatalf("kvtgraph did not listen within %s:\n%s", startupLimit, tail(s.log.String(), 6000))
	}
	s.url = "ws://" + s.addr + "/gremlin"
	return s
}

// stop sends SIGTERM (a graceful shutdown) and waits for the exit, which
// must be clean.
func (s *server) stop() {
	s.t.Helper()
	s.closeClients()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.done:
	case <-time.After(startupLimit):
		s.t.Fatalf("kvtgraph did not stop within %s of SIGTERM", startupLimit)
	}
	if s.err != nil {
		s.t.Fatalf("kvtgraph exited with %v after SIGTERM:\n%s", s.err, tail(s.log.String(), 4000))
	}
}

// kill ends the server with SIGKILL: no shutdown, no checkpoint.
func (s *server) kill() {
	s.t.Helper()
	s.closeClients()
	if err := s.cmd.Process.Kill(); err != nil {
		s.t.Fatalf("SIGKILL: %v", err)
	}
	<-s.done
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func quietClient(s *gremlingo.ClientSettings) {
	s.LogVerbosity = gremlingo.Off
	s.ConnectionTimeout = 30 * time.Second
}

// client opens a gremlin-go Client on source, closed at the end of the test.
func (s *server) client(source string, opts ...func(*gremlingo.ClientSettings)) *gremlingo.Client {
	s.t.Helper()
	c, err := gremlingo.NewClient(s.url, func(cs *gremlingo.ClientSettings) {
		quietClient(cs)
		cs.TraversalSource = source
		for _, o := range opts {
			o(cs)
		}
	})
	if err != nil {
		s.t.Fatalf("gremlin-go client: %v", err)
	}
	s.track(c.Close)
	return c
}

// traversal opens a gremlin-go remote connection on source and returns
// its traversal source; the connection closes at the end of the test.
func (s *server) traversal(source string, opts ...func(*gremlingo.DriverRemoteConnectionSettings)) *gremlingo.GraphTraversalSource {
	s.t.Helper()
	drc, err := gremlingo.NewDriverRemoteConnection(s.url, func(rs *gremlingo.DriverRemoteConnectionSettings) {
		rs.LogVerbosity = gremlingo.Off
		rs.ConnectionTimeout = 30 * time.Second
		rs.TraversalSource = source
		for _, o := range opts {
			o(rs)
		}
	})
	if err != nil {
		s.t.Fatalf("gremlin-go remote connection: %v", err)
	}
	s.track(drc.Close)
	return gremlingo.Traversal_().With(drc)
}

// submit runs a script and returns all its results.
func submit(t *testing.T, c *gremlingo.Client, script string, bindings map[string]any) []*gremlingo.Result {
	t.Helper()
	all, err := trySubmit(c, script, bindings)
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return all
}

func trySubmit(c *gremlingo.Client, script string, bindings map[string]any) ([]*gremlingo.Result, error) {
	var rs gremlingo.ResultSet
	var err error
	if bindings == nil {
		rs, err = c.Submit(script)
	} else {
		rs, err = c.Submit(script, bindings)
	}
	if err != nil {
		return nil, err
	}
	return rs.All()
}

// strs renders results with fmt for comparisons.
func strs(rs []*gremlingo.Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprint(r.GetInterface())
	}
	return out
}

func joined(rs []*gremlingo.Result) string { return strings.Join(strs(rs), ",") }

func toInt64(t *testing.T, r *gremlingo.Result) int64 {
	t.Helper()
	n, err := r.GetInt64()
	if err != nil {
		t.Fatalf("result %v: %v", r, err)
	}
	return n
}
