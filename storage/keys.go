package storage

import (
	"encoding/binary"
	"fmt"

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
//	meta         name                           → counters
//	vertex_label, edge_label, property_key, index_label: name → schema record
//	secondary_index [indexID]{[value]}[id]      → empty      (exact, composite)
//	range_index     [indexID][value][id]        → empty
//	search_index    [indexID][token][id]        → empty
//	unique_index    [indexID]{[value]}          → [id]
//
// Index values use index.AppendValue (order-preserving, prefix-free).

// Id tags: one byte that keeps the id's type, then an order-preserving,
// prefix-free payload.
const (
	idInt64  = 'L'
	idInt32  = 'I'
	idInt16  = 'H'
	idInt8   = 'B'
	idString = 'S'
	idUUID   = 'U'
	idOther  = 'X' // uvarint length + value codec
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

// appendID appends the encoding of a normalized id.
func appendID(dst []byte, id any) ([]byte, error) {
	switch x := id.(type) {
	case int64:
		return index.AppendOrderedInt(append(dst, idInt64), x), nil
	case int32:
		return index.AppendOrderedInt(append(dst, idInt32), int64(x)), nil
	case int16:
		return index.AppendOrderedInt(append(dst, idInt16), int64(x)), nil
	case int8:
		return index.AppendOrderedInt(append(dst, idInt8), int64(x)), nil
	case string:
		return index.AppendEscaped(append(dst, idString), []byte(x)), nil
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

// encodeID normalizes and encodes a user-given id.
func encodeID(id any) ([]byte, error) {
	n, err := normalizeID(id)
	if err != nil {
		return nil, err
	}
	return appendID(nil, n)
}

// decodeID decodes one id at the start of b and returns the bytes used.
func decodeID(b []byte) (any, int, error) {
	if len(b) == 0 {
		return nil, 0, fmt.Errorf("storage: corrupt id: empty")
	}
	switch b[0] {
	case idInt64, idInt32, idInt16, idInt8:
		v, n, err := index.DecodeOrderedInt(b[1:])
		if err != nil {
			return nil, 0, fmt.Errorf("storage: corrupt id: %w", err)
		}
		switch b[0] {
		case idInt32:
			return int32(v), 1 + n, nil
		case idInt16:
			return int16(v), 1 + n, nil
		case idInt8:
			return int8(v), 1 + n, nil
		}
		return v, 1 + n, nil
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
	if len(b) >= 2 {
		switch b[0] {
		case idInt64, idInt32, idInt16, idInt8:
			h := b[1]
			n := -1
			if h >= 0x88 && h <= 0x90 {
				n = int(h - 0x88)
			} else if h >= 0x7f && h <= 0x87 {
				n = int(0x87 - h)
			}
			if n >= 0 && len(b) >= 2+n {
				return 2 + n, nil
			}
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
	k := make([]byte, 0, len(v)+3+len(other)+len(eid))
	k = append(k, v...)
	k = binary.AppendUvarint(k, uint64(label))
	k = append(k, other...)
	return append(k, eid...)
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
	k := binary.AppendUvarint([]byte{kind}, uint64(label))
	return append(k, id...)
}
