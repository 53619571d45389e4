package exec

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kvtgraph/kvtgraph/gremlin/lang"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// state is what one request (or one session, across its requests)
// evaluates in: script variables and open transactions.
type state struct {
	exec *Executor
	vars map[string]any
	txs  *txSet
	// inSession: the query cache is not used (plan.go).
	inSession bool
}

func newState(e *Executor, vars map[string]any) *state {
	if vars == nil {
		vars = map[string]any{}
	}
	return &state{exec: e, vars: vars, txs: newTxSet(e)}
}

// sourceValue is a traversal source held by a script variable or named in
// a script: the graph it reads and the source instructions (withX) it has
// accumulated.
type sourceValue struct {
	graph   string
	sources []value.Instruction
}

// String is the source as TinkerPop prints a GraphTraversalSource.
func (s *sourceValue) String() string {
	return fmt.Sprintf("graphtraversalsource[kvtgraph[%s], standard]", s.graph)
}

// deferred is a traversal that a script built but did not iterate (no
// terminal method), as Groovy leaves it: it runs only if it becomes the
// script's result.
type deferred struct {
	graph string
	bc    *value.Bytecode
}

// scope resolves identifiers of one script evaluation.
type scope struct {
	st       *state
	bindings map[string]any
	aliases  map[string]string
}

// resolver returns what substitutes this scope's bindings and runs nested
// terminated traversals.
func (sc *scope) resolver(ctx context.Context) *resolver {
	return &resolver{lookup: sc.lookup, nested: func(t *lang.Traversal) (any, error) {
		if t.Terminal == nil {
			return nil, fmt.Errorf("%w: a traversal used as an argument must end with next(), toList() or another terminal method", server.ErrEvaluation)
		}
		v, _, err := sc.st.evalTraversal(ctx, sc, t, false)
		return v, err
	}}
}

func (sc *scope) lookup(name string) (any, bool) {
	if v, ok := sc.st.vars[name]; ok {
		return v, true
	}
	v, ok := sc.bindings[name]
	return v, ok
}

// source resolves the identifier a traversal starts from. fromGraph means
// it was written name.traversal(), so name must denote a graph.
func (sc *scope) source(name string, fromGraph bool) (*sourceValue, error) {
	if v, ok := sc.lookup(name); ok {
		if s, ok := v.(*sourceValue); ok && !fromGraph {
			return s, nil
		}
	}
	target := name
	if a, ok := sc.aliases[name]; ok {
		target = a
	}
	if fromGraph {
		if _, ok := sc.st.exec.graphs[target]; ok {
			return &sourceValue{graph: target}, nil
		}
		// graph.traversal() on a source alias: accept the source's graph.
		if g, ok := sc.st.exec.sources[target]; ok {
			return &sourceValue{graph: g}, nil
		}
		return nil, fmt.Errorf("%w: no graph named %q (configured graphs: %s)",
			server.ErrEvaluation, name, strings.Join(sortedKeys(sc.st.exec.graphs), ", "))
	}
	if g, ok := sc.st.exec.sources[target]; ok {
		return &sourceValue{graph: g}, nil
	}
	return nil, fmt.Errorf("%w: no traversal source or variable named %q (configured sources: %s)",
		server.ErrEvaluation, name, strings.Join(sortedKeys(sc.st.exec.sources), ", "))
}

// evalScript parses and evaluates a script; the outcome is the value of
// its last statement.
func (st *state) evalScript(ctx context.Context, script string, bindings map[string]any, aliases map[string]string) (*outcome, error) {
	if out, ok, err := st.evalSchemaScript(ctx, script, aliases); ok {
		return out, err
	}
	parsed, err := lang.Parse(script)
	if err != nil {
		return nil, err
	}
	sc := &scope{st: st, bindings: bindings, aliases: aliases}
	result := &outcome{}
	for i, stmt := range parsed.Statements {
		last := i == len(parsed.Statements)-1
		v, out, err := st.evalExpr(ctx, sc, stmt.Expr, last && stmt.Var == "")
		if err != nil {
			if len(parsed.Statements) > 1 {
				return nil, fmt.Errorf("line %d: %w", stmt.Line, err)
			}
			return nil, err
		}
		if stmt.Var != "" {
			st.vars[stmt.Var] = v
		}
		if last {
			switch d, isDeferred := v.(*deferred); {
			case out != nil:
				result = out
			case isDeferred:
				// Gremlin Server iterates a traversal that a script
				// returns, even one held by a variable.
				if result, err = st.run(ctx, d.graph, d.bc, false); err != nil {
					return nil, err
				}
			default:
				result = valueOutcome(v)
			}
		}
	}
	return result, nil
}

// evalExpr evaluates one expression. When stream is set and the
// expression is a traversal without a terminal method, it returns a lazy
// outcome instead of a value.
func (st *state) evalExpr(ctx context.Context, sc *scope, e lang.Expr, stream bool) (any, *outcome, error) {
	switch x := e.(type) {
	case *lang.EmptyQuery:
		return nil, &outcome{}, nil
	case *lang.Literal:
		v, err := resolve(x.Value, sc.resolver(ctx))
		return v, nil, err
	case *lang.VarRef:
		v, ok := sc.lookup(x.Name)
		if !ok {
			if src, err := sc.source(x.Name, false); err == nil {
				return src, nil, nil
			}
			return nil, nil, fmt.Errorf("%w: no variable, binding or traversal source named %q", server.ErrEvaluation, x.Name)
		}
		if d, ok := v.(*deferred); ok && stream {
			out, err := st.run(ctx, d.graph, d.bc, false)
			return nil, out, err
		}
		return v, nil, nil
	case *lang.SourceExpr:
		src, err := sc.source(x.Source, x.FromGraph)
		if err != nil {
			return nil, nil, err
		}
		ins, err := resolveInstructions(x.Bytecode.Sources, sc.resolver(ctx))
		if err != nil {
			return nil, nil, err
		}
		sv := &sourceValue{graph: src.graph, sources: append(append([]value.Instruction(nil), src.sources...), ins...)}
		if x.ToString {
			return sv.String(), nil, nil
		}
		return sv, nil, nil
	case *lang.TxExpr:
		src, err := sc.source(x.Source, x.FromGraph)
		if err != nil {
			return nil, nil, err
		}
		switch x.Action {
		case "begin":
			_, err = st.txs.get(ctx, src.graph)
		case "commit":
			err = st.txs.end(src.graph, true)
		case "rollback":
			err = st.txs.end(src.graph, false)
		default:
			err = fmt.Errorf("%w: unknown transaction action %q (expected begin, commit or rollback)", server.ErrEvaluation, x.Action)
		}
		return nil, nil, err
	case *lang.Traversal:
		return st.evalTraversal(ctx, sc, x, stream)
	}
	return nil, nil, fmt.Errorf("%w: cannot evaluate %T", server.ErrEvaluation, e)
}

func (st *state) evalTraversal(ctx context.Context, sc *scope, t *lang.Traversal, stream bool) (any, *outcome, error) {
	src, err := sc.source(t.Source, t.FromGraph)
	if err != nil {
		return nil, nil, err
	}
	bc, err := resolveBytecode(t.Bytecode, sc.resolver(ctx))
	if err != nil {
		return nil, nil, err
	}
	bc.Sources = append(append([]value.Instruction(nil), src.sources...), bc.Sources...)
	if t.ToString {
		return lang.Format(t.Source, bc), nil, nil
	}
	if t.Terminal == nil {
		if stream {
			out, err := st.run(ctx, src.graph, bc, false)
			return nil, out, err
		}
		return &deferred{graph: src.graph, bc: bc}, nil, nil
	}
	if t.Terminal.Name == "explain" {
		x, err := st.explain(ctx, src.graph, bc)
		return x, nil, err
	}
	out, err := st.run(ctx, src.graph, bc, false)
	if err != nil {
		return nil, nil, err
	}
	v, err := out.terminal(t.Terminal.Name, t.Terminal.Count)
	return v, nil, err
}

// submit runs driver bytecode on a traversal source.
func (st *state) submit(ctx context.Context, source string, bc *value.Bytecode) (*outcome, error) {
	graph, _, err := st.exec.graphOf(source)
	if err != nil {
		return nil, err
	}
	bc, err = resolveBytecode(bc, nil)
	if err != nil {
		return nil, err
	}
	return st.run(ctx, graph, bc, true)
}

// run plans and compiles bc and starts it in the graph's transaction,
// through the query cache when it may be used (plan.go).
func (st *state) run(ctx context.Context, graph string, bc *value.Bytecode, traversers bool) (*outcome, error) {
	return st.runPlanned(ctx, graph, bc, traversers)
}

var errNoResult = errors.New("the traversal produced no result (next() on an empty traversal)")
