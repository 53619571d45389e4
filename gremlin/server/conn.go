package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
)

// frame is one outgoing WebSocket message.
type frame struct {
	typ  int
	data []byte
}

// wsConn is one WebSocket client. The reader goroutine (serveWebSocket)
// decodes frames and dispatches requests; each request runs in its own
// goroutine (or its session's) and hands encoded frames to the writer
// goroutine through the bounded queue out.
type wsConn struct {
	s      *Server
	ws     *websocket.Conn
	remote string

	ctx    context.Context // cancelled when the connection ends
	cancel context.CancelFunc

	out        chan frame
	writerDone chan struct{}
	goneAway   chan struct{} // closed after a shutdown close frame went out
	goneOnce   sync.Once

	inflight atomic.Int64
	reqs     sync.WaitGroup
	stopping atomic.Bool

	// lastTraffic is when a request frame last arrived or a response frame
	// last went out (unix nanoseconds), for the idle-connection timeout.
	lastTraffic atomic.Int64
	// deadlineMu orders read-deadline extensions (keepalive) against
	// stopReading, so a late pong cannot undo a shutdown's deadline.
	deadlineMu    sync.Mutex
	deadlineFinal bool

	// Authentication state; touched only by the reader goroutine.
	user    string
	authed  bool
	pending []pendingRequest
}

type pendingRequest struct {
	req  *gio.Request
	sink wsSink
}

func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.draining {
		s.mu.Unlock()
		http.Error(w, "server is shutting down", http.StatusServiceUnavailable)
		return
	}
	if s.cfg.MaxConnections > 0 && len(s.conns)+s.reserved >= s.cfg.MaxConnections {
		s.mu.Unlock()
		s.log.Warn("connection refused: limit reached", "remote", r.RemoteAddr, "limit", s.cfg.MaxConnections)
		http.Error(w, fmt.Sprintf("too many connections (limit %d)", s.cfg.MaxConnections), http.StatusServiceUnavailable)
		return
	}
	// Reserve the slot before upgrading so concurrent upgrades respect the limit.
	s.reserved++
	s.mu.Unlock()

	ws, err := s.upgrader.Upgrade(w, r, nil)
	s.mu.Lock()
	s.reserved--
	if err != nil {
		s.mu.Unlock()
		s.log.Debug("websocket upgrade failed", "remote", r.RemoteAddr, "err", err)
		return
	}
	if s.draining {
		s.mu.Unlock()
		_ = ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), time.Now().Add(time.Second))
		_ = ws.Close()
		return
	}
	c := &wsConn{s: s, ws: ws, remote: r.RemoteAddr}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.out = make(chan frame, s.cfg.WriteQueue)
	c.writerDone = make(chan struct{})
	c.goneAway = make(chan struct{})
	c.lastTraffic.Store(time.Now().UnixNano())
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	s.nconns.Add(1)
	s.metrics.connections.Inc()
	s.log.Debug("connection opened", "remote", c.remote)

	go c.writeLoop()
	c.readLoop()
}

func (c *wsConn) writeLoop() {
	defer close(c.writerDone)
	var ping, idle <-chan time.Time
	if iv := c.s.cfg.KeepAliveInterval; iv > 0 {
		t := time.NewTicker(iv)
		defer t.Stop()
		ping = t.C
	}
	if limit := c.s.cfg.IdleConnectionTimeout; limit > 0 {
		t := time.NewTicker(min(max(limit/4, 5*time.Millisecond), time.Second))
		defer t.Stop()
		idle = t.C
	}
	for {
		select {
		case f := <-c.out:
			_ = c.ws.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteTimeout))
			if err := c.ws.WriteMessage(f.typ, f.data); err != nil {
				c.s.log.Debug("write failed; closing connection", "remote", c.remote, "err", err)
				c.cancel()
				_ = c.ws.Close() // unblocks the reader
				return
			}
			if f.typ == websocket.CloseMessage {
				return
			}
			c.lastTraffic.Store(time.Now().UnixNano())
		case <-ping:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.cfg.WriteTimeout)); err != nil {
				c.s.log.Debug("ping failed; closing connection", "remote", c.remote, "err", err)
				c.cancel()
				_ = c.ws.Close()
				return
			}
		case now := <-idle:
			limit := c.s.cfg.IdleConnectionTimeout
			if c.inflight.Load() > 0 || len(c.out) > 0 || now.Sub(time.Unix(0, c.lastTraffic.Load())) < limit {
				continue
			}
			c.s.log.Info("closing idle connection", "remote", c.remote, "idle", limit)
			msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure,
				fmt.Sprintf("connection idle for %s", limit))
			_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.s.cfg.WriteTimeout))
			// The reader ends when the client answers the close, or soon
			// after if it does not.
			c.setReadDeadline(time.Now().Add(time.Second), true)
			return
		case <-c.ctx.Done():
			return
		}
	}
}

// setReadDeadline sets the reader's deadline unless shutdown already
// stopped the reader; final deadlines (shutdown, idle close) also mark
// the reader stopped so no keepalive extension follows.
func (c *wsConn) setReadDeadline(t time.Time, final bool) {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	if c.deadlineFinal {
		return
	}
	c.deadlineFinal = final
	_ = c.ws.SetReadDeadline(t)
}

// readFinished reports whether shutdown or the idle timeout ended reading.
func (c *wsConn) readFinished() bool {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	return c.deadlineFinal
}

// keepAliveWindow is how long a client may stay silent (no frame, no
// pong) before it is disconnected: one interval until the next ping, plus
// the pong's allowance of another interval, but at least a second, so
// scheduling hiccups do not drop clients under small intervals.
func (c *wsConn) keepAliveWindow() time.Duration {
	iv := c.s.cfg.KeepAliveInterval
	return iv + max(iv, time.Second)
}

// keepAlive arms the pong deadline (keepAliveWindow). Pings from the
// client are answered with pongs, as gorilla does by default.
func (c *wsConn) keepAlive() {
	if c.s.cfg.KeepAliveInterval <= 0 {
		return
	}
	extend := func() { c.setReadDeadline(time.Now().Add(c.keepAliveWindow()), false) }
	extend()
	c.ws.SetPongHandler(func(string) error { extend(); return nil })
	c.ws.SetPingHandler(func(data string) error {
		extend()
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(c.s.cfg.WriteTimeout))
		if err != nil && !errors.Is(err, websocket.ErrCloseSent) {
			var ne interface{ Timeout() bool }
			if !errors.As(err, &ne) || !ne.Timeout() {
				return err
			}
		}
		return nil
	})
}

// enqueue hands a frame to the writer, waiting while the queue is full.
func (c *wsConn) enqueue(ctx context.Context, f frame) error {
	select {
	case c.out <- f:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.writerDone:
		return errConnClosed
	}
}

var errConnClosed = errors.New("connection closed")

func (c *wsConn) readLoop() {
	c.ws.SetReadLimit(c.s.cfg.MaxContentLength)
	c.keepAlive()
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			var ne interface{ Timeout() bool }
			switch {
			case c.stopping.Load() || c.readFinished():
			case errors.As(err, &ne) && ne.Timeout():
				c.s.log.Info("closing unresponsive connection: no pong or request within the keepalive deadline",
					"remote", c.remote, "keepAliveInterval", c.s.cfg.KeepAliveInterval)
			default:
				c.s.log.Debug("connection closed by peer or read failed", "remote", c.remote, "err", err)
			}
			break
		}
		c.lastTraffic.Store(time.Now().UnixNano())
		if c.s.cfg.KeepAliveInterval > 0 {
			c.setReadDeadline(time.Now().Add(c.keepAliveWindow()), false)
		}
		c.handleFrame(typ, data)
	}
	if c.stopping.Load() {
		// Shutdown drains in-flight work, then sends the close frame.
		select {
		case <-c.goneAway:
		case <-c.writerDone:
		}
	}
	c.finish()
}

// finish tears the connection down after the reader stopped.
func (c *wsConn) finish() {
	c.cancel()
	c.s.sessions.closeOwnedBy(c)
	c.reqs.Wait()
	<-c.writerDone
	_ = c.ws.Close()
	c.s.mu.Lock()
	delete(c.s.conns, c)
	c.s.mu.Unlock()
	c.s.nconns.Add(-1)
	c.s.metrics.connections.Dec()
	c.s.log.Debug("connection closed", "remote", c.remote)
}

// stopReading makes the reader return so no new requests start (shutdown).
func (c *wsConn) stopReading() {
	c.stopping.Store(true)
	c.setReadDeadline(time.Now(), true)
}

// closeGoingAway flushes queued frames, sends close code 1001 and lets the
// reader finish the connection.
func (c *wsConn) closeGoingAway() {
	msg := websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down")
	select {
	case c.out <- frame{typ: websocket.CloseMessage, data: msg}:
		select {
		case <-c.writerDone:
		case <-time.After(c.s.cfg.WriteTimeout):
		}
	case <-c.writerDone:
	case <-time.After(c.s.cfg.WriteTimeout):
	}
	c.cancel()
	c.goneOnce.Do(func() { close(c.goneAway) })
}

// wsSink encodes responses with the request's serializer and queues them.
// As in Gremlin Server, the response frame type follows the request's: a
// GraphSON request sent in a binary frame (with a mime prefix) is answered
// in binary frames.
type wsSink struct {
	c      *wsConn
	ser    gio.Serializer
	binary bool
}

func (k wsSink) send(ctx context.Context, resp *gio.Response) error {
	data, err := k.ser.EncodeResponse(resp)
	if err != nil {
		return fmt.Errorf("%w: Error during serialization: %v", ErrSerialization, err)
	}
	typ := websocket.TextMessage
	if k.binary {
		typ = websocket.BinaryMessage
	}
	return k.c.enqueue(ctx, frame{typ: typ, data: data})
}

// handleFrame decodes one request frame and dispatches it. An undecodable
// frame gets a 499 naming the problem; the connection stays open.
func (c *wsConn) handleFrame(typ int, data []byte) {
	defer func() {
		if p := recover(); p != nil {
			c.s.log.Error("panic while decoding a request", "remote", c.remote, "panic", p, "stack", string(debug.Stack()))
			c.badFrame(wsSink{c, c.s.codecs.Default(), typ == websocket.BinaryMessage}, uuid.Nil,
				fmt.Sprintf("Request could not be decoded: internal error: %v", p))
		}
	}()
	binary := typ == websocket.BinaryMessage
	var ser gio.Serializer
	var payload []byte
	switch typ {
	case websocket.BinaryMessage:
		mime, p, err := gio.SplitBinaryFrame(data)
		if err != nil {
			c.badFrame(wsSink{c, c.s.codecs.Default(), true}, uuid.Nil, fmt.Sprintf("Request could not be decoded: %v", err))
			return
		}
		s, ok := c.s.codecs.ForMime(mime)
		if !ok {
			c.badFrame(wsSink{c, c.s.codecs.Default(), true}, salvageID(p), fmt.Sprintf("The mime type [%s] is not supported; use one of %s, %s, %s, %s",
				mime, gio.MimeGraphBinary, gio.MimeGraphBinaryStringd, gio.MimeGraphSONv3, gio.MimeGraphSONv2))
			return
		}
		ser, payload = s, p
	case websocket.TextMessage:
		s, ok := c.s.codecs.ForMime(gio.MimeJSON)
		if !ok {
			s = c.s.codecs.Default()
		}
		ser, payload = s, data
	default:
		return
	}
	req, err := ser.DecodeRequest(payload)
	if err != nil {
		id := uuid.Nil
		if ser.Binary() {
			id = salvageID(payload)
		} else {
			id = salvageJSONID(payload)
		}
		c.badFrame(wsSink{c, ser, binary}, id, fmt.Sprintf("Request could not be decoded: %v", err))
		return
	}
	c.dispatch(req, wsSink{c, ser, binary})
}

func (c *wsConn) badFrame(sk wsSink, id uuid.UUID, msg string) {
	c.s.log.Debug("bad request frame", "remote", c.remote, "err", msg)
	c.s.metrics.requests.WithLabelValues("ws", "", "").Inc()
	c.s.newReply(id, sk, "").finish(gio.StatusInvalidRequestArguments, msg, nil, nil)
}

// salvageID recovers the request id of a GraphBinary request whose body
// failed to decode (version byte 0x81, then the bare uuid), so the client
// learns which request failed.
func salvageID(p []byte) uuid.UUID {
	if len(p) >= 17 && p[0] == 0x81 {
		id, _ := uuid.FromBytes(p[1:17])
		return id
	}
	return uuid.Nil
}

func salvageJSONID(p []byte) uuid.UUID {
	var probe struct {
		RequestID json.RawMessage `json:"requestId"`
	}
	if json.Unmarshal(p, &probe) != nil || len(probe.RequestID) == 0 {
		return uuid.Nil
	}
	var s string
	if json.Unmarshal(probe.RequestID, &s) != nil {
		var typed struct {
			Value string `json:"@value"`
		}
		if json.Unmarshal(probe.RequestID, &typed) != nil {
			return uuid.Nil
		}
		s = typed.Value
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil
	}
	return id
}

// dispatch applies authentication, the in-flight limit, and starts the
// request.
func (c *wsConn) dispatch(req *gio.Request, sk wsSink) {
	s := c.s
	if s.cfg.Auth.Enabled && !c.authed {
		c.authenticate(req, sk)
		return
	}
	s.metrics.requests.WithLabelValues("ws", req.Op, req.Processor).Inc()
	rp := s.newReply(req.RequestID, sk, req.Op)
	if req.Op == opAuthentication {
		// Already authenticated (or auth is off): nothing to do.
		rp.finish(gio.StatusNoContent, "", nil, nil)
		return
	}
	if n := c.inflight.Add(1); n > int64(s.cfg.MaxInFlight) {
		c.inflight.Add(-1)
		rp.finish(gio.StatusTooManyRequests, fmt.Sprintf(
			"Too many requests in flight on this connection (limit %d); wait for responses before sending more", s.cfg.MaxInFlight), nil, nil)
		return
	}
	if !s.beginWork() {
		c.inflight.Add(-1)
		rp.finish(gio.StatusServerError, "Server is shutting down", nil, nil)
		return
	}
	c.reqs.Add(1)
	done := func() {
		// A request's end is traffic: its final frame may still be queued
		// for the writer, and the idle timer must not close the connection
		// before that frame goes out.
		c.lastTraffic.Store(time.Now().UnixNano())
		c.inflight.Add(-1)
		c.reqs.Done()
		s.endWork()
	}
	t := &task{req: req, reply: rp, user: c.user, transport: "ws"}
	if req.Processor == procSession {
		s.submitSession(c.ctx, c, t, done)
		return
	}
	go func() {
		defer done()
		s.run(c.ctx, t, s.execSessionless)
	}()
}

// authenticate runs SASL PLAIN as Gremlin Server does: the first request
// is saved and answered 407; the client's op "authentication" carries
// base64("\0user\0password"); on success the saved requests run, on
// failure they are answered 401.
func (c *wsConn) authenticate(req *gio.Request, sk wsSink) {
	s := c.s
	if req.Op != opAuthentication {
		if len(c.pending) >= s.cfg.MaxInFlight {
			s.newReply(req.RequestID, sk, req.Op).finish(gio.StatusTooManyRequests,
				"Too many requests waiting for authentication", nil, nil)
			return
		}
		c.pending = append(c.pending, pendingRequest{req, sk})
		if len(c.pending) == 1 {
			s.newReply(req.RequestID, sk, req.Op).finish(gio.StatusAuthenticate, "", nil, nil)
		}
		return
	}
	// The answer goes to the saved request, which the client waits on.
	target, targetSink := req, sk
	if len(c.pending) > 0 {
		target, targetSink = c.pending[0].req, c.pending[0].sink
	}
	failAll := func(code int, msg string) {
		s.newReply(target.RequestID, targetSink, target.Op).finish(code, msg, nil, nil)
		for _, p := range c.pending[min(1, len(c.pending)):] {
			s.newReply(p.req.RequestID, p.sink, p.req.Op).finish(code, msg, nil, nil)
		}
		c.pending = nil
	}
	sasl, ok := req.StringArg(argSASL)
	if !ok {
		failAll(gio.StatusMalformedRequest, "Incorrect type for : sasl - base64 encoded String is expected")
		return
	}
	if mech, ok := req.StringArg("saslMechanism"); ok && mech != "" && mech != "PLAIN" {
		failAll(gio.StatusUnauthorized, fmt.Sprintf("SASL mechanism [%s] is not supported; use PLAIN", mech))
		return
	}
	user, pass, err := parseSASLPlain(sasl)
	if err == nil {
		err = s.cfg.Auth.Credentials.Authenticate(user, pass)
	}
	if err != nil {
		s.log.Info("authentication failed", "remote", c.remote, "user", user)
		msg := errBadCredentials.Msg
		if !errors.Is(err, errBadCredentials) {
			msg = err.Error()
		}
		failAll(gio.StatusUnauthorized, msg)
		return
	}
	s.log.Debug("authenticated", "remote", c.remote, "user", user)
	c.authed, c.user = true, user
	pending := c.pending
	c.pending = nil
	if len(pending) == 0 {
		s.metrics.requests.WithLabelValues("ws", req.Op, req.Processor).Inc()
		s.newReply(req.RequestID, sk, req.Op).finish(gio.StatusNoContent, "", nil, nil)
		return
	}
	for _, p := range pending {
		c.dispatch(p.req, p.sink)
	}
}
