package exec

import (
	"context"
	"fmt"

	"github.com/kvtgraph/kvtgraph/gremlin/lang"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

var _ server.Analyzer = (*Executor)(nil)

// Explain implements server.Analyzer: the TraversalExplanation of the
// script's last statement, which must be a traversal. The traversal does
// not run.
func (e *Executor) Explain(ctx context.Context, req *server.EvalRequest) (any, error) {
	return e.analyze(ctx, req, func(st *state, graph string, bc *value.Bytecode) (any, error) {
		return st.explain(ctx, graph, bc)
	})
}

// Profile implements server.Analyzer: the script's last statement, which
// must be a traversal, runs with profile() appended and its
// TraversalMetrics is returned.
func (e *Executor) Profile(ctx context.Context, req *server.EvalRequest) (any, error) {
	return e.analyze(ctx, req, func(st *state, graph string, bc *value.Bytecode) (any, error) {
		steps := bc.Steps
		if n := len(steps); n > 0 && steps[n-1].Operator == "profile" && len(steps[n-1].Args) == 0 {
			steps = steps[:n-1]
		}
		pbc := &value.Bytecode{Sources: bc.Sources,
			Steps: append(append([]value.Instruction(nil), steps...), value.Instruction{Operator: "profile"})}
		out, err := st.run(ctx, graph, pbc, false)
		if err != nil {
			return nil, err
		}
		return out.terminal("next", -1)
	})
}

// analyze evaluates every statement of the script but the last as Eval
// would, then applies f to the last one's traversal. Whatever the script
// or the profiled traversal writes is rolled back: analyses never commit.
func (e *Executor) analyze(ctx context.Context, req *server.EvalRequest,
	f func(st *state, graph string, bc *value.Bytecode) (any, error)) (any, error) {
	st := newState(e, nil)
	defer func() { _ = st.txs.rollback() }()
	parsed, err := lang.Parse(req.Script)
	if err != nil {
		return nil, classify(err)
	}
	n := len(parsed.Statements)
	if n == 0 {
		return nil, fmt.Errorf("%w: the script has no statement to explain or profile", server.ErrEvaluation)
	}
	sc := &scope{st: st, bindings: req.Bindings, aliases: req.Aliases}
	for _, stmt := range parsed.Statements[:n-1] {
		v, _, err := st.evalExpr(ctx, sc, stmt.Expr, false)
		if err != nil {
			return nil, classify(fmt.Errorf("line %d: %w", stmt.Line, err))
		}
		if stmt.Var != "" {
			st.vars[stmt.Var] = v
		}
	}
	graph, bc, err := st.lastTraversal(ctx, sc, parsed.Statements[n-1].Expr)
	if err != nil {
		return nil, classify(err)
	}
	v, err := f(st, graph, bc)
	if err != nil {
		return nil, classify(err)
	}
	return v, nil
}

// lastTraversal returns the graph and bytecode of a script's last
// statement: a traversal (its terminal method, if any, is ignored) or a
// variable holding one.
func (st *state) lastTraversal(ctx context.Context, sc *scope, e lang.Expr) (string, *value.Bytecode, error) {
	switch x := e.(type) {
	case *lang.Traversal:
		if !x.ToString {
			src, err := sc.source(x.Source, x.FromGraph)
			if err != nil {
				return "", nil, err
			}
			bc, err := resolveBytecode(x.Bytecode, sc.resolver(ctx))
			if err != nil {
				return "", nil, err
			}
			bc.Sources = append(append([]value.Instruction(nil), src.sources...), bc.Sources...)
			return src.graph, bc, nil
		}
	case *lang.VarRef:
		if v, ok := sc.lookup(x.Name); ok {
			if d, ok := v.(*deferred); ok {
				return d.graph, d.bc, nil
			}
		}
	}
	return "", nil, fmt.Errorf("%w: explain and profile need a traversal as the script's last statement", server.ErrEvaluation)
}
