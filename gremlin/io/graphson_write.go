package io

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// gsWriter appends typed GraphSON (version 2 or 3) to buf.
type gsWriter struct {
	buf     []byte
	version int
	depth   int
}

func (w *gsWriter) errf(format string, args ...any) error {
	return &EncodeError{Format: fmt.Sprintf("GraphSON v%d", w.version), Msg: fmt.Sprintf(format, args...)}
}

func (w *gsWriter) raw(s string) { w.buf = append(w.buf, s...) }

func (w *gsWriter) str(s string) {
	b, _ := json.Marshal(s) // cannot fail for a string
	w.buf = append(w.buf, b...)
}

// typed writes {"@type":t,"@value":<body>}.
func (w *gsWriter) typed(t string, body func() error) error {
	w.raw(`{"@type":`)
	w.str(t)
	w.raw(`,"@value":`)
	if err := body(); err != nil {
		return err
	}
	w.raw("}")
	return nil
}

func (w *gsWriter) typedRaw(t, raw string) {
	w.raw(`{"@type":`)
	w.str(t)
	w.raw(`,"@value":` + raw + "}")
}

func (w *gsWriter) typedStr(t, s string) {
	w.raw(`{"@type":`)
	w.str(t)
	w.raw(`,"@value":`)
	w.str(s)
	w.raw("}")
}

// obj writes a JSON object from ordered key/writer pairs.
type field struct {
	key string
	val func() error
}

func (w *gsWriter) obj(fields ...field) error {
	w.raw("{")
	for i, f := range fields {
		if i > 0 {
			w.raw(",")
		}
		w.str(f.key)
		w.raw(":")
		if err := f.val(); err != nil {
			return err
		}
	}
	w.raw("}")
	return nil
}

func (w *gsWriter) val(v any) func() error { return func() error { return w.write(v) } }

func (w *gsWriter) strVal(s string) func() error { return func() error { w.str(s); return nil } }

// array writes a plain JSON array of typed values.
func (w *gsWriter) array(items []any) error {
	w.raw("[")
	for i, it := range items {
		if i > 0 {
			w.raw(",")
		}
		if err := w.write(it); err != nil {
			return err
		}
	}
	w.raw("]")
	return nil
}

// list writes a g:List in v3 and a plain array in v2.
func (w *gsWriter) list(t string, items []any) error {
	if w.version == 2 {
		return w.array(items)
	}
	return w.typed(t, func() error { return w.array(items) })
}

func gsFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return `"NaN"`
	case math.IsInf(f, 1):
		return `"Infinity"`
	case math.IsInf(f, -1):
		return `"-Infinity"`
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

func (w *gsWriter) write(v any) error {
	if v == nil || isNilPointer(v) {
		w.raw("null")
		return nil
	}
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > maxDepth {
		return w.errf("value nested deeper than %d levels (cyclic?)", maxDepth)
	}
	switch x := v.(type) {
	case string:
		w.str(x)
	case bool:
		w.raw(strconv.FormatBool(x))
	case int32:
		w.typedRaw("g:Int32", strconv.FormatInt(int64(x), 10))
	case int64:
		w.typedRaw("g:Int64", strconv.FormatInt(x, 10))
	case int:
		w.typedRaw("g:Int64", strconv.Itoa(x))
	case int16:
		w.typedRaw("gx:Int16", strconv.FormatInt(int64(x), 10))
	case int8:
		w.typedRaw("gx:Byte", strconv.FormatInt(int64(x), 10))
	case uint8:
		w.typedRaw("gx:Byte", strconv.FormatInt(int64(int8(x)), 10))
	case float32:
		w.typedRaw("g:Float", gsFloat(float64(x), 32))
	case float64:
		w.typedRaw("g:Double", gsFloat(x, 64))
	case *big.Int:
		w.typedRaw("gx:BigInteger", x.String())
	case value.BigDecimal:
		w.typedRaw("gx:BigDecimal", fn.ToJavaString(x))
	case *value.BigDecimal:
		return w.write(*x)
	case value.Char:
		w.typedStr("gx:Char", string(rune(x)))
	case uuid.UUID:
		w.typedStr("g:UUID", x.String())
	case time.Time:
		if x.Location() == time.UTC {
			w.typedRaw("g:Date", strconv.FormatInt(x.UnixMilli(), 10))
		} else {
			w.typedStr("gx:OffsetDateTime", fn.ToJavaString(x))
		}
	case time.Duration:
		w.typedStr("gx:Duration", fn.ToJavaString(x))
	case []byte:
		w.typedStr("gx:ByteBuffer", base64.StdEncoding.EncodeToString(x))
	case []any:
		return w.list("g:List", x)
	case []string:
		return w.list("g:List", stringsToList(x))
	case *value.Set:
		return w.list("g:Set", x.Items())
	case *value.Map:
		return w.mapValue(x)
	case map[string]any:
		m := value.NewMap()
		for _, k := range sortedKeys(x) {
			m.Put(k, x[k])
		}
		return w.mapValue(m)
	case *value.Vertex:
		return w.typed("g:Vertex", func() error { return w.vertex(x) })
	case *value.Edge:
		return w.typed("g:Edge", func() error { return w.edge(x) })
	case *value.VertexProperty:
		return w.typed("g:VertexProperty", func() error { return w.vertexProperty(x) })
	case *value.Property:
		return w.typed("g:Property", func() error {
			return w.obj(field{"key", w.strVal(x.Key)}, field{"value", w.val(x.Value)})
		})
	case *value.Path:
		return w.typed("g:Path", func() error {
			labels := make([]any, len(x.Labels))
			for i, ls := range x.Labels {
				labels[i] = value.NewSet(stringsToList(ls)...)
			}
			return w.obj(field{"labels", func() error { return w.list("g:List", labels) }},
				field{"objects", func() error { return w.list("g:List", x.Objects) }})
		})
	case value.Enum:
		w.typedStr("g:"+x.Type, x.Name)
	case *value.P:
		t := "g:P"
		if x.Text {
			t = "g:TextP"
		}
		return w.typed(t, func() error {
			return w.obj(field{"predicate", w.strVal(x.Operator)}, field{"value", func() error {
				if len(x.Values) == 1 && x.Operator != "within" && x.Operator != "without" {
					return w.write(x.Values[0])
				}
				return w.list("g:List", x.Values)
			}})
		})
	case *value.Bytecode:
		return w.typed("g:Bytecode", func() error { return w.bytecode(x) })
	case *value.Lambda:
		return w.typed("g:Lambda", func() error {
			return w.obj(field{"script", w.strVal(x.Script)}, field{"language", w.strVal(x.Language)},
				field{"arguments", func() error { w.raw(strconv.Itoa(int(x.Arguments))); return nil }})
		})
	case value.Binding:
		return w.typed("g:Binding", func() error {
			return w.obj(field{"key", w.strVal(x.Key)}, field{"value", w.val(x.Value)})
		})
	case *value.Binding:
		return w.write(*x)
	case value.Traverser:
		return w.typed("g:Traverser", func() error {
			return w.obj(field{"bulk", w.val(x.Bulk)}, field{"value", w.val(x.Value)})
		})
	case *value.Traverser:
		return w.write(*x)
	case *value.BulkSet:
		if w.version == 2 { // v2 has no BulkSet: expand it into a list
			var items []any
			for _, it := range x.Items {
				if it.Bulk > 1<<20 || int64(len(items))+it.Bulk > 1<<24 {
					return w.errf("BulkSet with bulk %d is too large to expand into a GraphSON v2 list", it.Bulk)
				}
				for i := int64(0); i < it.Bulk; i++ {
					items = append(items, it.Value)
				}
			}
			return w.array(items)
		}
		return w.typed("g:BulkSet", func() error {
			flat := make([]any, 0, 2*len(x.Items))
			for _, it := range x.Items {
				flat = append(flat, it.Value, it.Bulk)
			}
			return w.array(flat)
		})
	case *value.Tree:
		return w.tree(x)
	case *value.Metrics:
		return w.typed("g:Metrics", func() error { return w.metrics(x) })
	case *value.TraversalMetrics:
		return w.typed("g:TraversalMetrics", func() error {
			ms := make([]any, len(x.Metrics))
			for i, m := range x.Metrics {
				ms[i] = m
			}
			return w.statsMap(
				field{"dur", func() error { w.typedRaw("g:Double", gsFloat(float64(x.DurationNs)/1e6, 64)); return nil }},
				field{"metrics", func() error { return w.list("g:List", ms) }})
		})
	case *value.TraversalExplanation:
		return w.typed("g:TraversalExplanation", func() error { return w.explanation(x) })
	case value.Strategy:
		name := x.Class[strings.LastIndexByte(x.Class, '.')+1:]
		return w.typed("g:"+name, func() error { return w.stringKeyObject(x.Config) })
	case *value.Strategy:
		return w.write(*x)
	case value.Class:
		w.typedStr("g:Class", string(x))
	default:
		return w.errf("Go type %T has no GraphSON mapping", v)
	}
	return nil
}

func (w *gsWriter) mapValue(m *value.Map) error {
	if w.version == 2 {
		w.raw("{")
		for i, e := range m.Entries() {
			if i > 0 {
				w.raw(",")
			}
			w.str(mapKeyString(e.Key))
			w.raw(":")
			if err := w.write(e.Value); err != nil {
				return err
			}
		}
		w.raw("}")
		return nil
	}
	return w.typed("g:Map", func() error {
		flat := make([]any, 0, 2*m.Len())
		for _, e := range m.Entries() {
			flat = append(flat, e.Key, e.Value)
		}
		return w.array(flat)
	})
}

// mapKeyString is how GraphSON v2 (a JSON object) spells a non-string key.
func mapKeyString(k any) string {
	switch x := k.(type) {
	case string:
		return x
	case *value.Vertex:
		return JavaString(x.ID)
	case *value.Edge:
		return JavaString(x.ID)
	case *value.VertexProperty:
		return JavaString(x.ID)
	}
	return JavaString(k)
}

// stringKeyObject writes a Map as a JSON object (keys as strings) with
// typed values; used for strategy configurations and v2 maps.
func (w *gsWriter) stringKeyObject(m *value.Map) error {
	w.raw("{")
	for i, e := range m.Entries() {
		if i > 0 {
			w.raw(",")
		}
		w.str(mapKeyString(e.Key))
		w.raw(":")
		if err := w.write(e.Value); err != nil {
			return err
		}
	}
	w.raw("}")
	return nil
}

// statsMap writes a metrics body: a g:Map in v3, a plain object in v2.
func (w *gsWriter) statsMap(fields ...field) error {
	if w.version == 2 {
		return w.obj(fields...)
	}
	return w.typed("g:Map", func() error {
		w.raw("[")
		for i, f := range fields {
			if i > 0 {
				w.raw(",")
			}
			w.str(f.key)
			w.raw(",")
			if err := f.val(); err != nil {
				return err
			}
		}
		w.raw("]")
		return nil
	})
}

func (w *gsWriter) vertex(v *value.Vertex) error {
	fields := []field{{"id", w.val(v.ID)}, {"label", w.strVal(v.Label)}}
	if v.Properties != nil {
		fields = append(fields, field{"properties", func() error {
			// Grouped by key, in first-seen order.
			var keys []string
			groups := map[string][]any{}
			for _, p := range v.Properties {
				if p == nil {
					continue
				}
				if _, ok := groups[p.Key]; !ok {
					keys = append(keys, p.Key)
				}
				groups[p.Key] = append(groups[p.Key], p)
			}
			w.raw("{")
			for i, k := range keys {
				if i > 0 {
					w.raw(",")
				}
				w.str(k)
				w.raw(":")
				if err := w.array(groups[k]); err != nil {
					return err
				}
			}
			w.raw("}")
			return nil
		}})
	}
	return w.obj(fields...)
}

func (w *gsWriter) edge(e *value.Edge) error {
	if e.InV == nil || e.OutV == nil {
		return w.errf("edge %v has no in or out vertex", e.ID)
	}
	fields := []field{{"id", w.val(e.ID)}, {"label", w.strVal(e.Label)},
		{"inVLabel", w.strVal(e.InV.Label)}, {"outVLabel", w.strVal(e.OutV.Label)},
		{"inV", w.val(e.InV.ID)}, {"outV", w.val(e.OutV.ID)}}
	if e.Properties != nil {
		fields = append(fields, field{"properties", func() error {
			w.raw("{")
			for i, p := range e.Properties {
				if i > 0 {
					w.raw(",")
				}
				w.str(p.Key)
				w.raw(":")
				if err := w.write(p); err != nil {
					return err
				}
			}
			w.raw("}")
			return nil
		}})
	}
	return w.obj(fields...)
}

func (w *gsWriter) vertexProperty(vp *value.VertexProperty) error {
	fields := []field{{"id", w.val(vp.ID)}, {"value", w.val(vp.Value)}, {"label", w.strVal(vp.Key)}}
	if vp.Properties != nil {
		fields = append(fields, field{"properties", func() error {
			w.raw("{")
			for i, p := range vp.Properties {
				if i > 0 {
					w.raw(",")
				}
				w.str(p.Key)
				w.raw(":")
				if err := w.write(p.Value); err != nil {
					return err
				}
			}
			w.raw("}")
			return nil
		}})
	}
	return w.obj(fields...)
}

func (w *gsWriter) instructions(ins []value.Instruction) error {
	w.raw("[")
	for i, in := range ins {
		if i > 0 {
			w.raw(",")
		}
		w.raw("[")
		w.str(in.Operator)
		for _, a := range in.Args {
			w.raw(",")
			if err := w.write(a); err != nil {
				return err
			}
		}
		w.raw("]")
	}
	w.raw("]")
	return nil
}

func (w *gsWriter) bytecode(b *value.Bytecode) error {
	var fields []field
	if len(b.Steps) > 0 {
		fields = append(fields, field{"step", func() error { return w.instructions(b.Steps) }})
	}
	if len(b.Sources) > 0 {
		fields = append(fields, field{"source", func() error { return w.instructions(b.Sources) }})
	}
	return w.obj(fields...)
}

func (w *gsWriter) tree(t *value.Tree) error {
	return w.typed("g:Tree", func() error {
		w.raw("[")
		if t != nil {
			for i, b := range t.Branches {
				if i > 0 {
					w.raw(",")
				}
				sub := b.Tree
				if sub == nil {
					sub = &value.Tree{}
				}
				if err := w.obj(field{"key", w.val(b.Key)}, field{"value", w.val(sub)}); err != nil {
					return err
				}
			}
		}
		w.raw("]")
		return nil
	})
}

func (w *gsWriter) metrics(m *value.Metrics) error {
	fields := []field{
		{"dur", func() error { w.typedRaw("g:Double", gsFloat(float64(m.DurationNs)/1e6, 64)); return nil }},
		{"counts", w.val(orEmpty(m.Counts))},
		{"name", w.strVal(m.Name)},
		{"annotations", w.val(orEmpty(m.Annotations))},
		{"id", w.strVal(m.ID)},
	}
	if len(m.Nested) > 0 {
		nested := make([]any, len(m.Nested))
		for i, n := range m.Nested {
			nested[i] = n
		}
		fields = append(fields, field{"metrics", func() error { return w.list("g:List", nested) }})
	}
	return w.statsMap(fields...)
}

func orEmpty(m *value.Map) *value.Map {
	if m == nil {
		return value.NewMap()
	}
	return m
}

func (w *gsWriter) explanation(x *value.TraversalExplanation) error {
	strs := func(ss []string) func() error {
		return func() error {
			w.raw("[")
			for i, s := range ss {
				if i > 0 {
					w.raw(",")
				}
				w.str(s)
			}
			w.raw("]")
			return nil
		}
	}
	return w.obj(field{"original", strs(x.Original)}, field{"intermediate", func() error {
		w.raw("[")
		for i, s := range x.Intermediate {
			if i > 0 {
				w.raw(",")
			}
			if err := w.obj(field{"strategy", w.strVal(s.Strategy)}, field{"category", w.strVal(s.Category)},
				field{"traversal", strs(s.Traversal)}); err != nil {
				return err
			}
		}
		w.raw("]")
		return nil
	}}, field{"final", strs(x.Final)})
}
