package exec

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/planner"
	"github.com/kvtgraph/kvtgraph/storage"
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu chan struct{}
	b  bytes.Buffer
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{mu: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu <- struct{}{}
	defer func() { <-s.mu }()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu <- struct{}{}
	defer func() { <-s.mu }()
	return s.b.String()
}

func TestFullScanPolicy(t *testing.T) {
	g, _, _ := planGraph(t)
	logs := newSyncBuffer()
	e, err := New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"},
		slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// allow (the default): runs, logs nothing.
	if got := eval(t, e, "g.V().has('lang','java').count()", nil); got[0] != int64(2) {
		t.Fatalf("count = %v", got)
	}
	if strings.Contains(logs.String(), "full scan") {
		t.Fatalf("allow logged a warning: %s", logs)
	}

	e.ConfigurePlanner(PlanOptions{GraphFullScan: map[string]planner.FullScanPolicy{"graph": planner.FullScanWarn}})
	if got := eval(t, e, "g.V().has('lang','java').count()", nil); got[0] != int64(2) {
		t.Fatalf("count under warn = %v", got)
	}
	if s := logs.String(); !strings.Contains(s, "full scan") || !strings.Contains(s, "lang.eq(java)") || !strings.Contains(s, "level=WARN") {
		t.Fatalf("warn did not log the traversal: %s", s)
	}

	e.ConfigurePlanner(PlanOptions{FullScan: planner.FullScanRefuse, Cache: planner.CacheConfig{Disabled: true}})
	err = evalErr(t, e, "g.V().has('lang','java').count()")
	if err == nil || !errors.Is(err, server.ErrEvaluation) {
		t.Fatalf("refuse: err = %v, want an evaluation error (597)", err)
	}
	for _, want := range []string{"refuse", "HasStep([lang.eq(java)])", "index on lang", "every vertex"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not mention %q", err, want)
		}
	}
	// Indexed, label, id and unfiltered access stay allowed.
	for _, s := range []string{"g.V().has('name','marko').values('age')", "g.V().hasLabel('software').count()",
		"g.V(1).out().count()", "g.V().count()", "g.V().or(has('name','marko'), has('name','josh')).count()",
		"g.E().has('weight', gt(0.5)).count()"} {
		if err := evalErr(t, e, s); err != nil {
			t.Errorf("%s refused under refuse: %v", s, err)
		}
	}
	if err := evalErr(t, e, "g.E().has('nokey', 1)"); err == nil || !strings.Contains(err.Error(), "every edge") {
		t.Errorf("edge full scan: %v", err)
	}
	// With the planner off the policy does not apply.
	e.ConfigurePlanner(PlanOptions{DisablePlanner: true, FullScan: planner.FullScanRefuse})
	if err := evalErr(t, e, "g.V().has('lang','java').count()"); err != nil {
		t.Fatalf("planner off: %v", err)
	}
}

func TestParseFullScanPolicy(t *testing.T) {
	for in, want := range map[string]planner.FullScanPolicy{"": planner.FullScanAllow, "WARN": planner.FullScanWarn,
		"refuse": planner.FullScanRefuse, "allow": planner.FullScanAllow} {
		if got, err := planner.ParseFullScanPolicy(in); err != nil || got != want {
			t.Errorf("ParseFullScanPolicy(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := planner.ParseFullScanPolicy("deny"); err == nil {
		t.Error("deny was accepted")
	}
}

// TestCacheEvictionMetrics: entries the query cache evicts to stay within
// its bounds are counted in /metrics; a version change is not an eviction.
func TestCacheEvictionMetrics(t *testing.T) {
	g, _, _ := planGraph(t)
	m := server.NewMetrics()
	e, err := New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.ConfigurePlanner(PlanOptions{Cache: planner.CacheConfig{MaxEntries: 2}, Metrics: m})
	for _, s := range []string{"g.V().count()", "g.E().count()", "g.V().values('name')", "g.V().values('age')"} {
		eval(t, e, s, nil)
	}
	if ev := e.CacheStats("graph").Evictions; ev != 2 {
		t.Fatalf("evictions = %d, want 2", ev)
	}
	eval(t, e, "g.addV('x').iterate()", nil) // moves the version: drops, not evictions
	eval(t, e, "g.V().count()", nil)
	srv := server.New(server.Config{Metrics: m}, e, nil)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: %d", rec.Code)
	}
	for _, want := range []string{`kvtgraph_cache_evictions_total{cache="query:graph"} 2`,
		`kvtgraph_cache_lookups_total{cache="query:graph",result="miss"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if e.CacheStats("graph").Evictions != 2 {
		t.Fatalf("a version change counted as evictions: %+v", e.CacheStats("graph"))
	}
}
