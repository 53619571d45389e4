package server

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Ops, processors and argument names of the protocol.
const (
	opEval           = "eval"
	opBytecode       = "bytecode"
	opClose          = "close"
	opAuthentication = "authentication"

	procStandard  = ""
	procTraversal = "traversal"
	procSession   = "session"

	argGremlin           = "gremlin"
	argBindings          = "bindings"
	argAliases           = "aliases"
	argLanguage          = "language"
	argBatchSize         = "batchSize"
	argTimeout           = "evaluationTimeout"
	argTimeoutOld        = "scriptEvaluationTimeout"
	argSession           = "session"
	argManageTransaction = "manageTransaction"
	argSASL              = "sasl"

	defaultLanguage = "gremlin-groovy"
)

// sink delivers the responses of one request to its client.
type sink interface {
	// send writes one response; it may block for backpressure and returns
	// early when ctx ends. Encoding failures wrap ErrSerialization.
	send(ctx context.Context, resp *gio.Response) error
}

var errAnswered = errors.New("request already answered")

// reply sends the responses of one request: partial batches, then exactly
// one final response. After the final response (e.g. a 598 sent by the
// timeout watchdog) further sends are dropped.
type reply struct {
	id      uuid.UUID
	sink    sink
	metrics *Metrics
	op      string
	start   time.Time

	mu   sync.Mutex
	done bool
	code int
}

// newReply starts the answer to one request; its final response is
// counted in the metrics (status code, and latency by op) when it is sent.
func (s *Server) newReply(id uuid.UUID, sk sink, op string) *reply {
	return &reply{id: id, sink: sk, metrics: s.metrics, op: op, start: time.Now()}
}

func (r *reply) partial(ctx context.Context, data []any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return errAnswered
	}
	return r.sink.send(ctx, &gio.Response{
		RequestID: r.id,
		Status:    gio.Status{Code: gio.StatusPartialContent, Attributes: map[string]any{}},
		Result:    gio.Result{Meta: map[string]any{}, Data: data},
	})
}

// finish sends the final response unless one was sent; it reports whether
// this call sent it. A result that cannot be encoded turns into a 599.
func (r *reply) finish(code int, msg string, data any, attrs map[string]any) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return false
	}
	r.done = true
	r.metrics.latency.WithLabelValues(r.op).Observe(time.Since(r.start).Seconds())
	if attrs == nil {
		attrs = map[string]any{}
	}
	resp := &gio.Response{
		RequestID: r.id,
		Status:    gio.Status{Code: code, Message: msg, Attributes: attrs},
		Result:    gio.Result{Meta: map[string]any{}, Data: data},
	}
	err := r.sink.send(context.Background(), resp)
	if err != nil && errors.Is(err, ErrSerialization) {
		code = gio.StatusServerSerializationError
		resp.Status = gio.Status{Code: code, Message: err.Error(), Attributes: map[string]any{}}
		resp.Result.Data = nil
		_ = r.sink.send(context.Background(), resp)
	}
	r.code = code
	r.metrics.response(code)
	return true
}

func (r *reply) fail(err error) bool {
	return r.finish(statusOf(err), err.Error(), nil, attributesOf(err))
}

func (r *reply) finalCode() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.code
}

// task is one request on its way through the server.
type task struct {
	req       *gio.Request
	reply     *reply
	user      string
	transport string // "ws" or "http"
	// batch overrides the batch size (HTTP sends everything at once).
	batch int
}

// run executes t under its evaluation timeout and answers it; it returns
// when the executor is done with it. The final response may go out
// earlier: at the timeout, the watchdog answers 598 without waiting.
func (s *Server) run(parent context.Context, t *task, exec func(ctx context.Context, t *task) error) {
	start := time.Now()
	timeout, err := s.timeoutOf(t.req)
	if err != nil {
		t.reply.fail(err)
		s.observe(t, start)
		return
	}
	var ctx context.Context
	var cancel context.CancelFunc
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(parent, timeout)
	} else {
		ctx, cancel = context.WithCancel(parent)
	}
	defer cancel()

	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic in request", "requestId", t.req.RequestID, "op", t.req.Op,
					"panic", p, "stack", string(debug.Stack()))
				t.reply.finish(gio.StatusServerError, fmt.Sprintf("Server error: %v", p), nil, nil)
			}
		}()
		if err := exec(ctx, t); err != nil {
			if ctx.Err() != nil && errors.Is(err, ctx.Err()) && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				t.reply.finish(gio.StatusServerTimeout, timeoutMessage(t.req, timeout), nil, nil)
				return
			}
			if !errors.Is(err, errAnswered) {
				t.reply.fail(err)
			}
		}
	}()
	select {
	case <-done:
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.reply.finish(gio.StatusServerTimeout, timeoutMessage(t.req, timeout), nil, nil)
		}
		<-done
	}
	s.observe(t, start)
}

func (s *Server) observe(t *task, start time.Time) {
	s.log.Debug("request", "requestId", t.req.RequestID, "transport", t.transport, "op", t.req.Op,
		"processor", t.req.Processor, "code", t.reply.finalCode(), "duration", time.Since(start))
}

func timeoutMessage(req *gio.Request, d time.Duration) string {
	what := "request"
	if g, ok := req.Arg(argGremlin); ok {
		switch x := g.(type) {
		case string:
			what = x
		case *value.Bytecode:
			what = fmt.Sprintf("bytecode with %d steps", len(x.Steps))
		}
	}
	return fmt.Sprintf("Evaluation exceeded the configured 'evaluationTimeout' threshold of %d ms or evaluation was otherwise cancelled directly for request [%s]",
		d.Milliseconds(), what)
}

// timeoutOf reads evaluationTimeout (ms; 0 or less means none) from the
// request, falling back to the server default.
func (s *Server) timeoutOf(req *gio.Request) (time.Duration, error) {
	for _, name := range []string{argTimeout, argTimeoutOld} {
		if _, present := req.Arg(name); !present {
			continue
		}
		ms, ok := req.IntArg(name)
		if !ok {
			return 0, statusErr(gio.StatusInvalidRequestArguments, "The [%s] argument must be a number of milliseconds", name)
		}
		if ms <= 0 {
			return 0, nil
		}
		return time.Duration(ms) * time.Millisecond, nil
	}
	if s.cfg.EvaluationTimeout < 0 {
		return 0, nil
	}
	return s.cfg.EvaluationTimeout, nil
}

func (s *Server) batchOf(t *task) (int, error) {
	if t.batch > 0 {
		return t.batch, nil
	}
	if _, present := t.req.Arg(argBatchSize); present {
		n, ok := t.req.IntArg(argBatchSize)
		if !ok || n <= 0 {
			return 0, statusErr(gio.StatusInvalidRequestArguments, "The [%s] argument must be a positive integer", argBatchSize)
		}
		return int(min(n, 1<<20)), nil
	}
	return s.cfg.BatchSize, nil
}

// execSessionless runs op eval (processor "") and op bytecode (processor
// "traversal").
func (s *Server) execSessionless(ctx context.Context, t *task) error {
	req := t.req
	switch {
	case req.Op == opEval && req.Processor == procStandard:
		er, err := s.evalRequest(t, false)
		if err != nil {
			return err
		}
		res, err := s.exec.Eval(ctx, er)
		if err != nil {
			return err
		}
		return s.stream(ctx, t, res)
	case req.Op == opBytecode && req.Processor == procTraversal:
		br, err := s.bytecodeRequest(t, false)
		if err != nil {
			return err
		}
		if _, ok := txOperation(br.Bytecode); ok {
			return statusErr(gio.StatusInvalidRequestArguments,
				"Transaction commands (g.tx()) need a session: send them with processor [session] and a [session] id")
		}
		res, err := s.exec.Submit(ctx, br)
		if err != nil {
			return err
		}
		return s.stream(ctx, t, res)
	}
	return unknownOp(req)
}

// unknownOp answers 499 for an op or processor the server does not have:
// the request was decoded, its arguments are what is wrong.
func unknownOp(req *gio.Request) error {
	switch req.Processor {
	case procStandard, procTraversal, procSession:
		return statusErr(gio.StatusInvalidRequestArguments, "Message with op code [%s] is not recognized.", req.Op)
	}
	return statusErr(gio.StatusInvalidRequestArguments, "Invalid OpProcessor requested [%s]", req.Processor)
}

// stream sends res in batches: 206 for every batch but the last, 200 for
// the last, 204 when there are no results.
func (s *Server) stream(ctx context.Context, t *task, res Results) error {
	defer res.Close()
	n, err := s.batchOf(t)
	if err != nil {
		return err
	}
	v, ok := res.Next()
	if !ok {
		if err := res.Err(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		t.reply.finish(gio.StatusNoContent, "", nil, nil)
		return nil
	}
	buf := make([]any, 0, min(n, 1024))
	for {
		buf = append(buf, v)
		v, ok = res.Next()
		if !ok {
			break
		}
		if len(buf) == n {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := t.reply.partial(ctx, buf); err != nil {
				return err
			}
			buf = buf[:0] // the batch was encoded synchronously
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t.reply.finish(gio.StatusSuccess, "", buf, nil)
	return nil
}

func (s *Server) info(t *task, inSession bool) (RequestInfo, error) {
	ri := RequestInfo{RequestID: t.req.RequestID, User: t.user, Args: t.req.Args}
	if inSession {
		if v, ok := t.req.Arg(argManageTransaction); ok {
			b, isBool := v.(bool)
			if !isBool {
				return ri, statusErr(gio.StatusInvalidRequestArguments, "The [%s] argument must be a boolean", argManageTransaction)
			}
			ri.ManageTransaction = b
		}
	}
	return ri, nil
}

func (s *Server) evalRequest(t *task, inSession bool) (*EvalRequest, error) {
	req := t.req
	script, ok := req.StringArg(argGremlin)
	if !ok {
		return nil, statusErr(gio.StatusInvalidRequestArguments, "A message with an [eval] op code requires a [gremlin] argument.")
	}
	ri, err := s.info(t, inSession)
	if err != nil {
		return nil, err
	}
	bindings, err := req.StringMap(argBindings)
	if err != nil {
		return nil, &Error{Code: gio.StatusInvalidRequestArguments, Err: err}
	}
	aliases, err := s.aliases(req)
	if err != nil {
		return nil, err
	}
	sources := s.exec.Sources()
	for name, target := range aliases {
		if _, isSource := sources[target]; isSource {
			continue
		}
		if !isGraph(sources, target) {
			return nil, statusErr(gio.StatusInvalidRequestArguments,
				"Could not alias [%s] to [%s] as [%s] not in the Graph or TraversalSource global bindings", name, target, target)
		}
	}
	lang := defaultLanguage
	if _, present := req.Arg(argLanguage); present {
		l, ok := req.StringArg(argLanguage)
		if !ok {
			return nil, statusErr(gio.StatusInvalidRequestArguments, "The [%s] argument must be a string", argLanguage)
		}
		if l != "" {
			lang = l
		}
	}
	return &EvalRequest{RequestInfo: ri, Script: script, Language: lang, Bindings: bindings, Aliases: aliases}, nil
}

func isGraph(sources map[string]string, name string) bool {
	for _, g := range sources {
		if g == name {
			return true
		}
	}
	return false
}

func (s *Server) aliases(req *gio.Request) (map[string]string, error) {
	raw, err := req.StringMap(argAliases)
	if err != nil {
		return nil, &Error{Code: gio.StatusInvalidRequestArguments, Err: err}
	}
	if raw == nil {
		return nil, nil
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		target, ok := v.(string)
		if !ok {
			return nil, statusErr(gio.StatusInvalidRequestArguments, "The [aliases] argument maps [%s] to a %T; expected the name of a traversal source", k, v)
		}
		out[k] = target
	}
	return out, nil
}

func (s *Server) bytecodeRequest(t *task, inSession bool) (*BytecodeRequest, error) {
	req := t.req
	g, _ := req.Arg(argGremlin)
	bc, ok := g.(*value.Bytecode)
	if !ok || bc == nil {
		return nil, statusErr(gio.StatusInvalidRequestArguments, "A message with a [bytecode] op code requires a [gremlin] argument that is Bytecode, not %T", g)
	}
	ri, err := s.info(t, inSession)
	if err != nil {
		return nil, err
	}
	aliases, err := s.aliases(req)
	if err != nil {
		return nil, err
	}
	if len(aliases) != 1 {
		return nil, statusErr(gio.StatusInvalidRequestArguments,
			"A message with [bytecode] op code requires the [aliases] argument to be a Map containing one alias assignment.")
	}
	var alias, source string
	for alias, source = range aliases {
	}
	if _, ok := s.exec.Sources()[source]; !ok {
		return nil, statusErr(gio.StatusInvalidRequestArguments,
			"The traversal source [%s] for alias [%s] is not configured on the server.", source, alias)
	}
	return &BytecodeRequest{RequestInfo: ri, Bytecode: bc, Alias: alias, Source: source}, nil
}

// txOperation recognises the bytecode drivers send for remote
// g.tx().commit() and g.tx().rollback(): a single source instruction
// ["tx", "commit"|"rollback"] and no steps.
func txOperation(bc *value.Bytecode) (string, bool) {
	if bc == nil || len(bc.Steps) != 0 || len(bc.Sources) != 1 {
		return "", false
	}
	in := bc.Sources[0]
	if in.Operator != "tx" || len(in.Args) != 1 {
		return "", false
	}
	op, ok := in.Args[0].(string)
	if !ok {
		return "", false
	}
	switch strings.ToLower(op) {
	case "commit", "rollback":
		return strings.ToLower(op), true
	}
	return "", false
}
