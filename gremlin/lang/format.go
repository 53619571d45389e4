package lang

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Format renders bytecode as gremlin-lang text that Parse reads back to
// the same bytecode: source instructions and steps after source (e.g.
// "g"), nested traversals as __.step(), literals with explicit type
// suffixes. An empty source renders an anonymous traversal ("__.out()").
func Format(source string, b *value.Bytecode) string {
	var sb strings.Builder
	if source == "" {
		sb.WriteString("__")
	} else {
		sb.WriteString(source)
	}
	if b != nil {
		for _, ins := range b.Sources {
			sb.WriteByte('.')
			formatInstruction(&sb, ins, true)
		}
		for _, ins := range b.Steps {
			sb.WriteByte('.')
			formatInstruction(&sb, ins, false)
		}
	}
	return sb.String()
}

// FormatValue renders one argument value as gremlin-lang text.
func FormatValue(v any) string {
	var sb strings.Builder
	formatValue(&sb, v)
	return sb.String()
}

func formatInstruction(sb *strings.Builder, ins value.Instruction, source bool) {
	sb.WriteString(ins.Operator)
	sb.WriteByte('(')
	for i, a := range ins.Args {
		if i > 0 {
			sb.WriteString(", ")
		}
		formatValue(sb, a)
	}
	sb.WriteByte(')')
}

func simpleName(cls string) string {
	if i := strings.LastIndexByte(cls, '.'); i >= 0 {
		simple := cls[i+1:]
		if c, ok := strategies[simple]; ok && c == cls {
			return simple
		}
		return cls
	}
	return cls
}

func formatValue(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(x))
	case string:
		sb.WriteString(QuoteString(x))
	case int8:
		fmt.Fprintf(sb, "%db", x)
	case uint8:
		fmt.Fprintf(sb, "%db", int8(x))
	case int16:
		fmt.Fprintf(sb, "%ds", x)
	case int32:
		fmt.Fprintf(sb, "%d", x)
	case int:
		fmt.Fprintf(sb, "%dL", x)
	case int64:
		fmt.Fprintf(sb, "%dL", x)
	case *big.Int:
		fmt.Fprintf(sb, "%sn", x.String())
	case float32:
		switch {
		case math.IsNaN(float64(x)):
			sb.WriteString("NaN")
		case math.IsInf(float64(x), 1):
			sb.WriteString("Infinity")
		case math.IsInf(float64(x), -1):
			sb.WriteString("-Infinity")
		default:
			sb.WriteString(floatText(strconv.FormatFloat(float64(x), 'g', -1, 32)) + "f")
		}
	case float64:
		switch {
		case math.IsNaN(x):
			sb.WriteString("NaN")
		case math.IsInf(x, 1):
			sb.WriteString("Infinity")
		case math.IsInf(x, -1):
			sb.WriteString("-Infinity")
		default:
			sb.WriteString(floatText(strconv.FormatFloat(x, 'g', -1, 64)) + "d")
		}
	case value.BigDecimal:
		if x.Unscaled == nil {
			sb.WriteString("0m")
			return
		}
		if x.Scale < 0 {
			fmt.Fprintf(sb, "%se%dm", x.Unscaled.String(), -x.Scale)
			return
		}
		sb.WriteString(x.String() + "m")
	case []any:
		sb.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				sb.WriteString(", ")
			}
			formatValue(sb, e)
		}
		sb.WriteByte(']')
	case *value.Set:
		sb.WriteByte('{')
		for i, e := range x.Items() {
			if i > 0 {
				sb.WriteString(", ")
			}
			formatValue(sb, e)
		}
		sb.WriteByte('}')
	case *value.Map:
		if x.Len() == 0 {
			sb.WriteString("[:]")
			return
		}
		sb.WriteByte('[')
		for i, e := range x.Entries() {
			if i > 0 {
				sb.WriteString(", ")
			}
			if s, ok := e.Key.(string); ok {
				sb.WriteString(QuoteString(s))
			} else {
				sb.WriteByte('(')
				formatValue(sb, e.Key)
				sb.WriteByte(')')
			}
			sb.WriteString(": ")
			formatValue(sb, e.Value)
		}
		sb.WriteByte(']')
	case value.Enum:
		sb.WriteString(x.Type + "." + x.Name)
	case *value.P:
		formatP(sb, x)
	case *value.Bytecode:
		if card, cv, ok := IsCardinalityValue(x); ok {
			sb.WriteString("Cardinality." + card + "(")
			formatValue(sb, cv)
			sb.WriteByte(')')
			return
		}
		sb.WriteString(Format("", x))
	case value.Binding:
		sb.WriteString(x.Key)
	case time.Time:
		sb.WriteString("datetime(" + QuoteString(x.Format(time.RFC3339Nano)) + ")")
	case uuid.UUID:
		sb.WriteString("UUID(" + QuoteString(x.String()) + ")")
	case *value.Vertex:
		sb.WriteString("new Vertex(")
		formatValue(sb, x.ID)
		sb.WriteString(", " + QuoteString(x.Label) + ")")
	case value.Strategy:
		sb.WriteString("new " + simpleName(x.Class))
		if x.Config != nil && x.Config.Len() > 0 {
			sb.WriteByte('(')
			ents := x.Config.Entries()
			for i, e := range ents {
				if i > 0 {
					sb.WriteString(", ")
				}
				fmt.Fprintf(sb, "%v: ", e.Key)
				formatValue(sb, e.Value)
			}
			sb.WriteByte(')')
		}
	case value.Class:
		sb.WriteString(simpleName(string(x)))
	case *Traversal:
		sb.WriteString(Format(x.Source, x.Bytecode))
		if x.Terminal != nil {
			sb.WriteString("." + x.Terminal.Name + "(")
			if x.Terminal.Count >= 0 {
				sb.WriteString(strconv.FormatInt(x.Terminal.Count, 10))
			}
			sb.WriteByte(')')
		}
	default:
		fmt.Fprintf(sb, "/* unsupported %T */", v)
	}
}

// floatText makes sure a Go float rendering lexes as a Gremlin float
// ("1" → "1.0", "1e+06" → "1.0e+06").
func floatText(s string) string {
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i:]
	}
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	return mant + exp
}

func formatP(sb *strings.Builder, x *value.P) {
	if (x.Operator == "and" || x.Operator == "or") && len(x.Values) == 2 {
		formatValue(sb, x.Values[0])
		sb.WriteString("." + x.Operator + "(")
		formatValue(sb, x.Values[1])
		sb.WriteByte(')')
		return
	}
	if x.Text {
		sb.WriteString("TextP.")
	} else {
		sb.WriteString("P.")
	}
	sb.WriteString(x.Operator + "(")
	for i, a := range x.Values {
		if i > 0 {
			sb.WriteString(", ")
		}
		formatValue(sb, a)
	}
	sb.WriteByte(')')
}

// QuoteString renders s as a double-quoted gremlin-lang string literal
// with Java escapes.
func QuoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f || r == 0xfffd {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
