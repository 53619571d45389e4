package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// analyzerExec is a fake executor that also implements Analyzer.
type analyzerExec struct {
	*fakeExec
	mu  sync.Mutex
	got []string // "kind:script"
	req []*EvalRequest
}

func (a *analyzerExec) record(kind string, req *EvalRequest) error {
	a.mu.Lock()
	a.got = append(a.got, kind+":"+req.Script)
	a.req = append(a.req, req)
	a.mu.Unlock()
	if req.Script == "fail" {
		return fmt.Errorf("%w: cannot %s that", ErrEvaluation, kind)
	}
	return nil
}

func (a *analyzerExec) Explain(_ context.Context, req *EvalRequest) (any, error) {
	if err := a.record("explain", req); err != nil {
		return nil, err
	}
	return &value.TraversalExplanation{Original: []string{req.Script}, Intermediate: []value.ExplanationStep{},
		Final: []string{"RangeScan(table=vertex,prefix=[])"}}, nil
}

func (a *analyzerExec) Profile(_ context.Context, req *EvalRequest) (any, error) {
	if err := a.record("profile", req); err != nil {
		return nil, err
	}
	counts := value.NewMap()
	counts.Put("traverserCount", int64(6))
	counts.Put("elementCount", int64(6))
	ann := value.NewMap()
	ann.Put("percentDur", 100.0)
	return &value.TraversalMetrics{DurationNs: 1500, Metrics: []*value.Metrics{{ID: "0.0.0()", Name: req.Script,
		DurationNs: 1500, Counts: counts, Annotations: ann, Nested: []*value.Metrics{}}}}, nil
}

func analysisServer(t *testing.T, exec Executor) string {
	t.Helper()
	s := New(Config{}, exec, nil)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts.URL
}

func decodeOne(t *testing.T, ser gio.Serializer, body []byte) any {
	t.Helper()
	r, err := ser.DecodeResponse(body)
	if err != nil {
		t.Fatalf("decode: %v (%q)", err, body)
	}
	d, ok := r.Result.Data.([]any)
	if !ok || len(d) != 1 || r.Status.Code != 200 {
		t.Fatalf("status %d data %#v", r.Status.Code, r.Result.Data)
	}
	return d[0]
}

func TestHTTPExplainEndpoint(t *testing.T) {
	a := &analyzerExec{fakeExec: newFakeExec()}
	base := analysisServer(t, a)

	// POST JSON {gremlin, bindings, aliases}; GraphBinary by Accept.
	req, _ := http.NewRequest("POST", base+"/gremlin/explain",
		strings.NewReader(`{"gremlin":"x.V(n)","bindings":{"n":7},"aliases":{"x":"g"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", gio.MimeGraphBinary)
	resp, body := httpDo(t, req)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != gio.MimeGraphBinary {
		t.Fatalf("status %d type %q body %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	// GraphBinary has no explanation type: TinkerPop sends it as a Map.
	xm, ok := decodeOne(t, gio.GraphBinary{}, body).(*value.Map)
	if !ok {
		t.Fatalf("GraphBinary explanation is %T", xm)
	}
	if orig, _ := xm.Get("original"); fmt.Sprint(orig) != "[x.V(n)]" {
		t.Fatalf("explanation original %#v", orig)
	}
	a.mu.Lock()
	er := a.req[len(a.req)-1]
	a.mu.Unlock()
	if er.Bindings["n"] != int32(7) || er.Aliases["x"] != "g" || er.Language != defaultLanguage {
		t.Errorf("request reached the executor as %+v", er)
	}

	// GET, trailing slash, default GraphSON v3.
	resp, body = httpDo(t, mustGet(t, base+"/gremlin/explain/?gremlin="+url.QueryEscape("g.V()")))
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"g:TraversalExplanation"`)) {
		t.Fatalf("GET explain: status %d body %s", resp.StatusCode, body)
	}

	// Executor errors keep their status.
	req, _ = http.NewRequest("POST", base+"/gremlin/explain", strings.NewReader(`{"gremlin":"fail"}`))
	resp, body = httpDo(t, req)
	var e map[string]any
	_ = json.Unmarshal(body, &e)
	if resp.StatusCode != 500 || e["code"] != float64(gio.StatusScriptEvaluationError) || !strings.Contains(fmt.Sprint(e["message"]), "cannot explain") {
		t.Errorf("failing explain: status %d body %s", resp.StatusCode, body)
	}

	// Missing script and unknown aliases are request errors.
	resp, _ = httpDo(t, mustGet(t, base+"/gremlin/explain"))
	if resp.StatusCode != 400 {
		t.Errorf("explain without a script: status %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("POST", base+"/gremlin/explain", strings.NewReader(`{"gremlin":"x.V()","aliases":{"x":"nosuch"}}`))
	resp, _ = httpDo(t, req)
	if resp.StatusCode != 400 {
		t.Errorf("explain with a bad alias: status %d", resp.StatusCode)
	}

	// Bytecode requests are refused: the endpoints take scripts.
	bc := &gio.Request{Op: opBytecode, Processor: procTraversal, Args: map[string]any{
		argGremlin: &value.Bytecode{Steps: []value.Instruction{{Operator: "V"}}}, argAliases: map[string]any{"g": "g"}}}
	payload, err := gio.GraphBinary{}.EncodeRequest(bc)
	if err != nil {
		t.Fatal(err)
	}
	req, _ = http.NewRequest("POST", base+"/gremlin/explain", bytes.NewReader(payload))
	req.Header.Set("Content-Type", gio.MimeGraphBinary)
	resp, body = httpDo(t, req)
	if resp.StatusCode != 400 || !bytes.Contains(body, []byte("takes a script")) {
		t.Errorf("bytecode to explain: status %d body %s", resp.StatusCode, body)
	}

	// /gremlin itself still runs the script.
	req, _ = http.NewRequest("POST", base+"/gremlin", strings.NewReader(`{"gremlin":"ints 2"}`))
	req.Header.Set("Accept", gio.MimeGraphBinary)
	resp, body = httpDo(t, req)
	if r, err := (gio.GraphBinary{}).DecodeResponse(body); resp.StatusCode != 200 || err != nil || len(r.Result.Data.([]any)) != 2 {
		t.Errorf("/gremlin: status %d body %q", resp.StatusCode, body)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, g := range a.got {
		if strings.Contains(g, "ints") || strings.HasPrefix(g, "profile:") {
			t.Errorf("unexpected analysis %q", g)
		}
	}
}

func TestHTTPProfileEndpoint(t *testing.T) {
	a := &analyzerExec{fakeExec: newFakeExec()}
	base := analysisServer(t, a)

	resp, body := httpDo(t, mustGet(t, base+"/gremlin/profile?gremlin="+url.QueryEscape("g.V().out()")))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
	ser, ok := gio.ForMime(gio.MimeGraphSONv3)
	if !ok {
		t.Skip("no GraphSON v3 serializer")
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Errorf("content type %q, want GraphSON", ct)
	}
	tm, ok := decodeOne(t, ser, body).(*value.TraversalMetrics)
	if !ok || len(tm.Metrics) != 1 || tm.Metrics[0].Name != "g.V().out()" {
		t.Fatalf("metrics %#v", tm)
	}
	if n, _ := tm.Metrics[0].Counts.Get("elementCount"); n != int64(6) {
		t.Errorf("elementCount %#v", n)
	}

	// GraphBinary round trip of TraversalMetrics (0x2d).
	req, _ := http.NewRequest("POST", base+"/gremlin/profile", strings.NewReader(`{"gremlin":"g.V()"}`))
	req.Header.Set("Accept", gio.MimeGraphBinary)
	resp, body = httpDo(t, req)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d body %q", resp.StatusCode, body)
	}
	if _, ok := decodeOne(t, gio.GraphBinary{}, body).(*value.TraversalMetrics); !ok {
		t.Error("GraphBinary profile is not a TraversalMetrics")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.got) != 2 || a.got[0] != "profile:g.V().out()" || a.got[1] != "profile:g.V()" {
		t.Errorf("executor saw %v", a.got)
	}
}

// Without an Analyzer the paths answer 404; /gremlin is unaffected.
func TestHTTPAnalysisUnsupported(t *testing.T) {
	base := analysisServer(t, newFakeExec())
	for _, p := range []string{"/gremlin/explain", "/gremlin/profile"} {
		resp, body := httpDo(t, mustGet(t, base+p+"?gremlin=g.V()"))
		if resp.StatusCode != http.StatusNotFound || !bytes.Contains(body, []byte(p)) {
			t.Errorf("%s: status %d body %s", p, resp.StatusCode, body)
		}
	}
	req, _ := http.NewRequest("POST", base+"/gremlin", strings.NewReader(`{"gremlin":"ints 1"}`))
	req.Header.Set("Accept", gio.MimeGraphBinary)
	if resp, body := httpDo(t, req); resp.StatusCode != 200 {
		t.Errorf("/gremlin: status %d body %q", resp.StatusCode, body)
	}
}

func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
