package storage

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/index"
)

// Key layout (all tables range-partitioned; ids use the id encoding below,
// label and key ids are uvarints, which are prefix-free):
//
//	vertex       [vid]                          → [labelID][n]{[keyID][vpid][value][m]{[keyID][value]}}
//	edge         [eid]                          → [outV][labelID][inV]
//	edge_out     [outV][labelID][inV][eid]      → [outLabelID][inLabelID][n]{[keyID][value]}
//	edge_in      [inV][labelID][outV][eid]      → empty (the value is in edge_out)
//	label_index  ['V'][labelID][vid]            → empty (vertices only: the edges
//	                                              of a label are found by scanning
//	                                              the edge table, whose rows hold
//	                                              the label)
//	meta         name                           → counters, id allocator, layout version
//	vertex_label, edge_label, property_key, index_label: name → schema record
//	secondary_index [indexID]{[value]}[id]      → empty      (exact, composite)
//	range_index     [indexID][value][id]        → empty
//	search_index    [indexID][token][id]        → empty
//	unique_index    [indexID]{[value]}          → [id]
//
// Index values use index.AppendValue (order-preserving, prefix-free).
// This is key layout 2 (layoutVersion, kept in meta; Open refuses another).

// Id encoding: one tag byte that keeps the id's type, then an
// order-preserving, prefix-free payload. An integer id's tag also carries
// its length: each integer type owns a run of intTagSpan tags, one per
// header byte of index.AppendOrderedInt (0x7f..0x90, negative to positive,
// short to long), and the payload is that encoding's value bytes (no
// header byte of its own). So the int64 id 1 is two bytes, 2^20 four, and
// ids of one type sort by value. Types sort as in layout 1: Byte < Short <
// Integer < Long < String < UUID < other. (Layout 1 spent a byte more on
// each integer id: a type tag, then the whole AppendOrderedInt encoding.)
const (
	idInt8   = 0x08 // ..0x19
	idInt16  = 0x1a // ..0x2b
	idInt32  = 0x2c // ..0x3d
	idInt64  = 0x3e // ..0x4f
	idString = 'S'
	idUUID   = 'U'
	idOther  = 'X' // uvarint length + value codec

	intTagSpan = 18   // header bytes of an ordered int
	intHeader0 = 0x7f // the first of them
)

// normalizeID maps an id to the Gremlin type it is stored as.
func normalizeID(id any) (any, error) {
	if id == nil {
		return nil, fmt.Errorf("an id must not be null")
	}
	n, err := normalizeValue(id)
	if err != nil {
		return nil, fmt.Errorf("unsupported id: %w", err)
	}
	return n, nil
}

// appendIntID appends an integer id of the type whose first tag is base.
func appendIntID(dst []byte, base byte, x int64) []byte {
	var n int
	var tag byte
	if x >= 0 {
		n = (bits.Len64(uint64(x)) + 7) >> 3
		tag = base + byte(0x88+n-intHeader0)
	} else {
		n = (bits.Len64(uint64(^x)) + 7) >> 3
		tag = base + byte(0x87-n-intHeader0)
	}
	dst = append(dst, tag)
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(uint64(x)>>(8*i)))
	}
	return dst
}

// intIDLen returns the payload length and sign of the integer id tag t of
// the type whose first tag is base.
func intIDLen(t, base byte) (n int, neg bool) {
	h := int(t-base) + intHeader0
	if h >= 0x88 {
		return h - 0x88, false
	}
	return 0x87 - h, true
}

// appendID appends the encoding of a normalized id.
func appendID(dst []byte, id any) ([]byte, error) {
	switch x := id.(type) {
	case int64:
		return appendIntID(dst, idInt64, x), nil
	case int32:
		return appendIntID(dst, idInt32, int64(x)), nil
	case int16:
		return appendIntID(dst, idInt16, int64(x)), nil
	case int8:
		return appendIntID(dst, idInt8, int64(x)), nil
	case string:
		return appendEscapedString(append(dst, idString), x), nil
	case uuid.UUID:
		return append(append(dst, idUUID), x[:]...), nil
	}
	b, err := appendValue(nil, id)
	if err != nil {
		return nil, err
	}
	dst = binary.AppendUvarint(append(dst, idOther), uint64(len(b)))
	return append(dst, b...), nil
}

// appendEscapedString is index.AppendEscaped of a string (no conversion
// to []byte).
func appendEscapedString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0 {
			dst = append(dst, 0, 0xff)
		} else {
			dst = append(dst, c)
		}
	}
	return append(dst, 0, 1)
}

// encodeID normalizes and encodes a user-given id.
func encodeID(id any) ([]byte, error) {
	n, err := normalizeID(id)
	if err != nil {
		return nil, err
	}
	return appendID(nil, n)
}

// intTagBase returns the first tag of the integer type of tag t, or 0.
func intTagBase(t byte) byte {
	switch {
	case t >= idInt8 && t < idInt8+intTagSpan:
		return idInt8
	case t >= idInt16 && t < idInt16+intTagSpan:
		return idInt16
	case t >= idInt32 && t < idInt32+intTagSpan:
		return idInt32
	case t >= idInt64 && t < idInt64+intTagSpan:
		return idInt64
	}
	return 0
}

// decodeIntID decodes the integer id at the start of b, whose tag's type
// starts at base.
func decodeIntID(b []byte, base byte) (int64, int, error) {
	n, neg := intIDLen(b[0], base)
	if n > 8 || len(b) < 1+n {
		return 0, 0, fmt.Errorf("storage: corrupt id: want %d bytes, have %d", n, len(b)-1)
	}
	var u uint64
	if neg {
		u = ^uint64(0)
	}
	for _, c := range b[1 : 1+n] {
		u = u<<8 | uint64(c)
	}
	if !neg && n == 8 && u > math.MaxInt64 {
		return 0, 0, fmt.Errorf("storage: corrupt id: overflow")
	}
	return int64(u), 1 + n, nil
}

// decodeID decodes one id at the start of b and returns the bytes used.
func decodeID(b []byte) (any, int, error) {
	if len(b) == 0 {
		return nil, 0, fmt.Errorf("storage: corrupt id: empty")
	}
	if base := intTagBase(b[0]); base != 0 {
		v, n, err := decodeIntID(b, base)
		if err != nil {
			return nil, 0, err
		}
		switch base {
		case idInt32:
			return int32(v), n, nil
		case idInt16:
			return int16(v), n, nil
		case idInt8:
			return int8(v), n, nil
		}
		return v, n, nil
	}
	switch b[0] {
	case idString:
		s, n, err := index.DecodeEscaped(b[1:])
		if err != nil {
			return nil, 0, fmt.Errorf("storage: corrupt id: %w", err)
		}
		return string(s), 1 + n, nil
	case idUUID:
		if len(b) < 17 {
			return nil, 0, fmt.Errorf("storage: corrupt id: short UUID")
		}
		var u uuid.UUID
		copy(u[:], b[1:17])
		return u, 17, nil
	case idOther:
		l, n := binary.Uvarint(b[1:])
		if n <= 0 || uint64(len(b)-1-n) < l {
			return nil, 0, fmt.Errorf("storage: corrupt id: bad length")
		}
		r := reader{b: b[1+n : 1+n+int(l)]}
		v := r.value()
		if r.err != nil {
			return nil, 0, r.err
		}
		return v, 1 + n + int(l), nil
	}
	return nil, 0, fmt.Errorf("storage: corrupt id: unknown tag %#x", b[0])
}

// idLen returns the length of the encoded id at the start of b without
// decoding it (no allocation).
func idLen(b []byte) (int, error) {
	if len(b) >= 1 {
		if base := intTagBase(b[0]); base != 0 {
			if n, _ := intIDLen(b[0], base); len(b) >= 1+n {
				return 1 + n, nil
			}
		}
		switch b[0] {
		case idString:
			for i := 1; i+1 < len(b); i++ {
				if b[i] == 0 {
					if b[i+1] == 1 {
						return i + 2, nil
					}
					if b[i+1] != 0xff {
						break
					}
					i++
				}
			}
		case idUUID:
			if len(b) >= 17 {
				return 17, nil
			}
		}
	}
	_, n, err := decodeID(b) // other tags, and the errors
	if err == nil {
		return n, nil
	}
	return 0, err
}

// adjKey builds [v][labelID][other][eid] for edge_out and edge_in.
func adjKey(v []byte, label uint32, other, eid []byte) []byte {
	return appendAdjKey(make([]byte, 0, len(v)+3+len(other)+len(eid)), v, label, other, eid)
}

// appendAdjKey appends adjKey(v, label, other, eid) to dst.
func appendAdjKey(dst, v []byte, label uint32, other, eid []byte) []byte {
	dst = append(dst, v...)
	dst = binary.AppendUvarint(dst, uint64(label))
	dst = append(dst, other...)
	return append(dst, eid...)
}

// adjPrefix builds [v] or [v][labelID].
func adjPrefix(v []byte, label uint32, withLabel bool) []byte {
	k := append([]byte(nil), v...)
	if withLabel {
		k = binary.AppendUvarint(k, uint64(label))
	}
	return k
}

// parseAdjKey splits an adjacency key after the vertex prefix of length
// vlen (0: parse it too).
func parseAdjKey(k []byte) (v []byte, label uint32, other, eid []byte, err error) {
	r := reader{b: k}
	v = r.idBytes()
	label = uint32(r.uvarint())
	other = r.idBytes()
	eid = r.idBytes()
	if r.err == nil && len(r.b) != 0 {
		r.fail("adjacency key has %d trailing bytes", len(r.b))
	}
	return v, label, other, eid, r.err
}

const (
	kindVertex = 'V'
	kindEdge   = 'E'
)

func labelIndexKey(kind byte, label uint32, id []byte) []byte {
	return appendLabelIndexKey(make([]byte, 0, 4+len(id)), kind, label, id)
}

// appendLabelIndexKey appends labelIndexKey(kind, label, id) to dst.
func appendLabelIndexKey(dst []byte, kind byte, label uint32, id []byte) []byte {
	dst = binary.AppendUvarint(append(dst, kind), uint64(label))
	return append(dst, id...)
}
