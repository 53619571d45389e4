package storage

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// The value codec stores property values in rows: a type tag, then a
// compact payload. It is self-delimiting and keeps each value's Go type
// (int32 stays int32). It is not order-preserving; index keys use
// index.AppendValue instead.
const (
	tagNil      = 0
	tagFalse    = 1
	tagTrue     = 2
	tagInt8     = 3
	tagInt16    = 4
	tagInt32    = 5
	tagInt64    = 6
	tagFloat32  = 7
	tagFloat64  = 8
	tagString   = 9
	tagBigInt   = 10
	tagBigDec   = 11
	tagChar     = 12
	tagUUID     = 13
	tagTime     = 14
	tagDuration = 15
	tagBytes    = 16
	tagList     = 17
	tagSet      = 18
	tagMap      = 19
)

// normalizeValue maps Go types that are not Gremlin types onto the ones
// that are (int → int64, uint8 → int8…), and rejects what cannot be stored.
func normalizeValue(v any) (any, error) {
	switch x := v.(type) {
	case int:
		return int64(x), nil
	case uint8:
		return int8(x), nil
	case uint16:
		return int32(x), nil
	case uint32:
		return int64(x), nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return new(big.Int).SetUint64(uint64(x)), nil
		}
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return new(big.Int).SetUint64(x), nil
		}
		return int64(x), nil
	case nil, bool, int8, int16, int32, int64, float32, float64, string, *big.Int,
		value.BigDecimal, value.Char, uuid.UUID, time.Time, time.Duration, []byte:
		return v, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalizeValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case *value.Set:
		out := value.NewSet()
		for _, e := range x.Items() {
			n, err := normalizeValue(e)
			if err != nil {
				return nil, err
			}
			out.Add(n)
		}
		return out, nil
	case *value.Map:
		out := value.NewMap()
		for _, e := range x.Entries() {
			k, err := normalizeValue(e.Key)
			if err != nil {
				return nil, err
			}
			val, err := normalizeValue(e.Value)
			if err != nil {
				return nil, err
			}
			out.Put(k, val)
		}
		return out, nil
	}
	name, ok := value.TypeName(v)
	if !ok {
		name = fmt.Sprintf("%T", v) // not a Gremlin value: only Go callers can pass one
	}
	return nil, fmt.Errorf("a value of type %s cannot be stored as a property (want a number, string, boolean, date, duration, UUID, char, byte array, list, set or map)", name)
}

// appendValue encodes a normalized value.
func appendValue(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, tagNil), nil
	case bool:
		if x {
			return append(dst, tagTrue), nil
		}
		return append(dst, tagFalse), nil
	case int8:
		return append(dst, tagInt8, byte(x)), nil
	case int16:
		return binary.AppendVarint(append(dst, tagInt16), int64(x)), nil
	case int32:
		return binary.AppendVarint(append(dst, tagInt32), int64(x)), nil
	case int64:
		return binary.AppendVarint(append(dst, tagInt64), x), nil
	case float32:
		return binary.LittleEndian.AppendUint32(append(dst, tagFloat32), math.Float32bits(x)), nil
	case float64:
		return binary.LittleEndian.AppendUint64(append(dst, tagFloat64), math.Float64bits(x)), nil
	case string:
		dst = binary.AppendUvarint(append(dst, tagString), uint64(len(x)))
		return append(dst, x...), nil
	case *big.Int:
		b := []byte(x.String())
		dst = binary.AppendUvarint(append(dst, tagBigInt), uint64(len(b)))
		return append(dst, b...), nil
	case value.BigDecimal:
		s := "0"
		if x.Unscaled != nil {
			s = x.Unscaled.String()
		}
		dst = binary.AppendVarint(append(dst, tagBigDec), int64(x.Scale))
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		return append(dst, s...), nil
	case value.Char:
		return binary.AppendUvarint(append(dst, tagChar), uint64(x)), nil
	case uuid.UUID:
		return append(append(dst, tagUUID), x[:]...), nil
	case time.Time:
		dst = binary.AppendVarint(append(dst, tagTime), x.Unix())
		dst = binary.AppendUvarint(dst, uint64(x.Nanosecond()))
		_, off := x.Zone()
		if x.Location() == time.UTC {
			off = math.MinInt32 // marks UTC (a Gremlin Date)
		}
		return binary.AppendVarint(dst, int64(off)), nil
	case time.Duration:
		return binary.AppendVarint(append(dst, tagDuration), int64(x)), nil
	case []byte:
		dst = binary.AppendUvarint(append(dst, tagBytes), uint64(len(x)))
		return append(dst, x...), nil
	case []any:
		return appendValues(binary.AppendUvarint(append(dst, tagList), uint64(len(x))), x)
	case *value.Set:
		return appendValues(binary.AppendUvarint(append(dst, tagSet), uint64(x.Len())), x.Items())
	case *value.Map:
		dst = binary.AppendUvarint(append(dst, tagMap), uint64(x.Len()))
		var err error
		for _, e := range x.Entries() {
			if dst, err = appendValue(dst, e.Key); err != nil {
				return nil, err
			}
			if dst, err = appendValue(dst, e.Value); err != nil {
				return nil, err
			}
		}
		return dst, nil
	}
	return nil, fmt.Errorf("storage: cannot encode a value of type %T", v)
}

func appendValues(dst []byte, items []any) ([]byte, error) {
	var err error
	for _, it := range items {
		if dst, err = appendValue(dst, it); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// reader decodes rows; the first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("storage: corrupt row: "+format, args...)
	}
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.fail("unexpected end")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	u, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad uvarint")
		return 0
	}
	r.b = r.b[n:]
	return u
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if uint64(len(r.b)) < n {
		r.fail("want %d bytes, have %d", n, len(r.b))
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

// count reads a collection length, bounded by the bytes left so that a
// corrupt length cannot allocate unbounded memory.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail("count %d exceeds the %d bytes left", n, len(r.b))
		return 0
	}
	return int(n)
}

func (r *reader) id() any {
	if r.err != nil {
		return nil
	}
	id, n, err := decodeID(r.b)
	if err != nil {
		r.err = err
		return nil
	}
	r.b = r.b[n:]
	return id
}

// idBytes returns the raw encoded id at the cursor.
func (r *reader) idBytes() []byte {
	if r.err != nil {
		return nil
	}
	n, err := idLen(r.b)
	if err != nil {
		r.err = err
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) value() any {
	switch tag := r.byte(); tag {
	case tagNil:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagInt8:
		return int8(r.byte())
	case tagInt16:
		return int16(r.varint())
	case tagInt32:
		return int32(r.varint())
	case tagInt64:
		return r.varint()
	case tagFloat32:
		b := r.bytes(4)
		if b == nil {
			return nil
		}
		return math.Float32frombits(binary.LittleEndian.Uint32(b))
	case tagFloat64:
		b := r.bytes(8)
		if b == nil {
			return nil
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b))
	case tagString:
		return string(r.bytes(r.uvarint()))
	case tagBigInt:
		s := string(r.bytes(r.uvarint()))
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			r.fail("bad big integer %q", s)
		}
		return b
	case tagBigDec:
		scale := r.varint()
		s := string(r.bytes(r.uvarint()))
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			r.fail("bad big decimal %q", s)
		}
		return value.BigDecimal{Unscaled: b, Scale: int32(scale)}
	case tagChar:
		return value.Char(rune(r.uvarint()))
	case tagUUID:
		b := r.bytes(16)
		var u uuid.UUID
		copy(u[:], b)
		return u
	case tagTime:
		sec := r.varint()
		nsec := r.uvarint()
		off := r.varint()
		t := time.Unix(sec, int64(nsec))
		if off == math.MinInt32 {
			return t.UTC()
		}
		return t.In(time.FixedZone("", int(off)))
	case tagDuration:
		return time.Duration(r.varint())
	case tagBytes:
		return append([]byte{}, r.bytes(r.uvarint())...)
	case tagList:
		n := r.count()
		out := make([]any, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			out = append(out, r.value())
		}
		return out
	case tagSet:
		n := r.count()
		out := value.NewSet()
		for i := 0; i < n && r.err == nil; i++ {
			out.Add(r.value())
		}
		return out
	case tagMap:
		n := r.count()
		out := value.NewMap()
		for i := 0; i < n && r.err == nil; i++ {
			k := r.value()
			out.Put(k, r.value())
		}
		return out
	default:
		r.fail("unknown value tag %d", tag)
		return nil
	}
}

// skipValue moves the cursor past the value that value would decode,
// without allocating. It checks the framing (tags, lengths, varints) but
// not the contents (a big integer's digits are not parsed).
func (r *reader) skipValue() {
	switch tag := r.byte(); tag {
	case tagNil, tagFalse, tagTrue:
	case tagInt8:
		r.byte()
	case tagInt16, tagInt32, tagInt64, tagDuration:
		r.varint()
	case tagFloat32:
		r.bytes(4)
	case tagFloat64:
		r.bytes(8)
	case tagString, tagBigInt, tagBytes:
		r.bytes(r.uvarint())
	case tagBigDec:
		r.varint()
		r.bytes(r.uvarint())
	case tagChar:
		r.uvarint()
	case tagUUID:
		r.bytes(16)
	case tagTime:
		r.varint()
		r.uvarint()
		r.varint()
	case tagList, tagSet:
		n := r.count()
		for i := 0; i < n && r.err == nil; i++ {
			r.skipValue()
		}
	case tagMap:
		n := r.count()
		for i := 0; i < n && r.err == nil; i++ {
			r.skipValue()
			r.skipValue()
		}
	default:
		r.fail("unknown value tag %d", tag)
	}
}
