package server

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestEvalGraphBinary(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	data, final := c.do(evalReq("ints 3", nil))
	wantCode(t, final, 200)
	if len(data) != 3 || data[0] != int64(0) || data[2] != int64(2) {
		t.Fatalf("data %#v", data)
	}
	// The Console sends no language; the executor sees gremlin-groovy.
	req := evalReq("lang", nil)
	data, _ = c.do(req)
	if data[0] != "gremlin-groovy" {
		t.Fatalf("language %v", data[0])
	}
	data, _ = c.do(evalReq("echo x", map[string]any{"bindings": map[string]any{"x": int32(42)}}))
	if data[0] != int32(42) {
		t.Fatalf("binding %#v", data[0])
	}
	data, _ = c.do(evalReq("alias", map[string]any{"aliases": map[string]any{"g": "gmodern"}}))
	if data[0] != "gmodern" {
		t.Fatalf("alias %#v", data[0])
	}
}

func TestBytecodeTraversers(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	bc := &value.Bytecode{Steps: []value.Instruction{{Operator: "V"}, {Operator: "count"}}}
	data, final := c.do(bytecodeReq(bc, "gmodern"))
	wantCode(t, final, 200)
	tr, ok := data[0].(value.Traverser)
	if !ok || tr.Value != int64(6) || tr.Bulk != 1 {
		t.Fatalf("data %#v, want a Traverser of 6", data)
	}
	// Unknown source, missing aliases.
	_, final = c.do(bytecodeReq(bc, "nope"))
	wantCode(t, final, 499)
	if !strings.Contains(final.Status.Message, "[nope]") {
		t.Fatalf("message %q", final.Status.Message)
	}
	req := bytecodeReq(bc, "g")
	delete(req.Args, "aliases")
	_, final = c.do(req)
	wantCode(t, final, 499)
	// tx outside a session.
	tx := &value.Bytecode{Sources: []value.Instruction{{Operator: "tx", Args: []any{"commit"}}}}
	_, final = c.do(bytecodeReq(tx, "g"))
	wantCode(t, final, 499)
}

func TestBatching(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	check := func(req *gio.Request, n, batch int) {
		t.Helper()
		c.send(req)
		rs := c.until(req.RequestID)
		wantBatches := (n + batch - 1) / batch
		if len(rs) != wantBatches {
			t.Fatalf("%d responses, want %d", len(rs), wantBatches)
		}
		next := int64(0)
		for i, r := range rs {
			code := 206
			if i == len(rs)-1 {
				code = 200
			}
			wantCode(t, r, code)
			d := r.Result.Data.([]any)
			wantLen := batch
			if i == len(rs)-1 {
				wantLen = n - batch*(len(rs)-1)
			}
			if len(d) != wantLen {
				t.Fatalf("batch %d has %d items, want %d", i, len(d), wantLen)
			}
			for _, v := range d {
				if v != next {
					t.Fatalf("got %v, want %d", v, next)
				}
				next++
			}
		}
	}
	check(evalReq("ints 10000", nil), 10000, 64)
	check(evalReq("ints 128", nil), 128, 64) // exact multiple: 206 then 200
	check(evalReq("ints 10000", map[string]any{"batchSize": int32(1000)}), 10000, 1000)
	check(evalReq("ints 5", map[string]any{"batchSize": int64(2)}), 5, 2)

	_, final := c.do(evalReq("empty", nil))
	wantCode(t, final, 204)
	if final.Result.Data != nil {
		if d, ok := final.Result.Data.([]any); !ok || len(d) != 0 {
			t.Fatalf("204 carries data %#v", final.Result.Data)
		}
	}
	_, final = c.do(evalReq("ints 3", map[string]any{"batchSize": "big"}))
	wantCode(t, final, 499)
}

func TestServerBatchSizeConfig(t *testing.T) {
	ts := startServer(t, Config{BatchSize: 10})
	c := dial(t, ts.url)
	req := evalReq("ints 25", nil)
	c.send(req)
	if rs := c.until(req.RequestID); len(rs) != 3 {
		t.Fatalf("%d responses, want 3", len(rs))
	}
}

func TestTimeoutCancelsExecution(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	req := evalReq("sleep 20000", map[string]any{"evaluationTimeout": int64(100)})
	start := time.Now()
	_, final := c.do(req)
	wantCode(t, final, 598)
	if el := time.Since(start); el > 10*time.Second { // the script would run 20 s
		t.Fatalf("timeout answered after %v", el)
	}
	if !strings.Contains(final.Status.Message, "evaluationTimeout") {
		t.Fatalf("message %q", final.Status.Message)
	}
	select {
	case id := <-ts.exec.cancelled:
		if id != req.RequestID {
			t.Fatalf("cancelled %v, want %v", id, req.RequestID)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the executor never saw its context cancelled")
	}
	// The connection still works.
	_, final = c.do(evalReq("ints 1", nil))
	wantCode(t, final, 200)
}

func TestServerDefaultTimeout(t *testing.T) {
	ts := startServer(t, Config{EvaluationTimeout: 100 * time.Millisecond})
	c := dial(t, ts.url)
	_, final := c.do(evalReq("sleep 20000", nil))
	wantCode(t, final, 598)
	// evaluationTimeout 0 disables the limit.
	_, final = c.do(evalReq("sleep 300", map[string]any{"evaluationTimeout": int64(0)}))
	wantCode(t, final, 200)
}

func TestSessions(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	a, b := uuid.NewString(), uuid.NewString()
	_, final := c.do(sessionReq(a, "set x 5", nil))
	wantCode(t, final, 200)
	data, _ := c.do(sessionReq(a, "get x", nil))
	if len(data) != 1 || data[0] != "5" {
		t.Fatalf("session variable lost: %#v", data)
	}
	_, final = c.do(sessionReq(b, "get x", nil))
	wantCode(t, final, 204) // other session: no such variable

	// g.tx().commit() as gremlin-go and npm gremlin send it.
	tx := bytecodeReq(&value.Bytecode{Sources: []value.Instruction{{Operator: "tx", Args: []any{"commit"}}}}, "gmodern")
	tx.Processor = "session"
	tx.Args["session"] = a
	_, final = c.do(tx)
	wantCode(t, final, 204)
	rb := bytecodeReq(&value.Bytecode{Sources: []value.Instruction{{Operator: "tx", Args: []any{"rollback"}}}}, "g")
	rb.Processor = "session"
	rb.Args["session"] = a
	_, final = c.do(rb)
	wantCode(t, final, 204)
	if got := ts.exec.txs(); len(got) != 2 || got[0] != a+"/commit/gmodern" || got[1] != a+"/rollback/g" {
		t.Fatalf("tx log %v", got)
	}
	// Bytecode traversals in a session.
	bc := bytecodeReq(&value.Bytecode{Steps: []value.Instruction{{Operator: "V"}, {Operator: "count"}}}, "g")
	bc.Processor = "session"
	bc.Args["session"] = a
	data, _ = c.do(bc)
	if tr, ok := data[0].(value.Traverser); !ok || tr.Value != int64(6) {
		t.Fatalf("session bytecode %#v", data)
	}

	// close answers 204, and the variables are gone.
	closeReq := &gio.Request{RequestID: uuid.New(), Op: "close", Processor: "session", Args: map[string]any{"session": a}}
	_, final = c.do(closeReq)
	wantCode(t, final, 204)
	if cl := ts.exec.closedSessions(); len(cl) != 1 || cl[0] != a {
		t.Fatalf("closed sessions %v", cl)
	}
	_, final = c.do(sessionReq(a, "get x", nil))
	wantCode(t, final, 204)

	// Missing session id.
	req := sessionReq(a, "get x", nil)
	delete(req.Args, "session")
	_, final = c.do(req)
	wantCode(t, final, 499)
}

func TestSessionOrderAndSerialization(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	id := uuid.NewString()
	var reqs []*gio.Request
	for i := 0; i < 20; i++ {
		r := sessionReq(id, "append "+string(rune('a'+i)), nil)
		reqs = append(reqs, r)
		c.send(r) // pipelined: no waiting
	}
	finals := map[uuid.UUID]*gio.Response{}
	for len(finals) < len(reqs) {
		r := c.recv()
		finals[r.RequestID] = r
	}
	last := finals[reqs[len(reqs)-1].RequestID]
	wantCode(t, last, 200)
	log := last.Result.Data.([]any)[0].([]any)
	for i, v := range log {
		if v != string(rune('a'+i)) {
			t.Fatalf("session ran requests out of order: %v", log)
		}
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	ts := startServer(t, Config{SessionTimeout: 150 * time.Millisecond})
	c := dial(t, ts.url)
	id := uuid.NewString()
	c.do(sessionReq(id, "set x 1", nil))
	deadline := time.Now().Add(10 * time.Second)
	for len(ts.exec.closedSessions()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("idle session never expired")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := ts.sessions.count(); got != 0 {
		t.Fatalf("%d sessions still open", got)
	}
	_, final := c.do(sessionReq(id, "get x", nil))
	wantCode(t, final, 204)
}

func TestSessionClosedWithConnection(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	id := uuid.NewString()
	c.do(sessionReq(id, "set x 1", nil))
	_ = c.ws.Close()
	deadline := time.Now().Add(10 * time.Second)
	for len(ts.exec.closedSessions()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("session survived its connection")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSessionLimit(t *testing.T) {
	ts := startServer(t, Config{MaxSessions: 1})
	c := dial(t, ts.url)
	c.do(sessionReq("one", "set x 1", nil))
	_, final := c.do(sessionReq("two", "set x 1", nil))
	wantCode(t, final, 429)
}

func TestInFlightLimit(t *testing.T) {
	ts := startServer(t, Config{MaxInFlight: 2})
	c := dial(t, ts.url)
	r1, r2, r3 := evalReq("sleep 300", nil), evalReq("sleep 300", nil), evalReq("ints 1", nil)
	c.send(r1)
	c.send(r2)
	c.send(r3)
	first := c.recv()
	if first.RequestID != r3.RequestID {
		t.Fatalf("first response is for %v, want the rejected %v", first.RequestID, r3.RequestID)
	}
	wantCode(t, first, 429)
	got := map[uuid.UUID]int{}
	for len(got) < 2 {
		r := c.recv()
		got[r.RequestID] = r.Status.Code
	}
	if got[r1.RequestID] != 200 || got[r2.RequestID] != 200 {
		t.Fatalf("in-flight requests answered %v", got)
	}
	// Slots are free again.
	_, final := c.do(evalReq("ints 1", nil))
	wantCode(t, final, 200)
}

func TestOversizedFrame(t *testing.T) {
	ts := startServer(t, Config{MaxContentLength: 1024})
	c := dial(t, ts.url)
	c.send(evalReq("echo x", map[string]any{"bindings": map[string]any{"x": strings.Repeat("y", 4096)}}))
	_ = c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
		t.Fatalf("read error %v, want close 1009", err)
	}
	// The server keeps serving others.
	c2 := dial(t, ts.url)
	_, final := c2.do(evalReq("ints 1", nil))
	wantCode(t, final, 200)
}

func TestUndecodableFrames(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)

	// Valid mime, garbage payload that still starts with a request id.
	id := uuid.New()
	payload := append([]byte{0x81}, id[:]...)
	payload = append(payload, 0xff, 0xff, 0xff)
	f, _ := gio.BuildBinaryFrame(gio.MimeGraphBinary, payload)
	_ = c.ws.WriteMessage(websocket.BinaryMessage, f)
	r := c.recv()
	wantCode(t, r, 499)
	if r.RequestID != id {
		t.Fatalf("error response for %v, want the salvaged id %v", r.RequestID, id)
	}
	if !strings.Contains(r.Status.Message, "could not be decoded") {
		t.Fatalf("message %q", r.Status.Message)
	}

	// Unknown mime type.
	f, _ = gio.BuildBinaryFrame("application/x-nope", []byte{1, 2, 3})
	_ = c.ws.WriteMessage(websocket.BinaryMessage, f)
	r = c.recv()
	wantCode(t, r, 499)
	if !strings.Contains(r.Status.Message, "application/x-nope") {
		t.Fatalf("message %q", r.Status.Message)
	}

	// A frame whose mime length byte lies.
	_ = c.ws.WriteMessage(websocket.BinaryMessage, []byte{200, 'a'})
	wantCode(t, c.recv(), 499)

	// The connection is still usable.
	_, final := c.do(evalReq("ints 2", nil))
	wantCode(t, final, 200)
}

func TestTextFrameGraphSON(t *testing.T) {
	ts := startServer(t, Config{})
	if _, ok := ts.codecs.ForMime(gio.MimeJSON); !ok {
		t.Skip("gremlin/io has no GraphSON serializer yet")
	}
	c := dial(t, ts.url)
	id := uuid.New()
	msg := `{"requestId":"` + id.String() + `","op":"eval","processor":"","args":{"gremlin":"ints 2"}}`
	_ = c.ws.WriteMessage(websocket.TextMessage, []byte(msg))
	_ = c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	typ, data, err := c.ws.ReadMessage()
	if err != nil || typ != websocket.TextMessage {
		t.Fatalf("read %d %v", typ, err)
	}
	if !strings.Contains(string(data), id.String()) || !strings.Contains(string(data), `"code":200`) {
		t.Fatalf("response %s", data)
	}
	// Undecodable text frame: 499 and the connection stays open.
	_ = c.ws.WriteMessage(websocket.TextMessage, []byte(`{"requestId": nope`))
	_, data, err = c.ws.ReadMessage()
	if err != nil || !strings.Contains(string(data), "499") {
		t.Fatalf("response %s %v", data, err)
	}
}

func TestPanicAnswers500(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	_, final := c.do(evalReq("panic", nil))
	wantCode(t, final, 500)
	if !strings.Contains(final.Status.Message, "boom") {
		t.Fatalf("message %q", final.Status.Message)
	}
	_, final = c.do(evalReq("ints 1", nil))
	wantCode(t, final, 200)
}

func TestErrorCodes(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	cases := []struct {
		req  *gio.Request
		code int
		msg  string
	}{
		{evalReq("fail no such step", nil), 597, "no such step"},
		{evalReq("forbidden", nil), 403, "read-only"},
		{evalReq("unencodable", nil), 599, "serialization"},
		{&gio.Request{RequestID: uuid.New(), Op: "frobnicate", Processor: "", Args: map[string]any{}}, 499, "[frobnicate]"},
		{&gio.Request{RequestID: uuid.New(), Op: "eval", Processor: "nope", Args: map[string]any{"gremlin": "x"}}, 499, "[nope]"},
		{evalReq("ints 1", map[string]any{"aliases": map[string]any{"g": "missing"}}), 499, "[missing]"},
		{&gio.Request{RequestID: uuid.New(), Op: "eval", Processor: "", Args: map[string]any{}}, 499, "[gremlin]"},
		{evalReq("ints 1", map[string]any{"evaluationTimeout": "soon"}), 499, "evaluationTimeout"},
	}
	for _, tc := range cases {
		_, final := c.do(tc.req)
		if final.Status.Code != tc.code || !strings.Contains(final.Status.Message, tc.msg) {
			t.Errorf("%s %v: got %d %q, want %d containing %q", tc.req.Op, tc.req.Args["gremlin"],
				final.Status.Code, final.Status.Message, tc.code, tc.msg)
		}
	}
	// An eval alias may name a graph as well as a source.
	_, final := c.do(evalReq("ints 1", map[string]any{"aliases": map[string]any{"graph": "modern"}}))
	wantCode(t, final, 200)
}

func TestBackpressureBoundsMemory(t *testing.T) {
	ts := startServer(t, Config{WriteQueue: 4, BatchSize: 64})
	c := dial(t, ts.url)
	const total = 1_000_000
	c.send(evalReq("blob 1000000 1024", map[string]any{"evaluationTimeout": int64(0)}))
	// Do not read: the producer must stall. Wait until the count stops
	// moving (however slow the machine), then check where it stopped.
	var p2 int64
	for deadline := time.Now().Add(20 * time.Second); ; {
		p1 := ts.exec.produced.Load()
		time.Sleep(300 * time.Millisecond)
		p2 = ts.exec.produced.Load()
		if p2 >= total/10 {
			t.Fatalf("produced %d of %d results for a client that reads nothing", p2, total)
		}
		if p1 == p2 && p2 > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("production did not stall: %d → %d", p1, p2)
		}
	}
	// Reading resumes production.
	_ = c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for i := 0; i < 200; i++ {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			t.Fatal(err)
		}
	}
	if ts.exec.produced.Load() <= p2 {
		t.Fatal("production did not resume after reading")
	}
}

func TestMaxConnections(t *testing.T) {
	ts := startServer(t, Config{MaxConnections: 1})
	dial(t, ts.url)
	_, resp, err := websocket.DefaultDialer.Dial(ts.url, nil)
	if err == nil || resp == nil || resp.StatusCode != 503 {
		t.Fatalf("second connection: err %v resp %v, want HTTP 503", err, resp)
	}
}

func TestShutdownFinishesInFlight(t *testing.T) {
	fe := newFakeExec()
	s := New(Config{}, fe, nil)
	ts := startServerWith(t, s)
	c := dial(t, ts.url)
	req := evalReq("sleep 300", nil)
	c.send(req)
	time.Sleep(50 * time.Millisecond)
	var wg sync.WaitGroup
	wg.Add(1)
	var shutErr error
	go func() {
		defer wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		shutErr = s.Shutdown(ctx)
	}()
	r := c.recv()
	if r.RequestID != req.RequestID {
		t.Fatalf("unexpected response %v", r.RequestID)
	}
	wantCode(t, r, 200)
	wg.Wait()
	if shutErr != nil {
		t.Fatal(shutErr)
	}
	_ = c.ws.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, _, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Fatalf("after shutdown: %v, want close 1001", err)
	}
	if _, _, err := websocket.DefaultDialer.Dial(ts.url, nil); err == nil {
		t.Fatal("new connection accepted after shutdown")
	}
}

func TestStatusOf(t *testing.T) {
	cases := []struct {
		err  error
		code int
	}{
		{errors.New("plain"), 597},
		{ErrTimeout, 598},
		{context.DeadlineExceeded, 598},
		{ErrTemporary, 596},
		{ErrFailStep, 595},
		{ErrInvalidRequest, 499},
		{&Error{Code: 403, Msg: "x"}, 403},
		{codeErr(429), 429},
	}
	for _, tc := range cases {
		if got := statusOf(tc.err); got != tc.code {
			t.Errorf("statusOf(%v) = %d, want %d", tc.err, got, tc.code)
		}
	}
}

type codeErr int

func (c codeErr) Error() string      { return "coded" }
func (c codeErr) GremlinStatus() int { return int(c) }

func TestOtherSerializers(t *testing.T) {
	ts := startServer(t, Config{})
	// The Console's GraphBinary -stringd: results as Java toString() strings.
	c := dial(t, ts.url)
	c.ser = gio.GraphBinaryStringd{}
	data, final := c.do(evalReq("ints 2", nil))
	wantCode(t, final, 200)
	if len(data) != 2 || data[0] != "0" || data[1] != "1" {
		t.Fatalf("stringd data %#v", data)
	}
	// GraphSON v2 sent in a binary frame is answered in binary frames,
	// as Gremlin Server does.
	v2, ok := ts.codecs.ForMime(gio.MimeGraphSONv2)
	if !ok {
		t.Skip("no GraphSON v2 serializer yet")
	}
	req := evalReq("ints 2", nil)
	payload, err := v2.EncodeRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := gio.BuildBinaryFrame(gio.MimeGraphSONv2, payload)
	_ = c.ws.WriteMessage(websocket.BinaryMessage, f)
	_ = c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	typ, raw, err := c.ws.ReadMessage()
	if err != nil || typ != websocket.BinaryMessage {
		t.Fatalf("frame type %d err %v", typ, err)
	}
	resp, err := v2.DecodeResponse(raw)
	if err != nil || resp.RequestID != req.RequestID || resp.Status.Code != 200 {
		t.Fatalf("GraphSON v2 response %+v %v", resp, err)
	}
}
