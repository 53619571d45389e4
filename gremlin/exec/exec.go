package exec

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal"
)

// maxRetries bounds the transparent re-runs of a sessionless mutating
// request whose commit lost a conflict.
const maxRetries = 8

// Executor implements server.Executor over a set of named graphs.
type Executor struct {
	graphs  map[string]storage.Store
	sources map[string]string // traversal source → graph name
	log     *slog.Logger
	plan    *planSettings // planner switch and query caches (plan.go)
	// engine compiles traversals (ConfigureTraversals replaces it).
	engine atomic.Pointer[traversal.Engine]
}

// TraversalOptions configure how the executor compiles and runs
// traversals.
type TraversalOptions struct {
	// IORoot is the directory g.io(file).read() reads graph files from;
	// "" (the default) disables io().
	IORoot string
}

// newEngine builds the traversal engine for o. Planned bytecode uses the
// planner's access steps, so they are always on.
func newEngine(o TraversalOptions) *traversal.Engine {
	return traversal.NewEngine(traversal.Config{IORoot: o.IORoot, AccessSteps: true})
}

// ConfigureTraversals sets the traversal options; call it before serving.
func (e *Executor) ConfigureTraversals(o TraversalOptions) {
	e.engine.Store(newEngine(o))
}

// compile compiles bc with the executor's traversal engine.
func (e *Executor) compile(bc *value.Bytecode) (*traversal.Traversal, error) {
	return e.engine.Load().Compile(bc)
}

var _ server.Executor = (*Executor)(nil)

// New returns an executor over graphs (graph name → store) and sources
// (traversal source name → graph name). Every source must name a graph.
func New(graphs map[string]storage.Store, sources map[string]string, log *slog.Logger) (*Executor, error) {
	for src, g := range sources {
		if _, ok := graphs[g]; !ok {
			return nil, fmt.Errorf("traversal source %q names graph %q, which is not configured", src, g)
		}
	}
	if log == nil {
		log = slog.Default()
	}
	e := &Executor{graphs: graphs, sources: sources, log: log, plan: newPlanSettings(graphs)}
	e.engine.Store(newEngine(TraversalOptions{}))
	return e, nil
}

// Sources implements server.Executor.
func (e *Executor) Sources() map[string]string {
	out := make(map[string]string, len(e.sources))
	for k, v := range e.sources {
		out[k] = v
	}
	return out
}

// Eval implements server.Executor: a sessionless script.
func (e *Executor) Eval(ctx context.Context, req *server.EvalRequest) (server.Results, error) {
	return e.runManaged(ctx, func(st *state) (*outcome, error) {
		return st.evalScript(ctx, req.Script, req.Bindings, req.Aliases)
	})
}

// Submit implements server.Executor: sessionless bytecode.
func (e *Executor) Submit(ctx context.Context, req *server.BytecodeRequest) (server.Results, error) {
	return e.runManaged(ctx, func(st *state) (*outcome, error) {
		return st.submit(ctx, req.Source, req.Bytecode)
	})
}

// runManaged runs one request in fresh transactions that it commits. A
// read-only outcome streams lazily and commits when the stream ends; a
// mutating one is materialized and committed first, and re-run on
// conflict.
func (e *Executor) runManaged(ctx context.Context, run func(*state) (*outcome, error)) (server.Results, error) {
	for attempt := 0; ; attempt++ {
		st := newState(e, nil)
		out, err := run(st)
		if err != nil {
			st.txs.rollback()
			return nil, classify(err)
		}
		if !st.txs.dirty && out.lazy != nil {
			return &lazyResults{out: out, finish: st.txs.commit, abort: st.txs.rollback}, nil
		}
		items, err := out.materialize()
		if err != nil {
			st.txs.rollback()
			return nil, classify(err)
		}
		err = st.txs.commit()
		if err == nil {
			return &listResults{items: items}, nil
		}
		if errors.Is(err, storage.ErrConflict) && attempt < maxRetries && ctx.Err() == nil {
			e.log.Debug("retrying request after a transaction conflict", "attempt", attempt+1)
			time.Sleep(time.Duration(attempt+1) * time.Millisecond)
			continue
		}
		return nil, classify(err)
	}
}

// NewSession implements server.Executor.
func (e *Executor) NewSession(id string) (server.Session, error) {
	st := newState(e, map[string]any{})
	st.inSession = true
	return &session{id: id, st: st}, nil
}

// graphOf returns the graph behind a traversal source.
func (e *Executor) graphOf(source string) (string, storage.Store, error) {
	g, ok := e.sources[source]
	if !ok {
		return "", nil, fmt.Errorf("%w: no traversal source named %q (configured sources: %s)",
			server.ErrInvalidRequest, source, strings.Join(sortedKeys(e.sources), ", "))
	}
	return g, e.graphs[g], nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
