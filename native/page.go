package native

import (
	"encoding/binary"
	"fmt"
	"sync"
)

// ScanOptions configure a scan page.
type ScanOptions struct {
	// Limit is the maximum number of entries in the page; default
	// DefaultPageLimit.
	Limit int
	// Reverse returns keys in descending order, from end (exclusive) down to
	// start (inclusive).
	Reverse bool
	// MaxBytes is a soft cap on the page's key+value bytes; default 4 MiB. A
	// page stops early when it is reached, with More reporting true.
	MaxBytes int
	// Continuation resumes a scan where a previous page with the same start,
	// end and Reverse stopped (Page.Continuation).
	Continuation []byte
}

// DefaultPageLimit is the page size when ScanOptions.Limit is 0.
const DefaultPageLimit = 256

const (
	pageInitBytes   = 64 << 10
	defaultMaxBytes = 4 << 20
)

// Page is one page of scan results, stored in a single buffer.
//
// Key and Value return copies the caller owns. UnsafeKey and UnsafeValue
// return slices into the page buffer: valid until Release is called on the
// page (or, for an Iterator's page, until the iterator moves to the next
// page), and must not be modified. Release is optional; it recycles the
// buffer.
type Page struct {
	buf          []byte
	offs         []int32
	more         bool
	continuation []byte
}

var pagePool = sync.Pool{New: func() any { return &Page{buf: make([]byte, pageInitBytes)} }}

func getPage() *Page {
	p := pagePool.Get().(*Page)
	p.offs = p.offs[:0]
	p.more = false
	p.continuation = nil
	return p
}

// Release returns the page's buffer for reuse. The page and every slice from
// its Unsafe accessors must not be used afterwards.
func (p *Page) Release() {
	if p == nil || p.buf == nil {
		return
	}
	if invariants {
		b := p.buf[:cap(p.buf)]
		for i := range b {
			b[i] = 0xdd
		}
	}
	if cap(p.buf) <= 8<<20 {
		pagePool.Put(&Page{buf: p.buf[:cap(p.buf)], offs: p.offs[:0]})
	}
	p.buf, p.offs = nil, nil
}

// Len is the number of entries in the page.
func (p *Page) Len() int { return len(p.offs) }

// More reports whether entries remain after this page; use Continuation to
// get them.
func (p *Page) More() bool { return p.more }

// Continuation is the token that resumes the scan after this page (nil when
// More is false). It is a copy the caller owns.
func (p *Page) Continuation() []byte { return p.continuation }

// UnsafeKey borrows the i-th key (see the Page contract).
func (p *Page) UnsafeKey(i int) []byte {
	o := int(p.offs[i])
	kl := int(binary.LittleEndian.Uint32(p.buf[o:]))
	return p.buf[o+8 : o+8+kl : o+8+kl]
}

// UnsafeValue borrows the i-th value (see the Page contract).
func (p *Page) UnsafeValue(i int) []byte {
	o := int(p.offs[i])
	kl := int(binary.LittleEndian.Uint32(p.buf[o:]))
	vl := int(binary.LittleEndian.Uint32(p.buf[o+4:]))
	return p.buf[o+8+kl : o+8+kl+vl : o+8+kl+vl]
}

// Key returns a copy of the i-th key.
func (p *Page) Key(i int) []byte { return append([]byte(nil), p.UnsafeKey(i)...) }

// Value returns a copy of the i-th value.
func (p *Page) Value(i int) []byte { return append([]byte{}, p.UnsafeValue(i)...) }

// scanPage fills a page; exactly one of h, t is set.
func scanPage(h cdb, t ctx, batch []byte, table TableID, start, end []byte, opts ScanOptions) (*Page, error) {
	limit := opts.Limit
	if limit < 0 {
		return nil, fmt.Errorf("%w: negative scan limit %d", ErrInvalidArgument, limit)
	}
	if limit == 0 {
		limit = DefaultPageLimit
	}
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = defaultMaxBytes
	}
	if len(start) > MaxKeySize || len(end) > MaxKeySize {
		return nil, fmt.Errorf("%w: scan bound longer than %d bytes", ErrInvalidArgument, MaxKeySize)
	}
	endInf := len(end) == 0
	if c := opts.Continuation; c != nil {
		if opts.Reverse {
			end, endInf = c, false
		} else {
			start = c
		}
	}
	p := getPage()
	used := 0
	for {
		r, code, msg := cScan(h, t, batch, table, start, end, endInf, limit-len(p.offs), opts.Reverse, p.buf[used:])
		batch = nil
		if code == codeBufferTooSmall {
			p.grow(used + r.used)
			continue
		}
		if code != codeOK {
			p.Release()
			return nil, codeError(code, msg)
		}
		// Index the entries (locals: appending to p.offs in the loop would
		// make every iteration reload p.buf).
		buf, offs, o := p.buf, p.offs, used
		for i := 0; i < r.count; i++ {
			offs = append(offs, int32(o))
			h := buf[o : o+8 : o+8]
			o += 8 + int(binary.LittleEndian.Uint32(h)) + int(binary.LittleEndian.Uint32(h[4:]))
		}
		p.offs = offs
		used += r.used
		if !r.more {
			break
		}
		if len(p.offs) >= limit || used >= maxBytes || r.count == 0 {
			p.more = true
			break
		}
		// The buffer filled up: grow it and continue after the last key.
		last := p.UnsafeKey(len(p.offs) - 1)
		if opts.Reverse {
			end, endInf = append([]byte(nil), last...), false
		} else {
			start = append(append([]byte(nil), last...), 0)
		}
		p.grow(2 * len(p.buf))
	}
	p.buf = p.buf[:used]
	if p.more && len(p.offs) > 0 {
		last := p.UnsafeKey(len(p.offs) - 1)
		if opts.Reverse {
			p.continuation = append([]byte(nil), last...)
		} else {
			p.continuation = append(append(make([]byte, 0, len(last)+1), last...), 0)
		}
	}
	return p, nil
}

func (p *Page) grow(n int) {
	if n <= len(p.buf) {
		n = 2 * len(p.buf)
	}
	nb := make([]byte, n)
	copy(nb, p.buf)
	p.buf = nb
}

// IterOptions configure an Iterator over [Lower, Upper) (Upper empty: no
// bound).
type IterOptions struct {
	Lower, Upper []byte
	Reverse      bool
	// PageSize is the number of entries fetched per engine call; default
	// DefaultPageLimit.
	PageSize int
}

// Iterator walks a range of a range table page by page inside a transaction
// (so every page reads the same snapshot). Usage:
//
//	it := tx.NewIterator(table, native.IterOptions{Lower: a, Upper: b})
//	defer it.Close()
//	for it.Next() { use(it.Key(), it.Value()) }
//	if err := it.Err(); err != nil { ... }
//
// Key and Value return copies. UnsafeKey and UnsafeValue borrow: they stay
// valid until the next call to Next or Close. Errors are sticky: once Next
// returns false, Err reports why (nil at the end of the range). Close must be
// called; it returns Err.
type Iterator struct {
	tx    *Tx
	table TableID
	o     IterOptions
	page  *Page
	i     int
	err   error
	done  bool
}

// NewIterator returns an iterator positioned before the first entry.
func (tx *Tx) NewIterator(table TableID, o IterOptions) *Iterator {
	return &Iterator{tx: tx, table: table, o: o, i: -1}
}

// Next advances to the next entry and reports whether there is one.
func (it *Iterator) Next() bool {
	if it.err != nil || it.done && it.page == nil {
		return false
	}
	it.i++
	for it.page == nil || it.i >= it.page.Len() {
		var cont []byte
		if it.page != nil {
			if !it.page.More() {
				it.page.Release()
				it.page = nil
				it.done = true
				return false
			}
			cont = it.page.Continuation()
			it.page.Release()
			it.page = nil
		}
		p, err := it.tx.Scan(it.table, it.o.Lower, it.o.Upper, ScanOptions{Limit: it.o.PageSize, Reverse: it.o.Reverse, Continuation: cont})
		if err != nil {
			it.err = err
			return false
		}
		it.page = p
		it.i = 0
	}
	return true
}

// Key returns a copy of the current key.
func (it *Iterator) Key() []byte { return it.page.Key(it.i) }

// Value returns a copy of the current value.
func (it *Iterator) Value() []byte { return it.page.Value(it.i) }

// UnsafeKey borrows the current key until the next Next or Close.
func (it *Iterator) UnsafeKey() []byte { return it.page.UnsafeKey(it.i) }

// UnsafeValue borrows the current value until the next Next or Close.
func (it *Iterator) UnsafeValue() []byte { return it.page.UnsafeValue(it.i) }

// Err returns the error that stopped the iteration, if any.
func (it *Iterator) Err() error { return it.err }

// Close releases the iterator's buffer and returns Err.
func (it *Iterator) Close() error {
	if it.page != nil {
		it.page.Release()
		it.page = nil
	}
	it.done = true
	return it.err
}
