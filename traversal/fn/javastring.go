package fn

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

// javaString renders v the way Java's toString (and TinkerPop's
// StringFactory) would.
func javaString(v any) string {
	var sb strings.Builder
	writeJava(&sb, v)
	return sb.String()
}

func writeJava(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case string:
		sb.WriteString(x)
	case bool:
		sb.WriteString(strconv.FormatBool(x))
	case int8:
		sb.WriteString(strconv.FormatInt(int64(x), 10))
	case uint8:
		sb.WriteString(strconv.FormatInt(int64(int8(x)), 10))
	case int16:
		sb.WriteString(strconv.FormatInt(int64(x), 10))
	case int32:
		sb.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		sb.WriteString(strconv.FormatInt(x, 10))
	case int:
		sb.WriteString(strconv.Itoa(x))
	case float32:
		sb.WriteString(javaFloat(float64(x), 32))
	case float64:
		sb.WriteString(javaDouble(x))
	case *big.Int:
		if x == nil {
			sb.WriteString("null")
		} else {
			sb.WriteString(x.String())
		}
	case value.BigDecimal:
		sb.WriteString(x.String())
	case *value.BigDecimal:
		if x == nil {
			sb.WriteString("null")
		} else {
			sb.WriteString(x.String())
		}
	case value.Char:
		sb.WriteRune(rune(x))
	case uuid.UUID:
		sb.WriteString(x.String())
	case time.Time:
		sb.WriteString(javaOffsetDateTime(x))
	case time.Duration:
		sb.WriteString(javaDuration(x))
	case []byte:
		fmt.Fprintf(sb, "java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]", len(x), len(x))
	case []any:
		writeJavaSeq(sb, x)
	case *value.Set:
		writeJavaSeq(sb, x.Items())
	case *value.Map:
		sb.WriteByte('{')
		for i, e := range x.Entries() {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeJava(sb, e.Key)
			sb.WriteByte('=')
			writeJava(sb, e.Value)
		}
		sb.WriteByte('}')
	case value.MapEntry:
		writeJava(sb, x.Key)
		sb.WriteByte('=')
		writeJava(sb, x.Value)
	case *value.MapEntry:
		writeJava(sb, *x)
	case *value.Vertex:
		sb.WriteString("v[")
		writeJava(sb, x.ID)
		sb.WriteByte(']')
	case *value.Edge:
		sb.WriteString("e[")
		writeJava(sb, x.ID)
		sb.WriteString("][")
		if x.OutV != nil {
			writeJava(sb, x.OutV.ID)
		}
		sb.WriteString("-" + x.Label + "->")
		if x.InV != nil {
			writeJava(sb, x.InV.ID)
		}
		sb.WriteByte(']')
	case *value.VertexProperty:
		sb.WriteString("vp[" + x.Key + "->" + abbreviate(javaString(x.Value), 20) + "]")
	case *value.Property:
		sb.WriteString("p[" + x.Key + "->" + abbreviate(javaString(x.Value), 20) + "]")
	case *value.Path:
		sb.WriteString("path")
		writeJavaSeq(sb, x.Objects)
	case value.Enum:
		sb.WriteString(x.Name)
	case *value.P:
		if x == nil {
			sb.WriteString("null")
			return
		}
		switch {
		case x.Operator == "and" || x.Operator == "or":
			sb.WriteString(x.Operator + "(")
			for i, a := range x.Values {
				if i > 0 {
					sb.WriteString(", ")
				}
				writeJava(sb, a)
			}
			sb.WriteByte(')')
		case len(x.Values) == 1:
			sb.WriteString(x.Operator + "(")
			writeJava(sb, x.Values[0])
			sb.WriteByte(')')
		default:
			sb.WriteString(x.Operator)
			writeJavaSeq(sb, x.Values)
			sb.WriteString("")
		}
	case *value.Tree:
		sb.WriteByte('{')
		for i, b := range x.Branches {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeJava(sb, b.Key)
			sb.WriteByte('=')
			if b.Tree == nil {
				sb.WriteString("{}")
			} else {
				writeJava(sb, b.Tree)
			}
		}
		sb.WriteByte('}')
	case *value.BulkSet:
		sb.WriteByte('[')
		first := true
		for _, it := range x.Items {
			for n := int64(0); n < it.Bulk; n++ {
				if !first {
					sb.WriteString(", ")
				}
				first = false
				writeJava(sb, it.Value)
			}
		}
		sb.WriteByte(']')
	case value.Class:
		sb.WriteString("class " + string(x))
	case fmt.Stringer:
		sb.WriteString(x.String())
	default:
		fmt.Fprintf(sb, "%v", x)
	}
}

func writeJavaSeq(sb *strings.Builder, items []any) {
	sb.WriteByte('[')
	for i, e := range items {
		if i > 0 {
			sb.WriteString(", ")
		}
		writeJava(sb, e)
	}
	sb.WriteByte(']')
}

// abbreviate mirrors commons-lang StringUtils.abbreviate(s, n).
func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}

func javaDouble(f float64) string { return javaFloat(f, 64) }

// javaFloat renders a float as Double.toString / Float.toString do:
// plain notation for 1e-3 <= |f| < 1e7, computerized scientific notation
// otherwise, always with at least one fractional digit.
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, bits) // e.g. 1.2345e+07, 1e-05
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// javaOffsetDateTime renders t as java.time.OffsetDateTime.toString.
func javaOffsetDateTime(t time.Time) string {
	var sb strings.Builder
	y := t.Year()
	if y > 9999 {
		sb.WriteByte('+')
	}
	if y < 0 {
		fmt.Fprintf(&sb, "-%04d", -y)
	} else {
		fmt.Fprintf(&sb, "%04d", y)
	}
	fmt.Fprintf(&sb, "-%02d-%02dT%02d:%02d", int(t.Month()), t.Day(), t.Hour(), t.Minute())
	if t.Second() != 0 || t.Nanosecond() != 0 {
		fmt.Fprintf(&sb, ":%02d", t.Second())
		if ns := t.Nanosecond(); ns != 0 {
			switch {
			case ns%1000000 == 0:
				fmt.Fprintf(&sb, ".%03d", ns/1000000)
			case ns%1000 == 0:
				fmt.Fprintf(&sb, ".%06d", ns/1000)
			default:
				fmt.Fprintf(&sb, ".%09d", ns)
			}
		}
	}
	_, off := t.Zone()
	if off == 0 {
		sb.WriteByte('Z')
	} else {
		sign := byte('+')
		if off < 0 {
			sign = '-'
			off = -off
		}
		fmt.Fprintf(&sb, "%c%02d:%02d", sign, off/3600, off/60%60)
		if off%60 != 0 {
			fmt.Fprintf(&sb, ":%02d", off%60)
		}
	}
	return sb.String()
}

// javaDuration renders d as java.time.Duration.toString (PT8H6M12.345S).
func javaDuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	total := int64(d)
	secs := total / int64(time.Second)
	nanos := total % int64(time.Second)
	if nanos < 0 { // Java keeps nanos positive, seconds floored
		nanos += int64(time.Second)
		secs--
	}
	hours := secs / 3600
	minutes := (secs % 3600) / 60
	s := secs % 60
	var sb strings.Builder
	sb.WriteString("PT")
	if hours != 0 {
		fmt.Fprintf(&sb, "%dH", hours)
	}
	if minutes != 0 {
		fmt.Fprintf(&sb, "%dM", minutes)
	}
	if s == 0 && nanos == 0 && sb.Len() > 2 {
		return sb.String()
	}
	if s < 0 && nanos > 0 {
		if s == -1 {
			sb.WriteString("-0")
		} else {
			fmt.Fprintf(&sb, "%d", s+1)
		}
	} else {
		fmt.Fprintf(&sb, "%d", s)
	}
	if nanos > 0 {
		frac := nanos
		if s < 0 {
			frac = int64(time.Second) - nanos
		}
		f := fmt.Sprintf("%09d", frac)
		sb.WriteString("." + strings.TrimRight(f, "0"))
	}
	sb.WriteByte('S')
	return sb.String()
}
