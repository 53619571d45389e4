package storage

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Integer ids: the tag carries type and length; ids round-trip, keep their
// type, sort by value within a type and by type across types (Byte < Short
// < Integer < Long < String < UUID < other).
func TestIDEncoding(t *testing.T) {
	ordered := []any{
		int8(math.MinInt8), int8(-1), int8(0), int8(1), int8(math.MaxInt8),
		int16(math.MinInt16), int16(-129), int16(-1), int16(0), int16(255), int16(256), int16(math.MaxInt16),
		int32(math.MinInt32), int32(-70000), int32(-1), int32(0), int32(1), int32(1 << 20), int32(math.MaxInt32),
		int64(math.MinInt64), int64(-1 << 40), int64(-65536), int64(-257), int64(-256), int64(-2), int64(-1),
		int64(0), int64(1), int64(255), int64(256), int64(65535), int64(65536), int64(1 << 40), int64(math.MaxInt64),
		"", "a", "a\x00", "a\x00b", "b",
		uuid.UUID{1}, uuid.UUID{2},
		1.5,
	}
	var prev []byte
	for i, id := range ordered {
		k, err := appendID(nil, id)
		if err != nil {
			t.Fatal(err)
		}
		got, n, err := decodeID(append(append([]byte(nil), k...), 0x42))
		if err != nil || n != len(k) || !reflect.DeepEqual(got, id) {
			t.Fatalf("decodeID(appendID(%T %v)) = %T %v, %d, %v; want %d bytes", id, id, got, got, n, err, len(k))
		}
		if l, err := idLen(k); err != nil || l != len(k) {
			t.Fatalf("idLen(%v) = %d, %v", id, l, err)
		}
		if i > 0 && bytes.Compare(prev, k) >= 0 {
			t.Fatalf("%T %v (%x) does not sort after %T %v (%x)", id, id, k, ordered[i-1], ordered[i-1], prev)
		}
		prev = k
	}
	for _, c := range []struct {
		id  any
		len int
	}{{int64(0), 1}, {int64(1), 2}, {int64(1 << 20), 4}, {int64(-1), 1}, {int32(7), 2}, {int64(math.MinInt64), 9}} {
		if k, _ := appendID(nil, c.id); len(k) != c.len {
			t.Errorf("%T %v encodes in %d bytes (%x); want %d", c.id, c.id, len(k), k, c.len)
		}
	}
	for _, bad := range [][]byte{{idInt64 + intTagSpan - 1, 1, 2}, {idInt32 + 17}, {0x01}, {0x7f}} {
		if _, _, err := decodeID(bad); err == nil {
			t.Errorf("decodeID(%x): no error", bad)
		}
	}
	// The largest positive payload above MaxInt64 is corrupt.
	if _, _, err := decodeID([]byte{idInt64 + intTagSpan - 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}); err == nil {
		t.Error("decodeID of an int64 above MaxInt64: no error")
	}
}

// Open refuses a graph stored with another key layout, versioned or from
// before versions, and records the layout in a new graph.
func TestLayoutVersion(t *testing.T) {
	s := memkv.New(memkv.Options{})
	defer s.Close()
	g, err := Open(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tx := begin(t, g)
	must[*value.Vertex](t)(tx.AddVertex(int64(1), "p", nil))
	commit(t, tx)
	if _, err := Open(s, Options{}); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	set := func(fn func(kt kv.Txn) error) {
		kt, err := s.Begin(bg, kv.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := fn(kt); err != nil {
			t.Fatal(err)
		}
		if err := kt.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	set(func(kt kv.Txn) error { return kt.Set(g.t.meta, []byte(metaLayout), []byte{1}) })
	if _, err := Open(s, Options{}); !errors.Is(err, ErrLayout) || !strings.Contains(err.Error(), "layout 1") {
		t.Fatalf("open of a layout-1 graph: %v", err)
	}
	set(func(kt kv.Txn) error { return kt.Delete(g.t.meta, []byte(metaLayout)) })
	if _, err := Open(s, Options{}); !errors.Is(err, ErrLayout) {
		t.Fatalf("open of a graph from before layout versions: %v", err)
	}
}
