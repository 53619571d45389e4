package io

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// describe prints a decoded value with its Gremlin type, deterministically,
// for golden files: Int(1), Long(2), List[...], Map{k=v}, V(...) steps.
func describe(v any) string {
	var sb strings.Builder
	describeTo(&sb, v)
	return sb.String()
}

func describeTo(sb *strings.Builder, v any) {
	w := func(format string, args ...any) { fmt.Fprintf(sb, format, args...) }
	seq := func(items []any) {
		for i, it := range items {
			if i > 0 {
				sb.WriteString(", ")
			}
			describeTo(sb, it)
		}
	}
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case int32:
		w("Int(%d)", x)
	case int64:
		w("Long(%d)", x)
	case int16:
		w("Short(%d)", x)
	case int8:
		w("Byte(%d)", x)
	case float32:
		w("Float(%v)", x)
	case float64:
		w("Double(%v)", x)
	case string:
		w("%q", x)
	case bool:
		w("Boolean(%v)", x)
	case *big.Int:
		w("BigInteger(%s)", x)
	case value.BigDecimal:
		w("BigDecimal(%s)", x)
	case value.Char:
		w("Char(%q)", rune(x))
	case uuid.UUID:
		w("UUID(%s)", x)
	case time.Time:
		if x.Location() == time.UTC {
			w("Date(%s)", x.Format(time.RFC3339Nano))
		} else {
			w("OffsetDateTime(%s)", x.Format(time.RFC3339Nano))
		}
	case time.Duration:
		w("Duration(%s)", x)
	case []byte:
		w("ByteBuffer(%x)", x)
	case []any:
		sb.WriteString("List[")
		seq(x)
		sb.WriteString("]")
	case *value.Set:
		sb.WriteString("Set[")
		seq(x.Items())
		sb.WriteString("]")
	case *value.Map:
		sb.WriteString("Map{")
		for i, e := range x.Entries() {
			if i > 0 {
				sb.WriteString(", ")
			}
			describeTo(sb, e.Key)
			sb.WriteString("=")
			describeTo(sb, e.Value)
		}
		sb.WriteString("}")
	case value.Enum:
		w("%s.%s", x.Type, x.Name)
	case *value.P:
		kind := "P"
		if x.Text {
			kind = "TextP"
		}
		w("%s.%s(", kind, x.Operator)
		seq(x.Values)
		sb.WriteString(")")
	case *value.Bytecode:
		sb.WriteString("Bytecode{")
		ins := func(name string, is []value.Instruction) {
			w("%s:[", name)
			for i, in := range is {
				if i > 0 {
					sb.WriteString(", ")
				}
				w("%s(", in.Operator)
				seq(in.Args)
				sb.WriteString(")")
			}
			sb.WriteString("]")
		}
		ins("sources", x.Sources)
		sb.WriteString(" ")
		ins("steps", x.Steps)
		sb.WriteString("}")
	case *value.Lambda:
		w("Lambda(%q, %q, %d)", x.Language, x.Script, x.Arguments)
	case value.Strategy:
		w("Strategy(%s, ", x.Class)
		describeTo(sb, x.Config)
		sb.WriteString(")")
	case value.Binding:
		w("Binding(%s=", x.Key)
		describeTo(sb, x.Value)
		sb.WriteString(")")
	case value.Class:
		w("Class(%s)", string(x))
	case value.Traverser:
		w("Traverser(%d, ", x.Bulk)
		describeTo(sb, x.Value)
		sb.WriteString(")")
	default:
		w("%T(%s)", v, JavaString(v))
	}
}

// describeRequest prints a request; random ids print as <random>.
func describeRequest(r *Request, fixed map[string]bool) string {
	var sb strings.Builder
	id := r.RequestID.String()
	if !fixed[id] {
		id = "<random>"
	}
	fmt.Fprintf(&sb, "requestId: %s\nop: %q\nprocessor: %q\n", id, r.Op, r.Processor)
	keys := make([]string, 0, len(r.Args))
	for k := range r.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := r.Args[k]
		d := describe(v)
		if s, ok := v.(string); ok && k == "session" && !fixed[s] {
			d = "<random>"
		}
		fmt.Fprintf(&sb, "args.%s: %s\n", k, d)
	}
	return sb.String()
}
