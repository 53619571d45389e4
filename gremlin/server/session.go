package server

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
)

// sessionManager owns the open sessions, keyed by session id.
type sessionManager struct {
	s *Server

	mu sync.Mutex
	m  map[string]*session

	startOnce sync.Once
}

// session runs its requests one at a time, in arrival order, on its own
// goroutine, as Gremlin Server does.
type session struct {
	id    string
	mgr   *sessionManager
	exec  Session
	owner *wsConn // the connection that opened it; its close ends the session

	mu    sync.Mutex
	dead  bool
	queue chan sessionTask
	quit  chan struct{}
	ended chan struct{} // closed when the worker has closed exec

	lastUsed  atomic.Int64 // unix nanoseconds
	busy      atomic.Bool
	closeOnce sync.Once
}

// sessionTask is one queued request: run executes and answers it; abort
// answers it when the session closed before it ran.
type sessionTask struct {
	run   func()
	abort func()
}

func newSessionManager(s *Server) *sessionManager {
	return &sessionManager{s: s, m: map[string]*session{}}
}

func (m *sessionManager) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

// start runs the idle-expiry janitor until the server stops.
func (m *sessionManager) start() {
	m.startOnce.Do(func() {
		tick := min(max(m.s.cfg.SessionTimeout/4, 10*time.Millisecond), time.Second)
		go func() {
			t := time.NewTicker(tick)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					m.expire(time.Now())
				case <-m.s.stop:
					return
				}
			}
		}()
	})
}

func (m *sessionManager) expire(now time.Time) {
	limit := m.s.cfg.SessionTimeout
	m.mu.Lock()
	var idle []*session
	for _, ss := range m.m {
		if !ss.busy.Load() && len(ss.queue) == 0 && now.Sub(time.Unix(0, ss.lastUsed.Load())) > limit {
			idle = append(idle, ss)
		}
	}
	m.mu.Unlock()
	for _, ss := range idle {
		m.s.log.Info("session expired", "session", ss.id, "idle", limit)
		ss.kill()
	}
}

// get returns the session, creating it when create is set.
func (m *sessionManager) get(id string, owner *wsConn, create bool) (*session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ss, ok := m.m[id]; ok {
		return ss, nil
	}
	if !create {
		return nil, nil
	}
	if len(m.m) >= m.s.cfg.MaxSessions {
		return nil, statusErr(gio.StatusTooManyRequests, "Too many open sessions (limit %d); close one first", m.s.cfg.MaxSessions)
	}
	ex, err := m.s.exec.NewSession(id)
	if err != nil {
		return nil, fmt.Errorf("%w: could not create session %s: %w", ErrServer, id, err)
	}
	ss := &session{
		id: id, mgr: m, exec: ex, owner: owner,
		queue: make(chan sessionTask, m.s.cfg.SessionQueue),
		quit:  make(chan struct{}),
		ended: make(chan struct{}),
	}
	ss.lastUsed.Store(time.Now().UnixNano())
	m.m[id] = ss
	m.s.metrics.sessions.Inc()
	m.s.log.Debug("session opened", "session", id)
	go ss.loop()
	return ss, nil
}

func (ss *session) loop() {
	defer close(ss.ended)
	for {
		select {
		case st := <-ss.queue:
			ss.busy.Store(true)
			st.run()
			ss.lastUsed.Store(time.Now().UnixNano())
			ss.busy.Store(false)
		case <-ss.quit:
			for {
				select {
				case st := <-ss.queue:
					st.abort()
				default:
					ss.closeExec()
					return
				}
			}
		}
	}
}

// enqueue adds a task in arrival order; it fails if the session is closed
// or its queue is full.
func (ss *session) enqueue(st sessionTask) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.dead {
		return statusErr(gio.StatusServerError, "Session %s was closed", ss.id)
	}
	ss.lastUsed.Store(time.Now().UnixNano())
	select {
	case ss.queue <- st:
		return nil
	default:
		return statusErr(gio.StatusTooManyRequests, "Session %s has too many queued requests (limit %d)", ss.id, cap(ss.queue))
	}
}

// kill marks the session closed and removes it; the worker finishes the
// running request, answers queued ones, and closes the executor session.
func (ss *session) kill() {
	ss.mu.Lock()
	if !ss.dead {
		ss.dead = true
		close(ss.quit)
	}
	ss.mu.Unlock()
	m := ss.mgr
	m.mu.Lock()
	if m.m[ss.id] == ss {
		delete(m.m, ss.id)
		m.s.metrics.sessions.Dec()
	}
	m.mu.Unlock()
}

func (ss *session) closeExec() {
	ss.closeOnce.Do(func() {
		if err := ss.exec.Close(); err != nil {
			ss.mgr.s.log.Warn("closing session failed", "session", ss.id, "err", err)
		}
		ss.mgr.s.log.Debug("session closed", "session", ss.id)
	})
}

func (m *sessionManager) closeOwnedBy(c *wsConn) {
	m.mu.Lock()
	var owned []*session
	for _, ss := range m.m {
		if ss.owner == c {
			owned = append(owned, ss)
		}
	}
	m.mu.Unlock()
	for _, ss := range owned {
		ss.kill()
	}
}

// closeAll closes every session and waits until their executors closed.
func (m *sessionManager) closeAll() {
	m.mu.Lock()
	all := make([]*session, 0, len(m.m))
	for _, ss := range m.m {
		all = append(all, ss)
	}
	m.mu.Unlock()
	for _, ss := range all {
		ss.kill()
	}
	for _, ss := range all {
		<-ss.ended
	}
}

// submitSession queues a session request (eval, bytecode, close); done is
// called once it has been answered and finished.
func (s *Server) submitSession(ctx context.Context, c *wsConn, t *task, done func()) {
	id, ok := t.req.StringArg(argSession)
	if !ok || id == "" {
		t.reply.fail(statusErr(gio.StatusInvalidRequestArguments, "A message with an [%s] op code requires a [session] argument", t.req.Op))
		done()
		return
	}
	switch t.req.Op {
	case opEval, opBytecode, opClose:
	default:
		err := unknownOp(t.req)
		t.reply.fail(err)
		done()
		return
	}
	ss, err := s.sessions.get(id, c, t.req.Op != opClose)
	if err == nil && ss == nil {
		// Closing a session that does not exist (any more) succeeds.
		t.reply.finish(gio.StatusNoContent, "", nil, nil)
		done()
		return
	}
	if err != nil {
		t.reply.fail(err)
		done()
		return
	}
	st := sessionTask{
		run: func() {
			defer done()
			if t.req.Op == opClose {
				ss.kill()
				ss.closeExec()
				t.reply.finish(gio.StatusNoContent, "", nil, nil)
				return
			}
			s.run(ctx, t, func(ctx context.Context, t *task) error { return s.execInSession(ctx, ss, t) })
		},
		abort: func() {
			defer done()
			t.reply.finish(gio.StatusServerError, fmt.Sprintf("Session %s was closed before the request ran", id), nil, nil)
		},
	}
	if err := ss.enqueue(st); err != nil {
		t.reply.fail(err)
		done()
	}
}

// execInSession runs eval and bytecode (including g.tx() commit and
// rollback) within a session.
func (s *Server) execInSession(ctx context.Context, ss *session, t *task) error {
	switch t.req.Op {
	case opEval:
		er, err := s.evalRequest(t, true)
		if err != nil {
			return err
		}
		res, err := ss.exec.Eval(ctx, er)
		if err != nil {
			return err
		}
		return s.stream(ctx, t, res)
	case opBytecode:
		br, err := s.bytecodeRequest(t, true)
		if err != nil {
			return err
		}
		if op, ok := txOperation(br.Bytecode); ok {
			if op == "commit" {
				err = ss.exec.Commit(ctx, br.Source)
			} else {
				err = ss.exec.Rollback(ctx, br.Source)
			}
			if err != nil {
				return err
			}
			t.reply.finish(gio.StatusNoContent, "", nil, nil)
			return nil
		}
		res, err := ss.exec.Submit(ctx, br)
		if err != nil {
			return err
		}
		return s.stream(ctx, t, res)
	}
	return unknownOp(t.req)
}
