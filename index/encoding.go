package index

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Class bytes: the first byte of every encoded value. Values of different
// classes never compare as ordered (a range predicate stays inside the
// class of its bound); the class order below only decides scan order.
const (
	classNull     = 0x10
	classFalse    = 0x20
	classTrue     = 0x21
	classNegInf   = 0x30
	classNeg      = 0x31
	classZero     = 0x32
	classPos      = 0x33
	classPosInf   = 0x34
	classNaN      = 0x35
	classString   = 0x40
	classChar     = 0x48
	classDate     = 0x50
	classDuration = 0x58
	classUUID     = 0x60
	classBytes    = 0x68
	classList     = 0x70
	classSet      = 0x71
	classMap      = 0x72
	classEnd      = 0x00 // ends a list, set or map
)

// AppendValue appends the order-preserving encoding of v to dst.
//
// The encoding is prefix-free (no value's encoding is a prefix of
// another's), so values can be concatenated in composite keys and followed
// by an element id. Within a class, bytes.Compare of two encodings agrees
// with Gremlin's order:
//
//   - numbers of every width (int8…int64, float32, float64, *big.Int,
//     value.BigDecimal) share one class and compare by numeric value, so
//     int32(2) < int64(10) < float64(10.5), and int32(1) encodes exactly
//     like int64(1) and float64(1). -Inf sorts first and NaN last.
//   - strings and chars by UTF-8 bytes, dates by instant, durations by
//     length, UUIDs by bytes, byte arrays by bytes.
//   - lists, sets and maps element by element (sets and maps in insertion
//     order).
//
// Floats are encoded through their shortest round-trip decimal, so a
// float32 equals the double with the same shortest decimal (0.1f == 0.1).
// Elements, enums and other non-property values are an error.
func AppendValue(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, classNull), nil
	case bool:
		if x {
			return append(dst, classTrue), nil
		}
		return append(dst, classFalse), nil
	case int:
		return appendInt(dst, int64(x)), nil
	case int8:
		return appendInt(dst, int64(x)), nil
	case uint8:
		return appendInt(dst, int64(x)), nil
	case int16:
		return appendInt(dst, int64(x)), nil
	case int32:
		return appendInt(dst, int64(x)), nil
	case int64:
		return appendInt(dst, x), nil
	case uint16:
		return appendInt(dst, int64(x)), nil
	case uint32:
		return appendInt(dst, int64(x)), nil
	case uint64:
		return appendDecimal(dst, false, strconv.FormatUint(x, 10), len(strconv.FormatUint(x, 10))), nil
	case float32:
		return appendFloat(dst, float64(x), 32), nil
	case float64:
		return appendFloat(dst, x, 64), nil
	case *big.Int:
		if x == nil {
			return append(dst, classNull), nil
		}
		s := x.String()
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		return appendDecimal(dst, neg, s, len(s)), nil
	case value.BigDecimal:
		if x.Unscaled == nil {
			return append(dst, classZero), nil
		}
		s := x.Unscaled.String()
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		return appendDecimal(dst, neg, s, len(s)-int(x.Scale)), nil
	case string:
		return AppendEscaped(append(dst, classString), []byte(x)), nil
	case value.Char:
		return AppendEscaped(append(dst, classChar), []byte(string(rune(x)))), nil
	case time.Time:
		dst = append(dst, classDate)
		dst = binary.BigEndian.AppendUint64(dst, uint64(x.Unix())^(1<<63))
		return binary.BigEndian.AppendUint32(dst, uint32(x.Nanosecond())), nil
	case time.Duration:
		return binary.BigEndian.AppendUint64(append(dst, classDuration), uint64(x)^(1<<63)), nil
	case uuid.UUID:
		return append(append(dst, classUUID), x[:]...), nil
	case []byte:
		return AppendEscaped(append(dst, classBytes), x), nil
	case []any:
		return appendSeq(append(dst, classList), x)
	case *value.Set:
		return appendSeq(append(dst, classSet), x.Items())
	case *value.Map:
		dst = append(dst, classMap)
		var err error
		for _, e := range x.Entries() {
			if dst, err = AppendValue(dst, e.Key); err != nil {
				return nil, err
			}
			if dst, err = AppendValue(dst, e.Value); err != nil {
				return nil, err
			}
		}
		return append(dst, classEnd), nil
	}
	return nil, fmt.Errorf("index: cannot encode a value of type %T (want a number, string, boolean, date, duration, UUID, char, byte array, list, set or map)", v)
}

func appendSeq(dst []byte, items []any) ([]byte, error) {
	var err error
	for _, it := range items {
		if dst, err = AppendValue(dst, it); err != nil {
			return nil, err
		}
	}
	return append(dst, classEnd), nil
}

// EncodeValue returns the encoding of v (see AppendValue).
func EncodeValue(v any) ([]byte, error) { return AppendValue(nil, v) }

func appendInt(dst []byte, x int64) []byte {
	if x == 0 {
		return append(dst, classZero)
	}
	neg := x < 0
	var u uint64
	if neg {
		u = uint64(-(x + 1)) + 1 // |x| without overflow at MinInt64
	} else {
		u = uint64(x)
	}
	s := strconv.FormatUint(u, 10)
	return appendDecimal(dst, neg, s, len(s))
}

func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, classNaN)
	case math.IsInf(f, 1):
		return append(dst, classPosInf)
	case math.IsInf(f, -1):
		return append(dst, classNegInf)
	case f == 0:
		return append(dst, classZero)
	}
	neg := f < 0
	s := strconv.FormatFloat(math.Abs(f), 'e', -1, bits) // d.ddddde±XX
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	digits := strings.Replace(mant, ".", "", 1)
	return appendDecimal(dst, neg, digits, e+1)
}

// appendDecimal encodes ±0.digits × 10^exp. digits has no sign; leading
// and trailing zeros are trimmed here.
func appendDecimal(dst []byte, neg bool, digits string, exp int) []byte {
	for len(digits) > 0 && digits[0] == '0' {
		digits = digits[1:]
		exp--
	}
	digits = strings.TrimRight(digits, "0")
	if digits == "" {
		return append(dst, classZero)
	}
	if neg {
		dst = append(dst, classNeg)
		dst = AppendOrderedInt(dst, -int64(exp))
	} else {
		dst = append(dst, classPos)
		dst = AppendOrderedInt(dst, int64(exp))
	}
	for i := 0; i < len(digits); i += 2 {
		d := (digits[i] - '0') * 10
		if i+1 < len(digits) {
			d += digits[i+1] - '0'
		}
		b := d + 1 // 1..100, above the terminator
		if neg {
			b = 255 - b
		}
		dst = append(dst, b)
	}
	if neg {
		return append(dst, 0xff)
	}
	return append(dst, 0x00)
}

// AppendOrderedInt appends a compact, prefix-free, order-preserving
// encoding of x: one header byte (0x7f–0x90) that orders by sign and
// length, then the minimal big-endian bytes. Small non-negative numbers
// take 2 bytes (0 takes 1).
func AppendOrderedInt(dst []byte, x int64) []byte {
	if x >= 0 {
		n := byteLen(uint64(x))
		dst = append(dst, byte(0x88+n))
		for i := n - 1; i >= 0; i-- {
			dst = append(dst, byte(uint64(x)>>(8*i)))
		}
		return dst
	}
	c := uint64(^x) // >= 0
	n := byteLen(c)
	dst = append(dst, byte(0x87-n))
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(uint64(x)>>(8*i)))
	}
	return dst
}

// DecodeOrderedInt decodes AppendOrderedInt and returns the bytes used.
func DecodeOrderedInt(b []byte) (int64, int, error) {
	if len(b) == 0 {
		return 0, 0, fmt.Errorf("index: ordered int: empty input")
	}
	h := b[0]
	switch {
	case h >= 0x88 && h <= 0x90:
		n := int(h - 0x88)
		if len(b) < 1+n {
			return 0, 0, fmt.Errorf("index: ordered int: want %d bytes, have %d", n, len(b)-1)
		}
		var u uint64
		for _, c := range b[1 : 1+n] {
			u = u<<8 | uint64(c)
		}
		if n == 8 && u > math.MaxInt64 {
			return 0, 0, fmt.Errorf("index: ordered int: overflow")
		}
		return int64(u), 1 + n, nil
	case h >= 0x7f && h <= 0x87:
		n := int(0x87 - h)
		if len(b) < 1+n {
			return 0, 0, fmt.Errorf("index: ordered int: want %d bytes, have %d", n, len(b)-1)
		}
		u := ^uint64(0)
		for _, c := range b[1 : 1+n] {
			u = u<<8 | uint64(c)
		}
		return int64(u), 1 + n, nil
	}
	return 0, 0, fmt.Errorf("index: ordered int: bad header byte %#x", h)
}

func byteLen(u uint64) int {
	n := 0
	for u != 0 {
		n++
		u >>= 8
	}
	return n
}

// AppendEscaped appends b so that the result is prefix-free and
// order-preserving: 0x00 becomes 0x00 0xff and the end is 0x00 0x01.
func AppendEscaped(dst, b []byte) []byte {
	for _, c := range b {
		if c == 0 {
			dst = append(dst, 0, 0xff)
		} else {
			dst = append(dst, c)
		}
	}
	return append(dst, 0, 1)
}

// DecodeEscaped decodes AppendEscaped and returns the bytes used.
func DecodeEscaped(b []byte) ([]byte, int, error) {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != 0 {
			out = append(out, b[i])
			continue
		}
		if i+1 >= len(b) {
			break
		}
		switch b[i+1] {
		case 0xff:
			out = append(out, 0)
			i++
		case 1:
			return out, i + 2, nil
		default:
			return nil, 0, fmt.Errorf("index: escaped bytes: bad escape %#x at %d", b[i+1], i+1)
		}
	}
	return nil, 0, fmt.Errorf("index: escaped bytes: missing terminator")
}

// SkipValue returns the length of the encoded value at the start of b.
func SkipValue(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, fmt.Errorf("index: skip value: empty input")
	}
	switch c := b[0]; c {
	case classNull, classFalse, classTrue, classNegInf, classZero, classPosInf, classNaN:
		return 1, nil
	case classNeg, classPos:
		_, n, err := DecodeOrderedInt(b[1:])
		if err != nil {
			return 0, err
		}
		term := byte(0x00)
		if c == classNeg {
			term = 0xff
		}
		for i := 1 + n; i < len(b); i++ {
			if b[i] == term {
				return i + 1, nil
			}
		}
		return 0, fmt.Errorf("index: skip value: unterminated number")
	case classString, classChar, classBytes:
		_, n, err := DecodeEscaped(b[1:])
		return 1 + n, err
	case classDate:
		return need(b, 13)
	case classDuration:
		return need(b, 9)
	case classUUID:
		return need(b, 17)
	case classList, classSet, classMap:
		i := 1
		for i < len(b) && b[i] != classEnd {
			n, err := SkipValue(b[i:])
			if err != nil {
				return 0, err
			}
			i += n
		}
		if i >= len(b) {
			return 0, fmt.Errorf("index: skip value: unterminated collection")
		}
		return i + 1, nil
	default:
		return 0, fmt.Errorf("index: skip value: unknown class byte %#x", c)
	}
}

func need(b []byte, n int) (int, error) {
	if len(b) < n {
		return 0, fmt.Errorf("index: skip value: want %d bytes, have %d", n, len(b))
	}
	return n, nil
}

// ClassRange returns the [start, end) bounds of the encodings that are
// ordered-comparable with v's encoding enc (all finite and infinite numbers
// for a number, excluding NaN; all strings for a string…).
func ClassRange(enc []byte) (start, end []byte) {
	c := enc[0]
	switch {
	case c >= classNegInf && c < classNaN:
		return []byte{classNegInf}, []byte{classNaN}
	case c == classFalse || c == classTrue:
		return []byte{classFalse}, []byte{classTrue + 1}
	case c == classNaN:
		return []byte{classNaN}, []byte{classNaN} // NaN compares with nothing
	}
	return []byte{c}, []byte{c + 1}
}

// Comparable reports whether Gremlin orders values of the classes of a and
// b against each other (both numbers, both strings…).
func Comparable(a, b []byte) bool {
	s, e := ClassRange(a)
	return len(b) > 0 && string(b[:1]) >= string(s) && string(b[:1]) < string(e)
}
