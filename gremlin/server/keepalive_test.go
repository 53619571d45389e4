package server

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// readErr runs the client's reader (which is what answers pings with
// pongs, gorilla's default) until the connection fails, and reports the
// error; data frames go to msgs when it is not nil. waitLimit is a
// liveness bound, not a speed assertion.
func readErr(ws *websocket.Conn, msgs chan<- []byte) <-chan error {
	errc := make(chan error, 1)
	go func() {
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				errc <- err
				return
			}
			if msgs != nil {
				msgs <- data
			}
		}
	}()
	return errc
}

const waitLimit = 30 * time.Second

// TestKeepAlivePings: the server pings at the interval; a client that
// answers (gorilla's default ping handler) stays connected across many
// intervals, well past the two-interval pong deadline, and is still served.
func TestKeepAlivePings(t *testing.T) {
	const iv = 20 * time.Millisecond
	ts := startServer(t, Config{KeepAliveInterval: iv})
	c := dial(t, ts.url)
	pings := make(chan struct{}, 64)
	def := c.ws.PingHandler()
	c.ws.SetPingHandler(func(data string) error {
		select {
		case pings <- struct{}{}:
		default:
		}
		return def(data) // answer with a pong
	})
	msgs := make(chan []byte, 1)
	errc := readErr(c.ws, msgs)
	for i := 0; i < 10; i++ { // 10 pings: 5 pong deadlines have passed
		select {
		case <-pings:
		case err := <-errc:
			t.Fatalf("connection failed after %d pings: %v", i, err)
		case <-time.After(waitLimit):
			t.Fatalf("only %d pings arrived", i)
		}
	}
	// Still open and served.
	req := evalReq("ints 1", nil)
	c.send(req)
	select {
	case data := <-msgs:
		resp, err := c.ser.DecodeResponse(data)
		if err != nil || resp.RequestID != req.RequestID {
			t.Fatalf("response %+v %v", resp, err)
		}
		wantCode(t, resp, 200)
	case err := <-errc:
		t.Fatalf("responsive client was disconnected: %v", err)
	case <-time.After(waitLimit):
		t.Fatal("no response")
	}
}

// TestKeepAliveDropsUnresponsiveClient: a client that reads pings but
// never answers them is disconnected once the pong deadline passes, and
// the server keeps serving others.
func TestKeepAliveDropsUnresponsiveClient(t *testing.T) {
	const iv = 20 * time.Millisecond
	ts := startServer(t, Config{KeepAliveInterval: iv})
	c := dial(t, ts.url)
	pinged := make(chan struct{}, 1)
	c.ws.SetPingHandler(func(string) error { // swallow: no pong
		select {
		case pinged <- struct{}{}:
		default:
		}
		return nil
	})
	errc := readErr(c.ws, nil)
	select {
	case err := <-errc:
		t.Fatalf("disconnected before any ping: %v", err)
	case <-pinged:
	case <-time.After(waitLimit):
		t.Fatal("no ping arrived")
	}
	select {
	case err := <-errc:
		var ce *websocket.CloseError
		var ne net.Error
		if !errors.As(err, &ce) && !errors.As(err, &ne) && !strings.Contains(err.Error(), "EOF") &&
			!strings.Contains(err.Error(), "reset") {
			t.Fatalf("unexpected read error %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("an unresponsive client was not disconnected")
	}
	// The server forgets the connection and serves a new one.
	c2 := dial(t, ts.url)
	_, final := c2.do(evalReq("ints 1", nil))
	wantCode(t, final, 200)
}

// TestKeepAliveOff: a negative interval sends no pings; zero takes the
// 30 s default.
func TestKeepAliveOff(t *testing.T) {
	ts := startServer(t, Config{KeepAliveInterval: -1})
	if ts.cfg.KeepAliveInterval >= 0 {
		t.Fatalf("KeepAliveInterval %v after defaults, want off", ts.cfg.KeepAliveInterval)
	}
	if d := DefaultConfig().KeepAliveInterval; d != 30*time.Second {
		t.Fatalf("default KeepAliveInterval %v, want 30s", d)
	}
	if (Config{}).withDefaults().KeepAliveInterval != 30*time.Second {
		t.Fatal("zero KeepAliveInterval does not take the default")
	}
	c := dial(t, ts.url)
	pinged := make(chan struct{}, 1)
	c.ws.SetPingHandler(func(string) error { pinged <- struct{}{}; return nil })
	// A request/response exchange reads frames: no ping may come first.
	_, final := c.do(evalReq("sleep 50", nil))
	wantCode(t, final, 200)
	select {
	case <-pinged:
		t.Fatal("a ping arrived with keepalive off")
	default:
	}
}

// TestIdleConnectionTimeout: a connection without traffic is closed with
// code 1000 naming the idle timeout, and the server keeps serving others.
func TestIdleConnectionTimeout(t *testing.T) {
	ts := startServer(t, Config{KeepAliveInterval: -1, IdleConnectionTimeout: 100 * time.Millisecond})
	c := dial(t, ts.url)
	// Nothing is sent: the server closes the connection.
	_ = c.ws.SetReadDeadline(time.Now().Add(waitLimit))
	_, _, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure || !strings.Contains(ce.Text, "idle") {
		t.Fatalf("read error %v, want close 1000 naming the idle timeout", err)
	}
	// The server still serves (asked over HTTP, which has no idle timer, so
	// a stalled machine cannot close this check's connection first).
	resp, err := http.Get(ts.base + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/health after an idle close: %s", resp.Status)
	}
}

// TestIdleTimeoutSparesRunningRequest: a request that runs longer than the
// idle timeout keeps its connection open, and its answer arrives. The
// timeout leaves a second for a slow dial and first request on a loaded
// machine: the connection is idle until that arrives.
func TestIdleTimeoutSparesRunningRequest(t *testing.T) {
	ts := startServer(t, Config{KeepAliveInterval: -1, IdleConnectionTimeout: time.Second})
	c := dial(t, ts.url)
	_, final := c.do(evalReq("sleep 2500", nil))
	wantCode(t, final, 200)
}
