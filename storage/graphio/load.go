package graphio

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Load reads a whole graph in the given format from r and adds it to g,
// committing every opts.BatchSize writes. It returns what it committed,
// also when it fails part way (Load is not atomic). Problems with the input
// are *ParseError values naming the line; problems from the store name the
// line of the element that could not be added and wrap the store's error.
//
// When g has a bulk-load entry point (*storage.Graph's BulkLoad), Load runs
// inside it: the store may end transactions earlier than BatchSize to stay
// within its limits, and Stats then count at least what was committed.
// Otherwise Load opens the transactions itself through g.Begin, retries a
// batch on conflicts and halves it when the store reports it too large.
func Load(ctx context.Context, g storage.Store, r io.Reader, format Format, opts LoadOptions) (Stats, error) {
	start := time.Now()
	if g == nil {
		return Stats{}, errors.New("graphio: Load needs a store")
	}
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	if format != GraphSON && format != GraphML {
		return Stats{}, fmt.Errorf("graphio: unknown format %v", format)
	}
	l := newLoader(ctx, g, opts)
	cr := &countingReader{r: r}
	run := func() error {
		var err error
		if format == GraphSON {
			err = l.readGraphSON(cr)
		} else {
			err = l.readGraphML(cr)
		}
		if err == nil {
			err = l.finish()
		}
		return err
	}
	var err error
	if bl, ok := g.(bulkLoader); ok {
		// The store sizes transactions by its own limits; Load still ends
		// a transaction every BatchSize writes.
		err = bl.BulkLoad(ctx, func(tx storage.GraphTx) error {
			l.bulk = tx
			return run()
		})
	} else {
		err = run()
	}
	l.stats.Bytes = cr.n
	l.stats.Duration = time.Since(start)
	return l.stats, err
}

// bulkLoader is implemented by stores with a bulk-load entry point
// (*storage.Graph): fn's writes are committed in transactions the store
// sizes by its limits; calling Commit inside fn ends one early.
type bulkLoader interface {
	BulkLoad(ctx context.Context, fn func(tx storage.GraphTx) error) error
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type opKind uint8

const (
	opVertex opKind = iota
	opVertexProperty
	opEdge
)

// writeOp is one buffered write, kept until its batch commits so that the
// batch can be retried or split.
type writeOp struct {
	kind  opKind
	line  int
	id    any
	label string // vertex/edge label
	vid   any    // opVertexProperty: the vertex
	key   string // opVertexProperty
	val   any    // opVertexProperty
	out   any    // opEdge
	in    any    // opEdge
	props []storage.KeyValue
}

func (o *writeOp) apply(tx storage.GraphTx) error {
	switch o.kind {
	case opVertex:
		_, err := tx.AddVertex(o.id, o.label, o.props)
		return err
	case opVertexProperty:
		_, err := tx.SetVertexProperty(o.vid, storage.List, o.id, o.key, o.val, o.props)
		return err
	default:
		_, err := tx.AddEdge(o.id, o.label, o.out, o.in, o.props)
		return err
	}
}

func (o *writeOp) describe() string {
	switch o.kind {
	case opVertex:
		return fmt.Sprintf("adding vertex %s (label %q)", fmtID(o.id), o.label)
	case opVertexProperty:
		return fmt.Sprintf("adding property %q (id %s) to vertex %s", o.key, fmtID(o.id), fmtID(o.vid))
	default:
		return fmt.Sprintf("adding edge %s (label %q) from vertex %s to vertex %s", fmtID(o.id), o.label, fmtID(o.out), fmtID(o.in))
	}
}

// fmtID renders an id with its type, as in "1 (int32)".
func fmtID(id any) string {
	if id == nil {
		return "<generated>"
	}
	if s, ok := id.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v (%T)", id, id)
}

const maxCommitRetries = 8

func retryable(err error) bool {
	return kv.Retryable(err) || errors.Is(err, storage.ErrConflict)
}

type loader struct {
	ctx       context.Context
	store     storage.Store
	opts      LoadOptions
	name      string
	batchSize int

	bulk     storage.GraphTx // set when the store's BulkLoad drives the transactions
	batch    []writeOp
	seen     map[string]struct{}   // idKey of every vertex id added
	waiting  map[string][]*writeOp // edges waiting for the vertex keyed
	nWaiting int
	inEdges  int64 // GraphSON "inE" entries read
	outEdges int64 // GraphSON "outE" entries read
	stats    Stats
	elements int // elements read, for periodic context checks
}

func newLoader(ctx context.Context, g storage.Store, opts LoadOptions) *loader {
	l := &loader{
		ctx:       ctx,
		store:     g,
		opts:      opts,
		name:      opts.Name,
		batchSize: opts.BatchSize,
		seen:      make(map[string]struct{}),
		waiting:   make(map[string][]*writeOp),
	}
	if l.name == "" {
		l.name = "input"
	}
	if l.batchSize <= 0 {
		l.batchSize = DefaultBatchSize
	}
	return l
}

func (l *loader) parseErr(line, col int, format string, args ...any) error {
	return &ParseError{Name: l.name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// tick is called once per element read; it checks the context now and then.
func (l *loader) tick() error {
	l.elements++
	if l.elements%1024 == 0 {
		return l.ctx.Err()
	}
	return nil
}

// convertID applies LoadOptions.IDType to a vertex or edge id.
func (l *loader) convertID(id any) (any, error) {
	return convertID(id, l.opts.IDType)
}

func convertID(id any, t IDType) (any, error) {
	switch t {
	case IDAsIs:
		return id, nil
	case IDString:
		switch x := id.(type) {
		case string:
			return x, nil
		case int32, int64, int16, int8, int:
			return fmt.Sprint(x), nil
		case uuid.UUID:
			return x.String(), nil
		}
		return nil, fmt.Errorf("cannot convert id %s to a string id", fmtID(id))
	case IDInt32, IDInt64:
		var i int64
		switch x := id.(type) {
		case string:
			v, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("id %q is not an integer (id type %v)", x, t)
			}
			i = v
		case int32:
			i = int64(x)
		case int64:
			i = x
		case int16:
			i = int64(x)
		case int8:
			i = int64(x)
		case int:
			i = int64(x)
		default:
			return nil, fmt.Errorf("cannot convert id %s to an integer id", fmtID(id))
		}
		if t == IDInt64 {
			return i, nil
		}
		if i < math.MinInt32 || i > math.MaxInt32 {
			return nil, fmt.Errorf("id %d does not fit in an int32 (id type int32); use int64", i)
		}
		return int32(i), nil
	case IDUUID:
		switch x := id.(type) {
		case uuid.UUID:
			return x, nil
		case string:
			u, err := uuid.Parse(x)
			if err != nil {
				return nil, fmt.Errorf("id %q is not a UUID (id type uuid)", x)
			}
			return u, nil
		}
		return nil, fmt.Errorf("cannot convert id %s to a UUID id", fmtID(id))
	}
	return nil, fmt.Errorf("unknown id type %v", t)
}

// idKey is a map key for an id, distinct per type and value (value.Key
// with fast paths for the common id types).
func idKey(id any) string {
	switch x := id.(type) {
	case int32:
		return "i" + strconv.FormatInt(int64(x), 10)
	case int64:
		return "l" + strconv.FormatInt(x, 10)
	case string:
		return "s" + x
	case uuid.UUID:
		return "u" + string(x[:])
	}
	return "k" + value.Key(id)
}

// validID reports whether v can be an element id.
func validID(v any) bool {
	switch v.(type) {
	case nil, []any, *value.Map, *value.Set, bool, float32, float64:
		return false
	}
	return true
}

// addVertex queues a vertex and its properties (vps are opVertexProperty
// ops with vid filled in), then releases the edges that waited for it.
func (l *loader) addVertex(line int, id any, label string, props []storage.KeyValue, vps []writeOp) error {
	k := idKey(id)
	if _, dup := l.seen[k]; dup {
		return l.parseErr(line, 0, "vertex id %s appears more than once", fmtID(id))
	}
	l.seen[k] = struct{}{}
	l.batch = append(l.batch, writeOp{kind: opVertex, line: line, id: id, label: label, props: props})
	l.batch = append(l.batch, vps...)
	if ws, ok := l.waiting[k]; ok {
		delete(l.waiting, k)
		l.nWaiting -= len(ws)
		for _, e := range ws {
			l.queueEdge(e)
		}
	}
	return l.maybeFlush()
}

// addEdge queues an edge, or parks it until both its vertices exist.
func (l *loader) addEdge(e *writeOp) error {
	l.queueEdge(e)
	return l.maybeFlush()
}

func (l *loader) queueEdge(e *writeOp) {
	for _, end := range [2]any{e.out, e.in} {
		k := idKey(end)
		if _, ok := l.seen[k]; !ok {
			l.waiting[k] = append(l.waiting[k], e)
			l.nWaiting++
			return
		}
	}
	l.batch = append(l.batch, *e)
}

func (l *loader) maybeFlush() error {
	if len(l.batch) < l.batchSize {
		return nil
	}
	return l.flush()
}

func (l *loader) flush() error {
	if len(l.batch) == 0 {
		return nil
	}
	var err error
	if l.bulk != nil {
		err = l.applyBulk(l.batch)
	} else {
		err = l.commitOps(l.batch)
	}
	l.batch = l.batch[:0]
	return err
}

// applyBulk hands ops to the store's bulk-load transaction and ends the
// transaction. There is no retry: a failed bulk batch is gone.
func (l *loader) applyBulk(ops []writeOp) error {
	if err := l.ctx.Err(); err != nil {
		return err
	}
	if err := prefetch(l.bulk, ops); err != nil {
		return err
	}
	for i := range ops {
		if err := ops[i].apply(l.bulk); err != nil {
			return fmt.Errorf("%s:%d: %s: %w", l.name, ops[i].line, ops[i].describe(), err)
		}
	}
	if err := l.bulk.Commit(); err != nil {
		return fmt.Errorf("graphio: committing %d writes (input lines %d-%d): %w", len(ops), ops[0].line, ops[len(ops)-1].line, err)
	}
	l.committed(ops)
	return nil
}

// finish reports edges whose vertices never appeared, then commits the rest.
func (l *loader) finish() error {
	if l.nWaiting > 0 {
		var first *writeOp
		var missing string
		for k, ws := range l.waiting {
			for _, e := range ws {
				if first == nil || e.line < first.line {
					first, missing = e, k
				}
			}
		}
		end := first.in
		if idKey(first.out) == missing {
			end = first.out
		}
		return l.parseErr(first.line, 0, "edge %s (label %q) refers to vertex %s, which the input does not contain (%d edge(s) in all refer to missing vertices)",
			fmtID(first.id), first.label, fmtID(end), l.nWaiting)
	}
	if err := l.flush(); err != nil {
		return err
	}
	if l.opts.Progress != nil {
		l.opts.Progress(l.stats.Vertices, l.stats.Edges)
	}
	return nil
}

// commitOps commits ops in one transaction, retrying on retryable errors
// and splitting the batch when the store says it is too large.
func (l *loader) commitOps(ops []writeOp) error {
	backoff := 5 * time.Millisecond
	for attempt := 0; ; attempt++ {
		failed, err := l.tryCommit(ops)
		if err == nil {
			l.committed(ops)
			return nil
		}
		if errors.Is(err, kv.ErrTooLarge) && len(ops) > 1 {
			h := len(ops) / 2
			if h < l.batchSize {
				l.batchSize = max(1, h)
			}
			if err := l.commitOps(ops[:h]); err != nil {
				return err
			}
			return l.commitOps(ops[h:])
		}
		if retryable(err) && attempt < maxCommitRetries && l.ctx.Err() == nil {
			select {
			case <-time.After(backoff):
			case <-l.ctx.Done():
				return l.ctx.Err()
			}
			backoff *= 2
			continue
		}
		if failed != nil {
			return fmt.Errorf("%s:%d: %s: %w", l.name, failed.line, failed.describe(), err)
		}
		return fmt.Errorf("graphio: committing %d writes (input lines %d-%d): %w", len(ops), ops[0].line, ops[len(ops)-1].line, err)
	}
}

// tryCommit runs ops in one transaction. On failure it returns the op that
// failed (nil when Begin or Commit failed).
func (l *loader) tryCommit(ops []writeOp) (*writeOp, error) {
	if err := l.ctx.Err(); err != nil {
		return nil, err
	}
	tx, err := l.store.Begin(l.ctx, storage.TxOptions{})
	if err != nil {
		return nil, err
	}
	if err := prefetch(tx, ops); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	for i := range ops {
		if err := ops[i].apply(tx); err != nil {
			_ = tx.Rollback()
			return &ops[i], err
		}
	}
	return nil, tx.Commit()
}

// prefetch tells a transaction that can batch its existence checks
// (*storage.Tx's Prefetch) every vertex id the ops name: one multi-get
// instead of one get per new vertex id and per first-seen edge endpoint.
func prefetch(tx storage.GraphTx, ops []writeOp) error {
	p, ok := tx.(interface{ Prefetch(vids []any) error })
	if !ok {
		return nil
	}
	ids := make([]any, 0, len(ops))
	for i := range ops {
		switch ops[i].kind {
		case opVertex:
			ids = append(ids, ops[i].id)
		case opEdge:
			ids = append(ids, ops[i].out, ops[i].in)
		}
	}
	return p.Prefetch(ids)
}

func (l *loader) committed(ops []writeOp) {
	for i := range ops {
		switch ops[i].kind {
		case opVertex:
			l.stats.Vertices++
			l.stats.VertexProperties += int64(len(ops[i].props))
		case opVertexProperty:
			l.stats.VertexProperties++
		case opEdge:
			l.stats.Edges++
		}
	}
	l.stats.Transactions++
	if l.opts.Progress != nil {
		l.opts.Progress(l.stats.Vertices, l.stats.Edges)
	}
}

// lineReader reads lines of any length, counting them.
type lineReader struct {
	br   *bufio.Reader
	line int
	buf  []byte
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<16)}
}

// next returns the next line without its end-of-line bytes, or io.EOF.
func (lr *lineReader) next() ([]byte, error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.br.ReadSlice('\n')
		lr.buf = append(lr.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if len(lr.buf) == 0 {
				return nil, io.EOF
			}
		} else if err != nil {
			return nil, err
		}
		lr.line++
		b := lr.buf
		for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
			b = b[:len(b)-1]
		}
		return b, nil
	}
}
