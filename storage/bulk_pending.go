package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// pendingTxn is the KV transaction of a bulk-load batch of additions until
// the batch ends (see bulkTx): it only buffers writes and LockKeys calls in
// Go. bulkTx.materialize then begins the real transaction and replays them
// sorted by table and key (an ordered store inserts sorted keys faster: KVT
// sorts a transaction's writes at commit, which costs less on sorted
// input, and its B+tree inserts then walk the leaves in order). A call that
// needs the real transaction earlier (a read) starts it through begin,
// which waits for the background commit first, and replays the writes in
// the order they came.
type pendingTxn struct {
	begin  func() (kv.Txn, error)
	t      kv.Txn
	err    error // a failed start: every later call returns it
	done   bool  // rolled back before it started
	tables []kv.Table
	ops    []pendingOp
	buf    []byte // keys and values of ops, back to back
}

type pendingOp struct {
	kind             byte // pendingSet, pendingDelete or pendingLock
	table            uint8
	keyEnd, valueEnd int32 // ends in buf; the key starts where the previous op ended
}

const (
	pendingSet = iota + 1
	pendingDelete
	pendingLock
)

var _ kv.Txn = (*pendingTxn)(nil)

// start begins the real transaction through begin and replays the writes
// in order.
func (p *pendingTxn) start() error {
	if p.t != nil {
		return nil
	}
	if p.err != nil {
		return p.err
	}
	if p.done {
		return kv.ErrTxnDone
	}
	t, err := p.begin()
	if err != nil {
		p.err = err
		return err
	}
	return p.replay(t, nil)
}

// replay replays the buffered operations into t, in the order of perm
// (nil: as they came), and makes t the transaction.
func (p *pendingTxn) replay(t kv.Txn, perm []int32) error {
	do := func(i int) error {
		op := p.ops[i]
		off := int32(0)
		if i > 0 {
			off = p.ops[i-1].valueEnd
		}
		tb, k := p.tables[op.table], p.buf[off:op.keyEnd]
		switch op.kind {
		case pendingSet:
			return t.Set(tb, k, p.buf[op.keyEnd:op.valueEnd])
		case pendingDelete:
			return t.Delete(tb, k)
		}
		return t.LockKeys(tb, k)
	}
	var err error
	if perm == nil {
		for i := range p.ops {
			if err = do(i); err != nil {
				break
			}
		}
	} else {
		for _, i := range perm {
			if err = do(int(i)); err != nil {
				break
			}
		}
	}
	if err != nil {
		_ = t.Rollback()
		p.err = fmt.Errorf("storage: bulk load: replaying a write: %w", err)
		return p.err
	}
	p.t, p.ops, p.buf, p.tables = t, nil, nil, nil
	return nil
}

// add buffers one operation.
func (p *pendingTxn) add(kind byte, tb kv.Table, key, value []byte) error {
	if p.err != nil {
		return p.err
	}
	if p.done {
		return kv.ErrTxnDone
	}
	if len(key) == 0 {
		return fmt.Errorf("%w: empty key", kv.ErrInvalidKey)
	}
	ti := -1
	for i, t := range p.tables {
		if t == tb {
			ti = i
			break
		}
	}
	if ti < 0 || len(p.buf)+len(key)+len(value) > 1<<30 {
		if ti < 0 && len(p.tables) < 255 {
			ti = len(p.tables)
			p.tables = append(p.tables, tb)
		} else {
			// Out of table slots or of offset range: stop buffering.
			if err := p.start(); err != nil {
				return err
			}
			return p.forward(kind, tb, key, value)
		}
	}
	p.buf = append(p.buf, key...)
	ke := len(p.buf)
	p.buf = append(p.buf, value...)
	p.ops = append(p.ops, pendingOp{kind: kind, table: uint8(ti), keyEnd: int32(ke), valueEnd: int32(len(p.buf))})
	return nil
}

func (p *pendingTxn) forward(kind byte, tb kv.Table, key, value []byte) error {
	switch kind {
	case pendingSet:
		return p.t.Set(tb, key, value)
	case pendingDelete:
		return p.t.Delete(tb, key)
	}
	return p.t.LockKeys(tb, key)
}

func (p *pendingTxn) Set(tb kv.Table, key, value []byte) error {
	if p.t != nil {
		return p.t.Set(tb, key, value)
	}
	return p.add(pendingSet, tb, key, value)
}

func (p *pendingTxn) Delete(tb kv.Table, key []byte) error {
	if p.t != nil {
		return p.t.Delete(tb, key)
	}
	return p.add(pendingDelete, tb, key, nil)
}

func (p *pendingTxn) LockKeys(tb kv.Table, keys ...[]byte) error {
	if p.t != nil {
		return p.t.LockKeys(tb, keys...)
	}
	for _, k := range keys {
		if err := p.add(pendingLock, tb, k, nil); err != nil {
			return err
		}
	}
	return nil
}

func (p *pendingTxn) Get(tb kv.Table, key []byte) ([]byte, error) {
	if err := p.start(); err != nil {
		return nil, err
	}
	return p.t.Get(tb, key)
}

func (p *pendingTxn) MultiGet(tb kv.Table, keys [][]byte) ([][]byte, error) {
	if err := p.start(); err != nil {
		return nil, err
	}
	return p.t.MultiGet(tb, keys)
}

func (p *pendingTxn) Scan(tb kv.Table, start, end []byte, opts kv.ScanOptions) (kv.Page, error) {
	if err := p.start(); err != nil {
		return kv.Page{}, err
	}
	return p.t.Scan(tb, start, end, opts)
}

func (p *pendingTxn) Commit() error {
	if err := p.start(); err != nil {
		return err
	}
	return p.t.Commit()
}

func (p *pendingTxn) Rollback() error {
	if p.t != nil {
		return p.t.Rollback()
	}
	p.done, p.ops, p.buf, p.tables = true, nil, nil, nil
	return nil
}

func (p *pendingTxn) ReadVersion() uint64 {
	if p.start() != nil {
		return 0
	}
	return p.t.ReadVersion()
}

func (p *pendingTxn) CommitVersion() uint64 {
	if p.t == nil {
		return 0
	}
	return p.t.CommitVersion()
}

// sortEnt is one operation in keyOrder: the first 8 bytes of its key
// (big-endian, zero padded) and its index.
type sortEnt struct {
	pre uint64
	op  int32
}

// sortScratch is keyOrder's memory, kept from one batch to the next.
type sortScratch struct {
	ents, tmp []sortEnt
	perm      []int32
	pres      []uint64
	hist      [radixDigits][1 << radixBits]int32
}

const (
	radixBits   = 11
	radixDigits = (64 + radixBits - 1) / radixBits
)

// keyOrder returns the order of p's operations by table id, then key,
// operations on one key keeping their order (the slice is in sc). It
// buckets the operations by table (a stable counting sort), then sorts
// each bucket that is not in prefix order already by its 8-byte key
// prefixes with a stable LSD radix sort (11-bit digits, all histograms in
// one pass, digits where the bucket's prefixes agree skipped), and last
// orders the runs of equal prefixes by whole key with an insertion sort
// (they are short: keys of a table rarely share 8 bytes).
func (p *pendingTxn) keyOrder(sc *sortScratch) []int32 {
	n := len(p.ops)
	key := func(i int32) []byte {
		off := int32(0)
		if i > 0 {
			off = p.ops[i-1].valueEnd
		}
		return p.buf[off:p.ops[i].keyEnd]
	}
	// Table ranks by id, bucket bounds, prefixes.
	nt := len(p.tables)
	rank := make([]int, nt)
	for i := range p.tables {
		for j := range p.tables {
			if p.tables[j].ID < p.tables[i].ID || p.tables[j].ID == p.tables[i].ID && j < i {
				rank[i]++
			}
		}
	}
	start := make([]int, nt+1)
	sorted := make([]bool, nt)
	last := make([]uint64, nt)
	for i := range sorted {
		sorted[i] = true
	}
	pres := slices.Grow(sc.pres[:0], n)[:n]
	var b8 [8]byte
	for i := range p.ops {
		k := key(int32(i))
		var pre uint64
		if len(k) >= 8 {
			pre = binary.BigEndian.Uint64(k)
		} else {
			b8 = [8]byte{}
			copy(b8[:], k)
			pre = binary.BigEndian.Uint64(b8[:])
		}
		pres[i] = pre
		r := rank[p.ops[i].table]
		if start[r+1] > 0 && pre < last[r] {
			sorted[r] = false
		}
		last[r] = pre
		start[r+1]++
	}
	for r := 0; r < nt; r++ {
		start[r+1] += start[r]
	}
	ents, tmp := slices.Grow(sc.ents[:0], n)[:n], slices.Grow(sc.tmp[:0], n)[:n]
	next := slices.Clone(start[:nt])
	for i := range p.ops {
		r := rank[p.ops[i].table]
		ents[next[r]] = sortEnt{pre: pres[i], op: int32(i)}
		next[r]++
	}
	// Radix-sort the buckets not in prefix order.
	for r := 0; r < nt; r++ {
		lo, hi := start[r], start[r+1]
		if sorted[r] || hi-lo < 2 {
			continue
		}
		src, dst := ents[lo:hi], tmp[lo:hi]
		var diff uint64
		first := src[0].pre
		for d := range sc.hist {
			clear(sc.hist[d][:])
		}
		for _, e := range src {
			diff |= e.pre ^ first
			for d := range radixDigits {
				sc.hist[d][(e.pre>>(d*radixBits))&(1<<radixBits-1)]++
			}
		}
		for d := range radixDigits {
			shift := d * radixBits
			if (diff>>shift)&(1<<radixBits-1) == 0 {
				continue // one digit for the whole bucket
			}
			h := &sc.hist[d]
			sum := int32(0)
			for i, c := range h {
				h[i] = sum
				sum += c
			}
			for _, e := range src {
				x := (e.pre >> shift) & (1<<radixBits - 1)
				dst[h[x]] = e
				h[x]++
			}
			src, dst = dst, src
		}
		if &src[0] != &ents[lo] {
			copy(ents[lo:hi], src)
		}
	}
	// Whole keys for runs of equal prefixes (within a bucket).
	for r := 0; r < nt; r++ {
		b := ents[start[r]:start[r+1]]
		for i := 0; i < len(b); {
			j := i + 1
			for j < len(b) && b[j].pre == b[i].pre {
				j++
			}
			run := b[i:j]
			if len(run) > 16 {
				slices.SortStableFunc(run, func(x, y sortEnt) int { return bytes.Compare(key(x.op), key(y.op)) })
			} else {
				for a := 1; a < len(run); a++ {
					for c := a; c > 0 && bytes.Compare(key(run[c-1].op), key(run[c].op)) > 0; c-- {
						run[c-1], run[c] = run[c], run[c-1]
					}
				}
			}
			i = j
		}
	}
	perm := slices.Grow(sc.perm[:0], n)[:n]
	for i := range ents {
		perm[i] = ents[i].op
	}
	sc.ents, sc.tmp, sc.perm, sc.pres = ents, tmp, perm, pres
	return perm
}
