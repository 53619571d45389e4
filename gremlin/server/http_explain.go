package server

import (
	"context"
	"net/http"
	"strings"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
)

// Analyzer is implemented by Executors that can explain and profile a
// script's traversal without the script writing .explain() or .profile()
// itself (drivers cannot send explain() as a step). The server serves it
// on the HTTP paths /gremlin/explain and /gremlin/profile, which take the
// same GET parameters and POST bodies as /gremlin.
//
// Both evaluate the script outside any session and act on its last
// statement, which must be a traversal. Explain returns its
// TraversalExplanation (*value.TraversalExplanation) without running it;
// Profile runs it with profile() appended and returns its
// TraversalMetrics (*value.TraversalMetrics). Errors follow the rules of
// Executor.Eval.
type Analyzer interface {
	Explain(ctx context.Context, req *EvalRequest) (any, error)
	Profile(ctx context.Context, req *EvalRequest) (any, error)
}

const (
	pathExplain = "/gremlin/explain"
	pathProfile = "/gremlin/profile"
)

// httpExec picks what an HTTP request on path runs: the explain or profile
// analysis, or (every other path) the request itself. ok is false when the
// path asks for an analysis the executor does not offer.
func (s *Server) httpExec(path string) (exec func(context.Context, *task) error, ok bool) {
	kind := ""
	switch strings.TrimSuffix(path, "/") {
	case pathExplain:
		kind = "explain"
	case pathProfile:
		kind = "profile"
	default:
		return s.execSessionless, true
	}
	a, ok := s.exec.(Analyzer)
	if !ok {
		return nil, false
	}
	return func(ctx context.Context, t *task) error { return s.execAnalysis(ctx, t, a, kind) }, true
}

// execAnalysis answers an explain or profile request with one result.
func (s *Server) execAnalysis(ctx context.Context, t *task, a Analyzer, kind string) error {
	if t.req.Op != opEval || t.req.Processor != procStandard {
		return statusErr(gio.StatusInvalidRequestArguments,
			"/gremlin/%s takes a script (op eval), not op [%s] with processor [%s]", kind, t.req.Op, t.req.Processor)
	}
	er, err := s.evalRequest(t, false)
	if err != nil {
		return err
	}
	var v any
	if kind == "explain" {
		v, err = a.Explain(ctx, er)
	} else {
		v, err = a.Profile(ctx, er)
	}
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t.reply.finish(gio.StatusSuccess, "", []any{v}, nil)
	return nil
}

func analysisUnsupported(w http.ResponseWriter, path string) {
	httpError(w, http.StatusNotFound, "This server does not offer "+strings.TrimSuffix(path, "/"))
}
