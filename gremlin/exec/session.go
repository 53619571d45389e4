package exec

import (
	"context"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
)

// session keeps script variables and open transactions across requests.
// Results are materialized before they are returned, so a request's work
// is done when the next request of the session starts.
type session struct {
	id string
	st *state
}

var _ server.Session = (*session)(nil)

func (s *session) Eval(ctx context.Context, req *server.EvalRequest) (server.Results, error) {
	return s.finish(req.ManageTransaction, func() (*outcome, error) {
		return s.st.evalScript(ctx, req.Script, req.Bindings, req.Aliases)
	})
}

func (s *session) Submit(ctx context.Context, req *server.BytecodeRequest) (server.Results, error) {
	return s.finish(req.ManageTransaction, func() (*outcome, error) {
		return s.st.submit(ctx, req.Source, req.Bytecode)
	})
}

// finish runs a session request. With manage, the session's transactions
// commit when it succeeds and roll back when it fails.
func (s *session) finish(manage bool, run func() (*outcome, error)) (server.Results, error) {
	out, err := run()
	var items []any
	if err == nil {
		items, err = out.materialize()
	}
	if err != nil {
		if manage {
			_ = s.st.txs.rollback()
		}
		return nil, classify(err)
	}
	if manage {
		if err := s.st.txs.commit(); err != nil {
			return nil, classify(err)
		}
	}
	return &listResults{items: items}, nil
}

func (s *session) Commit(ctx context.Context, source string) error {
	graph, _, err := s.st.exec.graphOf(source)
	if err != nil {
		return err
	}
	return classify(s.st.txs.end(graph, true))
}

func (s *session) Rollback(ctx context.Context, source string) error {
	graph, _, err := s.st.exec.graphOf(source)
	if err != nil {
		return err
	}
	return classify(s.st.txs.end(graph, false))
}

func (s *session) Close() error { return s.st.txs.rollback() }
