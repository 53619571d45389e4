package io

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// JavaString renders v as TinkerPop's Java toString() would: v[1],
// e[7][1-knows->2], vp[name->marko], p[weight->0.5], {name=[marko]},
// [a, b], path[v[1], v[2]], 1.0 for doubles, plain integers, null.
// Dates render in UTC, as a server running in UTC prints them.
func JavaString(v any) string {
	var sb strings.Builder
	writeJava(&sb, v, 0)
	return sb.String()
}

func writeJava(sb *strings.Builder, v any, depth int) {
	if depth > maxDepth {
		sb.WriteString("(this Collection)")
		return
	}
	if v != nil && isNilPointer(v) {
		v = nil
	}
	d := depth + 1
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
		sb.WriteString(javaFloat(x, 64))
	case *big.Int:
		sb.WriteString(x.String())
	case value.BigDecimal:
		sb.WriteString(javaBigDecimal(x))
	case value.Char:
		sb.WriteRune(rune(x))
	case uuid.UUID:
		sb.WriteString(x.String())
	case time.Time:
		if x.Location() == time.UTC {
			sb.WriteString(x.Format("Mon Jan 02 15:04:05 MST 2006"))
		} else {
			sb.WriteString(javaOffsetDateTime(x))
		}
	case time.Duration:
		sb.WriteString(javaDuration(x))
	case []byte:
		fmt.Fprintf(sb, "java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]", len(x), len(x))
	case []any:
		writeJavaSeq(sb, x, d)
	case []string:
		sb.WriteByte('[')
		sb.WriteString(strings.Join(x, ", "))
		sb.WriteByte(']')
	case *value.Set:
		writeJavaSeq(sb, x.Items(), d)
	case *value.Map:
		sb.WriteByte('{')
		for i, e := range x.Entries() {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeJava(sb, e.Key, d)
			sb.WriteByte('=')
			writeJava(sb, e.Value, d)
		}
		sb.WriteByte('}')
	case map[string]any:
		sb.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(k)
			sb.WriteByte('=')
			writeJava(sb, x[k], d)
		}
		sb.WriteByte('}')
	case *value.Vertex:
		sb.WriteString("v[")
		writeJava(sb, x.ID, d)
		sb.WriteByte(']')
	case *value.Edge:
		sb.WriteString("e[")
		writeJava(sb, x.ID, d)
		sb.WriteString("][")
		if x.OutV != nil {
			writeJava(sb, x.OutV.ID, d)
		}
		sb.WriteString("-" + x.Label + "->")
		if x.InV != nil {
			writeJava(sb, x.InV.ID, d)
		}
		sb.WriteByte(']')
	case *value.VertexProperty:
		sb.WriteString("vp[" + x.Key + "->" + abbreviate(JavaString(x.Value), 20) + "]")
	case *value.Property:
		sb.WriteString("p[" + x.Key + "->" + abbreviate(JavaString(x.Value), 20) + "]")
	case *value.Path:
		sb.WriteString("path")
		writeJavaSeq(sb, x.Objects, d)
	case value.Enum:
		sb.WriteString(x.Name)
	case *value.P:
		writeJavaP(sb, x, d)
	case value.Traverser:
		writeJava(sb, x.Value, d)
	case *value.BulkSet:
		sb.WriteByte('{')
		for i, it := range x.Items {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeJava(sb, it.Value, d)
			sb.WriteString("=" + strconv.FormatInt(it.Bulk, 10))
		}
		sb.WriteByte('}')
	case *value.Tree:
		writeJavaTree(sb, x, d)
	case *value.Metrics:
		fmt.Fprintf(sb, "Metrics{id='%s', name='%s', counts=%s, durationNs=%d}", x.ID, x.Name, JavaString(x.Counts), x.DurationNs)
	case *value.TraversalMetrics:
		writeJavaTraversalMetrics(sb, x)
	case *value.TraversalExplanation:
		writeJavaExplanation(sb, x)
	case value.Binding:
		sb.WriteString("binding[" + x.Key + "=")
		writeJava(sb, x.Value, d)
		sb.WriteByte(']')
	case value.Strategy:
		sb.WriteString(x.Class[strings.LastIndexByte(x.Class, '.')+1:])
	case value.Class:
		sb.WriteString("class " + string(x))
	case *value.Lambda:
		sb.WriteString(x.Script)
	case *value.Bytecode:
		sb.WriteByte('[')
		writeJavaInstructions(sb, x.Sources, d)
		sb.WriteString(", ")
		writeJavaInstructions(sb, x.Steps, d)
		sb.WriteByte(']')
	case fmt.Stringer:
		sb.WriteString(x.String())
	default:
		fmt.Fprint(sb, x)
	}
}

func writeJavaSeq(sb *strings.Builder, items []any, depth int) {
	sb.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			sb.WriteString(", ")
		}
		writeJava(sb, it, depth)
	}
	sb.WriteByte(']')
}

func writeJavaTree(sb *strings.Builder, t *value.Tree, depth int) {
	sb.WriteByte('{')
	if t != nil && depth <= maxDepth {
		for i, b := range t.Branches {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeJava(sb, b.Key, depth)
			sb.WriteByte('=')
			writeJavaTree(sb, b.Tree, depth+1)
		}
	}
	sb.WriteByte('}')
}

func writeJavaInstructions(sb *strings.Builder, ins []value.Instruction, depth int) {
	sb.WriteByte('[')
	for i, in := range ins {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(in.Operator + "(")
		for j, a := range in.Args {
			if j > 0 {
				sb.WriteString(", ")
			}
			writeJava(sb, a, depth)
		}
		sb.WriteByte(')')
	}
	sb.WriteByte(']')
}

// writeJavaP prints predicates as Java's P.toString does; between,
// inside and outside are and/or of two comparisons in Java.
func writeJavaP(sb *strings.Builder, p *value.P, depth int) {
	arg := func(i int) any {
		if i < len(p.Values) {
			return p.Values[i]
		}
		return nil
	}
	two := func(conn, op1, op2 string) {
		sb.WriteString(conn + "(" + op1 + "(")
		writeJava(sb, arg(0), depth)
		sb.WriteString("), " + op2 + "(")
		writeJava(sb, arg(1), depth)
		sb.WriteString("))")
	}
	switch p.Operator {
	case "between":
		two("and", "gte", "lt")
	case "inside":
		two("and", "gt", "lt")
	case "outside":
		two("or", "lt", "gt")
	case "within", "without":
		sb.WriteString(p.Operator + "(")
		writeJavaSeq(sb, p.Values, depth)
		sb.WriteByte(')')
	case "and", "or":
		sb.WriteString(p.Operator + "(")
		for i, v := range p.Values {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeJava(sb, v, depth)
		}
		sb.WriteByte(')')
	default:
		sb.WriteString(p.Operator)
		if len(p.Values) > 0 {
			sb.WriteByte('(')
			if len(p.Values) == 1 {
				writeJava(sb, p.Values[0], depth)
			} else {
				writeJavaSeq(sb, p.Values, depth)
			}
			sb.WriteByte(')')
		}
	}
}

// abbreviate shortens s to width characters with a "..." marker, as
// Apache Commons' StringUtils.abbreviate does.
func abbreviate(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:width-3]) + "..."
}

// javaFloat formats a float as Java's Double.toString / Float.toString.
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
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, bits) // 1.5e+10
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// javaBigDecimal formats as Java's BigDecimal.toString (scientific
// notation when the scale is negative or the exponent below -6).
func javaBigDecimal(d value.BigDecimal) string {
	if d.Unscaled == nil {
		return "0"
	}
	digits := new(big.Int).Abs(d.Unscaled).String()
	adjusted := -int64(d.Scale) + int64(len(digits)-1)
	if d.Scale >= 0 && adjusted >= -6 {
		return d.String()
	}
	var sb strings.Builder
	if d.Unscaled.Sign() < 0 {
		sb.WriteByte('-')
	}
	sb.WriteString(digits[:1])
	if len(digits) > 1 {
		sb.WriteString("." + digits[1:])
	}
	sb.WriteByte('E')
	if adjusted >= 0 {
		sb.WriteByte('+')
	}
	sb.WriteString(strconv.FormatInt(adjusted, 10))
	return sb.String()
}

// javaOffsetDateTime formats as java.time.OffsetDateTime.toString.
func javaOffsetDateTime(t time.Time) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%04d-%02d-%02dT%02d:%02d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
	if s, ns := t.Second(), t.Nanosecond(); s > 0 || ns > 0 {
		fmt.Fprintf(&sb, ":%02d", s)
		switch {
		case ns == 0:
		case ns%1e6 == 0:
			fmt.Fprintf(&sb, ".%03d", ns/1e6)
		case ns%1e3 == 0:
			fmt.Fprintf(&sb, ".%06d", ns/1e3)
		default:
			fmt.Fprintf(&sb, ".%09d", ns)
		}
	}
	_, off := t.Zone()
	if off == 0 {
		sb.WriteByte('Z')
		return sb.String()
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	fmt.Fprintf(&sb, "%c%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		fmt.Fprintf(&sb, ":%02d", off%60)
	}
	return sb.String()
}

// javaDuration formats as java.time.Duration.toString (PT8H6M12.345S).
func javaDuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	seconds, nanos := int64(d/time.Second), int64(d%time.Second)
	if nanos < 0 {
		seconds--
		nanos += 1e9
	}
	eff := seconds
	if seconds < 0 && nanos > 0 {
		eff++
	}
	hours, minutes, secs := eff/3600, (eff%3600)/60, eff%60
	var sb strings.Builder
	sb.WriteString("PT")
	if hours != 0 {
		sb.WriteString(strconv.FormatInt(hours, 10) + "H")
	}
	if minutes != 0 {
		sb.WriteString(strconv.FormatInt(minutes, 10) + "M")
	}
	if secs == 0 && nanos == 0 && sb.Len() > 2 {
		return sb.String()
	}
	if seconds < 0 && nanos > 0 && secs == 0 {
		sb.WriteString("-0")
	} else {
		sb.WriteString(strconv.FormatInt(secs, 10))
	}
	if nanos > 0 {
		var frac string
		if seconds < 0 {
			frac = strconv.FormatInt(2e9-nanos, 10)
		} else {
			frac = strconv.FormatInt(nanos+1e9, 10)
		}
		frac = strings.TrimRight(frac, "0")
		sb.WriteString("." + frac[1:])
	}
	sb.WriteByte('S')
	return sb.String()
}

// writeJavaTraversalMetrics prints the profile table of Java's
// DefaultTraversalMetrics.toString.
func writeJavaTraversalMetrics(sb *strings.Builder, tm *value.TraversalMetrics) {
	sb.WriteString("Traversal Metrics\n")
	fmt.Fprintf(sb, "%-50s %21s %11s %15s %8s", "Step", "Count", "Traversers", "Time (ms)", "% Dur")
	sb.WriteString("\n" + strings.Repeat("=", 109))
	var rows func(ms []*value.Metrics, indent int)
	rows = func(ms []*value.Metrics, indent int) {
		if indent > maxDepth {
			return
		}
		for _, m := range ms {
			if m == nil {
				continue
			}
			name := abbreviate(strings.Repeat("  ", indent)+m.Name, 50)
			count := func(k string) int64 { n, _ := m.Counts.Get(k); c, _ := asInt64(n); return c }
			ms := float64(m.DurationNs/1000) / 1000.0
			fmt.Fprintf(sb, "\n%-50s %21d %11d %15.3f", name, count("elementCount"), count("traverserCount"), ms)
			if pd, ok := m.Annotations.Get("percentDur"); ok {
				if f, ok := pd.(float64); ok {
					fmt.Fprintf(sb, " %8.2f", f)
				}
			}
			rows(m.Nested, indent+1)
		}
	}
	rows(tm.Metrics, 0)
	fmt.Fprintf(sb, "\n%50s %21s %11s %15.3f %8s", ">TOTAL", "-", "-", float64(tm.DurationNs/1000)/1000.0, "-")
}

// writeJavaExplanation prints an explain() result in the layout of Java's
// TraversalExplanation.toString (columns padded to the longest name).
func writeJavaExplanation(sb *strings.Builder, x *value.TraversalExplanation) {
	const orig, fin = "Original Traversal", "Final Traversal"
	width := len(orig)
	for _, s := range x.Intermediate {
		width = max(width, len(s.Strategy))
	}
	header := "Traversal Explanation"
	steps := func(ss []string) string { return "[" + strings.Join(ss, ", ") + "]" }
	lines := []string{fmt.Sprintf("%-*s %s", width+6, orig, steps(x.Original)), ""}
	for _, s := range x.Intermediate {
		cat := "[?]"
		if s.Category != "" {
			cat = "[" + strings.ToUpper(s.Category[:1]) + "]"
		}
		lines = append(lines, fmt.Sprintf("%-*s %-5s %s", width, s.Strategy, cat, steps(s.Traversal)))
	}
	lines = append(lines, "", fmt.Sprintf("%-*s %s", width+6, fin, steps(x.Final)))
	longest := len(header)
	for _, l := range lines {
		longest = max(longest, len(l))
	}
	sb.WriteString(header + "\n" + strings.Repeat("=", longest) + "\n" + strings.Join(lines, "\n"))
}
