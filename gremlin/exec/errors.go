package exec

import (
	"context"
	"errors"
	"fmt"

	"github.com/kvtgraph/kvtgraph/gremlin/lang"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/traversal"
)

// classify gives an error the kind that selects its Gremlin status code,
// keeping its message. Errors that already carry a kind keep it.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var coder server.StatusCoder
	if errors.As(err, &coder) {
		return err
	}
	for _, kind := range []error{server.ErrInvalidRequest, server.ErrMalformedRequest, server.ErrUnauthorized,
		server.ErrForbidden, server.ErrFailStep, server.ErrTemporary, server.ErrEvaluation, server.ErrTimeout, server.ErrServer} {
		if errors.Is(err, kind) {
			return err
		}
	}
	var syntax *lang.SyntaxError
	var terr *traversal.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %v", server.ErrTimeout, err)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: request cancelled: %v", server.ErrTimeout, err)
	case errors.As(err, &syntax), errors.Is(err, lang.ErrLambda), errors.Is(err, traversal.ErrLambda), errors.As(err, &terr):
		return fmt.Errorf("%w: %w", server.ErrEvaluation, err)
	case errors.Is(err, storage.ErrConflict):
		return fmt.Errorf("%w: %w", server.ErrTemporary, err)
	}
	return fmt.Errorf("%w: %w", server.ErrEvaluation, err)
}
