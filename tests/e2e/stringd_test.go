package e2e

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
)

// rawConn is a WebSocket connection speaking one serializer of
// gremlin/io, for what drivers hide (status codes, batches, -stringd).
type rawConn struct {
	t    *testing.T
	ws   *websocket.Conn
	ser  gio.Serializer
	mime string
}

func dialRaw(t *testing.T, s *server, ser gio.Serializer) *rawConn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(s.url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", s.url, err)
	}
	t.Cleanup(func() { ws.Close() })
	return &rawConn{t: t, ws: ws, ser: ser, mime: ser.MimeType()}
}

// eval sends a script (aliases g to source) and collects every response
// of the request: zero or more 206 batches and the final one.
func (c *rawConn) eval(source, script string, args map[string]any) []*gio.Response {
	c.t.Helper()
	req := &gio.Request{RequestID: uuid.New(), Op: "eval", Args: map[string]any{
		"gremlin": script, "aliases": map[string]any{"g": source},
	}}
	for k, v := range args {
		req.Args[k] = v
	}
	payload, err := c.ser.EncodeRequest(req)
	if err != nil {
		c.t.Fatalf("encoding %q: %v", script, err)
	}
	frame, err := gio.BuildBinaryFrame(c.mime, payload)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.ws.WriteMessage(websocket.BinaryMessage, frame); err != nil {
		c.t.Fatalf("sending %q: %v", script, err)
	}
	var out []*gio.Response
	for i := 0; i < 100000; i++ {
		_ = c.ws.SetReadDeadline(time.Now().Add(startupLimit))
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.t.Fatalf("%q: reading response %d: %v", script, len(out), err)
		}
		resp, err := c.ser.DecodeResponse(data)
		if err != nil {
			c.t.Fatalf("%q: decoding response %d: %v", script, len(out), err)
		}
		if resp.RequestID != req.RequestID {
			c.t.Fatalf("%q: response for request %v, want %v", script, resp.RequestID, req.RequestID)
		}
		out = append(out, resp)
		if resp.Status.Code != 206 {
			return out
		}
	}
	c.t.Fatalf("%q: more than 100000 partial responses", script)
	return nil
}

// items checks that responses are 206s ending in a 200 and returns their
// result items in order.
func items(t *testing.T, script string, resps []*gio.Response) []any {
	t.Helper()
	var all []any
	for i, r := range resps {
		want := 206
		if i == len(resps)-1 {
			want = 200
		}
		if r.Status.Code != want {
			t.Fatalf("%q: response %d of %d has status %d (%s), want %d", script, i+1, len(resps), r.Status.Code, r.Status.Message, want)
		}
		batch, ok := r.Result.Data.([]any)
		if !ok {
			t.Fatalf("%q: response %d data is %T, want a list", script, i+1, r.Result.Data)
		}
		all = append(all, batch...)
	}
	return all
}

// TestGraphBinaryStringd sends GraphBinary requests with the Gremlin
// Console's mime type and checks the Java toString() forms it gets back.
func TestGraphBinaryStringd(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	c := dialRaw(t, s, gio.GraphBinaryStringd{})
	for _, tc := range []struct {
		script string
		want   []any
	}{
		{"g.V(1)", []any{"v[1]"}},
		{"g.V().hasLabel('software').order().by('name')", []any{"v[3]", "v[5]"}},
		{"g.E(7)", []any{"e[7][1-knows->2]"}},
		{"g.V(1).outE('created')", []any{"e[9][1-created->3]"}},
		{"g.V(1).properties('name')", []any{"vp[name->marko]"}},
		{"g.E(7).properties('weight')", []any{"p[weight->0.5]"}},
		{"g.V(1).valueMap('name', 'age')", []any{"{name=[marko], age=[29]}"}},
		{"g.V(1).out('knows').values('name').order().fold()", []any{"[josh, vadas]"}},
		{"g.V(1).out('knows').has('name', 'vadas').path()", []any{"path[v[1], v[2]]"}},
		{"g.V(1).outE('knows').has('weight', 0.5).inV().path()", []any{"path[v[1], e[7][1-knows->2], v[2]]"}},
		{"g.V(1).values('age')", []any{"29"}},
		{"g.E(8).values('weight')", []any{"1.0"}},
		{"g.V().hasLabel('person').values('name').order()", []any{"josh", "marko", "peter", "vadas"}},
		{"g.V(1).id()", []any{"1"}},
		{"g.inject(true, 'x')", []any{"true", "x"}},
	} {
		got := items(t, tc.script, c.eval("gmodern", tc.script, nil))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: stringd %q, want %q", tc.script, got, tc.want)
		}
	}

	// Batches stay strings in every partial response.
	resps := c.eval("gmodern", "g.V().order().by(id)", map[string]any{"batchSize": int32(4)})
	got := items(t, "batched", resps)
	if len(resps) != 2 || fmt.Sprint(got) != "[v[1] v[2] v[3] v[4] v[5] v[6]]" {
		t.Fatalf("batched stringd: %d responses, %q", len(resps), got)
	}
	// No result is a 204; an error keeps its status and message.
	if r := c.eval("gmodern", "g.V(99)", nil); len(r) != 1 || r[0].Status.Code != 204 {
		t.Fatalf("empty stringd result: %+v", r[0])
	}
	if r := c.eval("gmodern", "g.V(", nil); len(r) != 1 || r[0].Status.Code != 597 || r[0].Status.Message == "" {
		t.Fatalf("stringd syntax error: %+v", r[0])
	}
}

// TestPartialResponses counts the 206 batches of a 10,000-item result:
// full batches of resultIterationBatchSize (64) and a final 200, items in
// order, and the request's batchSize overriding the default.
func TestPartialResponses(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	c := dialRaw(t, s, gio.GraphBinary{})
	const n = 10000
	script := "g.inject(" + seq(n) + ")"
	for _, tc := range []struct {
		batch int
		args  map[string]any
	}{{64, nil}, {1000, map[string]any{"batchSize": int32(1000)}}} {
		resps := c.eval("g", script, tc.args)
		all := items(t, script, resps)
		if want := (n + tc.batch - 1) / tc.batch; len(resps) != want {
			t.Fatalf("batch %d: %d responses, want %d", tc.batch, len(resps), want)
		}
		for i, r := range resps[:len(resps)-1] {
			if l := len(r.Result.Data.([]any)); l != tc.batch {
				t.Fatalf("batch %d: partial response %d holds %d items", tc.batch, i, l)
			}
		}
		if len(all) != n {
			t.Fatalf("batch %d: %d items, want %d", tc.batch, len(all), n)
		}
		for i, v := range all {
			if fmt.Sprint(v) != fmt.Sprint(i) {
				t.Fatalf("batch %d: item %d is %v: out of order", tc.batch, i, v)
			}
		}
	}
}

func seq(n int) string {
	b := make([]byte, 0, n*5)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "%d", i)
	}
	return string(b)
}
