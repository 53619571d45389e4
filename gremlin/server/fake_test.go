package server

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// fakeExec is a tiny Executor whose "scripts" are commands:
//
//	ints N        N Longs 0..N-1
//	blob N SIZE   N strings of SIZE bytes (counts production in produced)
//	sleep MS      blocks MS ms or until cancelled (reports to cancelled)
//	echo NAME     the binding NAME
//	set K V / get K   session variables (V is a string)
//	append V      appends V to the session's log and returns the log
//	panic         panics
//	fail MSG      a 597 with MSG
//	forbidden     a 403
//	empty         no results
//	user / lang / alias   the request's user, language, aliases["g"]
//	unencodable   a value no serializer can write
//
// Bytecode: V().count() answers 6; inject(a, b, ...) answers its arguments;
// anything else answers the number of steps.
type fakeExec struct {
	cancelled chan uuid.UUID
	produced  atomic.Int64

	mu       sync.Mutex
	closed   []string // session ids closed
	txLog    []string // "session/op/source"
	sessions map[string]*fakeSession
}

func newFakeExec() *fakeExec {
	return &fakeExec{cancelled: make(chan uuid.UUID, 16), sessions: map[string]*fakeSession{}}
}

func (f *fakeExec) Sources() map[string]string {
	return map[string]string{"g": "graph", "gmodern": "modern"}
}

func (f *fakeExec) Eval(ctx context.Context, req *EvalRequest) (Results, error) {
	return f.eval(ctx, req, nil)
}

func (f *fakeExec) Submit(ctx context.Context, req *BytecodeRequest) (Results, error) {
	return f.submit(ctx, req)
}

func (f *fakeExec) NewSession(id string) (Session, error) {
	s := &fakeSession{f: f, id: id, vars: map[string]any{}}
	f.mu.Lock()
	f.sessions[id] = s
	f.mu.Unlock()
	return s, nil
}

func (f *fakeExec) closedSessions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.closed...)
}

func (f *fakeExec) txs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.txLog...)
}

type fakeSession struct {
	f    *fakeExec
	id   string
	vars map[string]any
	log  []any
	busy atomic.Int32 // detects concurrent use
}

func (s *fakeSession) enter() {
	if s.busy.Add(1) != 1 {
		panic("session used concurrently")
	}
}
func (s *fakeSession) leave() { s.busy.Add(-1) }

func (s *fakeSession) Eval(ctx context.Context, req *EvalRequest) (Results, error) {
	s.enter()
	defer s.leave()
	return s.f.eval(ctx, req, s)
}

func (s *fakeSession) Submit(ctx context.Context, req *BytecodeRequest) (Results, error) {
	s.enter()
	defer s.leave()
	return s.f.submit(ctx, req)
}

func (s *fakeSession) Commit(_ context.Context, source string) error {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.txLog = append(s.f.txLog, s.id+"/commit/"+source)
	return nil
}

func (s *fakeSession) Rollback(_ context.Context, source string) error {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.txLog = append(s.f.txLog, s.id+"/rollback/"+source)
	return nil
}

func (s *fakeSession) Close() error {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.closed = append(s.f.closed, s.id)
	return nil
}

// genResults yields n values from gen, observing ctx.
type genResults struct {
	ctx  context.Context
	n, i int
	gen  func(i int) any
	err  error
}

func (r *genResults) Next() (any, bool) {
	if r.err != nil || r.i >= r.n {
		return nil, false
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return nil, false
	}
	v := r.gen(r.i)
	r.i++
	return v, true
}
func (r *genResults) Err() error { return r.err }
func (r *genResults) Close()     {}

func values(ctx context.Context, vs ...any) Results {
	return &genResults{ctx: ctx, n: len(vs), gen: func(i int) any { return vs[i] }}
}

type unencodable struct{}

func (f *fakeExec) eval(ctx context.Context, req *EvalRequest, s *fakeSession) (Results, error) {
	fields := strings.Fields(req.Script)
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: empty script", ErrEvaluation)
	}
	arg := func(i int) int {
		if i >= len(fields) {
			return 0
		}
		n, _ := strconv.Atoi(fields[i])
		return n
	}
	switch fields[0] {
	case "ints":
		return &genResults{ctx: ctx, n: arg(1), gen: func(i int) any { return int64(i) }}, nil
	case "blob":
		payload := strings.Repeat("x", arg(2))
		return &genResults{ctx: ctx, n: arg(1), gen: func(int) any { f.produced.Add(1); return payload }}, nil
	case "sleep":
		select {
		case <-time.After(time.Duration(arg(1)) * time.Millisecond):
			return values(ctx, "awake"), nil
		case <-ctx.Done():
			f.cancelled <- req.RequestID
			return nil, ctx.Err()
		}
	case "echo":
		return values(ctx, req.Bindings[fields[1]]), nil
	case "set":
		s.vars[fields[1]] = fields[2]
		return values(ctx, fields[2]), nil
	case "get":
		v, ok := s.vars[fields[1]]
		if !ok {
			return values(ctx), nil
		}
		return values(ctx, v), nil
	case "append":
		s.log = append(s.log, fields[1])
		return values(ctx, append([]any(nil), s.log...)), nil
	case "panic":
		panic("boom")
	case "fail":
		return nil, fmt.Errorf("%w: %s", ErrEvaluation, strings.Join(fields[1:], " "))
	case "forbidden":
		return nil, fmt.Errorf("%w: graph is read-only", ErrForbidden)
	case "empty":
		return values(ctx), nil
	case "user":
		return values(ctx, req.User), nil
	case "lang":
		return values(ctx, req.Language), nil
	case "alias":
		return values(ctx, req.Aliases["g"]), nil
	case "unencodable":
		return values(ctx, unencodable{}), nil
	}
	return nil, fmt.Errorf("%w: unknown command %q", ErrEvaluation, fields[0])
}

func (f *fakeExec) submit(ctx context.Context, req *BytecodeRequest) (Results, error) {
	steps := req.Bytecode.Steps
	if len(steps) == 2 && steps[0].Operator == "V" && steps[1].Operator == "count" {
		return values(ctx, value.Traverser{Bulk: 1, Value: int64(6)}), nil
	}
	if len(steps) >= 1 && steps[0].Operator == "inject" {
		out := make([]any, len(steps[0].Args))
		for i, a := range steps[0].Args {
			out[i] = value.Traverser{Bulk: 1, Value: a}
		}
		return values(ctx, out...), nil
	}
	return values(ctx, value.Traverser{Bulk: 1, Value: int64(len(steps))}), nil
}

// ---- test harness ----

type testServer struct {
	*Server
	exec *fakeExec
	url  string // ws://.../gremlin
	base string // http://...
}

func startServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	return startServerWith(t, New(cfg, newFakeExec(), nil))
}

// startServerWith serves s (whose executor must be a *fakeExec) on a free port.
func startServerWith(t *testing.T, s *Server) *testServer {
	t.Helper()
	fe := s.exec.(*fakeExec)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	addr := ln.Addr().String()
	return &testServer{Server: s, exec: fe, url: "ws://" + addr + "/gremlin", base: "http://" + addr}
}

type wsClient struct {
	t   *testing.T
	ws  *websocket.Conn
	ser gio.Serializer
}

func dial(t *testing.T, url string) *wsClient {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	return &wsClient{t: t, ws: ws, ser: gio.GraphBinary{}}
}

func (c *wsClient) send(req *gio.Request) {
	c.t.Helper()
	payload, err := c.ser.EncodeRequest(req)
	if err != nil {
		c.t.Fatalf("encode request: %v", err)
	}
	f, err := gio.BuildBinaryFrame(c.ser.MimeType(), payload)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.ws.WriteMessage(websocket.BinaryMessage, f); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *wsClient) recv() *gio.Response {
	c.t.Helper()
	// Generous: bcrypt under -race on a busy machine is slow.
	_ = c.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	typ, data, err := c.ws.ReadMessage()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	if typ != websocket.BinaryMessage {
		c.t.Fatalf("got frame type %d, want binary", typ)
	}
	resp, err := c.ser.DecodeResponse(data)
	if err != nil {
		c.t.Fatalf("decode response: %v", err)
	}
	return resp
}

// until reads responses for id until a final one; it returns all of them.
func (c *wsClient) until(id uuid.UUID) []*gio.Response {
	c.t.Helper()
	var out []*gio.Response
	for {
		r := c.recv()
		if r.RequestID != id {
			c.t.Fatalf("response for %v while waiting for %v: %+v", r.RequestID, id, r.Status)
		}
		out = append(out, r)
		if r.Status.Code != gio.StatusPartialContent {
			return out
		}
	}
}

func evalReq(script string, args map[string]any) *gio.Request {
	a := map[string]any{"gremlin": script, "aliases": map[string]any{"g": "g"}}
	for k, v := range args {
		a[k] = v
	}
	return &gio.Request{RequestID: uuid.New(), Op: "eval", Processor: "", Args: a}
}

func sessionReq(session, script string, args map[string]any) *gio.Request {
	r := evalReq(script, args)
	r.Processor = "session"
	r.Args["session"] = session
	return r
}

func bytecodeReq(bc *value.Bytecode, source string) *gio.Request {
	return &gio.Request{RequestID: uuid.New(), Op: "bytecode", Processor: "traversal",
		Args: map[string]any{"gremlin": bc, "aliases": map[string]any{"g": source}}}
}

// do sends req and returns the concatenated data and the final response.
func (c *wsClient) do(req *gio.Request) ([]any, *gio.Response) {
	c.t.Helper()
	c.send(req)
	rs := c.until(req.RequestID)
	var data []any
	for _, r := range rs {
		if d, ok := r.Result.Data.([]any); ok {
			data = append(data, d...)
		}
	}
	return data, rs[len(rs)-1]
}

func wantCode(t *testing.T, r *gio.Response, code int) {
	t.Helper()
	if r.Status.Code != code {
		t.Fatalf("status %d (%q), want %d", r.Status.Code, r.Status.Message, code)
	}
}
