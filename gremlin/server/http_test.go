package server

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
)

func httpDo(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func needJSON(t *testing.T, ts *testServer) {
	if _, ok := ts.codecs.ForMime(gio.MimeJSON); !ok {
		t.Skip("gremlin/io has no GraphSON serializer yet")
	}
}

func TestHTTPPostAndGetGraphBinary(t *testing.T) {
	ts := startServer(t, Config{})
	// POST JSON, answer in GraphBinary (Accept) so the test does not
	// depend on GraphSON.
	req, _ := http.NewRequest("POST", ts.base+"/", strings.NewReader(`{"gremlin":"echo x","bindings":{"x":7}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", gio.MimeGraphBinary)
	resp, body := httpDo(t, req)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != gio.MimeGraphBinary {
		t.Fatalf("status %d type %q body %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	r, err := gio.GraphBinary{}.DecodeResponse(body)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Result.Data.([]any); len(d) != 1 || d[0] != int32(7) {
		t.Fatalf("data %#v", r.Result.Data)
	}

	// GET with bindings.x and all results in one response (no batching).
	req, _ = http.NewRequest("GET", ts.base+"/?gremlin="+url.QueryEscape("ints 100")+"&bindings.y=1", nil)
	req.Header.Set("Accept", gio.MimeGraphBinary)
	resp, body = httpDo(t, req)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d body %q", resp.StatusCode, body)
	}
	r, _ = gio.GraphBinary{}.DecodeResponse(body)
	if d := r.Result.Data.([]any); len(d) != 100 || r.Status.Code != 200 {
		t.Fatalf("%d results, status %d", len(d), r.Status.Code)
	}

	// A full request message when the Content-Type names a serializer.
	full := evalReq("ints 3", nil)
	payload, _ := gio.GraphBinary{}.EncodeRequest(full)
	req, _ = http.NewRequest("POST", ts.base+"/gremlin", bytes.NewReader(payload))
	req.Header.Set("Content-Type", gio.MimeGraphBinary)
	req.Header.Set("Accept", gio.MimeGraphBinary)
	resp, body = httpDo(t, req)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d body %q", resp.StatusCode, body)
	}
	r, _ = gio.GraphBinary{}.DecodeResponse(body)
	if r.RequestID != full.RequestID || len(r.Result.Data.([]any)) != 3 {
		t.Fatalf("full request answered %v %#v", r.RequestID, r.Result.Data)
	}

	// Empty result: 200 with an empty list, as Gremlin Server's HTTP does.
	req, _ = http.NewRequest("GET", ts.base+"/?gremlin=empty", nil)
	req.Header.Set("Accept", gio.MimeGraphBinary)
	resp, body = httpDo(t, req)
	r, _ = gio.GraphBinary{}.DecodeResponse(body)
	if resp.StatusCode != 200 || r.Status.Code != 200 {
		t.Fatalf("empty: http %d gremlin %d", resp.StatusCode, r.Status.Code)
	}
}

func TestHTTPErrors(t *testing.T) {
	ts := startServer(t, Config{MaxContentLength: 256, EvaluationTimeout: 100 * time.Millisecond})
	cases := []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{"GET", "/", "", 400, "no gremlin script supplied"},
		{"POST", "/", `{"bindings":{}}`, 400, "no gremlin script supplied"},
		{"POST", "/", `not json`, 400, "JSON"},
		{"POST", "/", `{"gremlin":"fail broken"}`, 500, "broken"},
		{"POST", "/", `{"gremlin":"x","aliases":{"g":"missing"}}`, 400, "missing"},
		{"POST", "/", `{"gremlin":"` + strings.Repeat("y", 400) + `"}`, 413, "maxContentLength"},
		{"PUT", "/", ``, 405, "GET and POST"},
		{"GET", "/?gremlin=" + url.QueryEscape("sleep 5000"), "", 500, "evaluationTimeout"},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, ts.base+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Accept", gio.MimeGraphBinary)
		resp, body := httpDo(t, req)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.contains) {
			t.Errorf("%s %s %s: %d %s, want %d containing %q", tc.method, tc.path, tc.body, resp.StatusCode, body, tc.status, tc.contains)
		}
	}
	req, _ := http.NewRequest("GET", ts.base+"/?gremlin=ints", nil)
	req.Header.Set("Accept", "text/x-unknown")
	if resp, body := httpDo(t, req); resp.StatusCode != 400 || !strings.Contains(string(body), "Accept") {
		t.Errorf("unknown Accept: %d %s", resp.StatusCode, body)
	}
}

func TestHTTPGraphSONDefault(t *testing.T) {
	ts := startServer(t, Config{})
	needJSON(t, ts)
	req, _ := http.NewRequest("POST", ts.base+"/", strings.NewReader(`{"gremlin":"ints 2"}`))
	resp, body := httpDo(t, req)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"requestId"`) || !strings.Contains(string(body), `"code":200`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}

func TestCORS(t *testing.T) {
	ts := startServer(t, Config{})
	req, _ := http.NewRequest("OPTIONS", ts.base+"/", nil)
	req.Header.Set("Origin", "http://viz.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	resp, _ := httpDo(t, req)
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "http://viz.example" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") ||
		resp.Header.Get("Access-Control-Allow-Headers") != "content-type" {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	req, _ = http.NewRequest("GET", ts.base+"/?gremlin=ints+1", nil)
	req.Header.Set("Origin", "http://viz.example")
	req.Header.Set("Accept", gio.MimeGraphBinary)
	resp, _ = httpDo(t, req)
	if resp.Header.Get("Access-Control-Allow-Origin") != "http://viz.example" {
		t.Fatalf("no CORS header on GET: %v", resp.Header)
	}
}

func TestHTTPBasicAuth(t *testing.T) {
	line, _ := HashPassword("ann", "secret")
	creds, err := ParseCredentials([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{Auth: AuthConfig{Enabled: true, Credentials: creds}})
	req, _ := http.NewRequest("GET", ts.base+"/?gremlin=user", nil)
	req.Header.Set("Accept", gio.MimeGraphBinary)
	if resp, _ := httpDo(t, req); resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("no credentials: %d", resp.StatusCode)
	}
	req.SetBasicAuth("ann", "nope")
	if resp, _ := httpDo(t, req); resp.StatusCode != 401 {
		t.Fatalf("bad password: %d", resp.StatusCode)
	}
	req.SetBasicAuth("ann", "secret")
	resp, body := httpDo(t, req)
	if resp.StatusCode != 200 {
		t.Fatalf("good password: %d %s", resp.StatusCode, body)
	}
	r, _ := gio.GraphBinary{}.DecodeResponse(body)
	if d := r.Result.Data.([]any); d[0] != "ann" {
		t.Fatalf("user %v", d)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	ts := startServer(t, Config{})
	c := dial(t, ts.url)
	c.do(evalReq("ints 1", nil))
	c.do(evalReq("fail x", nil))
	hits, misses := ts.Metrics().CacheLookups("plan")
	hits.Inc()
	hits.Inc()
	misses.Inc()

	resp, body := httpDo(t, mustReq("GET", ts.base+"/health"))
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) || !strings.Contains(string(body), `"connections":1`) {
		t.Fatalf("health %d %s", resp.StatusCode, body)
	}
	wants := []string{
		`kvtgraph_requests_total{op="eval",processor="",transport="ws"} 2`,
		`kvtgraph_responses_total{code="200"} 1`,
		`kvtgraph_responses_total{code="597"} 1`,
		`kvtgraph_open_connections 1`,
		`kvtgraph_request_duration_seconds_count{op="eval"} 2`,
		`kvtgraph_cache_lookups_total{cache="plan",result="hit"} 2`,
		`kvtgraph_cache_lookups_total{cache="plan",result="miss"} 1`,
		`go_goroutines`,
	}
	// Metrics are recorded right after the response is written; poll.
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, body = httpDo(t, mustReq("GET", ts.base+"/metrics"))
		if resp.StatusCode != 200 {
			t.Fatalf("metrics %d", resp.StatusCode)
		}
		var missing []string
		for _, want := range wants {
			if !strings.Contains(string(body), want) {
				missing = append(missing, want)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics lack %q", missing)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func mustReq(method, u string) *http.Request {
	r, err := http.NewRequest(method, u, nil)
	if err != nil {
		panic(err)
	}
	return r
}

func TestWebSocketSASL(t *testing.T) {
	line, _ := HashPassword("stephen", "password")
	creds, _ := ParseCredentials([]byte("# users\n" + line + "\n"))
	ts := startServer(t, Config{Auth: AuthConfig{Enabled: true, Credentials: creds}})
	sasl := func(user, pass string) string {
		return b64("\x00" + user + "\x00" + pass)
	}

	c := dial(t, ts.url)
	orig := evalReq("user", nil)
	c.send(orig)
	r := c.recv()
	wantCode(t, r, 407)
	if r.RequestID != orig.RequestID || r.Result.Data != nil {
		t.Fatalf("challenge %v data %#v", r.RequestID, r.Result.Data)
	}
	// gremlin-go answers with processor "traversal" and a new request id.
	c.send(&gio.Request{RequestID: uuid.New(), Op: "authentication", Processor: "traversal",
		Args: map[string]any{"sasl": sasl("stephen", "password")}})
	r = c.recv()
	wantCode(t, r, 200)
	if r.RequestID != orig.RequestID || r.Result.Data.([]any)[0] != "stephen" {
		t.Fatalf("replay answered %v %#v", r.RequestID, r.Result.Data)
	}
	// Authenticated for the rest of the connection.
	_, final := c.do(evalReq("ints 1", nil))
	wantCode(t, final, 200)

	// Wrong password: 401 on the saved request; a new request challenges again.
	c2 := dial(t, ts.url)
	orig = evalReq("user", nil)
	c2.send(orig)
	wantCode(t, c2.recv(), 407)
	c2.send(&gio.Request{RequestID: uuid.New(), Op: "authentication", Processor: "",
		Args: map[string]any{"sasl": sasl("stephen", "nope")}})
	r = c2.recv()
	wantCode(t, r, 401)
	if r.RequestID != orig.RequestID || !strings.Contains(r.Status.Message, "incorrect") {
		t.Fatalf("401 for %v: %q", r.RequestID, r.Status.Message)
	}
	again := evalReq("user", nil)
	c2.send(again)
	wantCode(t, c2.recv(), 407)

	// Unknown user, malformed sasl.
	c2.send(&gio.Request{RequestID: uuid.New(), Op: "authentication", Args: map[string]any{"sasl": sasl("nobody", "x")}})
	wantCode(t, c2.recv(), 401)
	c2.send(evalReq("user", nil))
	wantCode(t, c2.recv(), 407)
	c2.send(&gio.Request{RequestID: uuid.New(), Op: "authentication", Args: map[string]any{"sasl": int32(5)}})
	wantCode(t, c2.recv(), 498)
}

func TestCredentialsFile(t *testing.T) {
	weak, _ := bcrypt.GenerateFromPassword([]byte("pw"), 4)
	if _, err := ParseCredentials([]byte("bob:" + string(weak))); err == nil ||
		!strings.Contains(err.Error(), "cost") {
		t.Fatalf("low-cost hash accepted: %v", err)
	}
	if _, err := ParseCredentials([]byte("bob:plaintext")); err == nil {
		t.Fatal("plaintext password accepted")
	}
	if _, err := ParseCredentials([]byte("justaname")); err == nil {
		t.Fatal("line without hash accepted")
	}
	line, _ := HashPassword("bob", "pw")
	c, err := ParseCredentials([]byte(line + "\n\n# c\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Authenticate("bob", "pw") != nil || c.Authenticate("bob", "px") == nil || c.Authenticate("al", "pw") == nil {
		t.Fatal("Authenticate gives wrong answers")
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
