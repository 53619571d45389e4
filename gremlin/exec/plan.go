package exec

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/planner"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal"
)

// PlanOptions configure the planner and the query cache.
type PlanOptions struct {
	// DisablePlanner runs traversals as written, without access rewrites.
	DisablePlanner bool
	// Cache is the query cache configuration of every graph, unless
	// GraphCache names the graph.
	Cache      planner.CacheConfig
	GraphCache map[string]planner.CacheConfig
	// FullScan says what happens to a traversal that can only run as a
	// full vertex or edge scan with filters (no id, label or index
	// access): allow (the default), warn (log it) or refuse (fail the
	// request with 597). GraphFullScan overrides it per graph. It applies
	// while the planner is on.
	FullScan      planner.FullScanPolicy
	GraphFullScan map[string]planner.FullScanPolicy
	// Metrics, when set, receives hit, miss and eviction counts, under
	// the cache name "query:<graph>".
	Metrics interface {
		CacheLookups(cache string) (hits, misses prometheus.Counter)
	}
}

// cacheEvictions is the optional eviction hook of PlanOptions.Metrics.
type cacheEvictions interface {
	CacheEvictions(cache string) prometheus.Counter
}

// planSettings are an executor's planner switch and its graphs' caches.
type planSettings struct {
	mu       sync.RWMutex
	disabled bool
	caches   map[string]*planner.Cache
	fullScan map[string]planner.FullScanPolicy
}

func newPlanSettings(graphs map[string]storage.Store) *planSettings {
	ps := &planSettings{caches: map[string]*planner.Cache{}}
	for name := range graphs {
		ps.caches[name] = planner.NewCache(planner.CacheConfig{})
	}
	return ps
}

// ConfigurePlanner sets the planner and query cache options. It replaces
// the caches (dropping what they hold); call it before serving.
func (e *Executor) ConfigurePlanner(o PlanOptions) {
	caches := map[string]*planner.Cache{}
	fullScan := map[string]planner.FullScanPolicy{}
	for name := range e.graphs {
		cfg := o.Cache
		if c, ok := o.GraphCache[name]; ok {
			cfg = c
		}
		c := planner.NewCache(cfg)
		if c != nil && o.Metrics != nil {
			hits, misses := o.Metrics.CacheLookups("query:" + name)
			c.OnHit, c.OnMiss = hits.Inc, misses.Inc
			if ev, ok := o.Metrics.(cacheEvictions); ok {
				c.OnEvict = ev.CacheEvictions("query:" + name).Inc
			}
		}
		caches[name] = c
		fs := o.FullScan
		if p, ok := o.GraphFullScan[name]; ok {
			fs = p
		}
		if fs != planner.FullScanAllow && fs != "" {
			fullScan[name] = fs
		}
	}
	e.plan.mu.Lock()
	e.plan.disabled = o.DisablePlanner
	e.plan.caches = caches
	e.plan.fullScan = fullScan
	e.plan.mu.Unlock()
}

func (e *Executor) fullScanPolicy(graph string) planner.FullScanPolicy {
	e.plan.mu.RLock()
	defer e.plan.mu.RUnlock()
	if p, ok := e.plan.fullScan[graph]; ok {
		return p
	}
	return planner.FullScanAllow
}

// checkFullScan applies the graph's full-scan policy to a plan: warn logs
// the traversal, refuse fails with an error that names the filter steps
// and suggests an index.
func (e *Executor) checkFullScan(graph string, p *planner.QueryPlan) error {
	policy := e.fullScanPolicy(graph)
	if policy == planner.FullScanAllow {
		return nil
	}
	fs, ok := p.FilteredFullScan()
	if !ok {
		return nil
	}
	elem, table := "vertex", "vertices"
	if fs.Edges {
		elem, table = "edge", "edges"
	}
	if policy == planner.FullScanWarn {
		e.log.Warn("traversal runs as a full scan", "graph", graph, "traversal", p.Traversal(),
			"scans", table, "filters", fs.Filters, "keys", fs.Keys)
		return nil
	}
	hint := "start from ids or declare an index on the keys it tests"
	if len(fs.Keys) > 0 {
		hint = fmt.Sprintf("declare an index on %s, e.g. schema.indexLabel('by%s').on%s(label).by('%s').secondary().create(), or start from ids",
			strings.Join(fs.Keys, ", "), upperFirst(fs.Keys[0]), map[bool]string{false: "V", true: "E"}[fs.Edges], fs.Keys[0])
	}
	return fmt.Errorf("%w: full scans are refused on graph %q (planner.full_scan: refuse): %s would read every %s to evaluate %s; %s",
		server.ErrEvaluation, graph, p.Traversal(), elem, strings.Join(fs.Filters, ", "), hint)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// CacheStats returns the query cache counters of a graph (zero when its
// cache is off).
func (e *Executor) CacheStats(graph string) planner.CacheStats {
	if c := e.cache(graph); c != nil {
		return c.Stats()
	}
	return planner.CacheStats{}
}

func (e *Executor) cache(graph string) *planner.Cache {
	e.plan.mu.RLock()
	defer e.plan.mu.RUnlock()
	return e.plan.caches[graph]
}

func (e *Executor) plannerOn() bool {
	e.plan.mu.RLock()
	defer e.plan.mu.RUnlock()
	return !e.plan.disabled
}

// compile plans bc against the graph (when the planner is on) and
// compiles the result. If the planned bytecode does not compile, the
// original is compiled so that errors name the steps as written.
func (st *state) compile(graph string, bc *value.Bytecode, tx storage.GraphTx) (*traversal.Traversal, error) {
	t, err := st.compilePlanned(graph, bc, tx)
	if err == nil && t.Profiled() {
		// profile() names steps as explain() prints them.
		t = t.WithStepNames(planner.StepName)
	}
	return t, err
}

func (st *state) compilePlanned(graph string, bc *value.Bytecode, tx storage.GraphTx) (*traversal.Traversal, error) {
	if st.exec.plannerOn() {
		if p, err := planner.Plan(bc, planner.GraphInfo(st.exec.graphs[graph], tx)); err == nil {
			if err := st.exec.checkFullScan(graph, p); err != nil {
				return nil, err
			}
			if p.Rewritten() {
				if t, err := st.exec.compile(p.Bytecode); err == nil {
					return t, nil
				}
			}
		}
	}
	return st.exec.compile(bc)
}

// explain plans bc and returns its TraversalExplanation.
func (st *state) explain(ctx context.Context, graph string, bc *value.Bytecode) (*value.TraversalExplanation, error) {
	if _, err := st.exec.compile(bc); err != nil {
		return nil, err
	}
	var info *planner.Info
	if st.exec.plannerOn() {
		tx, err := st.txs.get(ctx, graph)
		if err != nil {
			return nil, err
		}
		info = planner.GraphInfo(st.exec.graphs[graph], tx)
	}
	p, err := planner.Plan(bc, info)
	if err != nil {
		return nil, err
	}
	if info == nil {
		// The planner is off: the traversal runs as written.
		p, _ = planner.Plan(&value.Bytecode{Sources: append(bc.Sources, value.Instruction{
			Operator: "withoutStrategies", Args: stringsToAny(planner.Strategies())}), Steps: bc.Steps}, nil)
		p.Original = bc
	}
	return p.Explain(), nil
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// runPlanned compiles and starts bc in the graph's transaction, serving
// and filling the query cache when the request may use it: sessionless,
// the graph's transaction not yet open (so the version read before it
// begins bounds what it sees from below), nothing written yet, and a
// read-only, deterministic traversal.
func (st *state) runPlanned(ctx context.Context, graph string, bc *value.Bytecode, traversers bool) (*outcome, error) {
	cache := st.exec.cache(graph)
	_, open := st.txs.open[graph]
	var key string
	var version uint64
	useCache := cache != nil && !st.inSession && !open && !st.txs.dirty
	if useCache {
		key, useCache = planner.CacheKey(bc)
	}
	if useCache {
		version = st.exec.graphs[graph].Version()
		if items, ok := cache.Get(version, key); ok {
			return &outcome{lazy: &sliceIter{items: items}, traversers: traversers}, nil
		}
	}
	tx, err := st.txs.get(ctx, graph)
	if err != nil {
		return nil, err
	}
	t, err := st.compile(graph, bc, tx)
	if err != nil {
		return nil, err
	}
	if t.Mutating() {
		st.txs.dirty = true
		useCache = false
	}
	it := t.Iterate(ctx, tx)
	if useCache {
		it = &cachingIter{Iterator: it, put: func(items []value.Traverser, size int64) {
			cache.Put(version, key, items, size)
		}, max: cache.MaxResultBytes()}
	}
	return &outcome{lazy: it, traversers: traversers}, nil
}

// sliceIter serves cached results.
type sliceIter struct {
	items []value.Traverser
	i     int
}

func (s *sliceIter) Next() (value.Traverser, bool) {
	if s.i >= len(s.items) {
		return value.Traverser{}, false
	}
	s.i++
	return s.items[s.i-1], true
}
func (s *sliceIter) Err() error { return nil }
func (s *sliceIter) Close()     {}

// cachingIter passes results through and, when the traversal ends
// without error and the results stayed under the size bound, caches them.
type cachingIter struct {
	traversal.Iterator
	put   func([]value.Traverser, int64)
	items []value.Traverser
	size  int64
	max   int64
	over  bool
	done  bool
}

func (c *cachingIter) Next() (value.Traverser, bool) {
	t, ok := c.Iterator.Next()
	if !ok {
		if !c.done && !c.over && c.Iterator.Err() == nil {
			c.put(c.items, c.size)
		}
		c.done = true
		c.items = nil
		return t, false
	}
	if !c.over {
		c.size += planner.SizeOf([]value.Traverser{t})
		if c.size > c.max {
			c.over, c.items = true, nil
		} else {
			c.items = append(c.items, t)
		}
	}
	return t, true
}
