package exec

import (
	"context"
	"errors"
	"fmt"

	"github.com/kvtgraph/kvtgraph/storage"
)

// txSet holds the open graph transaction of each graph a request (or a
// session) has touched.
type txSet struct {
	exec  *Executor
	open  map[string]storage.GraphTx
	order []string
	// dirty is set once a mutating traversal ran in any of them.
	dirty bool
}

func newTxSet(e *Executor) *txSet {
	return &txSet{exec: e, open: map[string]storage.GraphTx{}}
}

// get returns the open transaction on graph, beginning one if needed.
// Transactions are serializable and writable: one request may read and then
// write the same graph.
func (s *txSet) get(ctx context.Context, graph string) (storage.GraphTx, error) {
	if tx, ok := s.open[graph]; ok {
		return tx, nil
	}
	store, ok := s.exec.graphs[graph]
	if !ok {
		return nil, fmt.Errorf("no graph named %q", graph)
	}
	// The transaction outlives the request's context in a session, so it
	// is bound to the background; each traversal run carries its own ctx.
	tx, err := store.Begin(context.Background(), storage.TxOptions{})
	if err != nil {
		return nil, err
	}
	s.open[graph] = tx
	s.order = append(s.order, graph)
	return tx, nil
}

// commit commits every open transaction, in the order they were opened.
// If one fails, the rest are rolled back and the first error is returned.
func (s *txSet) commit() error {
	var first error
	for _, g := range s.order {
		tx := s.open[g]
		if first != nil {
			_ = tx.Rollback()
			continue
		}
		if err := tx.Commit(); err != nil {
			first = fmt.Errorf("committing graph %q: %w", g, err)
		}
	}
	s.reset()
	return first
}

// rollback rolls back every open transaction.
func (s *txSet) rollback() error {
	var errs []error
	for _, g := range s.order {
		if err := s.open[g].Rollback(); err != nil {
			errs = append(errs, err)
		}
	}
	s.reset()
	return errors.Join(errs...)
}

// end commits or rolls back only the transaction on one graph.
func (s *txSet) end(graph string, commit bool) error {
	tx, ok := s.open[graph]
	if !ok {
		return nil
	}
	delete(s.open, graph)
	for i, g := range s.order {
		if g == graph {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	if len(s.open) == 0 {
		s.dirty = false
	}
	if commit {
		return tx.Commit()
	}
	return tx.Rollback()
}

func (s *txSet) reset() {
	s.open = map[string]storage.GraphTx{}
	s.order = nil
	s.dirty = false
}
