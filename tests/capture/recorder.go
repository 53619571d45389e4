package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
)

// recorder saves frames under labels and answers each request with 204.
type recorder struct {
	dir string

	mu    sync.Mutex
	label string
	seq   int
	files []string
	done  chan struct{}
	once  sync.Once
}

func newRecorder(dir string) (*recorder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &recorder{dir: dir, label: "unlabelled", done: make(chan struct{})}, nil
}

var unsafeChars = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

func (r *recorder) setLabel(l string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.label = unsafeChars.ReplaceAllString(l, "_")
}

func (r *recorder) save(data []byte, binary bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	ext := ".json"
	if binary {
		ext = ".bin"
	}
	name := fmt.Sprintf("%02d-%s%s", r.seq, r.label, ext)
	r.files = append(r.files, name)
	return os.WriteFile(filepath.Join(r.dir, name), data, 0o644)
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	switch req.URL.Path {
	case "/label":
		r.setLabel(req.URL.Query().Get("name"))
		return
	case "/done":
		r.once.Do(func() { close(r.done) })
		return
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, req, nil)
	if err != nil {
		log.Printf("upgrade: %v", err)
		return
	}
	defer conn.Close()
	for {
		typ, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := r.save(data, typ == websocket.BinaryMessage); err != nil {
			log.Printf("save: %v", err)
		}
		resp, rtyp, err := answer(typ, data)
		if err != nil {
			log.Printf("cannot answer frame: %v", err)
			continue
		}
		if err := conn.WriteMessage(rtyp, resp); err != nil {
			return
		}
	}
}

// answer builds a 204 No Content response in the request's format.
func answer(typ int, data []byte) ([]byte, int, error) {
	mime, payload := gio.MimeGraphSONv3, data
	if typ == websocket.BinaryMessage {
		var err error
		if mime, payload, err = gio.SplitBinaryFrame(data); err != nil {
			return nil, 0, err
		}
	}
	ser, ok := gio.ForMime(mime)
	if !ok {
		return nil, 0, fmt.Errorf("unknown mime %q", mime)
	}
	id, err := requestID(ser, payload)
	if err != nil {
		return nil, 0, err
	}
	out, err := ser.EncodeResponse(&gio.Response{RequestID: id, Status: gio.Status{Code: gio.StatusNoContent}})
	if err != nil {
		return nil, 0, err
	}
	if ser.Binary() {
		return out, websocket.BinaryMessage, nil
	}
	return out, typ, nil
}

// requestID extracts the id even from requests our decoder rejects, so
// the client is answered and the frame is still captured.
func requestID(ser gio.Serializer, payload []byte) (uuid.UUID, error) {
	req, err := ser.DecodeRequest(payload)
	if err == nil {
		return req.RequestID, nil
	}
	log.Printf("decoder rejected a captured request: %v", err)
	if ser.Binary() && len(payload) >= 17 {
		return uuid.FromBytes(payload[1:17])
	}
	var raw struct {
		RequestID json.RawMessage `json:"requestId"`
	}
	if jerr := json.Unmarshal(payload, &raw); jerr != nil {
		return uuid.Nil, err
	}
	var s string
	if json.Unmarshal(raw.RequestID, &s) == nil {
		return uuid.Parse(s)
	}
	var typed struct {
		Value string `json:"@value"`
	}
	if json.Unmarshal(raw.RequestID, &typed) == nil {
		return uuid.Parse(typed.Value)
	}
	return uuid.Nil, err
}
