package io

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	gremlingo "github.com/apache/tinkerpop/gremlin-go/v3/driver"
	"github.com/gorilla/websocket"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// A real gremlin-go client talks to a WebSocket endpoint that decodes its
// requests with DecodeRequest and answers with EncodeResponse: two
// partial batches (206, 200) of traversers.
func TestGremlinGoEndToEnd(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []*Request
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			_, frame, err := conn.ReadMessage()
			if err != nil {
				return
			}
			mime, payload, err := SplitBinaryFrame(frame)
			if err != nil || mime != MimeGraphBinary {
				t.Errorf("frame: %q %v", mime, err)
				return
			}
			req, err := GraphBinary{}.DecodeRequest(payload)
			if err != nil {
				t.Errorf("decode: %v", err)
				return
			}
			mu.Lock()
			seen = append(seen, req)
			mu.Unlock()
			batches := [][]any{
				{value.Traverser{Bulk: 1, Value: &value.Vertex{ID: int32(1), Label: "person"}},
					value.Traverser{Bulk: 2, Value: "marko"}},
				{value.Traverser{Bulk: 1, Value: strMap("age", []any{int32(29)})}},
			}
			for i, data := range batches {
				code := StatusPartialContent
				if i == len(batches)-1 {
					code = StatusSuccess
				}
				b, err := GraphBinary{}.EncodeResponse(&Response{RequestID: req.RequestID,
					Status: Status{Code: code}, Result: Result{Data: data}})
				if err != nil {
					t.Errorf("encode: %v", err)
					return
				}
				if err := conn.WriteMessage(websocket.BinaryMessage, b); err != nil {
					return
				}
			}
		}
	}))
	defer srv.Close()

	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/gremlin"
	remote, err := gremlingo.NewDriverRemoteConnection(url, func(s *gremlingo.DriverRemoteConnectionSettings) {
		s.LogVerbosity = gremlingo.Off
	})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	g := gremlingo.Traversal_().With(remote)
	results, err := g.V().ToList()
	if err != nil {
		t.Fatal(err)
	}
	// Bulk 2 expands to two results.
	if len(results) != 4 {
		t.Fatalf("got %d results, want 4: %v", len(results), results)
	}
	v, err := results[0].GetVertex()
	if err != nil || v.Id != int32(1) || v.Label != "person" {
		t.Errorf("result 0 = %v (%v)", results[0], err)
	}
	if s := results[1].GetString(); s != "marko" || results[2].GetString() != "marko" {
		t.Errorf("results 1,2 = %v %v", results[1], results[2])
	}
	m, ok := results[3].GetInterface().(map[any]any)
	if !ok || len(m["age"].([]any)) != 1 || m["age"].([]any)[0] != int32(29) {
		t.Errorf("result 3 = %#v", results[3].GetInterface())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0].Op != "bytecode" {
		t.Errorf("server saw %d requests", len(seen))
	}
}
