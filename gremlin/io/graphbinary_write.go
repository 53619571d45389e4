package io

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// maxDepth bounds nesting when encoding and decoding, so that cyclic or
// hostile values fail with an error instead of exhausting the stack.
const maxDepth = 256

// gbWriter appends GraphBinary to buf.
type gbWriter struct {
	buf   []byte
	depth int
}

func gbEncErr(format string, args ...any) error {
	return &EncodeError{Format: "GraphBinary", Msg: fmt.Sprintf(format, args...)}
}

func (w *gbWriter) u8(b byte)        { w.buf = append(w.buf, b) }
func (w *gbWriter) i16(v int16)      { w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(v)) }
func (w *gbWriter) i32(v int32)      { w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(v)) }
func (w *gbWriter) i64(v int64)      { w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(v)) }
func (w *gbWriter) uuid(u uuid.UUID) { w.buf = append(w.buf, u[:]...) }

func (w *gbWriter) length(n int) error {
	if n > math.MaxInt32 {
		return gbEncErr("length %d exceeds the Int range", n)
	}
	w.i32(int32(n))
	return nil
}

// str writes an unqualified String value.
func (w *gbWriter) str(s string) error {
	if err := w.length(len(s)); err != nil {
		return err
	}
	w.buf = append(w.buf, s...)
	return nil
}

// fqString writes a fully qualified, non-null String.
func (w *gbWriter) fqString(s string) error {
	w.u8(gbString)
	w.u8(0)
	return w.str(s)
}

// bigInt writes a BigInteger as length-prefixed two's complement.
func (w *gbWriter) bigInt(n *big.Int) error {
	b := twosComplement(n)
	if err := w.length(len(b)); err != nil {
		return err
	}
	w.buf = append(w.buf, b...)
	return nil
}

// twosComplement returns the minimal big-endian two's complement bytes of
// n, as Java's BigInteger.toByteArray does (zero is one 0x00 byte).
func twosComplement(n *big.Int) []byte {
	if n == nil || n.Sign() == 0 {
		return []byte{0}
	}
	if n.Sign() > 0 {
		b := n.Bytes()
		if b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	// For negative n: bytes of 2^(8k) + n, with k large enough that the
	// top bit is set.
	k := (n.BitLen() + 8) / 8
	mod := new(big.Int).Lsh(big.NewInt(1), uint(8*k))
	b := mod.Add(mod, n).Bytes()
	for len(b) < k {
		b = append([]byte{0xff}, b...)
	}
	for len(b) > 1 && b[0] == 0xff && b[1]&0x80 != 0 {
		b = b[1:]
	}
	return b
}

// write writes v fully qualified: {type_code}{value_flag}{value}.
func (w *gbWriter) write(v any) error {
	if v == nil || isNilPointer(v) {
		w.u8(gbUnspecifiedNull)
		w.u8(1)
		return nil
	}
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > maxDepth {
		return gbEncErr("value nested deeper than %d levels (cyclic?)", maxDepth)
	}
	switch x := v.(type) {
	case int32:
		w.head(gbInt)
		w.i32(x)
	case int64:
		w.head(gbLong)
		w.i64(x)
	case int:
		w.head(gbLong)
		w.i64(int64(x))
	case int16:
		w.head(gbShort)
		w.i16(x)
	case int8:
		w.head(gbByte)
		w.u8(byte(x))
	case uint8:
		w.head(gbByte)
		w.u8(x)
	case float32:
		w.head(gbFloat)
		w.buf = binary.BigEndian.AppendUint32(w.buf, math.Float32bits(x))
	case float64:
		w.head(gbDouble)
		w.buf = binary.BigEndian.AppendUint64(w.buf, math.Float64bits(x))
	case string:
		w.head(gbString)
		return w.str(x)
	case bool:
		w.head(gbBoolean)
		if x {
			w.u8(1)
		} else {
			w.u8(0)
		}
	case *big.Int:
		w.head(gbBigInteger)
		return w.bigInt(x)
	case value.BigDecimal:
		w.head(gbBigDecimal)
		w.i32(x.Scale)
		return w.bigInt(x.Unscaled)
	case *value.BigDecimal:
		return w.write(*x)
	case value.Char:
		if !utf8.ValidRune(rune(x)) {
			return gbEncErr("Char %U is not a valid Unicode code point", rune(x))
		}
		w.head(gbChar)
		w.buf = utf8.AppendRune(w.buf, rune(x))
	case uuid.UUID:
		w.head(gbUUID)
		w.uuid(x)
	case time.Time:
		if x.Location() == time.UTC {
			w.head(gbDate)
			w.i64(x.UnixMilli())
			return nil
		}
		w.head(gbOffsetDateTime)
		w.i32(int32(x.Year()))
		w.u8(byte(x.Month()))
		w.u8(byte(x.Day()))
		w.i64(int64(x.Hour())*3600e9 + int64(x.Minute())*60e9 + int64(x.Second())*1e9 + int64(x.Nanosecond()))
		_, off := x.Zone()
		w.i32(int32(off))
	case time.Duration:
		w.head(gbDuration)
		sec, nanos := int64(x/time.Second), int64(x%time.Second)
		if nanos < 0 { // Java keeps nanos in [0, 1e9)
			sec--
			nanos += 1e9
		}
		w.i64(sec)
		w.i32(int32(nanos))
	case []byte:
		w.head(gbByteBuffer)
		if err := w.length(len(x)); err != nil {
			return err
		}
		w.buf = append(w.buf, x...)
	case []any:
		w.head(gbList)
		return w.list(x)
	case []string:
		w.head(gbList)
		if err := w.length(len(x)); err != nil {
			return err
		}
		for _, s := range x {
			if err := w.fqString(s); err != nil {
				return err
			}
		}
	case *value.Set:
		w.head(gbSet)
		return w.list(x.Items())
	case *value.Map:
		w.head(gbMap)
		return w.mapBody(x)
	case map[string]any:
		w.head(gbMap)
		return w.stringMapBody(x)
	case *value.Vertex:
		w.head(gbVertex)
		return w.vertex(x)
	case *value.Edge:
		w.head(gbEdge)
		return w.edge(x)
	case *value.VertexProperty:
		w.head(gbVertexProperty)
		return w.vertexProperty(x)
	case *value.Property:
		w.head(gbProperty)
		return w.property(x)
	case *value.Path:
		w.head(gbPath)
		return w.path(x)
	case value.Enum:
		code, ok := gbEnumTypes[x.Type]
		if !ok {
			return gbEncErr("enum type %q (value %q) has no GraphBinary type code", x.Type, x.Name)
		}
		w.head(code)
		return w.fqString(x.Name)
	case *value.P:
		if x.Text {
			w.head(gbTextP)
		} else {
			w.head(gbP)
		}
		return w.predicate(x)
	case *value.Bytecode:
		w.head(gbBytecode)
		return w.bytecode(x)
	case *value.Lambda:
		w.head(gbLambda)
		if err := w.str(x.Language); err != nil {
			return err
		}
		if err := w.str(x.Script); err != nil {
			return err
		}
		w.i32(x.Arguments)
	case value.Traverser:
		w.head(gbTraverser)
		w.i64(x.Bulk)
		return w.write(x.Value)
	case *value.Traverser:
		return w.write(*x)
	case *value.BulkSet:
		w.head(gbBulkSet)
		if err := w.length(len(x.Items)); err != nil {
			return err
		}
		for _, it := range x.Items {
			if err := w.write(it.Value); err != nil {
				return err
			}
			w.i64(it.Bulk)
		}
	case *value.Tree:
		w.head(gbTree)
		return w.tree(x)
	case *value.Metrics:
		w.head(gbMetrics)
		return w.metrics(x)
	case *value.TraversalMetrics:
		w.head(gbTraversalMetrics)
		w.i64(x.DurationNs)
		if err := w.length(len(x.Metrics)); err != nil {
			return err
		}
		for _, m := range x.Metrics {
			if err := w.write(m); err != nil {
				return err
			}
		}
	case value.Binding:
		w.head(gbBinding)
		if err := w.str(x.Key); err != nil {
			return err
		}
		return w.write(x.Value)
	case *value.Binding:
		return w.write(*x)
	case value.Strategy:
		w.head(gbStrategy)
		if err := w.str(x.Class); err != nil {
			return err
		}
		return w.mapBody(x.Config)
	case *value.Strategy:
		return w.write(*x)
	case value.Class:
		w.head(gbClass)
		return w.str(string(x))
	case *value.TraversalExplanation:
		// Java's GraphBinary has no type for it: it is sent as a Map.
		return w.write(explanationMap(x))
	default:
		return gbEncErr("Go type %T has no GraphBinary mapping", v)
	}
	return nil
}

func (w *gbWriter) head(code byte) {
	w.u8(code)
	w.u8(0)
}

func (w *gbWriter) list(items []any) error {
	if err := w.length(len(items)); err != nil {
		return err
	}
	for _, it := range items {
		if err := w.write(it); err != nil {
			return err
		}
	}
	return nil
}

func (w *gbWriter) mapBody(m *value.Map) error {
	if err := w.length(m.Len()); err != nil {
		return err
	}
	for _, e := range m.Entries() {
		if err := w.write(e.Key); err != nil {
			return err
		}
		if err := w.write(e.Value); err != nil {
			return err
		}
	}
	return nil
}

func (w *gbWriter) stringMapBody(m map[string]any) error {
	if err := w.length(len(m)); err != nil {
		return err
	}
	for _, k := range sortedKeys(m) {
		if err := w.fqString(k); err != nil {
			return err
		}
		if err := w.write(m[k]); err != nil {
			return err
		}
	}
	return nil
}

func (w *gbWriter) vertex(v *value.Vertex) error {
	if err := w.write(v.ID); err != nil {
		return err
	}
	if err := w.str(v.Label); err != nil {
		return err
	}
	if v.Properties == nil {
		return w.write(nil)
	}
	w.head(gbList)
	if err := w.length(len(v.Properties)); err != nil {
		return err
	}
	for _, p := range v.Properties {
		if err := w.writeNonNil(p); err != nil {
			return err
		}
	}
	return nil
}

// writeNonNil writes a typed pointer, turning a nil pointer into null.
func (w *gbWriter) writeNonNil(v any) error {
	switch p := v.(type) {
	case *value.VertexProperty:
		if p == nil {
			return w.write(nil)
		}
	case *value.Property:
		if p == nil {
			return w.write(nil)
		}
	case *value.Metrics:
		if p == nil {
			return w.write(nil)
		}
	}
	return w.write(v)
}

func (w *gbWriter) edge(e *value.Edge) error {
	if err := w.write(e.ID); err != nil {
		return err
	}
	if err := w.str(e.Label); err != nil {
		return err
	}
	for _, v := range []*value.Vertex{e.InV, e.OutV} {
		if v == nil {
			return gbEncErr("edge %v has no in or out vertex", e.ID)
		}
		if err := w.write(v.ID); err != nil {
			return err
		}
		if err := w.str(v.Label); err != nil {
			return err
		}
	}
	w.write(nil) // parent
	if e.Properties == nil {
		return w.write(nil)
	}
	w.head(gbList)
	if err := w.length(len(e.Properties)); err != nil {
		return err
	}
	for _, p := range e.Properties {
		if err := w.writeNonNil(p); err != nil {
			return err
		}
	}
	return nil
}

func (w *gbWriter) vertexProperty(vp *value.VertexProperty) error {
	if err := w.write(vp.ID); err != nil {
		return err
	}
	if err := w.str(vp.Key); err != nil {
		return err
	}
	if err := w.write(vp.Value); err != nil {
		return err
	}
	w.write(nil) // parent
	if vp.Properties == nil {
		return w.write(nil)
	}
	w.head(gbList)
	if err := w.length(len(vp.Properties)); err != nil {
		return err
	}
	for _, p := range vp.Properties {
		if err := w.writeNonNil(p); err != nil {
			return err
		}
	}
	return nil
}

func (w *gbWriter) property(p *value.Property) error {
	if err := w.str(p.Key); err != nil {
		return err
	}
	if err := w.write(p.Value); err != nil {
		return err
	}
	return w.write(nil) // parent: references only, as TinkerPop sends
}

func (w *gbWriter) path(p *value.Path) error {
	w.head(gbList)
	if err := w.length(len(p.Labels)); err != nil {
		return err
	}
	for _, ls := range p.Labels {
		w.head(gbSet)
		if err := w.length(len(ls)); err != nil {
			return err
		}
		for _, l := range ls {
			if err := w.fqString(l); err != nil {
				return err
			}
		}
	}
	w.head(gbList)
	return w.list(p.Objects)
}

func (w *gbWriter) predicate(p *value.P) error {
	if err := w.str(p.Operator); err != nil {
		return err
	}
	return w.list(p.Values)
}

func (w *gbWriter) instructions(ins []value.Instruction) error {
	if err := w.length(len(ins)); err != nil {
		return err
	}
	for _, in := range ins {
		if err := w.str(in.Operator); err != nil {
			return err
		}
		if err := w.list(in.Args); err != nil {
			return err
		}
	}
	return nil
}

func (w *gbWriter) bytecode(b *value.Bytecode) error {
	if err := w.instructions(b.Steps); err != nil {
		return err
	}
	return w.instructions(b.Sources)
}

func (w *gbWriter) tree(t *value.Tree) error {
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > maxDepth {
		return gbEncErr("tree nested deeper than %d levels", maxDepth)
	}
	if t == nil {
		w.i32(0)
		return nil
	}
	if err := w.length(len(t.Branches)); err != nil {
		return err
	}
	for _, b := range t.Branches {
		if err := w.write(b.Key); err != nil {
			return err
		}
		if err := w.tree(b.Tree); err != nil {
			return err
		}
	}
	return nil
}

func (w *gbWriter) metrics(m *value.Metrics) error {
	if err := w.str(m.ID); err != nil {
		return err
	}
	if err := w.str(m.Name); err != nil {
		return err
	}
	w.i64(m.DurationNs)
	if err := w.mapBody(m.Counts); err != nil {
		return err
	}
	if err := w.mapBody(m.Annotations); err != nil {
		return err
	}
	if err := w.length(len(m.Nested)); err != nil {
		return err
	}
	for _, n := range m.Nested {
		if err := w.writeNonNil(n); err != nil {
			return err
		}
	}
	return nil
}

// explanationMap is the Map form TinkerPop sends for a TraversalExplanation.
func explanationMap(x *value.TraversalExplanation) *value.Map {
	m := value.NewMap()
	m.Put("original", stringsToList(x.Original))
	inter := make([]any, 0, len(x.Intermediate))
	for _, s := range x.Intermediate {
		im := value.NewMap()
		im.Put("strategy", s.Strategy)
		im.Put("category", s.Category)
		im.Put("traversal", stringsToList(s.Traversal))
		inter = append(inter, im)
	}
	m.Put("intermediate", inter)
	m.Put("final", stringsToList(x.Final))
	return m
}

func stringsToList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// isNilPointer reports whether v is a typed nil pointer, which every
// format writes as null.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
