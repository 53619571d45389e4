package io

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// gbReader decodes GraphBinary from b. Every read checks the remaining
// length first; collection lengths are checked against the smallest
// encoding of that many items before anything is allocated.
type gbReader struct {
	b     []byte
	off   int
	depth int
}

func (r *gbReader) fail(format string, args ...any) error {
	return &DecodeError{Format: "GraphBinary", Offset: r.off, Msg: fmt.Sprintf(format, args...), Kind: ErrMalformed}
}

func (r *gbReader) unsupported(format string, args ...any) error {
	return &DecodeError{Format: "GraphBinary", Offset: r.off, Msg: fmt.Sprintf(format, args...), Kind: ErrUnsupported}
}

func (r *gbReader) remaining() int { return len(r.b) - r.off }

func (r *gbReader) take(n int, what string) ([]byte, error) {
	if n < 0 || n > r.remaining() {
		return nil, r.fail("%s needs %d bytes but only %d remain", what, n, r.remaining())
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s, nil
}

func (r *gbReader) u8(what string) (byte, error) {
	s, err := r.take(1, what)
	if err != nil {
		return 0, err
	}
	return s[0], nil
}

func (r *gbReader) i32(what string) (int32, error) {
	s, err := r.take(4, what)
	if err != nil {
		return 0, err
	}
	return int32(binary.BigEndian.Uint32(s)), nil
}

func (r *gbReader) i64(what string) (int64, error) {
	s, err := r.take(8, what)
	if err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(s)), nil
}

// count reads an Int length and checks that n items of at least minSize
// bytes each can fit in the remaining input.
func (r *gbReader) count(what string, minSize int) (int, error) {
	n, err := r.i32(what + " length")
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, r.fail("%s length is negative (%d)", what, n)
	}
	if int64(n)*int64(minSize) > int64(r.remaining()) {
		return 0, r.fail("%s length %d cannot fit in the %d remaining bytes", what, n, r.remaining())
	}
	return int(n), nil
}

// str reads an unqualified String.
func (r *gbReader) str(what string) (string, error) {
	n, err := r.count(what, 1)
	if err != nil {
		return "", err
	}
	s, err := r.take(n, what)
	if err != nil {
		return "", err
	}
	return string(s), nil
}

// uuid reads a bare 16-byte UUID.
func (r *gbReader) uuid(what string) (uuid.UUID, error) {
	var u uuid.UUID
	s, err := r.take(16, what)
	if err != nil {
		return u, err
	}
	copy(u[:], s)
	return u, nil
}

// read reads a fully qualified value: {type_code}{value_flag}{value}.
func (r *gbReader) read() (any, error) {
	code, err := r.u8("type code")
	if err != nil {
		return nil, err
	}
	if code == gbCustom {
		return nil, r.unsupported("custom types (type code 0x00) are not supported")
	}
	flag, err := r.u8("value flag of " + gbTypeName(code))
	if err != nil {
		return nil, err
	}
	if code == gbUnspecifiedNull {
		if flag&1 == 0 {
			return nil, r.fail("unspecified null (0xfe) must have the null flag 0x01, got 0x%02x", flag)
		}
		return nil, nil
	}
	if flag&1 == 1 {
		if _, known := gbNames[code]; !known {
			if _, isEnum := gbEnumCodes[code]; !isEnum {
				return nil, r.unsupported("unknown type code 0x%02x", code)
			}
		}
		return nil, nil
	}
	return r.body(code)
}

// body reads the value of the given type (after its flag).
func (r *gbReader) body(code byte) (any, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return nil, r.fail("value nested deeper than %d levels", maxDepth)
	}
	switch code {
	case gbInt:
		return r.i32("Int")
	case gbLong:
		return r.i64("Long")
	case gbString:
		return r.str("String")
	case gbDate, gbTimestamp:
		ms, err := r.i64(gbTypeName(code))
		if err != nil {
			return nil, err
		}
		return time.UnixMilli(ms).UTC(), nil
	case gbClass:
		s, err := r.str("Class")
		return value.Class(s), err
	case gbDouble:
		s, err := r.take(8, "Double")
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(s)), nil
	case gbFloat:
		s, err := r.take(4, "Float")
		if err != nil {
			return nil, err
		}
		return math.Float32frombits(binary.BigEndian.Uint32(s)), nil
	case gbList:
		return r.list("List")
	case gbSet:
		items, err := r.list("Set")
		if err != nil {
			return nil, err
		}
		return value.NewSet(items...), nil
	case gbMap:
		return r.mapBody("Map")
	case gbUUID:
		return r.uuid("UUID")
	case gbEdge:
		return r.edge()
	case gbPath:
		return r.path()
	case gbProperty:
		return r.property()
	case gbVertex:
		return r.vertex()
	case gbVertexProperty:
		return r.vertexProperty()
	case gbBinding:
		k, err := r.str("Binding key")
		if err != nil {
			return nil, err
		}
		v, err := r.read()
		if err != nil {
			return nil, err
		}
		return value.Binding{Key: k, Value: v}, nil
	case gbBytecode:
		return r.bytecode()
	case gbLambda:
		lang, err := r.str("Lambda language")
		if err != nil {
			return nil, err
		}
		script, err := r.str("Lambda script")
		if err != nil {
			return nil, err
		}
		n, err := r.i32("Lambda arguments")
		if err != nil {
			return nil, err
		}
		return &value.Lambda{Language: lang, Script: script, Arguments: n}, nil
	case gbP, gbTextP:
		op, err := r.str("P name")
		if err != nil {
			return nil, err
		}
		vals, err := r.list("P values")
		if err != nil {
			return nil, err
		}
		return &value.P{Operator: op, Values: vals, Text: code == gbTextP}, nil
	case gbTraverser:
		bulk, err := r.i64("Traverser bulk")
		if err != nil {
			return nil, err
		}
		v, err := r.read()
		if err != nil {
			return nil, err
		}
		return value.Traverser{Bulk: bulk, Value: v}, nil
	case gbBigDecimal:
		scale, err := r.i32("BigDecimal scale")
		if err != nil {
			return nil, err
		}
		n, err := r.bigInt("BigDecimal")
		if err != nil {
			return nil, err
		}
		return value.BigDecimal{Unscaled: n, Scale: scale}, nil
	case gbBigInteger:
		return r.bigInt("BigInteger")
	case gbByte:
		b, err := r.u8("Byte")
		return int8(b), err
	case gbByteBuffer:
		n, err := r.count("ByteBuffer", 1)
		if err != nil {
			return nil, err
		}
		s, err := r.take(n, "ByteBuffer")
		if err != nil {
			return nil, err
		}
		return append([]byte{}, s...), nil
	case gbShort:
		s, err := r.take(2, "Short")
		if err != nil {
			return nil, err
		}
		return int16(binary.BigEndian.Uint16(s)), nil
	case gbBoolean:
		b, err := r.u8("Boolean")
		if err != nil {
			return nil, err
		}
		if b > 1 {
			return nil, r.fail("Boolean must be 0x00 or 0x01, got 0x%02x", b)
		}
		return b == 1, nil
	case gbStrategy:
		class, err := r.str("TraversalStrategy class")
		if err != nil {
			return nil, err
		}
		conf, err := r.mapBody("TraversalStrategy configuration")
		if err != nil {
			return nil, err
		}
		return value.Strategy{Class: class, Config: conf}, nil
	case gbBulkSet:
		n, err := r.count("BulkSet", 10)
		if err != nil {
			return nil, err
		}
		bs := &value.BulkSet{Items: make([]value.BulkItem, 0, n)}
		for i := 0; i < n; i++ {
			v, err := r.read()
			if err != nil {
				return nil, err
			}
			bulk, err := r.i64("BulkSet bulk")
			if err != nil {
				return nil, err
			}
			bs.Items = append(bs.Items, value.BulkItem{Value: v, Bulk: bulk})
		}
		return bs, nil
	case gbTree:
		return r.tree()
	case gbMetrics:
		return r.metrics()
	case gbTraversalMetrics:
		d, err := r.i64("TraversalMetrics duration")
		if err != nil {
			return nil, err
		}
		ms, err := r.metricsList("TraversalMetrics metrics")
		if err != nil {
			return nil, err
		}
		return &value.TraversalMetrics{DurationNs: d, Metrics: ms}, nil
	case gbChar:
		return r.char()
	case gbDuration:
		sec, err := r.i64("Duration seconds")
		if err != nil {
			return nil, err
		}
		nanos, err := r.i32("Duration nanos")
		if err != nil {
			return nil, err
		}
		const maxSec = math.MaxInt64 / int64(time.Second)
		if sec > maxSec || sec < -maxSec {
			return nil, r.unsupported("Duration of %d seconds exceeds Go's ±292 years", sec)
		}
		return time.Duration(sec)*time.Second + time.Duration(nanos), nil
	case gbOffsetDateTime:
		return r.offsetDateTime()
	}
	if name, ok := gbEnumCodes[code]; ok {
		return r.enum(name)
	}
	if name, ok := gbNames[code]; ok {
		return nil, r.unsupported("type %s (0x%02x) is not supported", name, code)
	}
	return nil, r.unsupported("unknown type code 0x%02x", code)
}

func (r *gbReader) list(what string) ([]any, error) {
	n, err := r.count(what, 2)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, n)
	for i := 0; i < n; i++ {
		v, err := r.read()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (r *gbReader) mapBody(what string) (*value.Map, error) {
	n, err := r.count(what, 4)
	if err != nil {
		return nil, err
	}
	m := value.NewMap()
	for i := 0; i < n; i++ {
		k, err := r.read()
		if err != nil {
			return nil, err
		}
		v, err := r.read()
		if err != nil {
			return nil, err
		}
		m.Put(k, v)
	}
	return m, nil
}

func (r *gbReader) bigInt(what string) (*big.Int, error) {
	n, err := r.count(what, 1)
	if err != nil {
		return nil, err
	}
	s, err := r.take(n, what)
	if err != nil {
		return nil, err
	}
	v := new(big.Int).SetBytes(s)
	if n > 0 && s[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*n)))
	}
	return v, nil
}

func (r *gbReader) char() (value.Char, error) {
	b, err := r.u8("Char")
	if err != nil {
		return 0, err
	}
	n := 1
	switch {
	case b < 0x80:
		return value.Char(b), nil
	case b&0xe0 == 0xc0:
		n = 2
	case b&0xf0 == 0xe0:
		n = 3
	case b&0xf8 == 0xf0:
		n = 4
	default:
		return 0, r.fail("Char starts with invalid UTF-8 byte 0x%02x", b)
	}
	rest, err := r.take(n-1, "Char")
	if err != nil {
		return 0, err
	}
	c, size := utf8.DecodeRune(append([]byte{b}, rest...))
	if c == utf8.RuneError || size != n {
		return 0, r.fail("Char is not valid UTF-8")
	}
	return value.Char(c), nil
}

func (r *gbReader) enum(typ string) (any, error) {
	code, err := r.u8(typ + " type code")
	if err != nil {
		return nil, err
	}
	flag, err := r.u8(typ + " value flag")
	if err != nil {
		return nil, err
	}
	if code != gbString || flag&1 == 1 {
		return nil, r.fail("%s must hold a non-null String, got %s", typ, gbTypeName(code))
	}
	s, err := r.str(typ)
	if err != nil {
		return nil, err
	}
	return value.Enum{Type: typ, Name: s}, nil
}

func (r *gbReader) offsetDateTime() (any, error) {
	year, err := r.i32("OffsetDateTime year")
	if err != nil {
		return nil, err
	}
	month, err := r.u8("OffsetDateTime month")
	if err != nil {
		return nil, err
	}
	day, err := r.u8("OffsetDateTime day")
	if err != nil {
		return nil, err
	}
	nanos, err := r.i64("OffsetDateTime time")
	if err != nil {
		return nil, err
	}
	off, err := r.i32("OffsetDateTime offset")
	if err != nil {
		return nil, err
	}
	switch {
	case month < 1 || month > 12:
		return nil, r.fail("OffsetDateTime month %d is not in 1..12", month)
	case day < 1 || day > 31:
		return nil, r.fail("OffsetDateTime day %d is not in 1..31", day)
	case nanos < 0 || nanos >= 86400e9:
		return nil, r.fail("OffsetDateTime time of day %d ns is not within one day", nanos)
	case off < -18*3600 || off > 18*3600:
		return nil, r.fail("OffsetDateTime offset %d s is beyond ±18 hours", off)
	}
	loc := time.FixedZone("", int(off))
	return time.Date(int(year), time.Month(month), int(day), 0, 0, 0, 0, loc).Add(time.Duration(nanos)), nil
}

// elementProps reads an element's properties: null (nil) or a List of
// T, the element's property type (*value.Property, *value.VertexProperty,
// named by elem in errors).
func elementProps[T any](r *gbReader, what, elem string) ([]T, error) {
	v, err := r.read()
	if err != nil || v == nil {
		return nil, err
	}
	items, ok := v.([]any)
	if !ok {
		return nil, r.fail("%s properties must be a List or null, got %T", what, v)
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		p, ok := it.(T)
		if !ok {
			return nil, r.fail("%s properties must hold %s values, got %T", what, elem, it)
		}
		out = append(out, p)
	}
	return out, nil
}

func (r *gbReader) vertex() (any, error) {
	id, err := r.read()
	if err != nil {
		return nil, err
	}
	label, err := r.str("Vertex label")
	if err != nil {
		return nil, err
	}
	v := &value.Vertex{ID: id, Label: label}
	if v.Properties, err = elementProps[*value.VertexProperty](r, "Vertex", "VertexProperty"); err != nil {
		return nil, err
	}
	return v, nil
}

func (r *gbReader) edge() (any, error) {
	id, err := r.read()
	if err != nil {
		return nil, err
	}
	label, err := r.str("Edge label")
	if err != nil {
		return nil, err
	}
	e := &value.Edge{ID: id, Label: label}
	for _, end := range []string{"in", "out"} {
		vid, err := r.read()
		if err != nil {
			return nil, err
		}
		vl, err := r.str("Edge " + end + "V label")
		if err != nil {
			return nil, err
		}
		if end == "in" {
			e.InV = &value.Vertex{ID: vid, Label: vl}
		} else {
			e.OutV = &value.Vertex{ID: vid, Label: vl}
		}
	}
	if _, err := r.read(); err != nil { // parent, always null from TinkerPop
		return nil, err
	}
	e.Properties, err = elementProps[*value.Property](r, "Edge", "Property")
	if err != nil {
		return nil, err
	}
	return e, nil
}

func (r *gbReader) vertexProperty() (any, error) {
	id, err := r.read()
	if err != nil {
		return nil, err
	}
	key, err := r.str("VertexProperty label")
	if err != nil {
		return nil, err
	}
	val, err := r.read()
	if err != nil {
		return nil, err
	}
	if _, err := r.read(); err != nil { // parent
		return nil, err
	}
	props, err := elementProps[*value.Property](r, "VertexProperty", "Property")
	if err != nil {
		return nil, err
	}
	return &value.VertexProperty{ID: id, Key: key, Value: val, Properties: props}, nil
}

func (r *gbReader) property() (any, error) {
	key, err := r.str("Property key")
	if err != nil {
		return nil, err
	}
	val, err := r.read()
	if err != nil {
		return nil, err
	}
	if _, err := r.read(); err != nil { // parent
		return nil, err
	}
	return &value.Property{Key: key, Value: val}, nil
}

func (r *gbReader) path() (any, error) {
	labels, err := r.read()
	if err != nil {
		return nil, err
	}
	objects, err := r.read()
	if err != nil {
		return nil, err
	}
	ll, ok1 := labels.([]any)
	objs, ok2 := objects.([]any)
	if !ok1 || !ok2 {
		return nil, r.fail("Path must hold two Lists, got %T and %T", labels, objects)
	}
	if len(ll) != len(objs) {
		return nil, r.fail("Path has %d label sets for %d objects", len(ll), len(objs))
	}
	p := &value.Path{Labels: make([][]string, len(ll)), Objects: objs}
	for i, l := range ll {
		set, ok := l.(*value.Set)
		if !ok {
			return nil, r.fail("Path labels must be Sets of String, got %T", l)
		}
		names := make([]string, 0, set.Len())
		for _, it := range set.Items() {
			s, ok := it.(string)
			if !ok {
				return nil, r.fail("Path label must be a String, got %T", it)
			}
			names = append(names, s)
		}
		p.Labels[i] = names
	}
	return p, nil
}

func (r *gbReader) instructions(what string) ([]value.Instruction, error) {
	n, err := r.count(what, 8)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil // no instructions: nil, as Bytecode literals write it
	}
	out := make([]value.Instruction, 0, n)
	for i := 0; i < n; i++ {
		name, err := r.str(what + " name")
		if err != nil {
			return nil, err
		}
		args, err := r.list(what + " arguments")
		if err != nil {
			return nil, err
		}
		out = append(out, value.Instruction{Operator: name, Args: args})
	}
	return out, nil
}

func (r *gbReader) bytecode() (any, error) {
	steps, err := r.instructions("Bytecode steps")
	if err != nil {
		return nil, err
	}
	sources, err := r.instructions("Bytecode sources")
	if err != nil {
		return nil, err
	}
	return &value.Bytecode{Sources: sources, Steps: steps}, nil
}

func (r *gbReader) tree() (any, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return nil, r.fail("Tree nested deeper than %d levels", maxDepth)
	}
	n, err := r.count("Tree", 6)
	if err != nil {
		return nil, err
	}
	t := &value.Tree{Branches: make([]value.TreeBranch, 0, n)}
	for i := 0; i < n; i++ {
		k, err := r.read()
		if err != nil {
			return nil, err
		}
		sub, err := r.tree()
		if err != nil {
			return nil, err
		}
		t.Branches = append(t.Branches, value.TreeBranch{Key: k, Tree: sub.(*value.Tree)})
	}
	return t, nil
}

func (r *gbReader) metrics() (any, error) {
	id, err := r.str("Metrics id")
	if err != nil {
		return nil, err
	}
	name, err := r.str("Metrics name")
	if err != nil {
		return nil, err
	}
	d, err := r.i64("Metrics duration")
	if err != nil {
		return nil, err
	}
	counts, err := r.mapBody("Metrics counts")
	if err != nil {
		return nil, err
	}
	ann, err := r.mapBody("Metrics annotations")
	if err != nil {
		return nil, err
	}
	nested, err := r.metricsList("Metrics nested")
	if err != nil {
		return nil, err
	}
	return &value.Metrics{ID: id, Name: name, DurationNs: d, Counts: counts, Annotations: ann, Nested: nested}, nil
}

func (r *gbReader) metricsList(what string) ([]*value.Metrics, error) {
	items, err := r.list(what)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, nil // none: nil, as the value model writes it
	}
	out := make([]*value.Metrics, 0, len(items))
	for _, it := range items {
		m, ok := it.(*value.Metrics)
		if !ok {
			return nil, r.fail("%s must hold Metrics, got %T", what, it)
		}
		out = append(out, m)
	}
	return out, nil
}
